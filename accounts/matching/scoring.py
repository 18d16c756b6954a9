"""How alike two CRM records are, on a 0-100 scale, and why.

The name similarity is the base; registration numbers, domains and location
add or take away points. Every adjustment is a named constant below and comes
with a reason that the review queue shows to the person who decides.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from accounts.matching.frequency import EMPTY, TermStats, compact
from accounts.matching.names import (
    ACRONYM_NAME_POINTS,
    CROSS_SCRIPT_POINTS,
    acronym,
    same_name_evidence,
    typo_of,
    word_evidence,
)
from accounts.matching.normalize import (
    WEAK_WORDS,
    domain_label,
    name_key,
    normalize_city,
    normalize_country,
    normalize_domain,
    normalize_duns,
    normalize_lei,
    normalize_vat,
    split_name,
    strong_name_key,
    transliterate,
)

# Name evidence beyond the words themselves (see `names`).
LEGAL_FORM_MATCH = 2
NUMBER_CONFLICT = -30  # "Unit 7" against "Unit 9"
# Every distinctive word must agree (up to a typo) for a name to decide alone:
# "Metro Cleaning" and "Metro Catering" are close as strings, not as companies.
WORD_MISMATCH_CAP = 80
# A name that is only alike, not equal, needs a second signal (domain, city,
# registration) to be matched without a person: brands one letter apart
# ("Belno", "Belnor") are often different companies.
UNCORROBORATED_FUZZY_CAP = 88
# Below the review threshold: distinctive words that differ without a shared domain.
DIFFERENT_WORDS_CAP = 74.0
DOMAIN_REASONS = frozenset({"domain_match", "domain_label_match"})
CORROBORATING_REASONS = frozenset({"domain_match", "domain_label_match", "city_match"})
# Domain evidence.
DOMAIN_MATCH = 30
DOMAIN_MATCH_FLOOR = 70  # same company domain: at least worth a review
DOMAIN_LABEL_MATCH = 12  # acme.com against acme.de
DOMAIN_LABEL_MIN_LENGTH = 4
DOMAIN_CONFLICT = -8
# Registration numbers name a legal entity (DUNS: a site of one).
REGISTRATION_MATCH_FLOOR = 99
REGISTRATION_CONFLICT = {"duns": -20, "vat": -35, "lei": -35}
REGISTRATION_CONFLICT_CAP = 60  # conflicting VAT or LEI: never matched automatically
# Location evidence.
COUNTRY_MATCH = 3
COUNTRY_CONFLICT = -15
CITY_MATCH = 4
CITY_CONFLICT = -4

REGISTRATION_KINDS = ("duns", "vat", "lei")
_NUMBER = re.compile(r"\d+")
REGISTRATION_LABELS = {"duns": "DUNS", "vat": "VAT", "lei": "LEI"}


class Method:
    """What decided a match, as recorded on MatchDecision.method."""

    REGISTRATION_ID = "registration_id"
    DOMAIN = "domain"
    EXACT_NAME = "exact_name"
    NAME_WORDS = "name_words"  # the distinctive words agree, some are left out
    FUZZY_NAME = "fuzzy_name"
    NO_MATCH = "no_match"


REASON_TEXTS = {
    "registration_match": _("Same %(kind)s number %(value)s"),
    "registration_conflict": _("Different %(kind)s numbers: %(left)s and %(right)s"),
    "domain_match": _("Same website domain %(domain)s"),
    "domain_label_match": _("Same domain name under different endings: %(left)s and %(right)s"),
    "domain_label_other_country": _(
        "Same domain name under different endings, but in different countries: "
        "%(left)s and %(right)s"
    ),
    "domain_conflict": _("Different website domains: %(left)s and %(right)s"),
    "name_exact": _("Same name once normalised: %(name)s"),
    "name_exact_common": _(
        "Same name once normalised: %(name)s, but %(others)s other records have it too"
    ),
    "name_words_unique": _("Both names have %(words)s, and no other record does"),
    "name_words": _("Both names have %(words)s, as %(others)s other records do"),
    "name_words_plain": _("Both names have %(words)s"),
    "name_extra_words": _("Only %(name)s has %(words)s"),
    "name_typo": _("'%(left)s' and '%(right)s' differ by a typo"),
    "name_acronym_word": _("'%(short)s' stands for '%(long)s'"),
    "name_joined": _("'%(joined)s' is '%(parts)s' written as one word"),
    "name_similar": _("Names %(similarity)s%% alike: %(left)s / %(right)s"),
    "name_weak_words": _("Same name apart from words like 'group' or 'international'"),
    "name_acronym": _("%(short)s is the acronym of %(long)s"),
    "name_transliterated": _("Same name in another script: %(left)s / %(right)s"),
    "name_spacing": _("Same name apart from spacing: %(left)s / %(right)s"),
    "name_other_script": _("Names in different scripts cannot be compared: %(left)s / %(right)s"),
    "word_mismatch": _("Words that differ: %(words)s"),
    "uncorroborated": _("Names alike but not equal, and no domain or city confirms it"),
    "legal_form_match": _("Same legal form: %(form)s"),
    "number_conflict": _("Different numbers in the names: %(left)s and %(right)s"),
    "country_match": _("Same country: %(country)s"),
    "country_conflict": _("Different countries: %(left)s and %(right)s"),
    "city_match": _("Same city: %(city)s"),
    "city_conflict": _("Different cities: %(left)s and %(right)s"),
}


@dataclass(frozen=True, slots=True)
class Record:
    """One CRM account reduced to the signals matching compares.

    Build it with `make_record`, which fills the normalised fields.
    """

    id: int
    company_id: int
    name: str
    normalized_name: str = ""
    domain: str = ""
    duns: str = ""
    vat: str = ""
    lei: str = ""
    country: str = ""
    city: str = ""
    legal_form: str = ""
    key: str = ""  # sorted tokens in Latin script
    strong_key: str = ""  # the same without weak words
    numbers: str = ""  # the numbers in the name, sorted
    notes: str = ""  # words the name has in brackets: a note, not the name itself


def make_record(
    *,
    id: int,
    company_id: int,
    name: str,
    website: str = "",
    duns: str = "",
    vat: str = "",
    lei: str = "",
    country: str = "",
    city: str = "",
) -> Record:
    parts = split_name(name)
    country = normalize_country(country)
    return Record(
        id=id,
        company_id=company_id,
        name=name,
        normalized_name=parts.core,
        domain=normalize_domain(website),
        duns=normalize_duns(duns),
        vat=normalize_vat(vat, country),
        lei=normalize_lei(lei),
        country=country,
        city=normalize_city(city),
        legal_form=parts.legal_form,
        key=(key := name_key(parts.core)),
        strong_key=strong_name_key(parts.core),
        numbers=" ".join(sorted(set(_NUMBER.findall(key)))),
        notes=transliterate(parts.notes),
    )


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    points: float
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return str(REASON_TEXTS[self.code] % self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "points": round(self.points, 1), "params": self.params}


def reason_text(stored: dict[str, Any]) -> str:
    """The reader's-language text of a reason stored as `Reason.as_dict()`."""
    template = REASON_TEXTS.get(stored.get("code", ""))
    if template is None:
        return str(stored.get("code", ""))
    return str(template % stored.get("params", {}))


