"""Speed and quality of matching on synthetic CRMs, without a database.

`generate_crms` builds two CRM exports deterministically: companies with
invented brand names (brands reused across industries, so that different
companies look alike), of which a share appears in both CRMs, each time
spelled the way data entry spells it (legal forms, abbreviations, case,
"&"/"and", typos, website forms, missing fields). `run_benchmark` times the
engine on them and measures it against the generator's truth and against the
hand-labelled hard cases shipped with the tests. The words the names are made
of are in `data/synthetic_crms.toml`.
"""

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from accounts.matching.blocking import BlockingStats
from accounts.matching.engine import (
    DEFAULT_AUTO_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    Outcome,
    match_records,
)
from accounts.matching.evaluation import evaluate_labelled, load_labelled_pairs
from accounts.matching.scoring import Record, make_record
from devtools.world.datafile import datafile_read
from devtools.world.names import invented_brand, typo

LABELLED_CASES = Path(__file__).resolve().parents[2] / "tests/accounts/data/match_cases.csv"
_DATA = datafile_read(beside=__file__, name="synthetic_crms.toml")
_COMMON_WORDS = tuple(_DATA["common_words"])
_INDUSTRIES = tuple(_DATA["industries"])
_SURNAMES = tuple(_DATA["surnames"])
# Country code -> (legal forms, cities).
_COUNTRIES = {c["code"]: (tuple(c["suffixes"]), tuple(c["cities"])) for c in _DATA["countries"]}
_CITY_SPELLINGS: dict[str, str] = _DATA["city_spellings"]
_ABBREVIATE: dict[str, str] = _DATA["abbreviate"]
_WEBSITE_FORMS = ("https://www.{d}/", "{d}", "www.{d}", "info@{d}", "http://{d}/about", "{d}:443")
_FREE_MAIL = ("gmail.com", "outlook.com", "yahoo.com")


@dataclass(frozen=True, slots=True)
class Company:
    entity: int
    brand: str
    core: str
    country: str
    city: str
    domain: str
    duns: str
    vat: str


@dataclass(slots=True)
class SyntheticCrms:
    left: list[dict] = field(default_factory=list)
    right: list[dict] = field(default_factory=list)
    truth: set[tuple[int, int]] = field(default_factory=set)  # (left id, right id)


def _core_name(rng: random.Random, brand: str) -> str:
    pattern = rng.random()
    if pattern < 0.55:
        return f"{brand} {rng.choice(_INDUSTRIES)}"
    if pattern < 0.75:
        return f"{rng.choice(_COMMON_WORDS)} {brand} {rng.choice(_INDUSTRIES)}"
    if pattern < 0.85:
        return f"{rng.choice(_SURNAMES)} & {rng.choice(_SURNAMES)} {rng.choice(_INDUSTRIES)}"
    if pattern < 0.93:
        return f"{brand} International {rng.choice(_INDUSTRIES)}"
    return f"{brand} {rng.choice(_INDUSTRIES)} Group"


