"""Sales ops imports both companies' account exports, reviews a doubtful match and confirms it."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import MatchCandidate, SourceAccount, UnifiedAccount
from tests.browser.helpers import login

pytestmark = pytest.mark.browser

# A Salesforce report export of the acquirer and a HubSpot export of the acquired
# company. "Müller Maschinenbau GmbH" in Munich and "Mueller Maschinenbau" in
# Stuttgart may be one customer or two: matching must ask a person.
SALESFORCE_EXPORT = """\
Account ID,Account Name,Website,Billing Country,Billing City,Industry,Type
001A000001,Müller Maschinenbau GmbH,,Germany,München,Machinery,Customer
001A000002,Nordlicht Logistik GmbH,https://www.nordlicht-logistik.de,Germany,Hamburg,Logistics,Customer
001A000003,Alpenblick Hotels AG,alpenblick-hotels.at,Austria,Innsbruck,Hospitality,Prospect
"""
HUBSPOT_EXPORT = """\
Record ID,Company name,Website URL,Country/Region,City,Industry,Lifecycle Stage
9001,Mueller Maschinenbau,,Germany,Stuttgart,Machinery,customer
9002,Nordlicht Logistik,nordlicht-logistik.de,Germany,Hamburg,Logistics,customer
9003,Seeblick Bäckerei,,Germany,Konstanz,Food,lead
"""


def upload_accounts(page, *, company: str, path, profile: str) -> None:
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Imports").click()
    expect(page.get_by_role("heading", name="Import CRM data")).to_be_visible()
    page.get_by_label("Legacy company").select_option(label=company)
    page.get_by_label("Kind of data").select_option(label="Accounts")
    page.get_by_label("File", exact=True).set_input_files(path)
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name=f"Preview of {path.name}")).to_be_visible()
    expect(page.get_by_text(f"Recognised as: {profile}")).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts.locator("div", has_text="Rows").locator("dd")).to_have_text("3")
    expect(facts.locator("div", has_text="New records").locator("dd")).to_have_text("3")
    expect(facts.locator("div", has_text="Problems").locator("dd")).to_have_text("0")
    page.get_by_role("button", name="Import 3 rows").click()

    expect(page.get_by_role("heading", name=f"Import of {path.name}")).to_be_visible()
    expect(page.locator("[data-job-label]")).to_have_text("Imported")
    expect(page.locator("[data-job-message]")).to_contain_text("3 rows imported: 3 new")
    expect(page.locator("dl.facts div", has_text="New records").locator("dd")).to_have_text("3")


def test_sales_ops_imports_both_exports_and_confirms_a_doubtful_match(
    page, tmp_path, merger, acquirer, acquired, ops_user
):
    salesforce = tmp_path / "sensa-accounts.csv"
    salesforce.write_text(SALESFORCE_EXPORT, encoding="utf-8")
    hubspot = tmp_path / "predikt-companies.csv"
    hubspot.write_text(HUBSPOT_EXPORT, encoding="utf-8")

    login(page, "ops")
    upload_accounts(
        page, company="Sensa Instruments", path=salesforce, profile="Salesforce report export"
    )
    upload_accounts(page, company="Predikt Analytics", path=hubspot, profile="HubSpot export")

    # The import queued matching: the same Nordlicht joined automatically, the
    # two Müllers wait for a person.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Matching").click()
    expect(page.get_by_role("heading", name="Matches to review")).to_be_visible()
    expect(page.get_by_text("1 pair waits for a decision")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Müller Maschinenbau GmbH"))
    expect(row).to_contain_text("Mueller Maschinenbau")
    expect(row).to_contain_text("München")
    expect(row).to_contain_text("Stuttgart")
    row.get_by_role("link", name="Review").click()

    expect(page.get_by_role("heading", name="Are these one customer?")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Score \d+ of 100 · Waiting for review"))).to_be_visible()
    city = page.get_by_role("row", name=re.compile("^City"))
    expect(city).to_contain_text("München")
    expect(city).to_contain_text("Stuttgart")
    expect(city).to_contain_text("Different")
    page.get_by_label("Note (optional)").fill("Same owner; the Stuttgart plant bills separately")
    page.get_by_role("button", name="Confirm: one customer").click()

    confirmed = "Match confirmed: both records now belong to one account."
    expect(page.get_by_text(confirmed)).to_be_visible()
    expect(page.get_by_text("No pair waits for review.")).to_be_visible()

    # One unified account now holds both CRM records.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Accounts").click()
    page.get_by_label("Search name or domain").fill("Maschinenbau")
    page.get_by_role("button", name="Apply").click()
    accounts = page.locator("table tbody tr")
    expect(accounts).to_have_count(1)
    expect(accounts.first).to_contain_text("Customer of both")
    accounts.first.get_by_role("link").first.click()
    records = page.locator("section[aria-labelledby='source-records'] tbody tr")
    expect(records).to_have_count(2)
    expect(records.filter(has_text="001A000001")).to_contain_text("Sensa Instruments")
    expect(records.filter(has_text="9001")).to_contain_text("Predikt Analytics")

    mueller = SourceAccount.objects.get(company=acquired, crm_id="9001")
    muller = SourceAccount.objects.get(company=acquirer, crm_id="001A000001")
    assert mueller.unified_id == muller.unified_id is not None
    doubtful = MatchCandidate.objects.get(merger=merger, left=muller, right=mueller)
    assert doubtful.status == MatchCandidate.Status.CONFIRMED
    # Müller, Nordlicht, Alpenblick and Seeblick: six records, four customers.
    assert UnifiedAccount.objects.filter(merger=merger).count() == 4
