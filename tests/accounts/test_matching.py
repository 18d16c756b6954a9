"""The matching engine as pure functions: no database."""

from pathlib import Path

import pytest

from accounts.matching import blocking
from accounts.matching.engine import (
    DEFAULT_AUTO_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    Outcome,
    match_records,
)
from accounts.matching.evaluation import evaluate_labelled, load_labelled_pairs
from accounts.matching.normalize import (
    normalize_domain,
    normalize_duns,
    normalize_lei,
    normalize_name,
    normalize_vat,
    split_name,
    transliterate,
)
from accounts.matching.scoring import Method, make_record, reason_text, score_pair
from devtools.bench.matching import generate_crms, run_benchmark

CASES = Path(__file__).parent / "data" / "match_cases.csv"


def record(id=1, company_id=1, **fields):
    return make_record(id=id, company_id=company_id, **{"name": "", **fields})


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("The Acme Corp.", "acme"),
        ("ACME Corporation", "acme"),
        ("Acme GmbH & Co. KG", "acme"),
        ("Nestlé S.A.", "nestle"),
        ("Ferrovia Adriatica S.p.A.", "ferrovia adriatica"),
        ("Tessuti Bellini S.r.l.", "tessuti bellini"),
        ("Philips B.V.", "philips"),
        ("Kowalski Transport Sp. z o.o.", "kowalski transport"),
        ("Grupo Bimbo, S.A.B. de C.V.", "group bimbo"),
        ("Smith & Co.", "smith"),
        ("Int'l Business Machines Corp", "international business machines"),
        ("Acme Mfg. Co., Ltd.", "acme manufacturing"),
        ("Quantix Tech", "quantix technologies"),
        ("Summit Facility Svcs LLC", "summit facility services"),
        ("Amazon.com, Inc.", "amazon"),
        ("Procter & Gamble", "procter and gamble"),
        ("Müller und Söhne GmbH", "muller and sohne"),
        ("Łódź Ceramika", "lodz ceramika"),
        ("PT Astra Niaga Tbk", "astra niaga"),
    ],
)
def test_names_lose_case_accents_punctuation_abbreviations_and_legal_forms(raw, normalized):
    assert normalize_name(raw) == normalized


def test_cyrillic_letters_are_kept_and_cyrillic_legal_forms_are_removed():
    assert normalize_name("ООО «Ромашка»") == "ромашка"
    assert normalize_name("АО Газпром нефть") == "газпром нефть"
    assert normalize_name("Северсталь ПАО") == "северсталь"
    # The breve of "й" is part of the letter, not an accent to strip.
    assert normalize_name("Йошкар-Ола Ltd") == "йошкар ола"


def test_chinese_and_japanese_legal_forms_are_removed_and_the_characters_kept():
    assert normalize_name("华为技术有限公司") == "华为技术"
    assert normalize_name("深圳星河科技股份有限公司") == "深圳星河科技"
    assert normalize_name("杭州云帆有限责任公司") == "杭州云帆"
    assert normalize_name("株式会社ヤマト精機") == "ヤマト精機"
    assert normalize_name("ヤマト精機株式会社") == "ヤマト精機"


def test_the_legal_form_is_kept_apart_from_the_core_name():
    parts = split_name("Acme GmbH & Co. KG")
    assert (parts.core, parts.legal_form) == ("acme", "gmbh and company kg")


def test_a_name_that_is_only_a_legal_form_keeps_a_word():
    assert normalize_name("Company Ltd") == "company"


def test_cyrillic_transliterates_for_comparison_with_latin_spellings():
    assert transliterate("газпром нефть") == "gazprom neft"


@pytest.mark.parametrize(
    ("raw", "domain"),
    [
        ("https://www.Acme.com/en/contact?x=1", "acme.com"),
        ("mail@acme.co.uk", "acme.co.uk"),
        ("mailto:j.doe@marlowe-legal.co.uk", "marlowe-legal.co.uk"),
        ("acme.com:8080", "acme.com"),
        ("http://shop.acme.com", "acme.com"),
        ("WWW.ACME.DE.", "acme.de"),
        ("xn--mller-kva.de", "müller.de"),
        ("acme", ""),
        ("192.168.0.1", ""),
        ("", ""),
    ],
)
def test_domains_lose_scheme_www_paths_ports_and_mailbox(raw, domain):
    assert normalize_domain(raw) == domain


