"""Every status change of a consultation goes through `move`, which keeps to the one table of
moves (domain/consult_status.py) and does what each status requires of the row: the text
goes when a case ends without a post, the due time goes once posted."""

from __future__ import annotations

from datetime import datetime

from domain.consult_status import Status, check_move
from storage.models import Consultation

TEXTLESS = frozenset({Status.REJECTED, Status.FAILED, Status.EXPIRED})  # ended without a post


def move(row: Consultation, target: Status, *, now: datetime | None = None, **changes: object) -> Consultation:
    """Move `row` to `target` (IllegalMove if the lifecycle forbids it), with `changes` applied."""
    check_move(row.status, target)
    row.status = target
    for name, value in changes.items():
        setattr(row, name, value)
    if target in TEXTLESS:
        row.text, row.due_at = None, None
    if target == Status.EXPIRED and now is not None:
        row.purged_at = now
    return row
