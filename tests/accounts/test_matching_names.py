"""Name evidence weighed by rarity, and the real-name sets it is measured on."""

import pytest

from accounts.matching.engine import DEFAULT_AUTO_THRESHOLD as AUTO
from accounts.matching.engine import DEFAULT_REVIEW_THRESHOLD as REVIEW
from accounts.matching.frequency import stats_of
from accounts.matching.normalize import normalize_name, split_name
from accounts.matching.scoring import Method, make_record, reason_text, score_pair
from devtools.bench.realnames import baseline_matches, real_name_set, real_names_benchmark


def records(*names, company_id=2):
    return [make_record(id=i + 10, company_id=company_id, name=n) for i, n in enumerate(names)]


def score(left, right, *others):
    a, b = make_record(id=1, company_id=1, name=left), make_record(id=2, company_id=2, name=right)
    return score_pair(a, b, stats_of([a, b, *records(*others, company_id=3)]))


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("HORTON D R INC /DE/", "horton dr"),
        ("WELLS FARGO & COMPANY/MN", "wells fargo"),
        ("VERTEX PHARMACEUTICALS INC / MA", "vertex pharmaceuticals"),
        ("KEYCORP /NEW/", "keycorp"),
        ("Midea Group Co., Ltd./ADR", "midea group"),
        ("Alphabet Inc. (Class A)", "alphabet"),
        ("Coca-Cola Company (The)", "coca cola"),
        ("ZIONS BANCORPORATION, NATIONAL ASSOCIATION /UT/", "zions bancorporation"),
        ("Hexatronic Group AB (publ)", "hexatronic group"),
        ("Enel Società per Azioni", "enel"),
        ("SMITH A O CORP", "smith ao"),
        ("Maersk A/S", "maersk"),
        # A registry's flag after a slash, where a legal form or a space comes before it.
        ("ATS Corp /ATS", "ats"),
        ("Alight, Inc. / Delaware", "alight"),
        ("CANADIAN PACIFIC KANSAS CITY LTD/CN", "canadian pacific kansas city"),
        ("FLOTEK INDUSTRIES INC/CN/", "flotek industries"),
        # A stock list's notes on the security, not on the company.
        ("Nomura Holdings Inc ADR", "nomura holdings"),
        ("UBS Group AG Registered", "ubs group"),
        ("Klaviyo, Inc. Series A", "klaviyo"),
        ("Gildan Activewear, Inc. Class A Sub. Vot.", "gildan activewear"),
        ("Noble Corporation plc A", "noble"),
        ("Rayonier Inc. REIT", "rayonier"),
        ("First BanCorp. New", "first bancorp"),
        # A name written twice in one field, and "doing business as".
        ("Ternium S.A. Ternium S.A.", "ternium"),
        ("D/B/A Centerspace", "centerspace"),
        # A plant or site after the name.
        ("Titan Industries GmbH - Duisburg plant", "titan industries"),
        ("Brookside Energy Services plc - Birmingham site", "brookside energy services"),
        # Generic words in the seeds' other languages.
        ("Banco Bradesco Sa", "bank bradesco"),
        ("ING GROEP NV", "ing group"),
        ("Ultrapar Participacoes S.A.", "ultrapar holdings"),
    ],
)
def test_registry_suffixes_share_classes_and_legal_forms_are_dropped(raw, normalized):
    assert normalize_name(raw) == normalized


@pytest.mark.parametrize(
    ("long", "short"),
    [
        ("Deutsche Bank Aktiengesellschaft", "Deutsche Bank AG"),
        ("Brenner Generation Aktiebolag", "Brenner Generation AB"),
        ("Moretti Steel Holdings Proprietary Limited", "Moretti Steel Holdings Pty Ltd"),
        ("The Stirling Metals Kabushiki Kaisha", "Stirling Metals KK"),
        ("Kruger Power Public Limited Company", "Kruger Power plc"),
        ("Acme Gesellschaft mit beschränkter Haftung", "Acme GmbH"),
        ("Philips Naamloze Vennootschap", "Philips N.V."),
    ],
)
def test_legal_forms_written_in_full_are_the_same_legal_form(long, short):
    assert split_name(long).core == split_name(short).core
    assert split_name(long).legal_form == split_name(short).legal_form


@pytest.mark.parametrize(
    ("slipped", "spelled"),
    [
        ("Cobalt Brewing Corporatioon", "Cobalt Brewing Corp."),
        ("Kruger Power Public Limitde Company", "Kruger Power plc"),
        ("Rhein Logistics Holdings Proprietary Lmiited", "Rhein Logistics Holdings Pty Ltd"),
        ("Westbrook Tooling Aktiengeselschaft", "Westbrook Tooling AG"),
        ("Riverbend Bakeries Gropu", "Riverbend Bakeries Group"),
    ],
)
def test_a_slip_in_a_legal_form_or_generic_word_at_the_end_is_that_word(slipped, spelled):
    assert normalize_name(slipped) == normalize_name(spelled)


def test_a_word_in_front_that_is_a_slip_of_a_legal_form_is_kept():
    # Only the end of a name is read for legal forms: a brand stays a brand.
    assert normalize_name("Limitless Corp") == "limitless"
    assert normalize_name("Compony Kitchens") == "compony kitchens"
    assert normalize_name("Acme Industrial") != normalize_name("Acme Industries")


def test_a_note_in_brackets_is_left_out_as_easily_as_group():
    noted = score("Civeo Corporation (Canada)", "Civeo Corp")
    plain = score("Civeo Canada Corporation", "Civeo Corp")
    assert noted.score >= AUTO > plain.score
    assert score("Lilly (Eli)", "LILLY ELI & CO").score >= AUTO  # a note may still agree
    assert split_name("Riverbend Bakeries (Baton Rouge)").notes == "baton rouge"


