"""Matching measured on real company names, and a plain baseline beside it.

The sets under `tests/accounts/data/realnames/` (see the README there) are two
CRM exports each, a Salesforce accounts report and a HubSpot companies export
of lists kept by independent parties, with the truth by a shared identifier:
S&P 500 and NYSE (looked at while tuning) and NASDAQ (held out).
`real_names_benchmark` imports both exports into a throw-away program with the
accounts import, runs the matching service at its default thresholds, reads
the candidates it wrote and compares them with the truth; it writes to the
database, like `devtools.bench.imports`. `baseline_matches` is the 20-line
script such a product has to beat: normalise, strip legal forms, rapidfuzz
`token_sort_ratio` at least 95.
"""

import csv
import datetime as dt
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

REAL_NAMES = Path(__file__).resolve().parents[2] / "tests/accounts/data/realnames"
REGISTRY_EXPORT = "sec_hubspot_companies.csv"
SETS = {
    # set: (index export, truth, what it is)
    "sp500": ("sp500_salesforce_accounts.csv", "sp500_truth.csv", "S&P 500 against SEC"),
    "nyse": ("nyse_salesforce_accounts.csv", "nyse_truth.csv", "NYSE issuers against SEC"),
    "nasdaq": (
        "nasdaq_salesforce_accounts.csv",
        "nasdaq_truth.csv",
        "NASDAQ issuers against SEC (held out)",
    ),
}
BASELINE_SCORE = 95
# The baseline's legal forms: the common ones of a plain script, not the product's list.
BASELINE_LEGAL_FORMS = frozenset(
    {
        *("inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited"),
        *("llc", "lp", "llp", "plc", "sa", "ag", "nv", "se", "bv", "gmbh", "spa", "srl"),
        *("ab", "oyj", "asa", "as"),
    }
)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True, slots=True)
class RealNameSet:
    name: str
    label: str
    index: Path  # Salesforce accounts report
    registry: Path  # HubSpot companies export
    truth: frozenset[tuple[str, str]]  # (Account ID, Record ID)

    def names(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        left = [(r["Account ID"], r["Account Name"]) for r in _rows(self.index)]
        right = [(r["Record ID"], r["Company name"]) for r in _rows(self.registry)]
        return left, right


def real_name_set(name: str, directory: Path = REAL_NAMES) -> RealNameSet:
    index, truth, label = SETS[name]
    pairs = frozenset((r["Account ID"], r["Record ID"]) for r in _rows(directory / truth))
    return RealNameSet(name, label, directory / index, directory / REGISTRY_EXPORT, pairs)


def _baseline_normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    words = re.sub(r"[\W_]+", " ", text).split()
    while len(words) > 1 and words[-1] in BASELINE_LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def baseline_matches(
    left: Sequence[tuple[str, str]], right: Sequence[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Each left record's best right record at token_sort_ratio >= 95, if any."""
    choices = [_baseline_normalise(name) for _, name in right]
    found = set()
    for left_id, name in left:
        best = process.extractOne(
            _baseline_normalise(name),
            choices,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=BASELINE_SCORE,
        )
        if best is not None:
            found.add((left_id, right[best[2]][0]))
    return found


@dataclass(frozen=True, slots=True)
class RealNameResult:
    name: str
    label: str
    records_left: int
    records_right: int
    true_pairs: int
    auto_matches: int
    review_pairs: int
    auto_precision: float
    auto_recall: float
    surfaced_recall: float
    review_share: float  # of the index's records, how many wait in the review queue
    baseline_precision: float
    baseline_recall: float
    seconds_import: float
    seconds_match: float


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def measure(
    real: RealNameSet,
    *,
    auto: Iterable[tuple[str, str]],
    review: Iterable[tuple[str, str]],
    seconds: tuple[float, float] = (0.0, 0.0),
) -> RealNameResult:
    """Figures of a run's automatic and queued pairs (Account ID, Record ID)."""
    auto, review = set(auto), set(review)
    left, right = real.names()
    baseline = baseline_matches(left, right)
    truth = real.truth
    return RealNameResult(
        name=real.name,
        label=real.label,
        records_left=len(left),
        records_right=len(right),
        true_pairs=len(truth),
        auto_matches=len(auto),
        review_pairs=len(review),
        auto_precision=_share(len(auto & truth), len(auto)),
        auto_recall=_share(len(auto & truth), len(truth)),
        surfaced_recall=_share(len((auto | review) & truth), len(truth)),
        review_share=_share(len({account for account, _ in review}), len(left)),
        baseline_precision=_share(len(baseline & truth), len(baseline)),
        baseline_recall=_share(len(baseline & truth), len(truth)),
        seconds_import=seconds[0],
        seconds_match=seconds[1],
    )


def real_names_benchmark(name: str = "sp500", *, keep: bool = False) -> RealNameResult:
    """Imports both exports into a throw-away program, matches it with the
    service's defaults and measures the candidates written against the truth."""
    from accounts.imports.columns import ACCOUNTS
    from accounts.models import LegacyCompany, MatchCandidate, Merger
    from accounts.services.matching import accounts_match
    from devtools.bench.imports import file_import_prepare, file_import_run, program_discard

    real = real_name_set(name)
    merger = Merger.objects.create(
        name=f"Real names {name} {time.time_ns()}", day_one=dt.date.today()
    )
    Role, Crm = LegacyCompany.Role, LegacyCompany.Crm
    index = LegacyCompany.objects.create(
        merger=merger, name="Index", short_name="IDX", role=Role.ACQUIRER, crm=Crm.SALESFORCE
    )
    registry = LegacyCompany.objects.create(
        merger=merger, name="Registry", short_name="REG", role=Role.ACQUIRED, crm=Crm.HUBSPOT
    )
    try:
        started = time.perf_counter()
        for company, path in ((index, real.index), (registry, real.registry)):
            job = file_import_prepare(merger=merger, company=company, kind=ACCOUNTS, path=path)
            file_import_run(job=job)
        imported = time.perf_counter()
        accounts_match(merger=merger, refresh_analysis=False)
        matched = time.perf_counter()
        Status = MatchCandidate.Status
        rows = MatchCandidate.objects.filter(merger=merger).values_list(
            "status", "left__crm_id", "left__company_id", "right__crm_id"
        )
        pairs: dict[str, set[tuple[str, str]]] = {
            Status.AUTO_MATCHED: set(),
            Status.PENDING: set(),
        }
        for status, left_crm, left_company, right_crm in rows:
            pair = (left_crm, right_crm) if left_company == index.pk else (right_crm, left_crm)
            pairs.setdefault(status, set()).add(pair)
        return measure(
            real,
            auto=pairs[Status.AUTO_MATCHED],
            review=pairs[Status.PENDING],
            seconds=(round(imported - started, 2), round(matched - imported, 2)),
        )
    finally:
        if not keep:
            program_discard(merger=merger)
