"""The five developmental stages of a community of practice (shared/domain.md §2).

The bot suggests moving on from observed signals; it never advances by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

STAGES = ("potential", "coalescing", "maturing", "stewardship", "transformation")


def is_stage(name: str) -> bool:
    return name in STAGES


def next_stage(stage: str) -> str | None:
    i = STAGES.index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


@dataclass(frozen=True)
class Signals:
    members: int            # people joined to the room, the bot excluded
    posters: int            # members who have posted at least once
    prompt_replies: int
    consultations: int
    impacts: int
    in_stage: timedelta
    sectors: int = 0        # sectors of the list with someone in the directory (issue 23)


@dataclass(frozen=True)
class Suggestion:
    move_on: bool
    reason: str              # catalogue key under stage.suggest.*


def suggest(stage: str, s: Signals) -> Suggestion:
    """Whether the signals suggest the group is ready for the next stage.

    Thresholds are design choices after the readiness signals in domain.md §2,
    documented in the README.
    """
    if stage == "potential":
        if s.members >= 3 and s.posters * 2 >= s.members:
            return Suggestion(True, "potential_ready")
        return Suggestion(False, "potential_wait")
    if stage == "coalescing":
        if s.consultations >= 1 and s.posters * 2 >= s.members and s.prompt_replies >= 3:
            return Suggestion(True, "coalescing_ready")
        return Suggestion(False, "coalescing_wait")
    if stage == "maturing":
        if s.in_stage >= timedelta(days=28) and s.prompt_replies >= 5:
            return Suggestion(True, "maturing_ready")
        return Suggestion(False, "maturing_wait")
    if stage == "stewardship":
        if s.impacts * 2 >= max(s.members, 1) and s.impacts >= 3:
            return Suggestion(True, "stewardship_ready")
        return Suggestion(False, "stewardship_wait")
    return Suggestion(False, "transformation")
