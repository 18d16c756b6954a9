"""The change logs' rows move into the one history: on plain rows, and through the
migrations' own functions on a small database with the old logs stood in for."""

import datetime as dt
import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from accounts.models import ImportJob, RecordChange
from accounts.selectors.history import record_history
from tests import factories
from tracker.models import Quota, Stage, SynergyTarget
from tracker.selectors.deal_history import deal_states_as_of

deals_migration = importlib.import_module(
    "tracker.migrations.0021_change_logs_into_record_history"
)
imports_migration = importlib.import_module(
    "accounts.migrations.0026_rate_and_import_logs_into_record_history"
)
T0 = timezone.make_aware(dt.datetime(2026, 3, 2, 10))
T1 = T0 + dt.timedelta(days=1)


def _row(field, old, new, at=T0, action="changed", deal=7, by=None, via="page"):
    return {
        "opportunity_id": deal,
        "action": action,
        "field": field,
        "old_value": old,
        "new_value": new,
        "changed_by_id": by,
        "changed_at": at,
        "via": via,
    }


def test_the_rows_of_one_write_become_one_change_and_a_repeated_field_another():
    rows = [
        _row("", "", "", action="created"),
        _row("stage", "A (#1)", "B (#2)", at=T1, action="reopened"),
        _row("probability", "100", "20", at=T1),
        _row("risk_override_reason", "", "CFO", at=T1, action="overridden"),
        _row("amount", "1.00", "2.00", at=T1),
        _row("amount", "2.00", "3.00", at=T1),
    ]

    groups = list(deals_migration.grouped(rows, deals_migration.deal_key))
    changes = [
        deals_migration.deal_change(g, merger_id=5, name="P for A", people={None: "Ann"})
        for g in groups
    ]

    assert [(c["action"], c["changes"]) for c in changes] == [
        ("created", {}),
        ("reopened", {"stage": ["A (#1)", "B (#2)"], "probability": ["100", "20"]}),
        ("overridden", {"risk_override_reason": ["", "CFO"]}),
        ("changed", {"amount": ["1.00", "2.00"]}),
        ("changed", {"amount": ["2.00", "3.00"]}),
    ]
    assert {(c["object_id"], c["merger_id"], c["actor_name"], c["via"]) for c in changes} == {
        (7, 5, "Ann", "page")
    }


def test_a_removed_target_keeps_its_month_and_scope_as_its_name():
    row = {
        "merger_id": 5,
        "month": dt.date(2026, 3, 1),
        "scope_label": "Mining",
        "field": "cross_sell",
        "old_value": "5000.00",
        "new_value": "0",
        "source": "import",
        "changed_by_id": None,
        "changed_at": T0,
        "via": "page",
    }

    change = deals_migration.target_change([row], target_id=None, people={})

    assert (change["object_id"], change["object_repr"]) == (0, "2026-03 Mining")
    assert (change["action"], change["via"]) == ("changed", "import")


class _Log:
    """An old change log's rows, read the way the migrations read them."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows
        self.objects = self

    def order_by(self, *names):
        return self

    def filter(self, **lookups):
        job = lookups.get("job_id")
        return _Log([r for r in self.rows if job is None or r["job_id"] == job])

    def values(self, *names):
        return [r["job_id"] for r in self.rows] if names == ("job_id",) else self

    def iterator(self, chunk_size=None):
        return iter(self.rows)


class _Apps:
    """The project's models, with the removed logs stood in for by their rows."""

    def __init__(self, **logs: list[dict]) -> None:
        self.logs = logs

    def get_model(self, app_label: str, name: str):
        if name in self.logs:
            return _Log(self.logs[name])
        return django_apps.get_model(app_label, name)


@pytest.fixture
def stages(merger):
    return {
        "open": factories.StageFactory(merger=merger, name="Proposal", order=1, probability=40),
        "won": factories.StageFactory(
            merger=merger, name="Won", order=9, outcome=Stage.Outcome.WON, probability=100
        ),
    }


