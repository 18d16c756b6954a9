"""A customer the CRM flags but the install base does not hold counts as one figure everywhere.

The overlap page, its API and the dashboard's overlap chart read one status of the
month open today. Such an account is known as a customer from when its flag was first
imported: the months before that are not measured, never a guessed status.
"""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.imports.columns import ACCOUNTS
from accounts.models import SourceAccount, UnifiedAccount
from accounts.selectors.overlap import overlap_counts
from accounts.services.imports import import_job_create, import_preview, import_run
from accounts.services.matching import accounts_match
from accounts.services.refresh import merger_analysis_refresh
from scorecards.reconcile.derived import check_overlap_over_time_ends_at_todays_statuses
from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from scorecards.views.dashboard_overlap import drilldown_urls
from tests import factories
from tracker.services.snapshots import snapshot_freeze

# Salesforce account reports name the CRM's customer flag "Type".
ACQUIRER_REPORT = (
    '"Account Name","Account ID","Website","Billing Country","Type"\n'
    '"Kestrel Optics","001A","https://kestrel.example","Germany","Customer - Direct"\n'
    '"Osprey Labs","001B","https://osprey.example","Germany","Customer"\n'
    '"Heron Metrics","001C","https://heron.example","Germany","Prospect"\n'
)
ACQUIRED_REPORT = (
    '"Account Name","Account ID","Website","Billing Country","Type"\n'
    '"Kestrel Optics","002A","https://kestrel.example","Germany","Prospect"\n'
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _import(merger, company, content):
    job = import_job_create(
        merger=merger,
        company=company,
        kind=ACCOUNTS,
        uploaded_file=SimpleUploadedFile("report.csv", content.encode()),
        actor=None,
    )
    assert import_preview(job=job).can_import
    return import_run(job_id=job.pk)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def program(merger, acquirer, acquired, today):
    """Kestrel: flagged by the acquirer's CRM, bought from the acquired company (dated);
    Osprey: flagged by the acquirer's CRM, nothing in the install base; Heron: a prospect."""
    merger.day_one = today.replace(day=1) - relativedelta(months=4)
    merger.save()
    _import(merger, acquirer, ACQUIRER_REPORT)
    _import(merger, acquired, ACQUIRED_REPORT)
    accounts_match(merger=merger)
    kestrel = SourceAccount.objects.get(company=acquired, crm_id="002A")
    factories.HoldingFactory(
        account=kestrel,
        product=factories.ProductFactory(company=acquired),
        since=merger.day_one + dt.timedelta(days=40),
    )
    merger_analysis_refresh(merger_id=merger.pk, notify=False)
    return merger


def _dashboard(merger, today):
    where = DashboardFilter(month=today.replace(day=1))
    return program_dashboard(merger=merger, where=where, today=today).overlap


def test_the_fixture_is_what_the_imports_make(program):
    statuses = dict(UnifiedAccount.objects.values_list("name", "status"))
    assert statuses == {
        "Kestrel Optics": "both",
        "Osprey Labs": "acquirer_only",
        "Heron Metrics": "prospect",
    }
    holders = SourceAccount.objects.filter(holdings__isnull=False)
    assert list(holders.values_list("crm_id", flat=True)) == ["002A"]


def test_the_month_open_today_counts_as_the_overlap_page_and_its_api(
    program, today, executive_user, client
):
    page = overlap_counts(merger=program)
    chart = _dashboard(program, today)["counts"]

    assert {status: chart[status][-1] for status in page} == page
    api = APIClient()
    api.force_authenticate(executive_user)
    listed = api.get("/api/v1/overlap/", {"merger": program.pk}).data
    dashboard = api.get(
        "/api/v1/dashboard/", {"merger": program.pk, "month": f"{today:%Y-%m}"}
    ).data
    assert {status: listed["counts"][status] for status in page} == page
    assert {status: dashboard["overlap"]["counts"][status][-1] for status in page} == page
    client.force_login(executive_user)
    response = client.get(reverse("accounts:overlap"))
    assert response.status_code == 200, response.status_code
    over_time = response.context["over_time"]
    assert over_time["both_last"] == page["both"] == 1


def test_months_before_the_flag_was_first_imported_are_not_measured(program, today):
    overlap = _dashboard(program, today)

    # Kestrel and Osprey: customers of the acquirer by a flag first seen this month.
    assert overlap["counts"]["not_measured"] == [2, 2, 2, 2, 0]
    assert overlap["counts"]["prospect"] == [1, 1, 1, 1, 1]
    # The first import is where their status starts being measured, no change of status.
    assert all(not any(values) for values in overlap["transitions"].values())


def test_a_flag_is_dated_by_its_first_import_or_the_re_import_that_turned_it_on(
    program, acquirer, today
):
    first_import = program.day_one + dt.timedelta(days=10)
    SourceAccount.objects.filter(company=acquirer).update(
        created_at=timezone.make_aware(dt.datetime.combine(first_import, dt.time(12)))
    )
    # Heron turns customer in the acquirer's CRM; the re-import records the change.
    _import(program, acquirer, ACQUIRER_REPORT.replace('"Prospect"', '"Customer"'))
    merger_analysis_refresh(merger_id=program.pk, notify=False)

    dated = {
        name: (since, measured)
        for name, since, measured in UnifiedAccount.objects.values_list(
            "name", "acquirer_customer_since", "status_measured_from"
        )
    }
    assert dated == {
        "Kestrel Optics": (first_import, first_import),
        "Osprey Labs": (first_import, first_import),
        "Heron Metrics": (today, today),
    }
    overlap = _dashboard(program, today)
    assert len(overlap["months"]) == 5
    assert overlap["counts"]["not_measured"] == [1, 1, 1, 1, 0]
    assert overlap["counts"]["acquirer_only"] == [2, 1, 1, 1, 2]
    assert overlap["counts"]["both"] == [0, 1, 1, 1, 1]
    # Kestrel bought from the acquired company after its flag was seen: a measured change.
    assert overlap["transitions"]["acquirer_only_to_both"] == [0, 1, 0, 0, 0]
    assert overlap["transitions"]["new_acquirer_only"] == [0, 0, 0, 0, 0]


def test_a_closed_month_keeps_what_its_freeze_counted(program, acquirer, today):
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    snapshot_freeze(merger_id=program.pk, month=last_month)
    _import(program, acquirer, ACQUIRER_REPORT.replace('"Prospect"', '"Customer"'))
    merger_analysis_refresh(merger_id=program.pk, notify=False)

    overlap = _dashboard(program, today)

    assert overlap["today"]["not_measured"][-2] == 3
    assert overlap["counts"]["not_measured"][-2] == 2
    assert overlap["counts"]["prospect"][-2] == 1


def test_each_not_measured_count_lists_its_accounts(program, today, executive_user, client):
    overlap = _dashboard(program, today)
    client.force_login(executive_user)

    first, *_, last = drilldown_urls(overlap)["not_measured"]
    listed = client.get(first).content.decode()
    assert "Kestrel Optics" in listed and "Osprey Labs" in listed
    assert "Heron Metrics" not in listed
    # Nothing is unmeasured at the end of the month open today.
    assert "Osprey Labs" not in client.get(last).content.decode()


def test_reconcile_says_where_the_chart_and_the_page_disagree(program):
    assert list(check_overlap_over_time_ends_at_todays_statuses(program, [])) == []
    # Osprey dated as the chart dated customers before: by holdings alone.
    osprey = UnifiedAccount.objects.get(name="Osprey Labs")
    UnifiedAccount.objects.filter(pk=osprey.pk).update(
        acquirer_customer_since=None, status_measured_from=None
    )

    [mismatch] = check_overlap_over_time_ends_at_todays_statuses(program, [])

    assert mismatch.records == [osprey.pk]


def test_a_holding_dated_after_today_counts_on_the_chart_as_on_the_page(program, acquired, today):
    """An install scheduled ahead: the page counts a customer; the chart's month agrees."""
    heron = SourceAccount.objects.get(crm_id="001C")
    factories.HoldingFactory(
        account=heron,
        product=factories.ProductFactory(company=heron.company),
        since=today + dt.timedelta(days=45),
    )
    merger_analysis_refresh(merger_id=program.pk, notify=False)

    assert UnifiedAccount.objects.get(name="Heron Metrics").acquirer_customer_since == today
    assert list(check_overlap_over_time_ends_at_todays_statuses(program, [])) == []
