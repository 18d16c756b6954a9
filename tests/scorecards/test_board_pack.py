"""The board pack's executive sections: risks and asks come from the data (no database)."""

from decimal import Decimal

from scorecards.selectors.board_pack import risk_rows


def test_risks_name_segments_behind_target_a_stale_pipeline_and_each_weakest_c():
    rows = risk_rows(
        segments=[
            {"segment": "Mining", "gap_pct": Decimal("0.40")},
            {"segment": "Retail", "gap_pct": Decimal("0.05")},  # close enough to target
            {"segment": "Food", "gap_pct": None},  # no target due yet
        ],
        scores=[
            {"segment": "Mining", "complementarity": Decimal("4.00"), "capacity": Decimal("2.00")},
            {"segment": "Retail", "complementarity": Decimal("4.50"), "capacity": Decimal("3.50")},
            {"segment": "Food"},  # not scored: no finding
        ],
        open_count=100,
        stale_count=30,
    )

    found = [(str(kind), subject, figure) for kind, subject, _finding, figure, _ask in rows]
    assert found == [
        ("Behind target", "Mining", Decimal("0.40")),
        ("Stale pipeline", "Program", Decimal("0.3")),
        ("Weakest C", "Mining", None),
    ]
    assert "Capacity scores 2.00 of 5." in rows[2][2]


def test_a_healthy_program_has_no_risk_row():
    assert (
        risk_rows(
            segments=[{"segment": "Mining", "gap_pct": Decimal("-0.1")}],
            scores=[{"segment": "Mining", "capacity": Decimal("4.0")}],
            open_count=10,
            stale_count=1,
        )
        == []
    )
