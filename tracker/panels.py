"""The tracker's panels on accounts pages, registered at start-up."""

from typing import Any

from accounts.models import Merger, UnifiedAccount
from accounts.selectors.whitespace import cell_opportunity_url
from core import panels
from core.access import Action, allowed
from tracker.selectors.pipeline import (
    account_candidates,
    opportunities_of_account,
    pipeline_summary,
)
from tracker.selectors.setup import setup_checklist


def _home_context(*, user: Any, merger: Merger) -> dict[str, Any]:
    return {"summary": pipeline_summary(merger=merger), "merger": merger}


def _account_context(*, user: Any, account: UnifiedAccount) -> dict[str, Any]:
    can_create = allowed(user, Action.CREATE, "opportunity")
    return {
        "opportunities": opportunities_of_account(account=account),
        "account": account,
        "can_create": can_create,
        # Candidates only for those who can act on them: one query less for readers.
        "candidates": [
            (cell, cell_opportunity_url(cell)) for cell in account_candidates(account=account)
        ]
        if can_create
        else [],
    }


def _setup_context(*, user: Any, merger: Merger) -> dict[str, Any]:
    return {"checklist": setup_checklist(merger=merger)}


def register() -> None:
    panels.register_panel(
        panels.HOME_TOP,
        panels.Panel("tracker/panels/setup_checklist.html", _setup_context, "setup"),
    )
    panels.register_panel(
        panels.HOME,
        panels.Panel("tracker/panels/home_pipeline.html", _home_context, "opportunity"),
    )
    panels.register_panel(
        panels.ACCOUNT,
        panels.Panel("tracker/panels/account_opportunities.html", _account_context, "opportunity"),
    )