@dataclass(frozen=True, slots=True)
class MatchScore:
    score: float
    method: str
    reasons: tuple[Reason, ...]


def unmatched_words(a: Record, b: Record) -> list[str]:
    """Distinctive words of either name with no equal (or typo) in the other."""
    left, right = a.key.split(), b.key.split()
    missing: list[str] = []
    for words, others in ((left, set(right)), (right, set(left))):
        for word in words:
            if word in others or word in WEAK_WORDS:
                continue
            if not any(typo_of(word, other) for other in others):
                missing.append(word)
    return missing


def _script_differs(a: Record, b: Record) -> bool:
    # Transliteration makes Cyrillic comparable; other scripts stay apart.
    return a.key.isascii() != b.key.isascii()


def _string_evidence(a: Record, b: Record) -> list[Reason]:
    """Names written without spaces between words (Chinese, Japanese): alike as strings."""
    similarity = fuzz.ratio(a.key, b.key)
    names = {"left": a.normalized_name, "right": b.normalized_name}
    reasons = [Reason("name_similar", similarity, {"similarity": round(similarity), **names})]
    if similarity > WORD_MISMATCH_CAP and (missing := unmatched_words(a, b)):
        cut = WORD_MISMATCH_CAP - similarity
        reasons.append(Reason("word_mismatch", cut, {"words": ", ".join(missing)}))
    return reasons


