"""`manage.py seed_demo`: a realistic demo program to judge every screen on."""

import argparse
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Merger
from devtools.bench.results import aligned
from devtools.demo.logins import LOGINS, MORE_PEOPLE, more_people_count
from devtools.demo.plan import DEFAULT_SEED, demo_plan
from devtools.demo.seed import demo_merger, demo_seed

# Addresses a server listens on that no browser should be sent to.
WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]", ""}


def served_url(address: str) -> str:
    """The URL to open for a server listening on HOST:PORT (as `runserver` takes it).

    A server listening on every interface is opened on this machine's loopback.
    """
    host, _sep, port = address.rpartition(":")
    if not port.isdecimal():
        raise argparse.ArgumentTypeError(_("Use the form HOST:PORT, e.g. 127.0.0.1:8000."))
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(_("Use the form YYYY-MM-DD.")) from error


class Command(BaseCommand):
    help = _(
        "Build the demo program: Sensa Instruments acquiring Predikt Analytics, with "
        "accounts, products, sales organisation, pipeline and targets."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help=_("Delete the demo program first, then rebuild.")
        )
        parser.add_argument(
            "--if-empty", action="store_true", help=_("Do nothing if any program exists already.")
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=_("Random seed."))
        parser.add_argument(
            "--scale", type=float, default=1.0, help=_("Multiply the volumes, e.g. 0.05.")
        )
        parser.add_argument(
            "--today", type=_day, default=None, help=_("Reference date (default: today).")
        )
        parser.add_argument(
            "--serve-address",
            type=served_url,
            default="127.0.0.1:8000",
            metavar="HOST:PORT",
            help=_("Where the server will listen (make demo passes HOST:PORT): the URL printed."),
        )

    def handle(self, *args, **options) -> None:
        try:
            plan = demo_plan(
                seed=options["seed"],
                scale=options["scale"],
                today=options["today"] or timezone.localdate(),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["if_empty"] and Merger.objects.exists():
            self.stdout.write(_("A program exists already; the demo was not seeded."))
            return
        if not options["reset"] and demo_merger() is not None:
            self.stdout.write(_("The demo program exists already; use --reset to rebuild it."))
            self._logins(options["serve_address"])
            return
        started = time.monotonic()
        result = demo_seed(plan=plan, password=settings.DEMO_PASSWORD, reset=options["reset"])
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                _("Seeded %(name)s in %(seconds).1f s.")
                % {"name": result.merger.name, "seconds": seconds}
            )
        )
        for label, count in result.counts.items():
            self.stdout.write(f"  {label}: {count}")
        self._logins(options["serve_address"])

    def _logins(self, url: str) -> None:
        rows = [(_("Username"), _("Password"), _("Role"), _("What they can do"))]
        rows += [(lg.username, settings.DEMO_PASSWORD, str(lg.role), str(lg.can)) for lg in LOGINS]
        self.stdout.write("")
        self.stdout.write(aligned(rows))
        self.stdout.write(MORE_PEOPLE % {"reps": more_people_count()})
        self.stdout.write(_("Open %(url)s and sign in.") % {"url": url})
