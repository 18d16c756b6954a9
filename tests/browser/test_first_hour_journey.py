"""A customer's first hour, from an empty installation to a scorecard, in the app alone.

The only thing done on the command line is what an installation does once:
`createsuperuser`. That administrator creates the sales-ops login in the app;
sales ops sets their password through the one-time link, creates the program,
defines the segments, imports both companies' raw CRM exports (Salesforce and
HubSpot, as the CRMs write them), confirms the doubtful match, maps products,
imports the sales organisation, adds stages, sets targets, and reads the
whitespace and the six-C scorecard. The journey is timed (a person has 15
minutes for it) and leaves a screenshot of every step in test-artifacts.
"""

import re
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Merger, UnifiedAccount, WhitespaceCell
from scorecards.reconcile import program_reconcile
from tests.browser.conftest import SCREENSHOTS, journey_times
from tests.browser.data import first_of_month
from tests.browser.helpers import expect_chart_drawn, login
from tracker.models import Rep, Stage, SynergyTarget, Team

pytestmark = pytest.mark.browser

# The raw exports, as Salesforce and HubSpot write them (see exports/README.md).
EXPORTS = Path(__file__).parent / "exports"
ROOT_PASSWORD = "installation-admin-2026"
OPS_PASSWORD = "Cross-sell plan 2026!"


class Steps:
    """Numbered full-page screenshots of the journey, kept as CI artifacts."""

    def __init__(self, page) -> None:
        self.page, self.number = page, 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.number += 1
        path = SCREENSHOTS / f"first-hour-{self.number:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)


def nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Sections").get_by_role("link", name=name).click()


def setup_page(page, name: str) -> None:
    nav(page, "Setup")
    page.get_by_role("navigation", name="Setup pages").get_by_role("link", name=name).click()


def checklist_step(page, step: str, action: str) -> None:
    """From the program's home, the checklist's link of one step."""
    page.get_by_role("link", name="Cross-sell tracker").click()
    page.locator(".checklist__step").filter(has_text=step).get_by_role("link", name=action).click()


def upload(page, steps, *, company: str, kind: str, path, profile: str, rows: int) -> None:
    nav(page, "Imports")
    page.get_by_label("Legacy company").select_option(label=company)
    page.get_by_label("Kind of data").select_option(label=kind)
    page.get_by_label("File", exact=True).set_input_files(path)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name=f"Preview of {path.name}")).to_be_visible()
    expect(page.get_by_text(f"Recognised as: {profile}")).to_be_visible()
    expect(page.locator("dl.facts div", has_text="Problems").locator("dd")).to_have_text("0")
    steps.shot(f"preview-{path.stem}")
    page.get_by_role("button", name=f"Import {rows} rows").click()
    expect(page.locator("[data-job-label]")).to_have_text("Imported")