@pytest.mark.parametrize(
    "free",
    ["john@gmail.com", "x@outlook.com", "y@yahoo.com", "z@qq.com", "w@mail.ru", "v@163.com"],
)
def test_free_mail_domains_are_never_a_company_domain(free):
    assert normalize_domain(free) == ""


def test_shared_hosting_and_social_pages_are_never_a_company_domain():
    assert normalize_domain("https://acme.wixsite.com/home") == ""
    assert normalize_domain("https://www.facebook.com/acme") == ""


def test_registration_numbers_take_one_canonical_form():
    assert normalize_duns("15-048-3782") == "150483782"
    assert normalize_duns("50483782") == "050483782"  # a lost leading zero
    assert normalize_duns("123456789-0001") == "123456789"  # DUNS+4
    assert normalize_duns("12345") == ""
    assert normalize_vat("de 123 456 789") == "DE123456789"
    assert normalize_vat("123456789", "GR") == "EL123456789"
    assert normalize_lei("5493001KJTIIGC8Y1R12") == "5493001KJTIIGC8Y1R12"
    assert normalize_lei("5493001KJTIIGC8Y1R13") == ""  # check digits wrong


def test_same_registration_number_matches_whatever_the_names_say():
    result = score_pair(
        record(name="Vantage Point Retail", duns="150483782"),
        record(id=2, company_id=2, name="VPR Stores Inc", duns="15-048-3782"),
    )
    assert result.score >= 99
    assert result.method == Method.REGISTRATION_ID


def test_conflicting_vat_numbers_keep_equal_names_out_of_automatic_matching():
    result = score_pair(
        record(name="Bluestone Ltd", vat="GB123456789", country="GB"),
        record(id=2, company_id=2, name="Bluestone Limited", vat="GB555666777", country="GB"),
    )
    assert result.score < DEFAULT_AUTO_THRESHOLD
    assert "registration_conflict" in [reason.code for reason in result.reasons]


def test_same_company_domain_is_strong_evidence():
    result = score_pair(
        record(name="Marlowe Legal LLP", website="marlowe-legal.co.uk"),
        record(id=2, company_id=2, name="Marlowe Solicitors", website="info@marlowe-legal.co.uk"),
    )
    assert result.method == Method.DOMAIN
    assert result.score >= DEFAULT_REVIEW_THRESHOLD


def test_shared_free_mail_is_no_evidence():
    result = score_pair(
        record(name="Joe's Bakery", website="joe@gmail.com"),
        record(id=2, company_id=2, name="Maria's Florist", website="maria@gmail.com"),
    )
    assert result.score < DEFAULT_REVIEW_THRESHOLD


def test_a_different_distinctive_word_keeps_similar_names_apart():
    result = score_pair(
        record(name="Metro Cleaning Services", country="GB", city="London"),
        record(id=2, company_id=2, name="Metro Catering Services", country="GB", city="London"),
    )
    assert result.score < DEFAULT_AUTO_THRESHOLD
    assert "word_mismatch" in [reason.code for reason in result.reasons]


def test_a_typo_alone_goes_to_review_and_a_confirming_city_makes_it_automatic():
    alone = score_pair(
        record(name="Schneider Electric", country="FR"),
        record(id=2, company_id=2, name="Schnieder Electric", country="FR"),
    )
    with_city = score_pair(
        record(name="Schneider Electric", country="FR", city="Paris"),
        record(id=2, company_id=2, name="Schnieder Electric", country="FR", city="Paris"),
    )
    assert DEFAULT_REVIEW_THRESHOLD <= alone.score < DEFAULT_AUTO_THRESHOLD
    assert with_city.score >= DEFAULT_AUTO_THRESHOLD


def test_cyrillic_and_latin_spellings_of_one_name_match():
    result = score_pair(
        record(name="ООО Ромашка", country="RU"),
        record(id=2, company_id=2, name="Romashka LLC", country="RU"),
    )
    assert result.score >= DEFAULT_AUTO_THRESHOLD
    assert result.reasons[0].code == "name_transliterated"


