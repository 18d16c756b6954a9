"""Import a CRM export from the command line, as sales ops would in the web UI."""

import time
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.imports import columns as cols
from accounts.imports.reading import ImportFileError
from accounts.models import ColumnMapping, ImportJob, LegacyCompany, Merger
from accounts.money import is_currency_code
from accounts.services.imports import (
    Preview,
    column_mapping_save,
    import_error_report_csv,
    import_job_create,
    import_preview,
    import_run,
)
from core.commands import TranslatedCommand

KINDS = {"accounts": cols.ACCOUNTS, "products": cols.PRODUCTS, "install-base": cols.INSTALL_BASE}
SHOWN_PROBLEMS = 20


HELP = gettext_lazy(
    "Import accounts, products or install base of one legacy company from a CSV or XLSX "
    "export. Salesforce (report or Data Loader) and HubSpot exports and the import "
    "template are recognised by their column names; other files need --map or --mapping. "
    "The file imports completely or not at all; records are matched by their CRM id, so "
    "importing an updated export again updates them. See docs/imports.md."
)


class Command(TranslatedCommand):
    help_text = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("company", help=_("Legacy company: its id, name or short name."))
        parser.add_argument("kind", choices=sorted(KINDS), help=_("Kind of data in the file."))
        parser.add_argument("file", type=Path, help=_("CSV or XLSX file to import."))
        parser.add_argument(
            "--merger",
            help=_("Program (id or name), when the company name is not unique."),
        )
        parser.add_argument("--mapping", metavar="NAME", help=_("Apply a saved column mapping."))
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=_(
                "Read FIELD from the file's COLUMN (repeatable; overrides the detected or "
                "saved mapping). FIELD= (empty) leaves the field out."
            ),
        )
        parser.add_argument(
            "--save-mapping",
            metavar="NAME",
            help=_("Save the mapping used under NAME for later files."),
        )
        parser.add_argument("--sheet", help=_("Sheet of an XLSX file (default: first)."))
        parser.add_argument(
            "--currency",
            default="",
            help=_(
                "ISO code of amounts that carry none, and of ambiguous symbols such as $ "
                "(default: the program's reporting currency)."
            ),
        )
        parser.add_argument(
            "--refuse-missing-rate",
            action="store_true",
            help=_(
                "Refuse the file when an amount's currency has no exchange rate for the "
                "month (default: such rows are imported and wait for the rate)."
            ),
        )
        parser.add_argument(
            "--preview",
            action="store_true",
            help=_("Show the mapping and every problem; write nothing."),
        )
        parser.add_argument(
            "--report",
            type=Path,
            help=_("Where to write the error report (default: FILE.errors.csv)."),
        )
        parser.epilog = _fields_help()

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        company = _company(options["company"], options["merger"])
        kind = KINDS[options["kind"]]
        self.currency = (options["currency"] or "").strip().upper()
        if self.currency and not is_currency_code(self.currency):
            raise CommandError(
                _("'%(value)s' is not an ISO 4217 currency code.") % {"value": self.currency}
            )
        refuse = options["refuse_missing_rate"]
        self.missing_rate = ImportJob.MissingRate.REFUSE if refuse else ImportJob.MissingRate.WAIT
        columns = _saved_columns(company, kind, options["mapping"])
        job = self._create(company, kind, path, columns, options["sheet"])
        columns = {**job.columns, **_overrides(kind, options["map"])}
        preview = import_preview(job=job, columns=columns, sheet=options["sheet"])
        self._show_preview(preview)
        if options["save_mapping"] and not preview.mapping_problems:
            column_mapping_save(
                merger=company.merger,
                kind=kind,
                name=options["save_mapping"],
                columns=job.columns,
                actor=None,
            )
            self.stdout.write(
                _("Mapping saved as '%(name)s'.") % {"name": options["save_mapping"]}
            )
        report = options["report"] or path.with_name(path.name + ".errors.csv")
        if options["preview"]:
            self._discard(job)
            if not preview.can_import:
                self._fail(job, report)
            self.stdout.write(self.style.SUCCESS(_("Preview only: nothing was written.")))
            return
        if not preview.can_import:
            self._fail(job, report)
        self._run(job, report, options["sheet"])

    def _create(
        self,
        company: LegacyCompany,
        kind: str,
        path: Path,
        columns: dict | None,
        sheet: str | None,
    ) -> ImportJob:
        try:
            with path.open("rb") as handle:
                return import_job_create(
                    merger=company.merger,
                    company=company,
                    kind=kind,
                    uploaded_file=File(handle, name=path.name),
                    actor=None,
                    columns=columns,
                    sheet=sheet,
                    default_currency=self.currency,
                    missing_rate=self.missing_rate,
                )
        except ImportFileError as error:
            raise CommandError(error.message) from error

    def _show_preview(self, preview: Preview) -> None:
        write = self.stdout.write
        write(_("Detected: %(profile)s") % {"profile": preview.profile_label or "-"})
        for f in preview.fields:
            column = preview.columns.get(f.key)
            if column:
                write(f"  {f.key:<28} <- {column}")
        for column, reason in preview.ignored.items():
            write(_("  ignored: %(column)s (%(reason)s)") % {"column": column, "reason": reason})
        for note in preview.formats:
            write(f"  {note}")
        for problem in preview.mapping_problems:
            write(self.style.ERROR(problem))
        if not preview.mapping_problems:
            write(
                _("%(rows)d rows: %(new)d new, %(existing)d already known, %(problems)d problems.")
                % {
                    "rows": preview.total_rows,
                    "new": preview.new_count,
                    "existing": preview.existing_count,
                    "problems": preview.problem_count,
                }
            )

    def _run(self, job: ImportJob, report: Path, sheet: str | None) -> None:
        started = time.monotonic()

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "checking" and done:
                self.stdout.write(
                    _("Checked %(done)d of %(total)d rows") % {"done": done, "total": total}
                )
            elif stage == "writing" and not done:
                self.stdout.write(_("Writing %(total)d records...") % {"total": total})

        job = import_run(job_id=job.pk, progress=progress, sheet=sheet)
        if job.status != ImportJob.Status.SUCCEEDED:
            self._fail(job, report)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(message)s (%(seconds).1f s)")
                % {"message": job.message, "seconds": time.monotonic() - started}
            )
        )

    def _fail(self, job: ImportJob, report: Path) -> None:
        for problem in job.errors[:SHOWN_PROBLEMS]:
            self.stderr.write(_problem_text(problem))
        if len(job.errors) > SHOWN_PROBLEMS:
            self.stderr.write(
                _("... and %(count)d more.") % {"count": len(job.errors) - SHOWN_PROBLEMS}
            )
        report.write_text(import_error_report_csv(job=job), encoding="utf-8")
        raise CommandError(
            _("%(message)s Error report: %(report)s") % {"message": job.message, "report": report}
        )

    def _discard(self, job: ImportJob) -> None:
        """A preview from the command line leaves no job behind."""
        job.file.delete(save=False)
        job.delete()