def test_the_same_domain_name_in_another_country_is_not_the_same_customer():
    def record(id, company, name, website, country):
        return make_record(id=id, company_id=company, name=name, website=website, country=country)

    home = record(1, 1, "Orion Water Services Holdings S.A.", "orion-water.com", "CL")
    abroad = record(2, 2, "Orion Water S.A.", "orion-water.com.br", "BR")
    local = record(3, 2, "Orion Water S.A.", "orion-water.cl", "")
    stats = stats_of([home, abroad, local])
    across = score_pair(home, abroad, stats)
    assert across.score < AUTO
    assert "domain_label_other_country" in [r.code for r in across.reasons]
    assert "domain_label_match" in [r.code for r in score_pair(home, local, stats).reasons]


def test_a_descriptive_word_left_out_costs_by_the_word_not_by_this_merger():
    # "Treatment" fills many of this merger's names, yet naming the industry is
    # not something one company's records leave out as they do "systems".
    fillers = [f"Brand{i} Water Treatment" for i in range(80)]
    treatment = score("Marchetti Water", "Marchetti Water Treatment", *fillers)
    systems = score("Marchetti Water", "Marchetti Water Systems", *fillers)
    assert treatment.score < systems.score


def test_a_rare_word_nearly_decides_and_a_common_one_barely_counts():
    fillers = [f"Brand{i} Energy" for i in range(60)]
    rare = score("Entergy", "ENTERGY CORP /DE/", *fillers)
    common = score("Apex Energy", "Summit Energy", *fillers)
    assert rare.score >= AUTO and rare.method == Method.EXACT_NAME
    assert common.score < REVIEW


def test_the_same_name_as_several_other_records_is_weaker_evidence():
    alone = score("Carnival", "CARNIVAL CORP")
    crowded = score("Carnival", "CARNIVAL CORP", *["Carnival"] * 8)
    assert crowded.score < alone.score
    assert crowded.reasons[0].code == "name_exact_common"


def test_a_brand_matches_its_legal_name_with_a_descriptive_word_more():
    result = score("Cisco", "CISCO SYSTEMS, INC.", *[f"Brand{i} Systems" for i in range(80)])
    assert result.score >= AUTO
    assert result.method == Method.NAME_WORDS
    assert [r.code for r in result.reasons] == ["name_words_unique", "name_extra_words"]


def test_a_rare_word_left_out_costs_more_than_a_descriptive_one():
    fillers = [f"Brand{i} Systems" for i in range(80)]
    descriptive = score("Cisco", "Cisco Systems", *fillers)
    rare = score("Costco", "COSTCO WHOLESALE CORP /NEW", *fillers)
    assert rare.score < descriptive.score
    assert REVIEW <= rare.score < AUTO


def test_a_word_in_front_makes_another_company():
    assert score("Veldun Brewing", "Liberty Veldun Brewing").score < REVIEW


def test_distinctive_words_on_both_sides_keep_a_pair_out_of_review():
    assert score("Apollo Global Management", "Abacus Global Management").score < REVIEW


def test_inverted_personal_names_of_a_registry_match():
    assert score("D. R. Horton", "HORTON D R INC /DE/").score >= AUTO
    assert score("A. O. Smith", "SMITH A O CORP").score >= AUTO


def test_acronyms_and_words_written_together_are_counterparts():
    bny = score("BNY Mellon", "Bank of New York Mellon Corp")
    supermicro = score("Supermicro", "Super Micro Computer, Inc.")
    assert bny.score >= REVIEW and "name_acronym_word" in [r.code for r in bny.reasons]
    assert supermicro.score >= REVIEW and "name_joined" in [r.code for r in supermicro.reasons]


def test_explanations_read_as_sentences_and_add_up_to_the_score():
    result = score("Costco", "COSTCO WHOLESALE CORP /NEW")
    texts = [reason_text(reason.as_dict()) for reason in result.reasons]
    assert texts[0] == 'Both names have "costco", and no other record does'
    assert texts[1] == 'Only costco wholesale has "wholesale"'
    assert sum(reason.points for reason in result.reasons) == pytest.approx(result.score, abs=0.2)


def test_real_name_sets_hold_real_pairs_with_their_truth():
    sp500, nyse, nasdaq = (real_name_set(name) for name in ("sp500", "nyse", "nasdaq"))
    left, right = sp500.names()
    assert len(sp500.truth) >= 500 and len(nyse.truth) >= 500 and len(nasdaq.truth) >= 500
    # One company is in one set only: the held-out set shares none with the others.
    accounts = {s.name: {record for _, record in s.truth} for s in (sp500, nyse, nasdaq)}
    assert not accounts["nasdaq"] & (accounts["sp500"] | accounts["nyse"])
    assert len(right) > 8_000 and len(left) > len(sp500.truth)
    names = dict(left) | dict(right)
    assert all(account in names and record in names for account, record in sp500.truth)


def test_the_baseline_takes_the_best_name_at_95_or_more():
    left = [("a", "Acme Corp"), ("b", "Zenith Widgets")]
    right = [("1", "ACME CORPORATION"), ("2", "Zenith Gadgets")]
    assert baseline_matches(left, right) == {("a", "1")}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["sp500", "nyse"])
def test_real_names_imported_and_matched_reach_the_issues_floors(name):
    result = real_names_benchmark(name)
    assert result.auto_precision >= 0.995
    assert result.auto_recall >= 0.95
    assert result.surfaced_recall >= 0.98
    assert result.review_share <= 0.10
    assert result.auto_recall >= result.baseline_recall + 0.05
