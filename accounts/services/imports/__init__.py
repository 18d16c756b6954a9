"""Imports of CRM exports: upload, preview, and an all-or-nothing run.

A run checks the whole file before it writes anything; one bad row fails the
job with the full list of problems and nothing is written. Otherwise all rows
are written in one transaction, matched to existing records by the CRM's own
id, and every changed field of an existing record is kept in its history, with the job.
"""

from accounts.services.imports.error_report import import_error_report_csv
from accounts.services.imports.job_status import import_jobs_fail_stalled
from accounts.services.imports.preview import Preview, import_preview
from accounts.services.imports.running import (
    ImportAlreadyStarted,
    ImportInterrupted,
    import_can_start,
    import_enqueue,
    import_give_up,
    import_not_started,
    import_run,
)
from accounts.services.imports.upload import column_mapping_save, import_header, import_job_create

__all__ = [
    "ImportAlreadyStarted",
    "ImportInterrupted",
    "Preview",
    "column_mapping_save",
    "import_can_start",
    "import_enqueue",
    "import_error_report_csv",
    "import_give_up",
    "import_header",
    "import_job_create",
    "import_jobs_fail_stalled",
    "import_not_started",
    "import_preview",
    "import_run",
]
