"""Several clients save the same opportunity or quota at the same version at the same moment.

Each client is a thread with its own database connection, released together
by a barrier, so the saves really overlap on PostgreSQL. Exactly one wins;
every other one is told 409 with the version to reload; the history holds the
winner's change once and nothing of the losers'.
"""

import threading
from collections import Counter
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import Direction
from tests import factories
from tests.history import field_lines
from tracker.models import Opportunity, Quota

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

API = "/api/v1"
CLIENTS = 8
ROUNDS = 3


def all_at_once(requests: list) -> list[tuple[int, dict]]:
    """Runs each request in a thread of its own, all released at the same moment."""
    barrier = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def run(index: int, request) -> None:
        try:
            barrier.wait(timeout=30)
            response = request()
            answers[index] = (response.status_code, response.json())
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def send(user, method: str, url: str, body: dict):
    client = APIClient()
    client.force_authenticate(user)
    return getattr(client, method)(url, body, format="json")


@pytest.fixture
def opportunity(merger, rep, acquired):
    return factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        product=factories.ProductFactory(company=acquired),
        stage=factories.StageFactory(merger=merger),
        direction=Direction.A_TO_B,
    )


def test_of_several_saves_of_one_opportunity_at_one_version_exactly_one_wins(
    opportunity, rep_user, leader_user, ops_user
):
    url = f"{API}/opportunities/{opportunity.pk}/"
    editors = [rep_user, leader_user, ops_user]
    for _round in range(ROUNDS):
        version = Opportunity.objects.get(pk=opportunity.pk).version
        steps = [f"Step {version}.{n}" for n in range(CLIENTS)]

        answers = all_at_once(
            [
                partial(
                    send,
                    editors[n % len(editors)],
                    "patch",
                    url,
                    {"version": version, "next_step": steps[n]},
                )
                for n in range(CLIENTS)
            ]
        )

        assert Counter(status for status, _body in answers) == {200: 1, 409: CLIENTS - 1}
        [winner] = [steps[n] for n, (status, _body) in enumerate(answers) if status == 200]
        for status, body in answers:
            if status == 409:
                assert body["current_version"] == version + 1
                assert "changed by someone else" in body["detail"]
        saved = Opportunity.objects.get(pk=opportunity.pk)
        assert (saved.version, saved.next_step) == (version + 1, winner)

    history = field_lines(opportunity, field="next_step")
    assert len(history) == ROUNDS
    assert saved.next_step == history[-1].new_value


def test_of_several_saves_of_one_quota_at_one_version_exactly_one_wins(rep, leader_user, ops_user):
    quota = factories.QuotaFactory(rep=rep)
    url = f"{API}/quotas/{quota.pk}/"
    for _round in range(ROUNDS):
        version = Quota.objects.get(pk=quota.pk).version
        amounts = [Decimal(20_000 + 1_000 * version + n) for n in range(CLIENTS)]

        answers = all_at_once(
            [
                partial(
                    send,
                    (leader_user, ops_user)[n % 2],
                    "patch",
                    url,
                    {"version": version, "cross_sell_amount": str(amounts[n])},
                )
                for n in range(CLIENTS)
            ]
        )

        assert Counter(status for status, _body in answers) == {200: 1, 409: CLIENTS - 1}
        [winner] = [amounts[n] for n, (status, _body) in enumerate(answers) if status == 200]
        assert all(
            body["current_version"] == version + 1 for status, body in answers if status == 409
        )
        saved = Quota.objects.get(pk=quota.pk)
        assert (saved.version, saved.cross_sell_amount) == (version + 1, winner)

    history = field_lines(quota, field="cross_sell_amount")
    assert len(history) == ROUNDS
    assert Decimal(history[-1].new_value) == winner


def test_of_several_first_quotas_for_one_rep_and_month_exactly_one_is_created(
    merger, rep, leader_user, ops_user
):
    body = {
        "rep": rep.pk,
        "period_start": "2026-03-01",
        "period_kind": "month",
        "core_amount": "100000",
    }

    answers = all_at_once(
        [
            partial(
                send,
                (leader_user, ops_user)[n % 2],
                "post",
                f"{API}/quotas/",
                {**body, "cross_sell_amount": str(10_000 + n)},
            )
            for n in range(CLIENTS)
        ]
    )

    assert Counter(status for status, _body in answers) == {201: 1, 409: CLIENTS - 1}, answers
    [created] = Quota.objects.filter(rep=rep, period_start="2026-03-01")
    assert created.version == 1
    assert len(field_lines(created, field="cross_sell_amount", created=True)) == 1


