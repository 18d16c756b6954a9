"""The rows of the role table, the navigation and the links of the accounts app.

Registered with core in AccountsConfig.ready, as the apps above register theirs.
"""

from django.utils.translation import gettext_lazy as _

from core.access import LEADERS, OPS, READERS, Action, Role, crud_rules
from core.web import NavSection, register_app_access

# Program reference data is maintained by sales ops and read by everyone.
_REFERENCE = ("merger", "company", "segment", "account", "product", "product_map")

RULES = {
    **crud_rules(_REFERENCE, view=READERS, write=OPS),
    ("import", Action.VIEW): OPS,
    ("import", Action.CREATE): OPS,
    ("match", Action.VIEW): OPS | {Role.EXECUTIVE},
    ("match", Action.CHANGE): OPS,
    ("whitespace", Action.VIEW): READERS,
    ("risk", Action.VIEW): READERS,
    # The risk policy's thresholds decide who may be sold to.
    ("risk", Action.CHANGE): OPS,
    # People: sales ops creates and invites users, gives them roles and program membership.
    **crud_rules(["user"], view=OPS, write=OPS),
    # Who changed what, program-wide and per record: those who oversee the program.
    ("history", Action.VIEW): LEADERS | {Role.EXECUTIVE},
}

NAV_SECTIONS = (
    NavSection("accounts", _("Accounts"), "accounts:account_list", "account", order=10),
    NavSection("whitespace", _("Whitespace"), "accounts:whitespace", "whitespace", order=20),
    NavSection("matching", _("Matching"), "accounts:match_review", "match", order=80),
    NavSection("imports", _("Imports"), "accounts:imports", "import", order=90),
    NavSection("activity", _("Activity"), "accounts:activity", "history", order=100),
)


def register() -> None:
    register_app_access(
        rules=RULES,
        nav_sections=NAV_SECTIONS,
        links={"program_create": "accounts:program_create"},
    )
