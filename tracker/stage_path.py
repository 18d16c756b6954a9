"""The stage path of a deal: every stage in order, where the deal stands on it, and
which stages one click can move it to.

Pure: plain stages in, plain steps out. An open deal moves to any other open
stage, or to won with its amount and today as the close date, in one click;
lost needs a reason, so it goes through the stage form. A closed deal is reopened,
never moved, so its path only shows where it ended.
"""

from dataclasses import dataclass
from enum import StrEnum


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    AHEAD = "ahead"


@dataclass(frozen=True)
class PathStage:
    id: int
    name: str
    order: int
    outcome: str  # "open", "won" or "lost", as Stage.Outcome


@dataclass(frozen=True)
class Step:
    stage: PathStage
    state: StepState
    one_click: bool  # a button moves the deal here
    is_next: bool  # the stage a deal usually moves to from where it is


def stage_path(stages: list[PathStage], *, current_id: int) -> list[Step]:
    """The steps of the path, in stage order; a closed deal's path has no one-click step."""
    ordered = sorted(stages, key=lambda s: (s.order, s.id))
    current = next((s for s in ordered if s.id == current_id), None)
    if current is None:
        return []
    is_open = current.outcome == "open"
    following = next_stage(ordered, current_id=current_id) if is_open else None
    steps = []
    for stage in ordered:
        if stage.id == current.id:
            state = StepState.CURRENT
        elif stage.outcome == "open" and (stage.order < current.order or not is_open):
            state = StepState.DONE
        else:
            state = StepState.AHEAD
        steps.append(
            Step(
                stage=stage,
                state=state,
                one_click=is_open and stage.id != current.id and stage.outcome != "lost",
                is_next=following is not None and stage.id == following.id,
            )
        )
    return steps


def next_stage(stages: list[PathStage], *, current_id: int) -> PathStage | None:
    """The open stage after the current one, or won after the last open stage."""
    ordered = sorted(stages, key=lambda s: (s.order, s.id))
    current = next((s for s in ordered if s.id == current_id), None)
    if current is None or current.outcome != "open":
        return None
    later = [s for s in ordered if s.order > current.order and s.outcome == "open"]
    if later:
        return later[0]
    return next((s for s in ordered if s.outcome == "won"), None)
