"""Bring every won deal of a program into its install base from the command line."""

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Merger
from accounts.selectors.programs import program_named
from accounts.services.refresh import merger_analysis_refresh
from core.commands import TranslatedCommand
from tracker.services.won_sales import won_sales_sync_program

HELP = gettext_lazy(
    "Record every won deal of a program (or of every program) in its install base, as "
    "winning a deal does, and refresh the program's statuses, customer-since dates and "
    "whitespace. For deals won before wins were recorded; running again changes nothing."
)


class Command(TranslatedCommand):
    help_text = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("merger", nargs="?", help=_("Program: its id or name (default: all)."))

    def handle(self, *args: Any, **options: Any) -> None:
        for merger in self._mergers(options["merger"]):
            with transaction.atomic():
                changed = won_sales_sync_program(merger_id=merger.pk)
                merger_analysis_refresh(merger_id=merger.pk)
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(program)s: %(count)d won deals linked to the install base anew.")
                    % {"program": merger.name, "count": len(changed)}
                )
            )

    def _mergers(self, value: str | None) -> list[Merger]:
        if value is None:
            return list(Merger.objects.order_by("pk"))
        found = program_named(reference=value)
        if found is None:
            raise CommandError(_("No program with id or name %(value)r.") % {"value": value})
        return [found]
