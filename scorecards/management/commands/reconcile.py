"""`manage.py reconcile PROGRAM [--month YYYY-MM]`: every figure against its records."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Merger
from accounts.selectors.programs import program_named
from scorecards.reconcile import program_reconcile


class Command(BaseCommand):
    help = (
        "Checks that the program's figures reconcile with the records behind them: realized "
        "synergy, statuses against the install base, whitespace against owned and dealt "
        "pairs, closed months against their snapshots, one definition per figure. Prints "
        "each mismatch with the records behind it; exits 1 on any."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("program", help="The program's name or id.")
        parser.add_argument("--month", help="Only this month (YYYY-MM); default every month.")

    def handle(self, *args, program: str, month: str | None, **options) -> None:
        merger = _program(program)
        months = [_month(month)] if month else None
        report = program_reconcile(merger=merger, months=months)
        for mismatch in report.mismatches:
            self.stdout.write(str(mismatch))
        summary = f"{merger}: {len(report.checks)} checks, {len(report.mismatches)} mismatches"
        if not report.ok:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))


def _program(value: str) -> Merger:
    found = program_named(reference=value)
    if found is None:
        raise CommandError(f"No program named {value!r}.")
    return found


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise CommandError(f"--month takes YYYY-MM, not {value!r}.") from None
