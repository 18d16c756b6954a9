"""Which segment an account belongs to: by hand, from the CRM records, from the rules."""

from decimal import Decimal

from accounts.segmenting import (
    BY_ACQUIRER,
    BY_REVENUE,
    CRM,
    MANUAL,
    NONE,
    RULE,
    Profile,
    SegmentRule,
    SourceRecord,
    decide,
    ordered,
    profile_of,
    rule_choice,
)

EMEA = frozenset({"DE", "FR", "GB"})
CHEMICALS_ENTERPRISE_EMEA = SegmentRule(
    segment_id=1,
    name="Chemicals, enterprise, EMEA",
    industry="Chemicals",
    min_employees=5000,
    max_employees=None,
    has_size_band=True,
    countries=EMEA,
)
CHEMICALS = SegmentRule(segment_id=2, name="Chemicals", industry="Chemicals")
EMEA_MID = SegmentRule(
    segment_id=3,
    name="EMEA mid-market",
    min_employees=500,
    max_employees=4999,
    has_size_band=True,
    countries=EMEA,
)
RULES = [CHEMICALS_ENTERPRISE_EMEA, CHEMICALS, EMEA_MID]


def a(record_id=1, segment_id=None, revenue="0", **fields) -> SourceRecord:
    return SourceRecord(record_id, "acquirer", segment_id, Decimal(revenue), **fields)


def b(record_id=2, segment_id=None, revenue="0", **fields) -> SourceRecord:
    return SourceRecord(record_id, "acquired", segment_id, Decimal(revenue), **fields)


def decided(records, *, source=NONE, segment=None, country="", rule=BY_ACQUIRER, rules=RULES):
    return decide(
        current_segment_id=segment,
        current_source=source,
        records=records,
        own_country=country,
        rules=rules,
        conflict_rule=rule,
    )


def test_a_segment_assigned_by_hand_is_kept_whatever_the_crm_says():
    decision = decided([a(segment_id=7)], source=MANUAL, segment=9)
    assert (decision.segment_id, decision.source) == (9, MANUAL)
    # By hand may also mean "in no segment".
    assert decided([a(segment_id=7)], source=MANUAL, segment=None).segment_id is None


def test_the_crm_segment_comes_before_the_rules():
    records = [a(segment_id=7, industry="Chemicals")]
    decision = decided(records)
    assert (decision.segment_id, decision.source, decision.record_id) == (7, CRM, 1)


def test_when_the_crms_disagree_the_acquirers_record_decides_by_default():
    records = [b(segment_id=8, revenue="900000"), a(segment_id=7, revenue="1000")]
    assert decided(records).segment_id == 7
    assert decided(records, rule=BY_REVENUE).segment_id == 8


def test_a_revenue_tie_goes_to_the_acquirer():
    records = [b(segment_id=8, revenue="500"), a(segment_id=7, revenue="500")]
    assert decided(records, rule=BY_REVENUE).segment_id == 7


def test_a_record_without_a_segment_leaves_the_decision_to_the_other():
    records = [a(segment_id=None, revenue="900000"), b(segment_id=8)]
    assert decided(records).segment_id == 8


def test_two_records_of_one_company_go_by_revenue_then_age():
    assert [r.record_id for r in ordered([a(3, revenue="5"), a(1, revenue="9")], BY_ACQUIRER)] == [
        1,
        3,
    ]
    assert [r.record_id for r in ordered([a(3), a(1)], BY_ACQUIRER)] == [1, 3]


def test_without_a_crm_segment_the_most_specific_matching_rule_decides():
    records = [a(industry="chemicals ", employees=12000, country="DE")]
    decision = decided(records)
    assert (decision.segment_id, decision.source) == (1, RULE)
    assert decision.rule == CHEMICALS_ENTERPRISE_EMEA
    # Outside EMEA only the industry-only rule is left.
    assert decided([a(industry="Chemicals", employees=12000, country="US")]).segment_id == 2


def test_size_bands_include_both_ends():
    assert rule_choice(Profile("Food", 500, "FR"), RULES) == EMEA_MID
    assert rule_choice(Profile("Food", 4999, "FR"), RULES) == EMEA_MID
    assert rule_choice(Profile("Food", 5000, "FR"), RULES) is None
    assert rule_choice(Profile("Food", None, "FR"), RULES) is None


def test_equally_specific_rules_go_by_name():
    first = SegmentRule(segment_id=5, name="Alpha", industry="Food")
    second = SegmentRule(segment_id=4, name="Beta", industry="Food")
    assert rule_choice(Profile("Food"), [second, first]) == first


def test_a_segment_without_criteria_is_no_rule():
    assert rule_choice(Profile("Food", 10, "FR"), [SegmentRule(segment_id=6, name="All")]) is None


def test_no_crm_segment_and_no_rule_means_no_segment():
    decision = decided([a(industry="Logistics", employees=10, country="BR")])
    assert (decision.segment_id, decision.source) == (None, NONE)


def test_the_profile_takes_each_value_from_the_first_preferred_record_that_has_it():
    records = ordered(
        [b(industry="Mining", employees=800, country="CL"), a(industry="", employees=None)],
        BY_ACQUIRER,
    )
    assert profile_of(records) == Profile("Mining", 800, "CL")
    assert profile_of(records, own_country="PE").country == "PE"


def test_an_account_without_records_is_judged_by_its_own_country():
    decision = decided([], country="FR", rules=[SegmentRule(9, "EMEA", countries=EMEA)])
    assert (decision.segment_id, decision.source) == (9, RULE)
