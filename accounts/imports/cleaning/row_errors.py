"""A problem of one row, named by row, column and field, clipped for storage."""

from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _

from accounts.imports.parsing.text import shortened

# A problem quotes at most this much of the cell and of its message: a file's
# problems are stored with its job and shown on every view of it.
MAX_QUOTED_CHARS = 200
MAX_MESSAGE_CHARS = 500


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    field: str
    value: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "column", _clip(self.column, MAX_QUOTED_CHARS))
        object.__setattr__(self, "value", _clip(self.value, MAX_QUOTED_CHARS))
        object.__setattr__(self, "message", _clip(self.message, MAX_MESSAGE_CHARS))

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)d, column '%(column)s': %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _clip(text: str, limit: int) -> str:
    # A NUL is shown as the symbol for one: PostgreSQL keeps no NUL, not even in JSON.
    return shortened(text.replace("\x00", "\u2400"), limit)
