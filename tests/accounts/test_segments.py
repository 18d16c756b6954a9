"""Segments reach the unified accounts: from the CRM files, the rules, or by hand."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.imports.columns import ACCOUNTS
from accounts.models import (
    Merger,
    Region,
    Segment,
    SizeBand,
    SourceAccount,
    UnifiedAccount,
    WhitespaceCell,
)
from accounts.selectors.segments import segment_preview, segment_rules
from accounts.services.account_segments import account_segments_refresh
from accounts.services.imports import import_job_create, import_preview, import_run
from accounts.services.mergers import merger_update
from accounts.services.refresh import merger_analysis_refresh
from accounts.services.segments import (
    account_segment_assign,
    account_segment_release,
    region_save,
    size_band_save,
)
from tests import factories
from tests.accounts.install_base import record

Source = UnifiedAccount.SegmentSource

ACQUIRER_EXPORT = (
    "crm_id,name,website,segment,industry,employees,country,revenue_current\n"
    "A1,Acme Corp,acme.com,Utilities,Power,900,US,1000\n"
    "A2,Borealis Mining,borealis.com,Mining,Mining,300,CL,5000\n"
    "A3,Carbo Chemie,carbo.de,,Chemicals,8000,DE,7000\n"
    "A4,Tiny Logistics,tiny.com,,Logistics,12,BR,100\n"
)
# Acme again: the acquired company files it under Mining, and earns far more from it.
ACQUIRED_EXPORT = (
    "crm_id,name,website,segment,industry,employees,country,revenue_current\n"
    "B1,ACME Corporation,acme.com,Mining,Power,900,US,900000\n"
    "B2,Delta Water,delta.com,utilities,Water,450,FR,2000\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def segments(merger):
    """Two segments the CRMs name, and one the rules fill: chemicals, enterprise, EMEA."""
    SizeBand.objects.create(merger=merger, name="Enterprise", min_employees=5000)
    Region.objects.create(merger=merger, name="EMEA", countries="DE FR GB")
    return {
        "utilities": factories.SegmentFactory(merger=merger, name="Utilities"),
        "mining": factories.SegmentFactory(merger=merger, name="Mining"),
        "chemicals": factories.SegmentFactory(
            merger=merger,
            name="Chemicals, enterprise, EMEA",
            industry="Chemicals",
            size_band="Enterprise",
            region="EMEA",
        ),
    }


def _import(merger, company, content: str, capture) -> None:
    job = import_job_create(
        merger=merger,
        company=company,
        kind=ACCOUNTS,
        uploaded_file=SimpleUploadedFile("export.csv", content.encode()),
        actor=None,
    )
    preview = import_preview(job=job)
    assert preview.can_import, [str(p) for p in preview.problems] + preview.mapping_problems
    # The import queues matching, matching queues the analysis refresh: run them all.
    with capture(execute=True):
        import_run(job_id=job.pk)


def _unified(crm_id: str) -> UnifiedAccount:
    return SourceAccount.objects.select_related("unified__segment").get(crm_id=crm_id).unified


def test_a_program_built_from_raw_crm_exports_gets_segmented_accounts(
    merger, acquirer, acquired, segments, django_capture_on_commit_callbacks
):
    _import(merger, acquirer, ACQUIRER_EXPORT, django_capture_on_commit_callbacks)
    _import(merger, acquired, ACQUIRED_EXPORT, django_capture_on_commit_callbacks)

    acme = _unified("A1")
    assert _unified("B1") == acme
    # The CRMs disagree; by default the acquirer's record decides.
    assert (acme.segment, acme.segment_source) == (segments["utilities"], Source.CRM)
    assert (_unified("A2").segment, _unified("A2").segment_source) == (
        segments["mining"],
        Source.CRM,
    )
    assert _unified("B2").segment == segments["utilities"]
    # No CRM segment: the rule of industry x size band x region places it.
    assert (_unified("A3").segment, _unified("A3").segment_source) == (
        segments["chemicals"],
        Source.RULE,
    )
    assert (_unified("A4").segment, _unified("A4").segment_source) == (None, Source.NONE)

    # The program's rule changes: the record with the higher revenue now decides.
    with django_capture_on_commit_callbacks(execute=True):
        merger_update(
            merger=Merger.objects.get(pk=merger.pk),
            actor=None,
            segment_conflict_rule=Merger.SegmentConflictRule.REVENUE,
        )
    assert _unified("A1").segment == segments["mining"]


def test_the_refresh_is_idempotent_and_keeps_segments_assigned_by_hand(
    merger, acquirer, acquired, segments, ops_user
):
    placed = factories.UnifiedAccountFactory(merger=merger)
    record(placed, acquirer, segment=segments["mining"])
    by_hand = factories.UnifiedAccountFactory(merger=merger)
    record(by_hand, acquirer, segment=segments["mining"])
    account_segment_assign(actor=ops_user, account=by_hand, segment=segments["utilities"])

    assert account_segments_refresh(merger_id=merger.pk) == 1
    assert account_segments_refresh(merger_id=merger.pk) == 0
    by_hand.refresh_from_db()
    assert (by_hand.segment, by_hand.segment_source) == (segments["utilities"], Source.MANUAL)

    account_segment_release(actor=ops_user, account=by_hand)
    by_hand.refresh_from_db()
    assert (by_hand.segment, by_hand.segment_source) == (segments["mining"], Source.CRM)


def test_a_crm_segment_removed_upstream_falls_back_to_the_rules(merger, acquirer, segments):
    account = factories.UnifiedAccountFactory(merger=merger)
    source = record(
        account,
        acquirer,
        segment=segments["mining"],
        industry="Chemicals",
        employees=6000,
        country="FR",
    )
    account_segments_refresh(merger_id=merger.pk)
    SourceAccount.objects.filter(pk=source.pk).update(segment=None)
    account_segments_refresh(merger_id=merger.pk)
    account.refresh_from_db()
    assert (account.segment, account.segment_source) == (segments["chemicals"], Source.RULE)


def test_a_segment_naming_an_undefined_size_band_is_no_rule(merger, segments):
    factories.SegmentFactory(merger=merger, name="Small EMEA", size_band="Small", region="EMEA")
    rules = segment_rules(merger_id=merger.pk)
    assert [r.name for r in rules.rules] == ["Chemicals, enterprise, EMEA"]
    [problem] = rules.problems
    assert problem.segment.name == "Small EMEA"
    assert "'Small' is not defined" in problem.message


def test_the_whitespace_follows_a_segment_change_but_opportunities_keep_theirs(
    merger, acquirer, acquired, segments, rep, django_capture_on_commit_callbacks
):
    sensor = factories.ProductFactory(company=acquirer)
    analytics = factories.ProductFactory(company=acquired)
    factories.ProductMappingFactory(merger=merger, source=sensor, target=analytics)
    account = factories.UnifiedAccountFactory(merger=merger)
    source = record(account, acquirer, sensor, segment=segments["mining"])
    merger_analysis_refresh(merger_id=merger.pk, notify=False)
    assert WhitespaceCell.objects.get(account=account).segment == segments["mining"]
    # A deal on another product: an open deal's own pair is never whitespace.
    logged = factories.OpportunityFactory(
        merger=merger,
        account=account,
        owner=rep,
        product=factories.ProductFactory(company=acquired),
        segment=segments["mining"],
    )

    SourceAccount.objects.filter(pk=source.pk).update(segment=segments["utilities"])
    result = merger_analysis_refresh(merger_id=merger.pk, notify=False)

    assert result["segments_changed"] == 1
    assert WhitespaceCell.objects.get(account=account).segment == segments["utilities"]
    logged.refresh_from_db()
    assert logged.segment == segments["mining"]


def test_a_preview_counts_the_moves_and_writes_nothing(merger, acquirer, segments):
    account = factories.UnifiedAccountFactory(merger=merger)
    record(account, acquirer, industry="Chemicals", employees=9000, country="GB")
    preview = segment_preview(merger=merger)
    assert (preview.accounts, preview.changes) == (1, 1)
    assert preview.moves == {(None, segments["chemicals"].pk): 1}
    account.refresh_from_db()
    assert account.segment is None


def test_regions_store_normalised_country_codes(merger, ops_user):
    region = region_save(actor=ops_user, merger=merger, name="DACH", countries="de, at;CH de")
    assert region.countries == "AT CH DE"
    band = size_band_save(
        actor=ops_user, merger=merger, name="Mid", min_employees=500, max_employees=4999
    )
    assert str(band) == "Mid"


# Pages


URL = reverse("accounts:segments")


def test_every_reader_sees_the_segments_with_their_sources(client, rep_user, merger, segments):
    account = factories.UnifiedAccountFactory(merger=merger)
    record(account, factories.CompanyFactory(merger=merger, role="acquired"), industry="Chemicals")
    client.force_login(rep_user)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chemicals, enterprise, EMEA" in body
    assert "The acquirer&#x27;s CRM record decides" in body
    assert "Apply now" not in body
    assert client.post(URL, {"action": "apply"}).status_code == 403


def test_sales_ops_previews_then_applies(
    client, ops_user, merger, acquirer, segments, django_capture_on_commit_callbacks
):
    account = factories.UnifiedAccountFactory(merger=merger)
    record(account, acquirer, industry="Chemicals", employees=9000, country="DE")
    client.force_login(ops_user)
    preview = client.get(URL, {"preview": "1"})
    assert "Applying would change the segment of 1 of 1 accounts." in preview.content.decode()
    account.refresh_from_db()
    assert account.segment is None
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, {"action": "apply"}).status_code == 302
    account.refresh_from_db()
    assert (account.segment, account.segment_source) == (segments["chemicals"], Source.RULE)


def test_the_segments_page_query_count_does_not_grow_with_accounts(
    client, rep_user, merger, acquirer, segments
):
    client.force_login(rep_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"preview": "1"}).status_code == 200
        return len(captured)

    record(factories.UnifiedAccountFactory(merger=merger), acquirer, industry="Chemicals")
    few = queries()
    for _ in range(15):
        record(factories.UnifiedAccountFactory(merger=merger), acquirer, industry="Chemicals")
    assert queries() == few


def test_sales_ops_defines_size_bands_regions_and_segment_criteria(client, ops_user, merger):
    client.force_login(ops_user)
    new = reverse("accounts:segment_setting_create", args=["size-band"])
    assert (
        client.post(
            new, {"name": "Small", "min_employees": "0", "max_employees": "499"}
        ).status_code
        == 302
    )
    refused = client.post(new, {"name": "Small", "min_employees": "10"})
    assert "already exists" in str(refused.context["form"].errors)
    region = reverse("accounts:segment_setting_create", args=["region"])
    assert client.post(region, {"name": "LATAM", "countries": "br cl"}).status_code == 302
    assert Region.objects.get(name="LATAM").countries == "BR CL"
    bad = client.post(region, {"name": "Nowhere", "countries": "Brazil"})
    assert "countries" in bad.context["form"].errors
    segment = reverse("accounts:segment_setting_create", args=["segment"])
    response = client.post(
        segment,
        {"name": "Small LATAM", "industry": "", "size_band": "Small", "region": "LATAM"},
    )
    assert response.status_code == 302
    assert Segment.objects.get(name="Small LATAM").size_band == "Small"
    band = SizeBand.objects.get(name="Small")
    delete = reverse("accounts:segment_setting_delete", args=["size-band", band.pk])
    assert client.post(delete).status_code == 302
    assert not SizeBand.objects.filter(pk=band.pk).exists()


def test_a_rep_cannot_define_rules(client, rep_user, merger):
    client.force_login(rep_user)
    new = reverse("accounts:segment_setting_create", args=["region"])
    assert client.get(new).status_code == 403


def test_the_account_page_shows_both_crms_segments_and_the_rule_that_decided(
    client, rep_user, merger, acquirer, acquired, segments
):
    account = factories.UnifiedAccountFactory(merger=merger)
    record(account, acquirer, segment=segments["utilities"], revenue_current=Decimal(10))
    record(account, acquired, segment=segments["mining"], revenue_current=Decimal(99))
    account_segments_refresh(merger_id=merger.pk)
    client.force_login(rep_user)
    response = client.get(reverse("accounts:account_detail", args=[account.pk]))
    body = response.content.decode()
    origin = body[body.index("segment-origin") : body.index("source-records")]
    # The acquirer's record first, marked as the one that decides.
    assert origin.index("Sensa Instruments CRM: Utilities <strong>(decides)") < origin.index(
        "Predikt Analytics CRM: Mining"
    )
    assert "The CRMs disagree, and the program's rule settles it" in origin
    assert response.context["segment_form"] is None


def test_sales_ops_assigns_a_segment_by_hand_on_the_account_page(
    client, ops_user, merger, acquirer, segments, django_capture_on_commit_callbacks
):
    account = factories.UnifiedAccountFactory(merger=merger)
    record(account, acquirer, segment=segments["utilities"])
    account_segments_refresh(merger_id=merger.pk)
    client.force_login(ops_user)
    url = reverse("accounts:account_segment", args=[account.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "assign", "segment": segments["mining"].pk})
    account.refresh_from_db()
    assert (account.segment, account.segment_source) == (segments["mining"], Source.MANUAL)
    page = client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()
    assert "Assigned by hand by sales ops" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "release"})
    account.refresh_from_db()
    assert (account.segment, account.segment_source) == (segments["utilities"], Source.CRM)


def test_a_segment_set_through_the_api_is_one_assigned_by_hand(
    ops_user, merger, acquirer, segments
):
    account = factories.UnifiedAccountFactory(merger=merger)
    record(account, acquirer, segment=segments["utilities"])
    account_segments_refresh(merger_id=merger.pk)
    api = APIClient()
    api.force_authenticate(ops_user)
    response = api.patch(
        f"/api/v1/accounts/{account.pk}/", {"segment": segments["mining"].pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["segment_source"] == "manual"
    assert account_segments_refresh(merger_id=merger.pk) == 0
    account.refresh_from_db()
    assert account.segment == segments["mining"]
