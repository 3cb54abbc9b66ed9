"""A consultation's statuses and the moves between them: the one table of its lifecycle.

    review ──approve──> scheduled ──post──> posting ──posted──> posted ──close──> closed
      │                    │                   └──give up──> failed
      ├──reject──> rejected
      ├──expire──> expired (never reviewed within the retention)
      └──withdraw (the member's close before posting)──> closed   (scheduled too)
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    REVIEW = "review"        # waiting for a facilitator (review on)
    SCHEDULED = "scheduled"  # accepted, due after the random delay
    POSTING = "posting"      # on its way to the room: a concurrent close must wait
    POSTED = "posted"        # in the room; follow-ups and replies possible
    CLOSED = "closed"        # by the member: withdrawn before posting, or closed after
    REJECTED = "rejected"    # by a facilitator, with a reason the member can read
    FAILED = "failed"        # could never be posted (the room gone); the text is deleted
    EXPIRED = "expired"      # left in review past the retention; the text is deleted


MOVES: dict[Status, frozenset[Status]] = {
    Status.REVIEW: frozenset({Status.SCHEDULED, Status.REJECTED, Status.CLOSED, Status.EXPIRED}),
    Status.SCHEDULED: frozenset({Status.POSTING, Status.CLOSED, Status.FAILED}),
    Status.POSTING: frozenset({Status.POSTING, Status.POSTED, Status.FAILED}),  # a retry after a crash
    Status.POSTED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.FAILED: frozenset(),
    Status.EXPIRED: frozenset(),
}
OPEN = frozenset({Status.REVIEW, Status.SCHEDULED, Status.POSTED})  # the member may still act on it
WITHDRAWABLE = frozenset({Status.REVIEW, Status.SCHEDULED})  # close before posting: nothing stays


class IllegalMove(ValueError):
    pass


def check_move(current: str, target: Status) -> Status:
    """The target, if the lifecycle allows it from `current`; IllegalMove otherwise."""
    if target not in MOVES[Status(current)]:
        raise IllegalMove(f"a consultation cannot go from {current} to {target}")
    return target