def _name_evidence(a: Record, b: Record, stats: TermStats) -> tuple[list[Reason], str]:
    """Reasons about the names and the method they amount to."""
    names = {"left": a.normalized_name, "right": b.normalized_name}
    if a.key and a.key == b.key:
        transliterated = a.normalized_name != b.normalized_name and not (
            a.normalized_name.isascii() and b.normalized_name.isascii()
        )
        code, params = (
            ("name_transliterated", names)
            if transliterated
            else ("name_exact", {"name": a.normalized_name})
        )
        evidence = same_name_evidence(a.key, stats, code=code, params=params)
    elif _script_differs(a, b):
        return [Reason("name_other_script", CROSS_SCRIPT_POINTS, names)], Method.FUZZY_NAME
    elif compact(a.key) == compact(b.key):
        evidence = same_name_evidence(a.key, stats, code="name_spacing", params=names)
    elif not (a.key.isascii() and b.key.isascii()):
        return _string_evidence(a, b), Method.FUZZY_NAME
    elif acronym_reason := _acronym(a, b):
        return [acronym_reason], Method.FUZZY_NAME
    else:
        notes = (frozenset(a.notes.split()), frozenset(b.notes.split()))
        evidence = word_evidence(a.normalized_name, b.normalized_name, stats, notes=notes)
    reasons = [Reason(code, points, params) for code, points, params in evidence.reasons]
    if evidence.exact:
        return reasons, Method.EXACT_NAME
    return reasons, Method.FUZZY_NAME if evidence.fuzzy else Method.NAME_WORDS


def _acronym(a: Record, b: Record) -> Reason | None:
    for short, long in ((a, b), (b, a)):
        if " " in short.key or len(short.key) < 2:
            continue
        if short.key == acronym(long.normalized_name):
            params = {"short": short.name, "long": long.name}
            return Reason("name_acronym", ACRONYM_NAME_POINTS, params)
    return None


def _number_conflict(a: Record, b: Record) -> Reason | None:
    if a.numbers and b.numbers and a.numbers != b.numbers:
        return Reason("number_conflict", NUMBER_CONFLICT, {"left": a.numbers, "right": b.numbers})
    return None


def _registration_evidence(a: Record, b: Record) -> tuple[list[Reason], list[Reason]]:
    matches: list[Reason] = []
    conflicts: list[Reason] = []
    if not (a.duns or a.vat or a.lei) or not (b.duns or b.vat or b.lei):
        return matches, conflicts
    for kind in REGISTRATION_KINDS:
        left, right = getattr(a, kind), getattr(b, kind)
        if not left or not right:
            continue
        label = REGISTRATION_LABELS[kind]
        if left == right:
            matches.append(Reason("registration_match", 0, {"kind": label, "value": left}))
        else:
            params = {"kind": label, "left": left, "right": right}
            conflicts.append(Reason("registration_conflict", REGISTRATION_CONFLICT[kind], params))
    return matches, conflicts


