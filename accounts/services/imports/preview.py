"""What an import would do, shown before it runs; writes no records."""

from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.imports import columns as cols
from accounts.imports.cleaning import RowError
from accounts.imports.parsing import as_text
from accounts.imports.reading import ImportFileError
from accounts.models import Holding, ImportJob
from accounts.services.import_upserts import account_ids, product_ids
from accounts.services.imports.checking import CheckedRows, known_references, rows_check
from accounts.services.imports.upload import job_table

# A preview runs in the upload request: it checks this many rows and no more, so the
# request's work is bounded whatever the file; the run checks every row again anyway.
PREVIEW_ROWS = 10_000
RAW_SAMPLE_ROWS = 5


@dataclass
class Preview:
    job: ImportJob
    header: list[str]
    profile: str
    profile_label: str
    columns: dict[str, str]
    mapping_problems: list[str]
    ignored: dict[str, str]
    raw_sample: list[list[str]]
    formats: list[str] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)
    problem_count: int = 0
    # Read but not refused: ambiguous currency symbols, rows waiting for a rate.
    notices: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    new_count: int = 0
    existing_count: int = 0
    # Only the first PREVIEW_ROWS rows were checked; the file has more.
    partial: bool = False

    @property
    def can_import(self) -> bool:
        return not self.mapping_problems and not self.problem_count and self.total_rows > 0

    @property
    def fields(self) -> tuple[cols.Field, ...]:
        return cols.fields_of(self.job.kind)


def import_preview(
    *,
    job: ImportJob,
    columns: dict[str, str] | None = None,
    sheet: str | None = None,
    save: bool = True,
) -> Preview:
    """What an import would do: mapping, a cleaned sample, every problem.

    Writes no records; with `save` the job keeps the mapping, row count and
    problem list (for the error report), otherwise nothing at all is written.
    """
    if columns is not None:
        job.columns = {key: column for key, column in columns.items() if column}
    try:
        preview = _preview(job, sheet)
    except ImportFileError as error:
        preview = Preview(job, [], "", "", job.columns, [error.message], {}, [])
    if not save:
        return preview
    job.status = ImportJob.Status.PREVIEWED
    job.total_rows = preview.total_rows
    job.processed_rows = 0
    job.errors = [
        *(
            {"row": None, "column": "", "field": "", "value": "", "message": message}
            for message in preview.mapping_problems
        ),
        *(problem.as_dict() for problem in preview.problems),
    ]
    job.error_count = len(preview.mapping_problems) + preview.problem_count
    job.message = _summary_of_preview(preview)
    job.save(
        update_fields=[
            "columns",
            "status",
            "total_rows",
            "processed_rows",
            "errors",
            "error_count",
            "message",
        ]
    )
    return preview


def _preview(job: ImportJob, sheet: str | None) -> Preview:
    with job_table(job, sheet) as table:
        header = table.header
        raw_sample = [
            [as_text(cell) for cell in cells]
            for _number, cells in islice(table.rows, RAW_SAMPLE_ROWS)
        ]
    detected = cols.detect(kind=job.kind, header=header)
    preview = Preview(
        job=job,
        header=header,
        profile=detected.profile,
        profile_label=detected.profile_label,
        columns=dict(job.columns),
        mapping_problems=cols.mapping_problems(kind=job.kind, header=header, columns=job.columns),
        ignored=detected.ignored,
        raw_sample=raw_sample,
    )
    if preview.mapping_problems:
        return preview
    known = known_references(job)
    checked = rows_check(
        job, sheet, profile=detected.profile, known=known, keep_rows=False, limit=PREVIEW_ROWS
    )
    preview.partial = checked.partial
    preview.formats = checked.formats.describe(job.columns)
    preview.sample = checked.sample
    preview.problems = checked.problems
    preview.notices = checked.notices
    preview.problem_count = checked.problem_count
    preview.total_rows = checked.total
    preview.new_count, preview.existing_count = _new_and_existing(job, checked, known)
    return preview


def _summary_of_preview(preview: Preview) -> str:
    if preview.mapping_problems:
        return _("The column mapping needs attention before the rows can be checked.")
    if preview.problem_count:
        return ngettext(
            "%(count)d problem found; fix the file or the mapping and upload it again.",
            "%(count)d problems found; fix the file or the mapping and upload it again.",
            preview.problem_count,
        ) % {"count": preview.problem_count}
    if preview.partial:
        return _(
            "The first %(rows)d rows are ready: %(new)d new, %(existing)d already known; "
            "the rest are checked when the import runs."
        ) % {
            "rows": preview.total_rows,
            "new": preview.new_count,
            "existing": preview.existing_count,
        }
    return _("%(rows)d rows ready: %(new)d new, %(existing)d already known.") % {
        "rows": preview.total_rows,
        "new": preview.new_count,
        "existing": preview.existing_count,
    }


def _new_and_existing(
    job: ImportJob, checked: CheckedRows, known: dict[str, Any]
) -> tuple[int, int]:
    keys = checked.keys
    if job.kind == cols.ACCOUNTS:
        existing = set(account_ids(job.company_id))
    elif job.kind == cols.PRODUCTS:
        existing = set(product_ids(job.company_id))
    else:
        accounts, products = known["account"], known["product"]
        owned = set(
            Holding.objects.filter(account__company_id=job.company_id).values_list(
                "account_id", "product_id"
            )
        )
        existing = {key for key in keys if (accounts[key[0]], products[key[1]]) in owned}
    found = len(keys & existing)
    return len(keys) - found, found
