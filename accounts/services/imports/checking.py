"""Checking a job's rows: number and date notation per column, then every row."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accounts.imports import columns as cols
from accounts.imports.cleaning import CurrencyRules, Formats, RowCleaner, RowError, sniff_formats
from accounts.imports.parsing import crm_key
from accounts.models import ImportJob, Segment
from accounts.selectors.exchange_rates import rates_of
from accounts.services.import_upserts import account_ids, product_ids
from accounts.services.imports.upload import job_table

SAMPLE_ROWS = 20
PROGRESS_EVERY = 5000
# A file with more problems than this has a systemic fault (wrong mapping, wrong file):
# the job keeps the first ones and the count, so that its pages stay small.
MAX_STORED_ERRORS = 1_000

type Progress = Callable[[str, int, int], None]

CHECKING = "checking"


@dataclass
class CheckedRows:
    """The outcome of reading and checking every row of a file."""

    header: list[str]
    formats: Formats
    total: int = 0
    problems: list[RowError] = field(default_factory=list)
    problem_count: int = 0
    sample: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    keys: set[Any] = field(default_factory=set)
    partial: bool = False
    notices: list[RowError] = field(default_factory=list)
    # The rates the amounts were converted at, as read before the write.
    currency: CurrencyRules | None = None


def known_references(job: ImportJob) -> dict[str, Any]:
    """What references in the file may point to, as plain data for the cleaner."""
    if job.kind == cols.ACCOUNTS:
        names = Segment.objects.filter(merger_id=job.merger_id).values_list("name", flat=True)
        return {"segment": {name.casefold(): name for name in names}}
    if job.kind == cols.INSTALL_BASE:
        return {
            "account": account_ids(job.company_id),
            "product": product_ids(job.company_id),
        }
    return {}


def rows_check(
    job: ImportJob,
    sheet: str | None,
    *,
    profile: str,
    known: dict[str, Any],
    keep_rows: bool,
    progress: Progress | None = None,
    limit: int | None = None,
) -> CheckedRows:
    """Two passes: settle number and date notation per column, then check every row
    (or the first `limit` rows)."""
    partial = False

    def bounded(rows):
        nonlocal partial
        for done, row in enumerate(rows):
            if limit is not None and done >= limit:
                partial = True
                return
            yield row

    with job_table(job, sheet) as table:
        total = 0

        def counted(rows):
            nonlocal total
            for row in bounded(rows):
                total += 1
                yield row

        formats = sniff_formats(
            kind=job.kind,
            header=table.header,
            columns=job.columns,
            rows=counted(table.rows),
            default_decimal="," if table.delimiter == ";" else ".",
            default_day_first=not profile.startswith("salesforce"),
        )
    checked = CheckedRows(header=table.header, formats=formats, total=total, partial=partial)
    if progress:
        progress(CHECKING, 0, total)
    with job_table(job, sheet) as table:
        cleaner = RowCleaner(
            kind=job.kind,
            header=table.header,
            columns=job.columns,
            formats=formats,
            known=known,
            currency=_currency_rules(job),
        )
        checked.currency = cleaner.currency
        for done, (number, cells) in enumerate(bounded(table.rows), start=1):
            values, errors = cleaner.clean(number, cells)
            if errors:
                checked.problem_count += len(errors)
                room = MAX_STORED_ERRORS - len(checked.problems)
                checked.problems.extend(errors[: max(room, 0)])
            elif keep_rows:
                checked.rows.append(values)
            if len(checked.sample) < SAMPLE_ROWS:
                checked.sample.append({"row": number, "values": values, "errors": errors})
            if progress and done % PROGRESS_EVERY == 0:
                progress(CHECKING, min(done, total), total)
            if not keep_rows and not errors:
                checked.keys.add(_key_of(job.kind, values))
    checked.notices = cleaner.notices
    if progress:
        progress(CHECKING, total, total)
    return checked


def _currency_rules(job: ImportJob) -> CurrencyRules:
    """The file's amounts convert at the rates of the month it is imported in."""
    month = timezone.localdate().replace(day=1)
    rates = rates_of(merger_id=job.merger_id, month=month)
    reporting = job.merger.reporting_currency
    return CurrencyRules(
        reporting=reporting,
        default=job.default_currency or reporting,
        month=month,
        rates=rates,
        refuse_missing=job.missing_rate == ImportJob.MissingRate.REFUSE,
    )


def _key_of(kind: str, values: dict[str, Any]) -> Any:
    if kind == cols.ACCOUNTS:
        return crm_key(values["crm_id"])
    if kind == cols.PRODUCTS:
        return values["code"]
    return (crm_key(values["account_crm_id"]), values["product_code"])