def _domain_evidence(a: Record, b: Record) -> Reason | None:
    if not a.domain or not b.domain:
        return None
    if a.domain == b.domain:
        return Reason("domain_match", DOMAIN_MATCH, {"domain": a.domain})
    label = domain_label(a.domain)
    params = {"left": a.domain, "right": b.domain}
    if len(label) >= DOMAIN_LABEL_MIN_LENGTH and label == domain_label(b.domain):
        return Reason("domain_label_match", DOMAIN_LABEL_MATCH, params)
    return Reason("domain_conflict", DOMAIN_CONFLICT, params)


def _location_evidence(a: Record, b: Record) -> list[Reason]:
    reasons: list[Reason] = []
    if a.country and b.country:
        if a.country == b.country:
            reasons.append(Reason("country_match", COUNTRY_MATCH, {"country": a.country}))
        else:
            params = {"left": a.country, "right": b.country}
            return [Reason("country_conflict", COUNTRY_CONFLICT, params)]
    if a.city and b.city:
        if a.city == b.city:
            reasons.append(Reason("city_match", CITY_MATCH, {"city": a.city}))
        else:
            params = {"left": a.city, "right": b.city}
            reasons.append(Reason("city_conflict", CITY_CONFLICT, params))
    return reasons


def _countries_differ(location: list[Reason]) -> bool:
    return any(reason.code == "country_conflict" for reason in location)


def score_pair(a: Record, b: Record, stats: TermStats = EMPTY) -> MatchScore:
    """`stats` are the counts over all records being matched; without them, a
    name's rarity is judged by the prior alone."""
    reasons, method = _name_evidence(a, b, stats)
    if a.legal_form and a.legal_form == b.legal_form:
        reasons.append(Reason("legal_form_match", LEGAL_FORM_MATCH, {"form": a.legal_form}))
    location = _location_evidence(a, b)
    domain = _domain_evidence(a, b)
    if domain is not None and domain.code == "domain_label_match" and _countries_differ(location):
        # One group's companies in two countries (acme.de, acme.fr) are two customers.
        domain = Reason("domain_label_other_country", 0, domain.params)
    for evidence in (_number_conflict(a, b), domain):
        if evidence is not None:
            reasons.append(evidence)
    reasons.extend(location)
    score = sum(reason.points for reason in reasons)
    if (
        any(reason.code == "word_mismatch" for reason in reasons)
        and not any(reason.code in DOMAIN_REASONS for reason in reasons)
        and score > DIFFERENT_WORDS_CAP
    ):
        # Legal form and city say nothing once the distinctive words differ:
        # "Liberty Water Treatment SAS" and "Bauer Water Treatment SAS" in one city.
        reasons.append(Reason("uncorroborated", DIFFERENT_WORDS_CAP - score))
        score = DIFFERENT_WORDS_CAP
    if (
        method == Method.FUZZY_NAME
        and score > UNCORROBORATED_FUZZY_CAP
        and not any(reason.code in CORROBORATING_REASONS for reason in reasons)
    ):
        reasons.append(Reason("uncorroborated", UNCORROBORATED_FUZZY_CAP - score))
        score = UNCORROBORATED_FUZZY_CAP
    if any(reason.code == "domain_match" for reason in reasons):
        score = max(score, DOMAIN_MATCH_FLOOR)
        method = Method.DOMAIN
    registration_matches, registration_conflicts = _registration_evidence(a, b)
    if registration_matches:
        # One shared legal-entity number outweighs everything else.
        score = max(score, REGISTRATION_MATCH_FLOOR + len(registration_matches) - 1)
        method = Method.REGISTRATION_ID
        ignored = [Reason(r.code, 0, r.params) for r in registration_conflicts]
        reasons = registration_matches + ignored + reasons
    elif registration_conflicts:
        score += sum(reason.points for reason in registration_conflicts)
        if any(reason.params["kind"] != "DUNS" for reason in registration_conflicts):
            score = min(score, REGISTRATION_CONFLICT_CAP)
        reasons = registration_conflicts + reasons
    return MatchScore(score=max(0.0, min(100.0, score)), method=method, reasons=tuple(reasons))
