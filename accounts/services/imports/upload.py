"""Uploading a CRM export, saving a column mapping, and reading a job's file."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files import File

from accounts.imports import columns as cols
from accounts.imports.reading import Table, open_table
from accounts.models import ColumnMapping, ImportJob, LegacyCompany, Merger
from core.access import User


def import_job_create(
    *,
    merger: Merger,
    company: LegacyCompany,
    kind: str,
    uploaded_file: Any,
    actor: User | None,
    columns: dict[str, str] | None = None,
    sheet: str | None = None,
    default_currency: str = "",
    missing_rate: str = ImportJob.MissingRate.WAIT,
) -> ImportJob:
    """Stores the file once it can be read; the mapping is detected unless given.

    `default_currency` reads amounts that carry none (blank: the reporting
    currency); `missing_rate` says whether a row without a rate waits or is refused.

    Raises ImportFileError (nothing stored) when the file cannot be read.
    """
    if company.merger_id != merger.pk:
        raise ValueError("The company belongs to another program.")
    if kind not in cols.KINDS:
        raise ValueError(f"Unknown kind of data {kind!r}.")
    name = os.path.basename(getattr(uploaded_file, "name", "") or "upload.csv")
    uploaded_file.seek(0)
    with open_table(data=uploaded_file, name=name, max_bytes=_max_bytes(), sheet=sheet) as table:
        detected = cols.detect(kind=kind, header=table.header)
    uploaded_file.seek(0)
    job = ImportJob(
        merger=merger,
        company=company,
        kind=kind,
        original_name=name[:255],
        columns=dict(columns) if columns is not None else detected.columns,
        default_currency=default_currency,
        missing_rate=missing_rate,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    job.file.save(name, File(uploaded_file, name=name), save=False)
    job.save()
    return job


def column_mapping_save(
    *, merger: Merger, kind: str, name: str, columns: dict[str, str], actor: User | None
) -> ColumnMapping:
    """Saves (or replaces) a named mapping for later files of this kind."""
    known = {f.key for f in cols.fields_of(kind)}
    unknown = sorted(set(columns) - known)
    if unknown:
        raise ValueError(f"Unknown fields {unknown} for {kind}.")
    mapping, _created = ColumnMapping.objects.update_or_create(
        merger=merger,
        name=name,
        defaults={
            "kind": kind,
            "columns": {key: column for key, column in columns.items() if column},
            "created_by": actor if actor is not None and actor.is_authenticated else None,
        },
    )
    return mapping


def import_header(*, job: ImportJob, sheet: str | None = None) -> list[str]:
    """The column names of a job's file, for choosing a mapping."""
    with job_table(job, sheet) as table:
        return table.header


def _max_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


@contextmanager
def job_table(job: ImportJob, sheet: str | None) -> Iterator[Table]:
    with job.file.open("rb") as data:
        table = open_table(data=data, name=job.original_name, max_bytes=_max_bytes(), sheet=sheet)
        try:
            yield table
        finally:
            table.close()
