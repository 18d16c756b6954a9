"""The cell as text, the error every parser raises, and record ids."""

import datetime as dt
import unicodedata
from typing import Any

from django.utils.translation import gettext as _


class ParseError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def parse_text(value: Any, *, max_length: int = 0) -> str:
    """One line of text: line breaks inside a cell become spaces; letters stay as they are."""
    text = unicodedata.normalize("NFC", " ".join(as_text(value).split()))
    if max_length and len(text) > max_length:
        raise ParseError(
            _("'%(value)s' is longer than %(max)d characters.")
            % {"value": shortened(text), "max": max_length}
        )
    return text


def shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SF_CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def crm_key(crm_id: str) -> str:
    """The form two spellings of one record id share.

    Salesforce reports give 15-character ids and Data Loader 18-character ones
    (the 15 plus a case checksum); both must find the same record.
    """
    if len(crm_id) == 18 and crm_id.isalnum() and crm_id[15:] == _salesforce_suffix(crm_id[:15]):
        return crm_id[:15]
    return crm_id


def _salesforce_suffix(base: str) -> str:
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << i for i, ch in enumerate(base[start : start + 5]) if "A" <= ch <= "Z")
        suffix += _SF_CHECKSUM[bits]
    return suffix
