"""What a summary period holds: aggregate counts only, filled by storage/summaries.py.

No field can hold a row, a user id or a pseudonym; domain/summaries.py turns these counts
into what may be shown (percentages of valid answers, small groups hidden).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class StageStep:
    at: datetime
    from_stage: str | None
    to_stage: str


@dataclass
class Period:
    """One column of a summary: the time from `start` up to `end`, and what happened in it."""

    label: str  # "W3", or the date a `since` summary starts from
    start: datetime
    end: datetime
    workshop: int | None = None  # the workshop this period leads up to
    workshop_at: datetime | None = None
    workshop_state: str | None = None
    stage: str | None = None  # the stage at the end of the period
    stage_steps: list[StageStep] = field(default_factory=list)
    rsvp: dict[str, int] = field(default_factory=lambda: {"yes": 0, "maybe": 0, "no": 0})
    attended: int = 0
    members: int = 0  # joined to the room now: the denominator for attendance
    prompts: int = 0
    replies: int = 0
    repliers: int = 0  # distinct per prompt, summed over prompts
    opened: int = 0
    followed_up: int = 0
    closed: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    # Cross-sector reach (issue 23), of the consultations opened in the period: how many reached
    # 0, 1, 2, 3+ sectors among their repliers (domain.sectors.BUCKETS), the sectors summed
    # over them, how many asked for sectors, and how many of those a wanted sector answered.
    reach: dict[str, int] = field(default_factory=dict)
    reach_sum: int = 0
    wanted: int = 0
    wanted_answered: int = 0
    invited: int = 0
    checkins: int = 0
    items: dict[str, dict[int | None, int]] = field(default_factory=dict)  # item -> {4: n, …, None: n}
    tags: dict[str, int] = field(default_factory=dict)
    stories: int = 0
    quotable: list[str] = field(default_factory=list)  # consented, scrubbed, newest first, at most 3
    # Which closed columns of the series this period adds up: (first, past the last), 0-based; what
    # domain/disclosure.py decides releases on. None for a period outside the series.
    span: tuple[int, int] | None = None
