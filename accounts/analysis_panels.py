"""The connection and risk screen as a panel of the account page, registered at start-up."""

from typing import Any

from accounts.models import UnifiedAccount
from accounts.selectors.risk import account_screen
from core import panels


def _screen_context(*, user: Any, account: UnifiedAccount) -> dict[str, Any]:
    return {"screen": account_screen(account=account), "account": account}


def register() -> None:
    # Before the opportunities: screen an account before selling to it.
    panels.register_panel(
        panels.ACCOUNT,
        panels.Panel("accounts/panels/account_screen.html", _screen_context, "risk", order=10),
    )
