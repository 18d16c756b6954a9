"""Checking and converting one row after another, with references and currencies."""

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.imports import parsing
from accounts.imports.cleaning.formats import Formats
from accounts.imports.cleaning.row_errors import RowError
from accounts.imports.columns import ACCOUNTS, PRODUCTS, Field, fields_of
from accounts.imports.parsing import ParseError, as_text, crm_key, is_blank
from accounts.money import (
    MissingRate,
    Money,
    Rates,
    month_of,
    parse_currency_code,
    parse_money,
    to_reporting,
)

MAX_LISTED_SEGMENTS = 20

# What an empty cell means where the model's default is not blank.
EMPTY = {
    "amount": Decimal("0.00"),
    "integer": 0,
    "small_integer": 0,
    "percent": Decimal("0.00"),
    "date": None,
    "bool": False,
    "customer": False,
}
EMPTY_BY_FIELD = {
    (ACCOUNTS, "employees"): None,
    (ACCOUNTS, "segment"): None,
    (PRODUCTS, "is_active"): True,
    (PRODUCTS, "sales_cycle"): "short",
    (PRODUCTS, "typical_cycle_days"): 60,
}
# The field whose value must be unique within one file.
UNIQUE_KEY = {ACCOUNTS: "crm_id", PRODUCTS: "code"}


def _refuse_nul(raw: Any) -> None:
    # A NUL byte (a byte of zero) is not text: PostgreSQL refuses it in every text
    # column, and a file that has one was usually damaged on the way.
    if isinstance(raw, str) and "\x00" in raw:
        raise ParseError(
            _("The value contains a NUL character (a zero byte); remove it from the file.")
        )


@dataclass(frozen=True)
class CurrencyRules:
    """How a file's amounts become reporting-currency amounts (accounts.money)."""

    reporting: str
    # Amounts with no currency column and no mark in the cell; settles '$' and '¥'.
    default: str
    # The month whose rates convert the file's amounts: the month it is imported in.
    month: dt.date
    rates: Rates
    # Refuse a row whose currency has no rate for the month; otherwise it waits.
    refuse_missing: bool = False


MAX_NOTICES = 1000