def test_from_two_raw_crm_exports_to_a_scorecard(page, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", ROOT_PASSWORD)
    call_command("createsuperuser", interactive=False, username="root", email="root@example.com")
    day_one = first_of_month(timezone.localdate(), 6)
    steps = Steps(page)
    started = time.monotonic()

    # The administrator creates the sales-ops login and copies its one-time link.
    login(page, "root", ROOT_PASSWORD)
    expect(page.get_by_role("heading", name="No program yet")).to_be_visible()
    steps.shot("administrator-without-program")
    page.get_by_role("link", name="People and logins").click()
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Nair")
    page.get_by_label("E-mail", exact=True).fill("priya.nair@sensa.example")
    page.get_by_label("Username").fill("priya")
    page.get_by_label("Sales ops").check()
    page.get_by_role("button", name="Create the login").click()
    expect(page.get_by_role("heading", name="Set-password link for Priya Nair")).to_be_visible()
    steps.shot("set-password-link")
    link = page.get_by_label("Link").input_value()
    page.get_by_role("button", name="Log out").click()

    # Sales ops chooses a password and signs in.
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(OPS_PASSWORD)
    page.get_by_label("New password confirmation").fill(OPS_PASSWORD)
    steps.shot("choose-password")
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_text("Your password is set. Sign in as priya.")).to_be_visible()
    login(page, "priya", OPS_PASSWORD)

    # The program and its companies.
    page.get_by_role("link", name="Set up a program").click()
    page.get_by_role("group", name="The program").get_by_label("Name", exact=True).fill(
        "Sensa + Predikt"
    )
    page.get_by_label("Day 1").fill(day_one.isoformat())
    page.get_by_label("Reporting currency").fill("EUR")
    acquirer = page.get_by_role("group", name="Acquirer")
    acquirer.get_by_label("Name", exact=True).fill("Sensa Instruments")
    acquirer.get_by_label("Short name").fill("Sensa")
    acquirer.get_by_label("CRM").select_option(label="Salesforce")
    acquired = page.get_by_role("group", name="Acquired company", exact=True)
    acquired.get_by_label("Name", exact=True).fill("Predikt Analytics")
    acquired.get_by_label("Short name").fill("Predikt")
    acquired.get_by_label("CRM").select_option(label="HubSpot")
    steps.shot("create-program")
    page.get_by_role("button", name="Create the program").click()
    expect(page.get_by_role("heading", name="Set up the program")).to_be_visible()
    expect(page.get_by_text("Next: Import each company's accounts.")).to_be_visible()
    steps.shot("checklist-start")

    # Segments first: the Salesforce report names them in its Segment column.
    checklist_step(page, "Define segments", "Segments")
    for name, industry in (
        ("Mining & metals", "Mining"),
        ("Utilities", "Utilities"),
        ("Logistics", "Logistics"),
        ("Manufacturing", "Machinery"),
    ):
        page.get_by_role("link", name="Add a segment").click()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Industry").fill(industry)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("row", name=re.compile(f"^{re.escape(name)}"))).to_be_visible()
    steps.shot("segments")

    # Both companies' raw exports: accounts, products, install base.
    files = {path.name: path for path in EXPORTS.glob("*.csv")}
    sensa, predikt = "Sensa Instruments", "Predikt Analytics"
    report, hubspot = "Salesforce report export", "HubSpot export"
    for company, kind, name, profile, rows in (
        (sensa, "Accounts", "sensa-accounts-report.csv", report, 7),
        (predikt, "Accounts", "hubspot-crm-exports-all-companies.csv", hubspot, 6),
        (sensa, "Products", "sensa-products-report.csv", report, 2),
        (predikt, "Products", "hubspot-crm-exports-all-products.csv", hubspot, 2),
        (sensa, "Install base", "sensa-assets-report.csv", report, 6),
        (predikt, "Install base", "hubspot-crm-exports-all-line-items.csv", hubspot, 3),
    ):
        upload(
            page, steps, company=company, kind=kind, path=files[name], profile=profile, rows=rows
        )

    # Matching joined the same websites; the two Müllers wait for a person.
    nav(page, "Matching")
    expect(page.get_by_text("1 pair waits for a decision")).to_be_visible()
    steps.shot("matching")
    page.get_by_role("row", name=re.compile("Müller Maschinenbau GmbH")).get_by_role(
        "link", name="Review"
    ).click()
    page.get_by_role("button", name="Confirm: one customer").click()
    expect(page.get_by_text("No pair waits for review.")).to_be_visible()

    # The product map: what owners of one product are candidates for.
    checklist_step(page, "Map products", "Product map")
    for source, target, reason in (
        (
            "Vibration sensors (Sensa)",
            "Predictive maintenance (Predikt)",
            "Sensor data feeds the failure predictions",
        ),
        (
            "Edge gateway (Sensa)",
            "Energy analytics (Predikt)",
            "The gateway streams the meter data",
        ),
    ):
        page.get_by_role("link", name="Add a pair").click()
        page.get_by_label("Owners of").select_option(label=source)
        page.get_by_label("are candidates for").select_option(label=target)
        page.get_by_label("Reason").fill(reason)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text(reason)).to_be_visible()
    steps.shot("product-map")

    # The sales organisation from HR's files, and the usual stages.
    setup_page(page, "People")
    page.get_by_role("link", name="Import teams and reps").click()
    page.get_by_label("Teams file (CSV or Excel)").set_input_files(files["teams.csv"])
    page.get_by_label("Reps file (CSV or Excel)").set_input_files(files["reps.csv"])
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name="What the files would change")).to_be_visible()
    steps.shot("org-import-check")
    page.get_by_label("Teams file (CSV or Excel)").set_input_files(files["teams.csv"])
    page.get_by_label("Reps file (CSV or Excel)").set_input_files(files["reps.csv"])
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Dana Whitfield"))).to_contain_text(
        "Mining & energy"
    )
    steps.shot("people")
    # The accountable cross-sell leader came with the teams file.
    setup_page(page, "Program")
    page.get_by_label("Accountable cross-sell leader").select_option(
        label="Marta Silva (marta.silva@sensa.example)"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Program settings saved.")).to_be_visible()
    setup_page(page, "Stages")
    page.get_by_role("button", name="Add the usual stages").click()
    expect(page.get_by_role("row", name=re.compile("Closed won"))).to_be_visible()

    # Targets: the deal model's cross-sell promise for the first months.
    setup_page(page, "Targets")
    for offset, amount in ((0, "40000"), (1, "45000"), (2, "50000")):
        month = first_of_month(day_one, -offset)
        if month.year != day_one.year:
            break
        page.get_by_label(f"Program, {month:%B %Y}").fill(amount)
    page.get_by_label(f"Mining & metals, {day_one:%B %Y}").fill("25000")
    steps.shot("targets-grid")
    page.get_by_role("button", name="Save targets").click()
    expect(page.get_by_text(re.compile(r"\d targets saved"))).to_be_visible()
    expect(page.get_by_role("heading", name="History")).to_be_visible()

    # Back home: the checklist follows the data.
    page.get_by_role("link", name="Cross-sell tracker").click()
    # One step left (quotas, for the leaders): the checklist is folded; open it.
    expect(page.get_by_text("Next: Set quotas.")).to_be_visible()
    page.get_by_text("Set up the program").click()
    for step in (
        "Import each company's accounts",
        "Match the accounts",
        "Map products",
        "Define segments",
        "Set the synergy targets",
    ):
        expect(page.locator(".checklist__step--done").filter(has_text=step)).to_be_visible()
    steps.shot("checklist-progress")

    # The whitespace and the first scorecard.
    nav(page, "Whitespace")
    expect(page.get_by_role("heading", name="Whitespace", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Nordlicht Logistik"))).to_contain_text(
        "Cross-sell"
    )
    steps.shot("whitespace")
    nav(page, "Scorecards")
    expect(page.get_by_role("heading", name="Cross-sell scorecard")).to_be_visible()
    expect_chart_drawn(page, "scorecard-heatmap")
    six_cs = page.locator(".six-c-table")
    expect(six_cs.get_by_role("row", name=re.compile("^Mining & metals"))).to_be_visible()
    steps.shot("scorecard")
    elapsed = time.monotonic() - started
    report = f"first-hour journey: {elapsed:.1f} s in the browser (a person has 15 minutes)"
    print(f"\n{report}")
    journey_times.append(report)

    merger = Merger.objects.get()
    assert merger.reporting_currency == "EUR" and merger.day_one == day_one
    assert merger.accountable_leader.email == "marta.silva@sensa.example"
    # Acme, Borealis and Nordlicht share a website, the Müllers were confirmed: 13 records,
    # 9 customers.
    assert UnifiedAccount.objects.filter(merger=merger).count() == 9
    assert UnifiedAccount.objects.filter(merger=merger, segment__isnull=True).count() == 2
    assert WhitespaceCell.objects.filter(merger=merger).exists()
    assert Team.objects.filter(merger=merger).count() == 2
    assert Rep.objects.filter(merger=merger).count() == 2
    assert Stage.objects.filter(merger=merger).count() == 6
    assert SynergyTarget.objects.filter(merger=merger, segment__isnull=True).exists()
    # Built from raw CRM files through the pages, its figures agree with its records.
    reconciled = program_reconcile(merger=merger)
    print(f"\n{merger}: {len(reconciled.checks)} checks, {len(reconciled.mismatches)} mismatches")
    assert reconciled.ok, "\n".join(str(mismatch) for mismatch in reconciled.mismatches)
    assert elapsed < 240
