from decimal import Decimal

from tracker.compensation import PlanTerms, estimated_payout, plan_warnings

BALANCED = PlanTerms(
    target_variable_pay=Decimal("60000"),
    cross_sell_share_pct=Decimal("20"),
    spif_kind="flat",
    spif_amount=Decimal("500"),
)


def test_payout_pays_cross_sell_share_by_attainment_plus_spif():
    payout = estimated_payout(
        BALANCED, credited_won=Decimal("15000"), won_count=2, cross_sell_quota=Decimal("10000")
    )
    # 60,000 x 20% / 12 months = 1,000 at target; 150% attainment; two SPIFs of 500.
    assert payout.cross_sell_variable == Decimal("1500.00")
    assert payout.spif == Decimal("1000.00")
    assert payout.total == Decimal("2500.00")


def test_payout_attainment_is_capped():
    payout = estimated_payout(
        BALANCED, credited_won=Decimal("90000"), won_count=0, cross_sell_quota=Decimal("10000")
    )
    assert payout.cross_sell_variable == Decimal("2000.00")


def test_percent_spif_pays_share_of_won_amount():
    plan = PlanTerms(
        target_variable_pay=Decimal("0"),
        cross_sell_share_pct=Decimal("0"),
        spif_kind="percent",
        spif_percent=Decimal("3"),
    )
    payout = estimated_payout(
        plan, credited_won=Decimal("10000"), won_count=1, cross_sell_quota=Decimal("0")
    )
    assert payout.spif == Decimal("300.00")


def test_balanced_plan_has_no_warnings():
    assert plan_warnings(BALANCED, typical_cross_sell_deal=Decimal("20000")) == []


def test_spif_only_plan_is_flagged():
    plan = PlanTerms(
        target_variable_pay=Decimal("60000"),
        cross_sell_share_pct=Decimal("0"),
        spif_kind="flat",
        spif_amount=Decimal("2000"),
    )
    warnings = plan_warnings(plan, typical_cross_sell_deal=Decimal("20000"))
    assert any("only by a SPIF" in warning for warning in warnings)


def test_spif_too_small_to_move_attainment_is_flagged():
    plan = PlanTerms(
        target_variable_pay=Decimal("120000"),
        cross_sell_share_pct=Decimal("20"),
        spif_kind="flat",
        spif_amount=Decimal("100"),
    )
    warnings = plan_warnings(plan, typical_cross_sell_deal=Decimal("20000"))
    assert any("too small" in warning for warning in warnings)


def test_leaders_paid_differently_from_reps_is_flagged():
    warnings = plan_warnings(
        BALANCED,
        typical_cross_sell_deal=Decimal("20000"),
        leader_cross_sell_share_pct=Decimal("0"),
    )
    assert any("Leaders" in warning for warning in warnings)