class RowCleaner:
    """Checks one row after another; remembers keys to catch duplicates within a file."""

    def __init__(
        self,
        *,
        kind: str,
        header: list[str],
        columns: Mapping[str, str],
        formats: Formats,
        known: Mapping[str, Collection[str] | Mapping[str, str]] | None = None,
        currency: CurrencyRules | None = None,
    ):
        self.kind = kind
        self.currency = currency or CurrencyRules("", "", dt.date.min, {})
        # Read but not refused: ambiguous symbols settled by the default, rows waiting.
        self.notices: list[RowError] = []
        self.width = len(header)
        self.formats = formats
        self.known = known or {}
        # In the file's column order, so that a row's problems read left to right.
        self.plan: list[tuple[Field, int, str]] = sorted(
            (
                (f, header.index(columns[f.key]), columns[f.key])
                for f in fields_of(kind)
                if columns.get(f.key) in header
            ),
            key=lambda step: step[1],
        )
        self.unique = UNIQUE_KEY.get(kind)
        self.first_row: dict[str, int] = {}
        mapped = {f.key for f, _index, _column in self.plan}
        self.unmapped_amounts = [
            f.key for f in fields_of(kind) if f.type == "amount" and f.key not in mapped
        ]

    def clean(self, number: int, cells: list[Any]) -> tuple[dict[str, Any], list[RowError]]:
        if len(cells) != self.width:
            message = _("The row has %(count)d values but the header has %(width)d columns.") % {
                "count": len(cells),
                "width": self.width,
            }
            return {}, [RowError(number, "", "", "", message)]
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        self._row_currency = ""
        for f, index, column in self.plan:
            if f.type != "currency" or is_blank(cells[index]):
                continue
            try:
                self._row_currency = parse_currency_code(cells[index])
            except ParseError as error:
                errors.append(
                    RowError(number, column, f.key, as_text(cells[index]), error.message)
                )
        for f, index, column in self.plan:
            raw = cells[index]
            if f.type == "currency":
                continue
            try:
                _refuse_nul(raw)
                values[f.key] = self._value(f, raw)
            except ParseError as error:
                errors.append(RowError(number, column, f.key, as_text(raw), error.message))
        if self.unique and self.unique in values:
            self._check_unique(number, values, errors)
        if not errors:
            self._convert(number, values, errors)
        for key, value in values.items():
            if isinstance(value, Money):  # a row with problems: the number as read
                values[key] = value.amount
        return values, errors

    def _convert(self, number: int, values: dict[str, Any], errors: list[RowError]) -> None:
        """Each amount as entered beside its reporting-currency amount; one currency per row."""
        amounts = [(f, column) for f, _i, column in self.plan if f.type == "amount"]
        if not amounts or not self.currency.reporting:
            for f, _column in amounts:
                values[f.key] = values[f.key].amount
            return
        codes = {values[f.key].currency for f, _column in amounts if values[f.key].amount}
        code = self._row_currency or (codes.pop() if len(codes) == 1 else "")
        code = code or self.currency.default
        for f, column in amounts:
            money: Money = values[f.key]
            if money.amount and money.currency != code:
                errors.append(
                    RowError(
                        number,
                        column,
                        f.key,
                        f"{money.amount} {money.currency}",
                        _(
                            "The row's amounts are in %(first)s and %(other)s; a record has one "
                            "currency."
                        )
                        % {"first": code, "other": money.currency},
                    )
                )
            if money.ambiguous:
                self._notice(
                    number,
                    column,
                    f.key,
                    _("Ambiguous symbol read as %(currency)s (could be %(all)s).")
                    % {"currency": money.currency, "all": ", ".join(money.ambiguous)},
                )
        if errors:
            return
        values["currency"] = code
        values["awaiting_rate"] = None
        # The month whose rate converts them, so that a corrected rate converts them again;
        # only with every amount of the record in the file: one it leaves out keeps what an
        # earlier import gave it (perhaps another currency, or a wait for a rate).
        follows_rate = code != self.currency.reporting and not self.unmapped_amounts
        values["rate_month"] = month_of(self.currency.month) if follows_rate else None
        for f, column in amounts:
            original: Decimal = values[f.key].amount
            values[f"{f.key}_original"] = original
            if not original:  # nothing is worth nothing in any currency: no rate needed
                values[f.key] = original
                continue
            converted = to_reporting(
                amount=original,
                currency=code,
                month=self.currency.month,
                reporting_currency=self.currency.reporting,
                rates=self.currency.rates,
            )
            if not isinstance(converted, MissingRate):
                values[f.key] = converted
                continue
            if self.currency.refuse_missing:
                errors.append(
                    RowError(number, column, f.key, str(original), self._missing(converted))
                )
                continue
            # Waits: counts in no figure until the rate exists (accounts.services.currency).
            values[f.key] = Decimal("0.00")
            values["awaiting_rate"], values["rate_month"] = converted.month, None
            self._notice(number, column, f.key, self._missing(converted, waiting=True))

    def _missing(self, missing: MissingRate, *, waiting: bool = False) -> str:
        if waiting:
            return _(
                "%(missing)s The row is imported and its amounts wait for the rate; enter it "
                "under Exchange rates."
            ) % {"missing": missing}
        return _("%(missing)s Enter it under Exchange rates, then import the file again.") % {
            "missing": missing
        }

    def _notice(self, number: int, column: str, key: str, message: str) -> None:
        if len(self.notices) < MAX_NOTICES:
            self.notices.append(RowError(number, column, key, "", message))

    def _value(self, f: Field, raw: Any) -> Any:
        if f.type == "amount":
            return self._money(raw, f)
        if is_blank(raw):
            if f.required:
                raise ParseError(_("A value is required."))
            return EMPTY_BY_FIELD.get((self.kind, f.key), EMPTY.get(f.type, ""))
        match f.type:
            case "integer":
                return parsing.parse_integer(raw, decimal_mark=self._mark(f))
            case "small_integer":
                return parsing.parse_integer(
                    raw, decimal_mark=self._mark(f), maximum=parsing.MAX_SMALL_INTEGER
                )
            case "percent":
                return parsing.parse_percent(raw, decimal_mark=self._mark(f))
            case "date":
                return parsing.parse_date(raw, day_first=self.formats.day_first.get(f.key, True))
            case "bool":
                return parsing.parse_bool(raw)
            case "customer":
                return parsing.parse_customer(raw)
            case "country":
                return parsing.parse_country(raw)
            case "cycle":
                return parsing.parse_sales_cycle(raw)
            case "segment":
                return self._segment(parsing.parse_text(raw))
            case "account" | "product":
                return self._reference(f.type, parsing.parse_text(raw))
        return parsing.parse_text(raw, max_length=f.max_length)

    def _money(self, raw: Any, f: Field) -> Money:
        if is_blank(raw):
            if f.required:
                raise ParseError(_("A value is required."))
            return Money(EMPTY["amount"], self._row_currency)
        money = parse_money(
            raw,
            default_currency=self.currency.default or self.currency.reporting,
            decimal_mark=self._mark(f),
            currency=self._row_currency,
        )
        if money.amount < 0:
            raise ParseError(
                _("'%(value)s' is negative; it must be zero or more.") % {"value": as_text(raw)}
            )
        return money

    def _mark(self, f: Field) -> str | None:
        return self.formats.decimal_marks.get(f.key)

    def _segment(self, name: str) -> str:
        segments = self.known.get("segment", {})
        canonical = segments.get(name.casefold()) if isinstance(segments, Mapping) else None
        if canonical is not None:
            return canonical
        names = sorted(segments.values()) if isinstance(segments, Mapping) else []
        if not names:
            raise ParseError(
                _("Unknown segment '%(value)s': the program has no segments yet.")
                % {"value": name}
            )
        listed = ", ".join(names[:MAX_LISTED_SEGMENTS])
        if len(names) > MAX_LISTED_SEGMENTS:
            listed += ", …"
        raise ParseError(
            _("Unknown segment '%(value)s'; the program's segments are: %(names)s.")
            % {"value": name, "names": listed}
        )

    def _reference(self, kind: str, text: str) -> str:
        key = crm_key(text) if kind == "account" else text
        if key in self.known.get(kind, ()):
            return text
        if kind == "account":
            message = _(
                "No account with CRM id '%(value)s' in this company; import accounts first."
            )
        else:
            message = _("No product with code '%(value)s' in this company; import products first.")
        raise ParseError(message % {"value": text})

    def _check_unique(self, number: int, values: dict[str, Any], errors: list[RowError]) -> None:
        value = values.get(self.unique)
        if not value:
            return
        key = crm_key(value) if self.unique == "crm_id" else value
        first = self.first_row.setdefault(key, number)
        if first != number:
            column = next(column for f, _i, column in self.plan if f.key == self.unique)
            errors.append(
                RowError(
                    number,
                    column,
                    self.unique,
                    value,
                    _("'%(value)s' appears already on row %(row)d.")
                    % {"value": value, "row": first},
                )
            )
