"""Countries: ISO codes pass; names in common languages (accounts.imports.countries)."""

from typing import Any

from django.utils.translation import gettext as _

from accounts.imports.countries import country_code
from accounts.imports.parsing.text import ParseError, as_text, shortened


def parse_country(value: Any) -> str:
    """An ISO 3166 two-letter code from a code or a country's name in a common language."""
    text = " ".join(as_text(value).split())
    if code := country_code(text):
        return code
    raise ParseError(
        _("'%(value)s' is not a known country; use a two-letter ISO code such as DE or US.")
        % {"value": shortened(text)}
    )
