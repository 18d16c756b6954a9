"""A quota written through the API or a file import for a period with closed months says,
as the quota form does, that their frozen quota and attainment will not change."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tracker.frozen_notes import closed_months_note
from tracker.quota_math import QUARTER, Period
from tracker.services.snapshots import snapshot_freeze

APRIL, MAY, JUNE = date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)
HEADER = "rep,period,core,cross_sell\n"


@pytest.fixture
def may_closed(merger, rep):
    quota = factories.QuotaFactory(rep=rep, period_start=MAY, cross_sell_amount=Decimal("10000"))
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    return quota


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("quotas.csv", text.encode(), content_type="text/csv")


def test_a_quota_written_for_a_closed_month_says_its_figures_will_not_change(
    ops_user, rep, other_rep, may_closed
):
    api = _api(ops_user)
    changed = api.patch(
        f"/api/v1/quotas/{may_closed.pk}/",
        {"cross_sell_amount": "12000", "version": may_closed.version},
        format="json",
    ).json()
    assert changed["cross_sell_amount"] == "12000.00"  # kept in the quota's history
    assert changed["closed_months"] == ["2026-05"]
    assert changed["closed_note"] == closed_months_note(Period(MAY), [MAY])
    assert changed["closed_note"].startswith("May 2026 is closed: its frozen quota")

    body = {"core_amount": "0", "cross_sell_amount": "9000", "period_kind": "month"}
    june = api.post("/api/v1/quotas/", {**body, "rep": rep.pk, "period_start": "2026-06-01"})
    assert june.status_code == 201
    assert (june.json()["closed_months"], june.json()["closed_note"]) == ([], "")

    quarter = api.post(
        "/api/v1/quotas/",
        {**body, "rep": other_rep.pk, "period_kind": "quarter", "period_start": "2026-04-01"},
    ).json()
    assert quarter["closed_months"] == ["2026-05"]
    assert quarter["closed_note"] == closed_months_note(Period(APRIL, QUARTER), [MAY])
    assert "counts only in the period's open months" in quarter["closed_note"]


def test_a_file_setting_a_closed_month_says_so_checked_or_imported(
    client, merger, ops_user, rep, may_closed
):
    note = closed_months_note(Period(MAY), [MAY])
    api = _api(ops_user)
    rows = HEADER + "rep,2026-05,0,12000\nrep,2026-06,0,9000\n"
    for dry_run in (True, False):
        answer = api.post(
            "/api/v1/quotas/import/",
            {"merger": merger.pk, "file": _upload(rows), "dry_run": dry_run},
            format="multipart",
        ).json()
        assert (answer["updated"], answer["created"]) == (1, 1)
        assert answer["closed_notes"] == [note]

    # Setting the closed month to what it holds already changes nothing: no note.
    again = api.post(
        "/api/v1/quotas/import/",
        {"merger": merger.pk, "file": _upload(HEADER + "rep,2026-05,0,12000\n")},
        format="multipart",
    ).json()
    assert (again["unchanged"], again["closed_notes"]) == (1, [])

    client.force_login(ops_user)
    page = client.post(
        reverse("tracker:quota_import"),
        {"file": _upload(HEADER + "rep,2026-05,0,13000\n"), "action": "import"},
    )
    assert page.status_code == 302
    [message] = [str(message) for message in get_messages(page.wsgi_request)]
    assert message.startswith("Quotas imported: 0 new, 1 changed") and message.endswith(note)
