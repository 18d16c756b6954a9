"""What an opportunity write raises when it refuses: nothing is written."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tracker.opportunity_rules import RuleWarning

type Problems = dict[str, list[str]]


class StaleVersion(Exception):
    """The opportunity changed since the client read it; nothing was written."""

    def __init__(self, *, opportunity_id: int, expected: int, current: int | None) -> None:
        self.opportunity_id = opportunity_id
        self.expected = expected
        self.current = current
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.current is None:
            return _("Opportunity %(id)s was deleted after you read it.") % {
                "id": self.opportunity_id
            }
        return _(
            "Opportunity %(id)s was changed by someone else after you read it (you sent "
            "version %(expected)s, it is now at version %(current)s). Reload it and apply "
            "your change again."
        ) % {"id": self.opportunity_id, "expected": self.expected, "current": self.current}


class DuplicateOpen(ValidationError):
    """The account already has an open opportunity for the product; names the first one."""

    def __init__(self, problems: Problems, *, existing_id: int | None) -> None:
        super().__init__(problems)
        self.existing_id = existing_id


class WarningsNotConfirmed(Exception):
    """Rules of thumb warn and the caller asked to confirm first; nothing was written."""

    def __init__(self, warnings: list[RuleWarning]) -> None:
        self.warnings = warnings
        super().__init__("; ".join(warning.message for warning in warnings))