def test_the_migration_keeps_every_log_in_the_history_and_the_replay_reads_the_same(
    merger, rep, leader_user, stages, acquirer
):
    won, proposal = stages["won"], stages["open"]
    deal = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=won,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal("8000"),
        closed_on=dt.date(2026, 3, 3),
        created_at=T0 - dt.timedelta(days=30),
    )
    quota = factories.QuotaFactory(rep=rep)
    target = SynergyTarget.objects.create(
        merger=merger, month=dt.date(2026, 3, 1), cross_sell=Decimal("10")
    )
    account = factories.SourceAccountFactory(company=acquirer, crm_id="A1", city="Hamburg")
    job = ImportJob.objects.create(
        merger=merger, company=acquirer, kind="accounts", original_name="a.csv"
    )
    deal_rows = [
        _row("", "", "", at=deal.created_at, action="created", deal=deal.pk, by=leader_user.pk),
        _row(
            "stage",
            f"{proposal} (#{proposal.pk})",
            f"{won} (#{won.pk})",
            deal=deal.pk,
            by=leader_user.pk,
        ),
        _row("probability", "40", "100", deal=deal.pk, by=leader_user.pk),
        _row("amount", "6000.00", "8000.00", deal=deal.pk, by=leader_user.pk),
        _row("closed_on", "", "2026-03-03", deal=deal.pk, by=leader_user.pk),
    ]
    quota_rows = [
        {
            "quota_id": quota.pk,
            "field": field,
            "old_value": old,
            "new_value": new,
            "changed_by_id": leader_user.pk,
            "changed_at": at,
            "via": "api",
        }
        for field, old, new, at in [
            ("core_amount", "", "100.00", T0),
            ("core_amount", "100.00", "150.00", T1),
        ]
    ]
    target_rows = [
        {
            "merger_id": merger.pk,
            "month": month,
            "segment_id": None,
            "scope_label": "Program",
            "field": "cross_sell",
            "old_value": "",
            "new_value": "10",
            "source": "grid",
            "changed_by_id": None,
            "changed_at": T0,
            "via": "",
        }
        for month in (dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    ]
    import_rows = [
        {"job_id": job.pk, "record": "A1", "field": "city", "old_value": "Berlin"},
        {"job_id": job.pk, "record": "A1", "field": "name", "old_value": "Acme"},
        {"job_id": job.pk, "record": "GONE", "field": "city", "old_value": "Rome"},
    ]
    for row in import_rows:
        row["new_value"] = "new"
    apps = _Apps(
        OpportunityChange=deal_rows,
        QuotaChange=quota_rows,
        SynergyTargetChange=target_rows,
        ImportChange=import_rows,
    )
    editor = SimpleNamespace(connection=connection)

    deals_migration.forwards(apps, editor)
    imports_migration.imports_forwards(apps, editor)

    before_the_win = deal_states_as_of(merger=merger, at=T0 - dt.timedelta(hours=1)).states
    assert [(s.stage_id, s.amount, s.closed_on) for s in before_the_win] == [
        (proposal.pk, Decimal("6000.00"), None)
    ]
    history = record_history(
        merger_ids=[merger.pk], record_type="tracker.opportunity", object_id=deal.pk
    )
    assert [(e.action, len(e.changes)) for e in history] == [("changed", 4), ("created", 0)]
    assert history[1].actor_name == leader_user.get_full_name()
    quota_history = record_history(
        merger_ids=[merger.pk], record_type="tracker.quota", object_id=quota.pk
    )
    assert [e.action for e in quota_history] == ["changed", "created"]
    Quota.objects.filter(pk=quota.pk).delete()
    assert record_history(merger_ids=[merger.pk], record_type="tracker.quota", object_id=quota.pk)
    targets = RecordChange.objects.filter(content_type__model="synergytarget")
    assert sorted(targets.values_list("object_id", "object_repr")) == [
        (0, "2026-04 Program"),
        (target.pk, "2026-03 Program"),
    ]
    [kept] = record_history(
        merger_ids=[merger.pk], record_type="accounts.sourceaccount", object_id=account.pk
    )
    assert kept.changes == {"city": ["Berlin", "new"], "name": ["Acme", "new"]}
    assert kept.via == "import"
    gone = RecordChange.objects.get(import_job=job, content_type__model="importjob")
    assert (gone.object_id, gone.object_repr) == (job.pk, "GONE")
