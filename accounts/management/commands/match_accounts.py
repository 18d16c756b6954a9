"""Match a program's CRM records into unified accounts from the command line."""

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.matching.engine import DEFAULT_AUTO_THRESHOLD, DEFAULT_REVIEW_THRESHOLD
from accounts.models import Merger
from accounts.selectors.programs import program_named
from accounts.services.matching import accounts_match
from core.commands import TranslatedCommand

HELP = gettext_lazy(
    "Match the legacy companies' CRM records of one program into unified accounts. Pairs "
    "scoring at or above the automatic threshold are matched, pairs between the two "
    "thresholds wait in the review queue, every other record gets an account of its own. "
    "Decisions people took (confirmed, rejected, merged, split) are kept; running again "
    "over unchanged data changes nothing."
)


def _score(value: str) -> float:
    number = float(value)
    if not 0 <= number <= 100:
        raise ValueError(value)
    return number


class Command(TranslatedCommand):
    help_text = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("merger", help=_("Program: its id or name."))
        parser.add_argument(
            "--auto-threshold",
            type=_score,
            default=DEFAULT_AUTO_THRESHOLD,
            metavar="SCORE",
            help=_("Match automatically from this score (0-100, default %(default)s)."),
        )
        parser.add_argument(
            "--review-threshold",
            type=_score,
            default=DEFAULT_REVIEW_THRESHOLD,
            metavar="SCORE",
            help=_("Queue for review from this score (0-100, default %(default)s)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Count what would happen and write nothing."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        merger = self._merger(options["merger"])
        auto, review = options["auto_threshold"], options["review_threshold"]
        if review > auto:
            raise CommandError(_("The review threshold must not exceed the automatic one."))
        verbose = options["verbosity"] >= 1
        result = accounts_match(
            merger=merger,
            auto_threshold=auto,
            review_threshold=review,
            dry_run=options["dry_run"],
            progress=(lambda message: self.stdout.write(message)) if verbose else None,
        )
        summary = _(
            "%(records)d records: %(auto)d matched automatically, %(review)d to review, "
            "%(new)d new accounts, %(moved)d records moved, %(absorbed)d emptied accounts "
            "absorbed, %(settled)d kept as people decided."
        ) % {
            "records": result.records,
            "auto": result.auto_matches,
            "review": result.review_candidates,
            "new": result.new_accounts,
            "moved": result.moved_records,
            "absorbed": result.absorbed_accounts,
            "settled": result.settled_records,
        }
        if result.dry_run:
            summary = _("Dry run, nothing written. %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))

    def _merger(self, value: str) -> Merger:
        found = program_named(reference=value)
        if found is None:
            raise CommandError(_("No program with id or name %(value)r.") % {"value": value})
        return found