def test_different_numbers_in_names_are_negative_evidence():
    result = score_pair(
        record(name="Studio 54", country="US"), record(id=2, company_id=2, name="Studio 45")
    )
    assert result.score < DEFAULT_REVIEW_THRESHOLD


def test_reasons_read_as_sentences_and_survive_storage():
    result = score_pair(
        record(name="Acme Corp", website="acme.com", country="US"),
        record(id=2, company_id=2, name="ACME Corporation", website="www.acme.com", country="US"),
    )
    texts = [reason.text for reason in result.reasons]
    assert "Same website domain acme.com" in texts
    assert [reason_text(reason.as_dict()) for reason in result.reasons] == texts


def test_blocking_pairs_only_records_of_different_companies():
    records = [
        record(id=1, company_id=1, name="Acme Widgets"),
        record(id=2, company_id=1, name="Acme Widgets Inc"),
        record(id=3, company_id=2, name="Acme Widgets Ltd"),
    ]
    pairs = blocking.candidate_pairs(records, min_similarity=60)
    assert pairs == {(0, 2), (1, 2)}


def test_blocking_finds_typos_acronyms_and_shared_domains():
    records = [
        record(id=1, company_id=1, name="Oldro Motors"),
        record(id=2, company_id=2, name="Oldor Motors"),
        record(id=3, company_id=1, name="IBM"),
        record(id=4, company_id=2, name="International Business Machines"),
        record(id=5, company_id=1, name="Alphabet", website="abc.xyz"),
        record(id=6, company_id=2, name="Google", website="https://abc.xyz/"),
    ]
    pairs = blocking.candidate_pairs(records, min_similarity=60)
    assert {(0, 1), (2, 3), (4, 5)} <= pairs


def test_blocking_skips_words_too_common_to_say_anything(monkeypatch):
    monkeypatch.setattr(blocking, "WORD_KEY_MAX_RECORDS", 3)
    records = [record(id=i, company_id=1 + i % 2, name=f"Brand{i} Logistics") for i in range(8)]
    stats = blocking.BlockingStats()
    blocking.candidate_pairs(records, min_similarity=0, stats=stats)
    assert stats.comparisons < 16  # not every left record against every right one


def test_engine_sends_equally_good_records_of_one_company_to_review():
    left = [record(id=1, company_id=1, name="Acme Widgets", city="Austin", country="US")]
    right = [
        record(id=2, company_id=2, name="Acme Widgets Inc", city="Austin", country="US"),
        record(id=3, company_id=2, name="ACME Widgets LLC", city="Austin", country="US"),
    ]
    decisions = match_records(left, right)
    # A CRM duplicate or two companies of one name: which one is for a person to say.
    assert not [d for d in decisions if d.outcome == Outcome.AUTO_MATCH]
    review = [(d.left_id, d.right_id) for d in decisions if d.outcome == Outcome.REVIEW]
    assert sorted(review) == [(1, 2), (1, 3)]  # oriented with the acquirer's record first
    assert {d.left_id for d in decisions if d.outcome == Outcome.NEW_ACCOUNT} == {1, 2, 3}


def test_engine_tells_two_companies_of_one_name_apart_by_their_legal_forms():
    left = [
        record(id=1, company_id=1, name="Blue Owl Capital Corporation"),
        record(id=2, company_id=1, name="Blue Owl Capital Inc."),
        record(id=3, company_id=1, name="Acme Widgets"),
    ]
    right = [
        record(id=4, company_id=2, name="BLUE OWL CAPITAL CORP"),
        record(id=5, company_id=2, name="BLUE OWL CAPITAL INC."),
        record(id=6, company_id=2, name="ACME WIDGETS INC"),
        record(id=7, company_id=2, name="ACME WIDGETS LLC"),
    ]
    decisions = match_records(left, right)
    auto = {(d.left_id, d.right_id) for d in decisions if d.outcome == Outcome.AUTO_MATCH}
    assert auto == {(1, 4), (2, 5)}
    # Without a legal form of its own, the record could be either: a person says.
    review = {(d.left_id, d.right_id) for d in decisions if d.outcome == Outcome.REVIEW}
    assert {(3, 6), (3, 7)} <= review


