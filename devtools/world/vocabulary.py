"""Words generated programs build names, places and texts from (data, not interface text).

The words themselves are in `data/vocabulary.toml`, read once here into tuples.
"""

from dataclasses import dataclass

from devtools.world.datafile import datafile_read


@dataclass(frozen=True)
class Country:
    code: str
    region: str
    cities: tuple[str, ...]
    suffixes: tuple[str, ...]
    vat_prefix: str  # empty where the demo does not issue VAT numbers
    tld: str


NORTH_AMERICA = "North America"
EMEA = "EMEA"
APAC = "APAC"
LATAM = "LATAM"
REGIONS = (NORTH_AMERICA, EMEA, APAC, LATAM)

_DATA = datafile_read(beside=__file__, name="vocabulary.toml")


def _words(key: str) -> tuple[str, ...]:
    return tuple(_DATA[key])


def _word_lists(key: str) -> dict[str, tuple[str, ...]]:
    return {name: tuple(words) for name, words in _DATA[key].items()}


# Employees of a company in each size band.
SIZE_BANDS: dict[str, tuple[int, int]] = {
    band: (low, high) for band, (low, high) in _DATA["size_bands"].items()
}
SYLLABLES = _words("syllables")
COUNTRIES: dict[str, Country] = {
    row["code"]: Country(
        code=row["code"],
        region=row["region"],
        cities=tuple(row["cities"]),
        suffixes=tuple(row["suffixes"]),
        vat_prefix=row["vat_prefix"],
        tld=row["tld"],
    )
    for row in _DATA["countries"]
}
REGION_COUNTRIES: dict[str, tuple[tuple[str, int], ...]] = {
    region: tuple(weights.items()) for region, weights in _DATA["region_countries"].items()
}
SUFFIX_VARIANTS = _word_lists("suffix_variants")
ABBREVIATIONS: tuple[tuple[str, str], ...] = tuple(
    (long, short) for long, short in _DATA["abbreviations"]
)
NAME_STEMS = _words("name_stems")
INDUSTRY_WORDS = _word_lists("industry_words")
NAME_QUALIFIERS = _words("name_qualifiers")
# (native or accented spelling, the other CRM's spelling, country, city, industry)
SPECIAL_NAMES: tuple[tuple[str, str, str, str, str], ...] = tuple(
    (row["native"], row["other"], row["country"], row["city"], row["industry"])
    for row in _DATA["special_names"]
)
DEPARTED_OWNERS = _words("departed_owners")
ASSETS = _word_lists("assets")
NEED_TEMPLATES = _words("need_templates")
THIN_NEEDS = _words("thin_needs")
BURST_NEED: str = _DATA["burst_need"]
NEXT_STEPS = _words("next_steps")
LOST_REASONS: tuple[tuple[str, int], ...] = tuple(_DATA["lost_reasons"].items())
OVERRIDE_REASONS = _words("override_reasons")
REVIEW_NOTES = _words("review_notes")