def _companies(rng: random.Random, count: int) -> list[Company]:
    # About two companies per brand: "Valtor Foods" and "Valtor Bank" are strangers.
    brands = [invented_brand(rng) for _ in range(count // 2 + 1)]
    seen: set[str] = set()
    companies: list[Company] = []
    while len(companies) < count:
        brand = rng.choice(brands)
        core = _core_name(rng, brand)
        # "Acme Foods" and "Acme Foods Group" would be one company, not two.
        words = core.lower().replace("&", "").split()
        key = " ".join(sorted(w for w in words if w not in ("group", "international")))
        if key in seen:
            continue
        seen.add(key)
        country = rng.choice(tuple(_COUNTRIES))
        label = "".join(ch for ch in core.lower() if ch.isalnum())[:24]
        companies.append(
            Company(
                entity=len(companies),
                brand=brand,
                core=core,
                country=country,
                city=rng.choice(_COUNTRIES[country][1]),
                domain=f"{label}.{'com' if rng.random() < 0.7 else country.lower()}",
                duns=f"{rng.randrange(10**8, 10**9):09d}" if rng.random() < 0.25 else "",
                vat=f"{country}{rng.randrange(10**8, 10**9)}" if rng.random() < 0.2 else "",
            )
        )
    return companies


def _spelling(rng: random.Random, company: Company) -> str:
    name = company.core
    for long, short in _ABBREVIATE.items():
        if long in name and rng.random() < 0.4:
            name = name.replace(long, short)
    if "&" in name and rng.random() < 0.5:
        name = name.replace("&", "and")
    if rng.random() < 0.07:
        name = typo(rng, name)
    if rng.random() < 0.7:
        name = f"{name} {rng.choice(_COUNTRIES[company.country][0])}"
    if rng.random() < 0.03:
        name = f"The {name}"
    roll = rng.random()
    return name.upper() if roll < 0.08 else name.lower() if roll < 0.12 else name


def _crm_record(rng: random.Random, record_id: int, company: Company) -> dict:
    website = ""
    roll = rng.random()
    if roll < 0.6:
        website = rng.choice(_WEBSITE_FORMS).format(d=company.domain)
    elif roll < 0.65:
        website = f"contact@{rng.choice(_FREE_MAIL)}"
    city = company.city if rng.random() < 0.7 else ""
    if city in _CITY_SPELLINGS and rng.random() < 0.5:
        city = _CITY_SPELLINGS[city]
    return {
        "id": record_id,
        "name": _spelling(rng, company),
        "website": website,
        "duns": company.duns if rng.random() < 0.6 else "",
        "vat": company.vat if rng.random() < 0.5 else "",
        "lei": "",
        "country": company.country if rng.random() < 0.9 else "",
        "city": city,
    }


def generate_crms(*, size: int = 50_000, overlap: float = 0.3, seed: int = 7) -> SyntheticCrms:
    """Two CRMs of `size` records each; `overlap` of each are customers of both."""
    rng = random.Random(seed)
    shared = int(size * overlap)
    companies = _companies(rng, 2 * size - shared)
    rng.shuffle(companies)
    crms = SyntheticCrms()
    left_companies = companies[:size]
    right_companies = companies[:shared] + companies[size:]
    for offset, company in enumerate(left_companies):
        crms.left.append(_crm_record(rng, offset + 1, company))
    for offset, company in enumerate(right_companies):
        crms.right.append(_crm_record(rng, size + offset + 1, company))
    pairs = zip(crms.left[:shared], crms.right[:shared], strict=True)
    crms.truth = {(left["id"], right["id"]) for left, right in pairs}
    return crms


def _records(rows: Sequence[dict], company_id: int) -> list[Record]:
    return [make_record(company_id=company_id, **row) for row in rows]


@dataclass(frozen=True, slots=True)
class BenchmarkResult:
    size: int
    seconds_normalize: float
    seconds_match: float
    cpu_seconds: float  # wall time can include other processes' turns on a shared machine
    candidate_pairs: int
    comparisons: int
    auto_matches: int
    review_pairs: int
    true_pairs: int
    auto_precision: float
    auto_recall: float
    surfaced_recall: float
    labelled: dict = field(default_factory=dict)

    @property
    def seconds_total(self) -> float:
        return self.seconds_normalize + self.seconds_match


def run_benchmark(
    *,
    size: int = 50_000,
    overlap: float = 0.3,
    seed: int = 7,
    auto_threshold: float = DEFAULT_AUTO_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    labelled_path: Path | None = LABELLED_CASES,
) -> BenchmarkResult:
    crms = generate_crms(size=size, overlap=overlap, seed=seed)
    started, cpu_started = time.perf_counter(), time.process_time()
    left, right = _records(crms.left, 1), _records(crms.right, 2)
    normalized = time.perf_counter()
    stats = BlockingStats()
    decisions = match_records(
        left, right, auto_threshold=auto_threshold, review_threshold=review_threshold, stats=stats
    )
    finished, cpu_finished = time.perf_counter(), time.process_time()

    auto = {(d.left_id, d.right_id) for d in decisions if d.outcome == Outcome.AUTO_MATCH}
    review = {(d.left_id, d.right_id) for d in decisions if d.outcome == Outcome.REVIEW}
    truth = crms.truth
    labelled = {}
    if labelled_path is not None and labelled_path.exists():
        labelled = evaluate_labelled(
            load_labelled_pairs(labelled_path),
            auto_threshold=auto_threshold,
            review_threshold=review_threshold,
        ).as_dict()
    return BenchmarkResult(
        size=size,
        seconds_normalize=normalized - started,
        seconds_match=finished - normalized,
        cpu_seconds=cpu_finished - cpu_started,
        candidate_pairs=stats.pairs,
        comparisons=stats.comparisons,
        auto_matches=len(auto),
        review_pairs=len(review),
        true_pairs=len(truth),
        auto_precision=len(auto & truth) / len(auto) if auto else 1.0,
        auto_recall=len(auto & truth) / len(truth) if truth else 1.0,
        surfaced_recall=len((auto | review) & truth) / len(truth) if truth else 1.0,
        labelled=labelled,
    )
