"""What the project's management commands share."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.functional import Promise


class TranslatedCommand(BaseCommand):
    """A command whose help is translated: `help_text` is lazy, argparse needs plain text,
    so it is read in the language active when the command runs."""

    help_text: Promise

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help_text)
        return super().create_parser(prog_name, subcommand, **kwargs)