def test_engine_matches_each_record_at_most_once_per_company():
    left = [record(id=1, company_id=1, name="Carnival", city="Miami", country="US")]
    right = [
        record(id=2, company_id=2, name="CARNIVAL CORP", city="Miami", country="US"),
        record(id=3, company_id=2, name="Carnival Cruise Line Services"),
    ]
    decisions = match_records(left, right)
    auto = [(d.left_id, d.right_id) for d in decisions if d.outcome == Outcome.AUTO_MATCH]
    assert auto == [(1, 2)]
    # The weaker record of the same company is no rival, and no suggestion either.
    assert not [d for d in decisions if d.outcome == Outcome.REVIEW]


def test_engine_never_proposes_a_rejected_pair_again():
    left = [record(id=1, company_id=1, name="Acme Widgets")]
    right = [record(id=2, company_id=2, name="Acme Widgets Inc")]
    decisions = match_records(left, right, excluded_pairs={frozenset((1, 2))})
    assert {d.outcome for d in decisions} == {Outcome.NEW_ACCOUNT}


def test_engine_groups_records_of_three_companies_into_one_account():
    records = [
        record(id=1, company_id=1, name="Kestrel Analytics Ltd", website="kestrel.io"),
        record(id=2, company_id=2, name="Kestrel Analytics", website="www.kestrel.io"),
        record(id=3, company_id=3, name="KESTREL ANALYTICS LIMITED", website="kestrel.io"),
    ]
    decisions = match_records(records[:1], records[1:])
    groups = {d.group for d in decisions if d.outcome == Outcome.AUTO_MATCH}
    assert groups == {1}


def test_thresholds_must_be_in_order():
    with pytest.raises(ValueError):
        match_records([], [], auto_threshold=60, review_threshold=80)


def test_labelled_hard_cases_reach_precision_and_recall_floors():
    pairs = load_labelled_pairs(CASES)
    metrics = evaluate_labelled(
        pairs, auto_threshold=DEFAULT_AUTO_THRESHOLD, review_threshold=DEFAULT_REVIEW_THRESHOLD
    )
    assert len(pairs) >= 150
    assert metrics.true_pairs >= 60 and metrics.pairs - metrics.true_pairs >= 60
    assert metrics.auto_precision >= 0.95
    assert metrics.surfaced_recall >= 0.9
    assert metrics.auto_recall >= 0.75


def test_synthetic_crms_are_deterministic_and_overlap_as_asked():
    first = generate_crms(size=200, overlap=0.3, seed=3)
    second = generate_crms(size=200, overlap=0.3, seed=3)
    assert first.left == second.left and first.right == second.right
    assert len(first.left) == len(first.right) == 200
    assert len(first.truth) == 60


def test_benchmark_reports_time_precision_and_recall_on_a_small_run():
    result = run_benchmark(size=2_000, labelled_path=CASES)
    assert result.auto_precision >= 0.97
    assert result.surfaced_recall >= 0.97
    assert result.labelled["pairs"] >= 150
    assert result.seconds_total > 0


def test_engine_lets_new_records_join_a_settled_group_but_never_joins_two():
    settled = [
        record(id=1, company_id=1, name="Acme Widgets", website="acme.com"),
        record(id=2, company_id=2, name="Acme Widgets Inc", website="acme.com"),
        record(id=3, company_id=1, name="Acme Widgets Ltd", website="acme.com"),
    ]
    newcomer = record(id=4, company_id=3, name="ACME WIDGETS", website="www.acme.com")
    decisions = match_records(
        [settled[0], settled[2]], [settled[1], newcomer], fixed_groups={1: 10, 2: 10, 3: 11}
    )
    auto = [(d.left_id, d.right_id) for d in decisions if d.outcome == Outcome.AUTO_MATCH]
    assert len(auto) == 1 and 4 in auto[0]
    # Records a person decided about are not compared again.
    assert all({d.left_id, d.right_id} - {1, 2, 3} for d in decisions if d.right_id)


def test_different_brands_in_one_city_with_one_legal_form_do_not_reach_review():
    score = score_pair(
        record(name="Liberty Water Treatment S.A.S.", country="CO", city="Bogotá"),
        record(
            id=2, company_id=2, name="Bauer Water Treatment S.A.S.", country="CO", city="Bogotá"
        ),
    )
    assert score.score < DEFAULT_REVIEW_THRESHOLD
