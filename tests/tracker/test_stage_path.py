"""The stage path: where a deal stands and where one click moves it (no database)."""

from tracker.stage_path import PathStage, StepState, next_stage, stage_path

STAGES = [
    PathStage(4, "Won", 90, "won"),
    PathStage(1, "Identified", 10, "open"),
    PathStage(5, "Lost", 95, "lost"),
    PathStage(2, "Proposal", 20, "open"),
    PathStage(3, "Negotiation", 30, "open"),
]


def _states(steps):
    return [(step.stage.name, step.state, step.one_click, step.is_next) for step in steps]


def test_an_open_deal_moves_to_any_open_stage_or_won_in_one_click_and_lost_through_the_form():
    assert _states(stage_path(STAGES, current_id=2)) == [
        ("Identified", StepState.DONE, True, False),
        ("Proposal", StepState.CURRENT, False, False),
        ("Negotiation", StepState.AHEAD, True, True),
        ("Won", StepState.AHEAD, True, False),
        ("Lost", StepState.AHEAD, False, False),
    ]


def test_the_last_open_stage_leads_to_won():
    assert next_stage(STAGES, current_id=3).name == "Won"
    assert [s.is_next for s in stage_path(STAGES, current_id=3)] == [
        False,
        False,
        False,
        True,
        False,
    ]


def test_a_closed_deal_is_shown_where_it_ended_and_offers_no_click():
    steps = stage_path(STAGES, current_id=4)

    assert not any(step.one_click or step.is_next for step in steps)
    assert [step.state for step in steps] == [
        StepState.DONE,
        StepState.DONE,
        StepState.DONE,
        StepState.CURRENT,
        StepState.AHEAD,
    ]
    assert next_stage(STAGES, current_id=5) is None


def test_an_unknown_stage_gives_no_path():
    assert stage_path(STAGES, current_id=99) == []
