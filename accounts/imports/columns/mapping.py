"""Which column of a file feeds which field: detected from the header, or checked when given."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.imports.columns.account_fields import ACCOUNT_FIELDS
from accounts.imports.columns.kinds import (
    ACCOUNTS,
    COMMON,
    INSTALL_BASE,
    PRODUCTS,
    PROFILES,
    Field,
)
from accounts.imports.columns.product_fields import INSTALL_BASE_FIELDS, PRODUCT_FIELDS

FIELDS: dict[str, tuple[Field, ...]] = {
    ACCOUNTS: ACCOUNT_FIELDS,
    PRODUCTS: PRODUCT_FIELDS,
    INSTALL_BASE: INSTALL_BASE_FIELDS,
}

# Standard columns we recognise and deliberately leave out, with the reason.
IGNORED: dict[str, dict[str, Promise]] = {
    ACCOUNTS: {
        "annual revenue": gettext_lazy(
            "the customer's own turnover, not revenue from this customer"
        ),
        "annualrevenue": gettext_lazy(
            "the customer's own turnover, not revenue from this customer"
        ),
    }
}


def fields_of(kind: str) -> tuple[Field, ...]:
    return FIELDS[kind]


def field_of(kind: str, key: str) -> Field:
    return next(f for f in FIELDS[kind] if f.key == key)


def normalize_header(name: str) -> str:
    """'Country/Region' -> 'country region'; 'D-U-N-S Number' -> 'd u n s number'."""
    return " ".join(re.sub(r"[\W_]+", " ", name.replace("\ufeff", "").casefold()).split())


@dataclass(frozen=True)
class Detection:
    profile: str
    columns: dict[str, str]
    ignored: dict[str, str]

    @property
    def profile_label(self) -> str:
        return str(PROFILES[self.profile]) if self.profile else _("Unrecognised columns")


def detect(*, kind: str, header: list[str]) -> Detection:
    """Which export this looks like, and which column feeds which field."""
    by_name = {normalize_header(column): column for column in reversed(header)}
    scores = {
        profile: sum(
            any(normalize_header(alias) in by_name for alias in f.aliases.get(profile, ()))
            for f in FIELDS[kind]
        )
        for profile in PROFILES
    }
    profile = max(PROFILES, key=lambda p: scores[p]) if any(scores.values()) else ""
    order = (
        [profile, *(p for p in PROFILES if p != profile), COMMON]
        if profile
        else [*PROFILES, COMMON]
    )
    columns: dict[str, str] = {}
    used: set[str] = set()
    for f in FIELDS[kind]:
        for candidate in _candidates(f, order):
            column = by_name.get(normalize_header(candidate))
            if column is not None and column not in used:
                columns[f.key] = column
                used.add(column)
                break
    ignored = {
        column: str(reason)
        for name, reason in IGNORED.get(kind, {}).items()
        if (column := by_name.get(name)) is not None and column not in used
    }
    return Detection(profile, columns, ignored)


def _candidates(f: Field, order: list[str]) -> list[str]:
    return [alias for profile in order for alias in f.aliases.get(profile, ())]


def unmapped_required(kind: str, columns: dict[str, str]) -> list[str]:
    return [f.key for f in FIELDS[kind] if f.required and not columns.get(f.key)]


def mapping_problems(*, kind: str, header: list[str], columns: dict[str, str]) -> list[str]:
    """What is wrong with a mapping given by hand or saved for another file."""
    known = {f.key for f in FIELDS[kind]}
    problems = [
        _("'%(field)s' is not a field of this kind of data.") % {"field": key}
        for key in columns
        if key not in known
    ]
    present = set(header)
    problems += [
        _("Column '%(column)s' (for %(field)s) is not in the file.")
        % {"column": column, "field": field_of(kind, key).label}
        for key, column in columns.items()
        if key in known and column and column not in present
    ]
    seen: dict[str, str] = {}
    for key, column in columns.items():
        if not column or key not in known:
            continue
        if column in seen:
            problems.append(
                _("Column '%(column)s' is mapped to both %(first)s and %(second)s.")
                % {
                    "column": column,
                    "first": field_of(kind, seen[column]).label,
                    "second": field_of(kind, key).label,
                }
            )
        seen.setdefault(column, key)
    problems += [
        _("%(field)s is required: choose the column that holds it.")
        % {"field": field_of(kind, key).label}
        for key in unmapped_required(kind, columns)
    ]
    return problems
