"""A closed month's quota page and pipeline metrics show its frozen attainment: a later
edit of one of its deals is a restatement, not a change of the closed month."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests import factories
from tracker.models import Opportunity, Quota, Stage
from tracker.quota_math import period_of
from tracker.selectors.metrics import Dimension
from tracker.selectors.pipeline_metrics import pipeline_metrics
from tracker.selectors.quotas import quota_board
from tracker.services.snapshots import snapshot_freeze

MAY, JUNE = date(2026, 5, 1), date(2026, 6, 1)


@pytest.fixture
def edited_after_may_froze(merger, rep, team):
    """5,000 won in May of a 10,000 quota; after the freeze the deal is raised to 8,000."""
    stage = factories.stages_of(merger, "won")["won"]
    deal = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=stage,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal("5000"),
        closed_on=date(2026, 5, 20),
        created_at=timezone.make_aware(datetime(2026, 4, 2)),
    )
    for month in (MAY, JUNE):
        factories.QuotaFactory(rep=rep, period_start=month, cross_sell_amount=Decimal("10000"))
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    Opportunity.objects.filter(pk=deal.pk).update(amount=Decimal("8000"))
    return deal


def test_the_quota_board_of_a_frozen_month_shows_its_frozen_credit(
    merger, rep, team, edited_after_may_froze
):
    board = quota_board(merger=merger, period=period_of(MAY))
    assert board.frozen.frozen_at is not None
    assert (board.total.credited_won, board.total.attainment) == (
        Decimal("5000.00"),
        Decimal("0.5"),
    )
    [team_line] = board.teams
    assert team_line.figures.credited_won == team_line.reps[0].figures.credited_won
    assert team_line.figures.credited_won == Decimal("5000.00")
    # An open month is live.
    assert quota_board(merger=merger, period=period_of(JUNE)).frozen.frozen_at is None


@pytest.mark.parametrize("by", [Dimension.PROGRAM, Dimension.TEAM, Dimension.REP])
def test_pipeline_metrics_of_a_frozen_month_carry_its_frozen_attainment(
    merger, edited_after_may_froze, by
):
    rows = pipeline_metrics(merger=merger, by=by, month=MAY)
    assert {row.attainment for row in rows if row.attainment is not None} == {Decimal("0.5")}


def test_the_pages_say_the_month_is_frozen(client, merger, ops_user, edited_after_may_froze):
    api = APIClient()
    api.force_authenticate(ops_user)
    body = api.get("/api/v1/pipeline-metrics/", {"merger": merger.pk, "month": "2026-05"}).json()
    assert body["quotas_frozen_at"] is not None
    assert body["rows"][0]["attainment"] == "0.5000"
    client.force_login(ops_user)
    page = client.get(reverse("tracker:quotas"), {"period": "2026-05"})
    assert "Frozen snapshot of" in page.content.decode()
    assert page.context["board"].total.credited_won == Decimal("5000.00")


def test_a_rep_who_changes_team_after_the_freeze_moves_no_frozen_team_figure(
    merger, rep, team, edited_after_may_froze
):
    """The team lines were added up by today's team: moving a rep emptied the team of
    the closed month on the quota page and the pipeline metrics, not on its dashboard."""
    east = factories.TeamFactory(merger=merger, name="East")
    rep.team = east
    rep.save(update_fields=["team"])

    teams = {
        line.team.name: line.figures
        for line in quota_board(merger=merger, period=period_of(MAY)).teams
    }
    assert (teams["Central"].credited_won, teams["Central"].cross_sell_quota) == (
        Decimal("5000.00"),
        Decimal("10000.00"),
    )
    assert teams["East"].credited_won == 0 and teams["East"].attainment is None
    rows = {
        row.label: row for row in pipeline_metrics(merger=merger, by=Dimension.TEAM, month=MAY)
    }
    assert rows["Central"].attainment == Decimal("0.5")
    assert "East" not in rows or rows["East"].attainment is None


@pytest.mark.parametrize("by", list(Dimension))
def test_pipeline_metrics_of_a_frozen_month_count_its_frozen_wins(
    merger, rep, edited_after_may_froze, by
):
    """The deal raised after the freeze and a May win entered after it are restatements:
    the closed month's won figures are its dashboard's, in every slice."""
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=edited_after_may_froze.stage,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal("2000"),
        closed_on=date(2026, 5, 28),
    )

    rows = pipeline_metrics(merger=merger, by=by, month=MAY)

    won = [(row.figures.won_count, row.figures.won_amount) for row in rows]
    assert [figures for figures in won if figures != (0, 0)] == [(1, Decimal("5000.00"))]
    # An open month is live.
    assert pipeline_metrics(merger=merger, by=by, month=JUNE)[0].figures.won_count == 0


def test_the_api_says_when_the_won_figures_are_frozen(merger, ops_user, edited_after_may_froze):
    api = APIClient()
    api.force_authenticate(ops_user)
    query = {"merger": merger.pk, "month": "2026-05"}

    body = api.get("/api/v1/pipeline-metrics/", query).json()
    assert body["wins_frozen_at"] is not None
    assert (body["rows"][0]["won_count"], body["rows"][0]["won_amount"]) == (1, "5000.00")
    # The snapshot keeps both kinds together: one kind's wins are counted live.
    one_kind = api.get("/api/v1/pipeline-metrics/", {**query, "kind": "cross_sell"}).json()
    assert one_kind["wins_frozen_at"] is None
    assert one_kind["quotas_frozen_at"] is not None


def test_a_win_reassigned_after_the_freeze_stays_with_its_rep_of_the_closed_month(
    merger, rep, other_rep, edited_after_may_froze
):
    Opportunity.objects.filter(pk=edited_after_may_froze.pk).update(owner=other_rep)

    rows = {
        row.key: row.figures
        for row in pipeline_metrics(merger=merger, by=Dimension.REP, month=MAY)
    }

    assert (rows[str(rep.pk)].won_count, rows[str(rep.pk)].won_amount) == (1, Decimal("5000.00"))
    assert rows[str(other_rep.pk)].won_count == 0


def _grid_post(response, period: str, changes: dict[int, dict[str, str]]) -> dict[str, str]:
    """The quota grid as the page rendered it, with some reps' amounts changed."""
    formset = response.context["formset"]
    data = {"period": period}
    for key, value in formset.management_form.initial.items():
        data[f"{formset.prefix}-{key}"] = str(value)
    for form in formset.forms:
        for name, field in form.fields.items():
            value = "" if form.initial.get(name) is None else str(form.initial[name])
            data[form.add_prefix(name)] = value
            if field.show_hidden_initial:
                data[form.add_initial_prefix(name)] = value
        data.update(
            {form.add_prefix(k): v for k, v in changes.get(form.initial["rep"], {}).items()}
        )
    return data