def test_a_quarter_and_two_of_its_months_saved_at_once_never_all_succeed(
    merger, rep, leader_user, ops_user
):
    """The overlap rule read the rep's quotas before writing: all three used to pass it."""
    for round_ in range(ROUNDS):
        year = 2030 + round_
        bodies = [
            {"period_start": f"{year}-01-01", "period_kind": "quarter"},
            {"period_start": f"{year}-02-01", "period_kind": "month"},
            {"period_start": f"{year}-03-01", "period_kind": "month"},
        ]
        answers = all_at_once(
            [
                partial(
                    send,
                    (leader_user, ops_user)[n % 2],
                    "post",
                    f"{API}/quotas/",
                    {"rep": rep.pk, "core_amount": "30000", "cross_sell_amount": "10", **body},
                )
                for n, body in enumerate(bodies)
            ]
        )

        created = [body for status, body in answers if status == 201]
        refused = [body for status, body in answers if status == 400]
        assert len(created) + len(refused) == 3, answers
        # A quarter alone, or one month or both: never a quarter beside its months.
        kinds = sorted(quota["period_kind"] for quota in created)
        assert kinds in (["quarter"], ["month"], ["month", "month"]), answers
        assert all("overlaps" in str(body) for body in refused), answers
        quotas = Quota.objects.filter(rep=rep, period_start__year=year)
        assert sorted(quotas.values_list("period_kind", flat=True)) == kinds


def test_the_database_itself_refuses_a_month_inside_a_quarter_of_the_same_rep(rep):
    from django.db import IntegrityError

    Quota.objects.create(rep=rep, period_kind="quarter", period_start="2031-04-01")
    with pytest.raises(IntegrityError):
        Quota.objects.create(rep=rep, period_kind="month", period_start="2031-06-01")
    Quota.objects.create(rep=rep, period_kind="month", period_start="2031-07-01")


@pytest.fixture
def two_imports_of_the_same_accounts(settings, tmp_path, merger, acquirer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.services.imports import import_job_create, import_preview

    settings.MEDIA_ROOT = tmp_path
    rows = "\n".join(f"ACC-{n},Account {n}" for n in range(300))
    jobs = []
    for name in ("first.csv", "second.csv"):
        job = import_job_create(
            merger=merger,
            company=acquirer,
            kind="accounts",
            uploaded_file=SimpleUploadedFile(name, f"crm_id,name\n{rows}\n".encode()),
            actor=None,
        )
        assert import_preview(job=job).can_import
        jobs.append(job)
    return jobs


def test_two_imports_of_the_same_records_at_once_both_end_and_name_no_unexpected_error(
    two_imports_of_the_same_accounts, acquirer
):
    from accounts.models import ImportJob, SourceAccount
    from accounts.services.imports import import_run

    barrier = threading.Barrier(2)
    raised: list[BaseException] = []

    def run(job_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            import_run(job_id=job_id)
        except BaseException as error:  # reported by the assertion below
            raised.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(job.pk,)) for job in two_imports_of_the_same_accounts
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert raised == []
    jobs = ImportJob.objects.filter(pk__in=[job.pk for job in two_imports_of_the_same_accounts])
    for job in jobs:
        assert "unexpected" not in job.message, job.message
        assert job.status == ImportJob.Status.SUCCEEDED or "same records" in job.message
    assert sum(job.created_count for job in jobs) == 300
    assert SourceAccount.objects.filter(company=acquirer).count() == 300


def test_two_starts_of_one_import_at_once_queue_it_once(
    two_imports_of_the_same_accounts, ops_user, leader_user
):
    from accounts.models import ImportJob

    job = two_imports_of_the_same_accounts[0]
    answers = all_at_once(
        [
            partial(send, ops_user, "post", f"{API}/imports/{job.pk}/start/", {})
            for _n in range(CLIENTS)
        ]
    )

    assert Counter(status for status, _body in answers) == {202: 1, 409: CLIENTS - 1}, answers
    assert ImportJob.objects.get(pk=job.pk).attempt == 1
