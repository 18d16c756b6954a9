"""The set-based path: blocking and term counts in PostgreSQL, the same model.

Runs only on PostgreSQL (DATABASE_URL=postgres://...); elsewhere it is skipped.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.matching.frequency import stats_of
from accounts.matching.scoring import make_record
from accounts.models import MatchCandidate, SourceAccount
from accounts.services.matching import accounts_match
from devtools.bench.matching import generate_crms

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="set-based matching runs on PostgreSQL"
)
Status = MatchCandidate.Status
FIELDS = ("name", "website", "duns", "vat", "lei", "country", "city")


@pytest.fixture
def synthetic(acquirer, acquired):
    """Two generated CRMs of 400 records, 30% shared, with their truth by CRM id."""
    crms = generate_crms(size=400, overlap=0.3, seed=5)
    rows = []
    for company, side in ((acquirer, crms.left), (acquired, crms.right)):
        rows += [
            SourceAccount(
                company=company, crm_id=str(row["id"]), **{f: row[f] or "" for f in FIELDS}
            )
            for row in side
        ]
    SourceAccount.objects.bulk_create(rows)
    return {(str(a), str(b)) for a, b in crms.truth}


def _pairs(merger, status):
    rows = MatchCandidate.objects.filter(merger=merger, status=status)
    return set(rows.values_list("left__crm_id", "right__crm_id"))


@postgres_only
def test_term_counts_in_postgresql_are_the_models_counts(merger, synthetic):
    from accounts.matching.sql import term_stats

    accounts_match(merger=merger, refresh_analysis=False)  # stores the normalised names
    records = [
        make_record(id=s.id, company_id=s.company_id, **{f: getattr(s, f) for f in FIELDS})
        for s in SourceAccount.objects.filter(company__merger=merger)
    ]
    in_process, in_database = stats_of(records), term_stats(merger.id)
    assert in_database.records == in_process.records == 800
    assert in_database.names == in_process.names
    assert in_database.words == in_process.words
    words = ["north", "logistics"]
    in_database.prime(merger.id, [frozenset(words)])
    assert in_database.others_having_all(words) == in_process.others_having_all(words)


@postgres_only
def test_the_set_based_run_matches_as_the_in_process_run(merger, synthetic):
    accounts_match(merger=merger, refresh_analysis=False)
    in_process = _pairs(merger, Status.AUTO_MATCHED)
    MatchCandidate.objects.filter(merger=merger).delete()
    SourceAccount.objects.filter(company__merger=merger).update(unified=None)

    accounts_match(merger=merger, refresh_analysis=False, set_based=True)
    set_based = _pairs(merger, Status.AUTO_MATCHED)
    # Same model, blocking without typo variants: a subset, nearly all of it.
    assert set_based <= in_process
    assert len(set_based) >= 0.95 * len(in_process)
    assert len(set_based & synthetic) / len(set_based) >= 0.99


def test_set_based_matching_refuses_a_database_other_than_postgresql(merger, synthetic):
    if connection.vendor == "postgresql":
        pytest.skip("runs where the database is not PostgreSQL")
    with pytest.raises(ValidationError):
        accounts_match(merger=merger, refresh_analysis=False, set_based=True)