def test_the_quota_form_of_a_closed_month_says_its_figures_will_not_change(
    client, merger, rep, ops_user, edited_after_may_froze
):
    client.force_login(ops_user)
    page = client.get(reverse("tracker:quotas"), {"period": "2026-05"})
    assert page.context["grid"]
    assert (
        "is closed: its frozen quota and attainment will not change" in page.context["closed_note"]
    )
    assert page.context["closed_note"] in page.content.decode()

    saved = client.post(
        reverse("tracker:quotas"),
        _grid_post(page, "2026-05", {rep.pk: {"cross_sell_amount": "20000"}}),
        follow=True,
    )

    notes = [str(message) for message in saved.context["messages"]]
    assert "1 quota saved." in notes
    assert page.context["closed_note"] in notes
    assert Quota.objects.get(rep=rep, period_start=MAY).cross_sell_amount == Decimal("20000")
    # The closed month's figures are the frozen ones still.
    board = saved.context["board"]
    assert (board.total.cross_sell_quota, board.total.attainment) == (
        Decimal("10000.00"),
        Decimal("0.5"),
    )


def test_an_open_month_has_no_closed_note_and_a_quarter_names_its_closed_months(
    client, merger, ops_user, edited_after_may_froze
):
    client.force_login(ops_user)
    june = client.get(reverse("tracker:quotas"), {"period": "2026-06"})
    assert june.context["closed_note"] == ""

    quarter = client.get(reverse("tracker:quotas"), {"period": "2026-Q2"})

    note = quarter.context["closed_note"]
    assert note.startswith("May 2026 is closed") and "only in the period's open months" in note


def test_a_frozen_win_without_a_live_one_has_no_sales_cycle_rather_than_zero_days(
    merger, rep, other_rep, edited_after_may_froze
):
    """The snapshot keeps no sales cycle: with none of the rep's frozen wins still theirs
    today, the cycle is not measured, not 0 days (nor a velocity from it)."""
    Opportunity.objects.filter(pk=edited_after_may_froze.pk).update(owner=other_rep)

    rows = {
        row.key: row.figures
        for row in pipeline_metrics(merger=merger, by=Dimension.REP, month=MAY)
    }

    assert rows[str(rep.pk)].won_count == 1
    assert rows[str(rep.pk)].cycle_days is None
    assert rows[str(rep.pk)].velocity is None
    # Where wins are still there today, their cycle stands for the frozen ones.
    assert rows[str(other_rep.pk)].cycle_days is None  # no frozen win of theirs
    program = pipeline_metrics(merger=merger, by=Dimension.PROGRAM, month=MAY)[0].figures
    assert program.cycle_days == Decimal("48.0")
