"""The problems of an import job as a spreadsheet."""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import ImportJob
from core.spreadsheet import cell_text


def import_error_report_csv(*, job: ImportJob) -> str:
    """Every problem of a job, one per line, for a spreadsheet (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("field"), _("value"), _("message")])
    for problem in job.errors:
        # The file's own column names and values come back here: never as formulas.
        writer.writerow(
            [
                problem.get("row") or "",
                cell_text(problem.get("column", "")),
                cell_text(problem.get("field", "")),
                cell_text(problem.get("value", "")),
                cell_text(problem.get("message", "")),
            ]
        )
    left_out = job.error_count - len(job.errors)
    if left_out > 0:
        message = ngettext(
            "%(count)d more problem is not listed: only the first %(kept)d are kept.",
            "%(count)d more problems are not listed: only the first %(kept)d are kept.",
            left_out,
        ) % {"count": left_out, "kept": len(job.errors)}
        writer.writerow(["", "", "", "", message])
    return out.getvalue()