def _problem_text(problem: dict[str, Any]) -> str:
    if problem.get("row") is None:
        return problem["message"]
    if problem.get("column"):
        return _("Row %(row)d, column '%(column)s': %(message)s") % problem
    return _("Row %(row)d: %(message)s") % problem


def _company(reference: str, merger_reference: str | None) -> LegacyCompany:
    companies = LegacyCompany.objects.select_related("merger")
    if merger_reference:
        merger_match = Q(name__iexact=merger_reference)
        if merger_reference.isdecimal():
            merger_match |= Q(pk=int(merger_reference))
        mergers = Merger.objects.filter(merger_match)
        if not mergers.exists():
            raise CommandError(_("No program '%(name)s'.") % {"name": merger_reference})
        companies = companies.filter(merger__in=mergers)
    match = Q(name__iexact=reference) | Q(short_name__iexact=reference)
    if reference.isdecimal():
        match |= Q(pk=int(reference))
    found = list(companies.filter(match)[:10])
    if not found:
        raise CommandError(_("No legacy company '%(name)s'.") % {"name": reference})
    if len(found) > 1:
        names = ", ".join(f"{c.pk}: {c.name} ({c.merger.name})" for c in found)
        raise CommandError(
            _("'%(name)s' names several companies (%(names)s); use the id or --merger.")
            % {"name": reference, "names": names}
        )
    return found[0]


def _saved_columns(company: LegacyCompany, kind: str, name: str | None) -> dict | None:
    if not name:
        return None
    mapping = ColumnMapping.objects.filter(merger=company.merger, name=name).first()
    if mapping is None:
        raise CommandError(_("No saved mapping '%(name)s' in this program.") % {"name": name})
    if mapping.kind != kind:
        raise CommandError(
            _("The mapping '%(name)s' is for %(kind)s.") % {"name": name, "kind": mapping.kind}
        )
    return dict(mapping.columns)


def _overrides(kind: str, pairs: list[str]) -> dict[str, str]:
    known = {f.key for f in cols.fields_of(kind)}
    overrides = {}
    for pair in pairs:
        key, sep, column = pair.partition("=")
        if not sep or key.strip() not in known:
            raise CommandError(
                _("--map %(pair)s: use FIELD=COLUMN with FIELD one of %(fields)s.")
                % {"pair": pair, "fields": ", ".join(sorted(known))}
            )
        overrides[key.strip()] = column.strip()
    return overrides


def _fields_help() -> str:
    lines = []
    for kind, label in (
        ("accounts", cols.ACCOUNTS),
        ("products", cols.PRODUCTS),
        ("install-base", cols.INSTALL_BASE),
    ):
        keys = [f.key + ("*" if f.required else "") for f in cols.fields_of(label)]
        lines.append(f"{kind}: {', '.join(keys)}")
    return _("Fields (* required): ") + "; ".join(lines)
