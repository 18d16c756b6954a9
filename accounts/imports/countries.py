"""Country codes and names from the CLDR data that Babel ships, for reading CRM exports."""

import unicodedata
from functools import cache

from babel import Locale
from babel.core import get_global

# The languages whose country names a CRM export of the merged companies may hold.
NAME_LANGUAGES = "en de fr es it pt nl sv da nb fi pl cs sk hu hr ro tr ru uk zh ja ko".split()  # noqa: SIM905
# ISO 3166 codes that name no country: user-assigned, and reserved for other uses.
NOT_COUNTRIES = frozenset(
    {"AA", "ZZ", "AC", "CP", "DG", "EA", "EU", "EZ", "IC", "TA", "UN"}
    | {f"Q{c}" for c in "MNOPQRSTUVWXYZ"}
    | {f"X{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
)
# What people write that CLDR does not list as a name.
COLLOQUIAL = {
    name: code
    for code, names in {
        "GB": "uk|great britain|britain|england|scotland|wales|northern ireland",
        "US": "usa|u.s.a.|u.s.|america|united states of america",
        "NL": "holland",
        "CN": "prc|people's republic of china|中华人民共和国",
        "KR": "korea|republic of korea|korea, republic of",
        "CZ": "czech republic|česká republika",
        "RU": "russian federation|российская федерация",
        "DE": "federal republic of germany",
        "VN": "viet nam",
        "AE": "uae",
        "HK": "hong kong",
        "TR": "turkey",
    }.items()
    for name in names.split("|")
}


@cache
def alpha3_codes() -> dict[str, str]:
    """{"DEU": "DE", ...} for every country."""
    aliases = get_global("territory_aliases")
    return {
        alias: codes[0]
        for alias, codes in aliases.items()
        if len(alias) == 3 and alias.isalpha() and codes[0] not in NOT_COUNTRIES
    }


@cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code of a country or territory."""
    return frozenset(alpha3_codes().values())


@cache
def _names_in(language: str) -> dict[str, str]:
    """{name: code} in one language, with and without accents."""
    names: dict[str, str] = {}
    codes = country_codes()
    for code, name in Locale.parse(language).territories.items():
        if code in codes:
            names.setdefault(name_key(name), code)
            names.setdefault(name_key(_unaccented(name)), code)
    return names


def name_key(name: str) -> str:
    return " ".join(name.casefold().split()).removeprefix("the ")


def _unaccented(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def country_code(text: str) -> str | None:
    """The alpha-2 code of an alpha-2 or alpha-3 code or a country's name; None if unknown."""
    upper = text.strip().upper()
    if upper in country_codes():
        return upper
    if upper in alpha3_codes():
        return alpha3_codes()[upper]
    key = name_key(text)
    if key in COLLOQUIAL:
        return COLLOQUIAL[key]
    # Language by language, so that a file in English never loads the others.
    for language in NAME_LANGUAGES:
        if key in (names := _names_in(language)):
            return names[key]
    return None
