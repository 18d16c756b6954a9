"""Company names, and the many ways two CRMs spell the same company."""

import random
import re
import unicodedata

from devtools.world.vocabulary import (
    ABBREVIATIONS,
    COUNTRIES,
    INDUSTRY_WORDS,
    NAME_QUALIFIERS,
    NAME_STEMS,
    SUFFIX_VARIANTS,
    SYLLABLES,
)


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


def brand_of(base: str) -> str:
    """The name without its qualifier: "Basalt Beverages Holdings" -> "Basalt Beverages"."""
    for qualifier in NAME_QUALIFIERS:
        if qualifier and base.endswith(f" {qualifier}"):
            return base[: -len(qualifier) - 1]
    return base


def base_name(rng: random.Random, industry: str, used: set[str]) -> str:
    """A company name without legal suffix whose brand is not in `used`.

    Brands, not names, are unique: "Basalt Beverages" and "Basalt Beverages
    Holdings" with look-alike websites would be one group to anyone, the
    matching engine included, so the demo never makes them two customers.
    """
    words = INDUSTRY_WORDS[industry]
    for _attempt in range(50):
        stem = rng.choice(NAME_STEMS)
        if rng.random() < 0.12:
            stem = f"{stem} and {rng.choice(NAME_STEMS)}"
        qualifier = rng.choice(NAME_QUALIFIERS)
        word = rng.choice(words)
        if f"{stem} {word}" not in used:
            used.add(f"{stem} {word}")
            return " ".join(part for part in (stem, word, qualifier) if part)
    # The vocabulary is large enough that this only happens at big scales.
    name = f"{rng.choice(NAME_STEMS)} {rng.choice(words)} {len(used)}"
    used.add(name)
    return name


def invented_brand(rng: random.Random) -> str:
    """A made-up brand of two or three syllables: "Valtor", "Kalodan"."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()


def legal_name(base: str, suffix: str) -> str:
    if suffix == "ООО":
        return f"ООО «{base}»"
    return f"{base} {suffix}"


_NOT_IN_DOMAINS = {"de", "del", "d", "the", "and", "la", "le", "of"}


def company_domain(rng: random.Random, base: str, country: str, used: set[str]) -> str:
    """A website domain no other company in the demo has."""
    words = [ascii_slug(w) for w in re.split(r"[\s']+", base)]
    words = [w for w in words if w and w not in _NOT_IN_DOMAINS]
    tld = "com" if rng.random() < 0.35 else COUNTRIES[country].tld
    forms = [f"{words[0]}-{words[1]}" if len(words) > 1 else words[0], "".join(words[:3])]
    if rng.random() < 0.4:
        forms.insert(0, words[0])
    forms += [f"{forms[-1]}{n}" for n in range(2, 50)]
    domain = next(d for d in (f"{form}.{tld}" for form in forms) if d not in used)
    used.add(domain)
    return domain


def _swap_suffix(rng: random.Random, name: str, suffix: str) -> str:
    if not suffix or not name.endswith(suffix):
        return name
    stem = name[: -len(suffix)].rstrip()
    if rng.random() < 0.3:
        return stem  # the other CRM never recorded the legal form
    options = SUFFIX_VARIANTS.get(suffix, ())
    if not options:
        return stem
    replacement = rng.choice(options)
    comma = "," if replacement in ("Inc", "Inc.", "LLC") and rng.random() < 0.5 else ""
    return f"{stem}{comma} {replacement}"


def _abbreviate(rng: random.Random, name: str) -> str:
    found = [(long, short) for long, short in ABBREVIATIONS if long in name]
    if not found:
        return name
    long, short = rng.choice(found)
    return name.replace(long, short, 1)


def typo(rng: random.Random, name: str) -> str:
    """One slip of data entry in a long word: two letters swapped, one dropped or doubled."""
    words = name.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return name
    i = rng.choice(candidates)
    word = words[i]
    j = rng.randint(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.4:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif kind < 0.7:
        word = word[:j] + word[j + 1 :]
    else:
        word = word[:j] + word[j] + word[j:]
    words[i] = word
    return " ".join(words)


def _case(rng: random.Random, name: str) -> str:
    return name.upper() if rng.random() < 0.7 else name.lower()


def _decorate(rng: random.Random, name: str, city: str) -> str:
    return rng.choice((f"The {name}", f"{name} ({city})", f"{name} - {city} plant"))


def spelling_variant(rng: random.Random, name: str, suffix: str, city: str) -> str:
    """The same company as another CRM holds it: never spelled exactly alike."""
    variant = name
    for _attempt in range(5):
        variant = _swap_suffix(rng, name, suffix) if rng.random() < 0.75 else name
        if rng.random() < 0.35:
            variant = _abbreviate(rng, variant)
        if rng.random() < 0.2:
            variant = typo(rng, variant)
        if rng.random() < 0.08:
            variant = _case(rng, variant)
        if rng.random() < 0.08:
            variant = _decorate(rng, variant, city)
        if variant != name:
            return variant
    return f"{name}."


def website_forms(rng: random.Random, domain: str) -> tuple[str, str]:
    """(website, normalised domain) the way a CRM user typed them."""
    form = rng.random()
    if form < 0.35:
        return f"https://www.{domain}/", domain
    if form < 0.55:
        return domain, domain
    if form < 0.7:
        return f"http://{domain}/contact", domain
    if form < 0.8:
        return f"www.{domain}", domain
    if form < 0.9:
        # Only a contact's e-mail address tells which company this is.
        return "", domain
    return "", ""
