"""Changes to a community's workshops, in the database, with the scheduler work they imply.

Each change returns a `Changes` to apply only after the transaction commits,
so the scheduler never holds an action the database does not.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.scheduler import Schedule
from bot.workshops.rules import Rules
from domain.workshops import Occurrence, planned_stages, reminders
from storage import workshops as q
from storage.models import Attendance, Rsvp, Workshop, WorkshopAction, WorkshopPost

PROVIDER = "workshop"
DONE = ("sent", "sending", "missed", "reporting", "skipped")


@dataclass
class Changes:
    schedule: list[tuple[str, datetime]] = field(default_factory=list)
    cancel: list[str] = field(default_factory=list)

    def __iadd__(self, other: "Changes") -> "Changes":
        self.schedule += other.schedule
        self.cancel += other.cancel
        return self

    def apply(self, scheduler: Schedule) -> None:
        for key in self.cancel:
            scheduler.cancel(PROVIDER, key)
        for key, due in self.schedule:
            scheduler.at(PROVIDER, key, due)


def new_uid() -> str:
    return f"{secrets.token_hex(12)}@copbot"


async def sync_reminders(session: AsyncSession, workshop: Workshop, rules: Rules, now: datetime) -> Changes:
    """Make the pending reminders match the workshop's time, state and the community's offsets."""
    changes = Changes()
    wanted = set()
    if workshop.state == "planned":
        wanted = {(int(o.total_seconds()), due) for o, due in reminders(workshop.starts_at, rules.offsets, now)}
    existing = await q.actions(session, workshop.id, ("pending", *DONE))
    done = {(a.offset_s, a.due_at) for a in existing if a.state in DONE}
    for action in existing:
        if action.state != "pending":
            continue
        if (action.offset_s, action.due_at) in wanted:
            wanted.discard((action.offset_s, action.due_at))
        else:
            action.state, action.done_at = "cancelled", now
            session.add(action)
            changes.cancel.append(f"r{action.id}")
    for offset_s, due in sorted(wanted - done, key=lambda pair: pair[1]):
        action = WorkshopAction(workshop_id=workshop.id, kind="reminder", offset_s=offset_s, due_at=due,
                                state="pending", txn=secrets.token_hex(12))
        session.add(action)
        await session.flush()
        changes.schedule.append((f"r{action.id}", due))
    return changes


async def replan(session: AsyncSession, community_id: int, occurrences: list[Occurrence], duration_min: int,
                 rules: Rules, now: datetime) -> tuple[list[Workshop], Changes]:
    """Replace the future workshops by a new series; past ones are never touched.

    New workshops take the numbers after the last past one. A future workshop
    whose number comes back is rescheduled in place (same calendar UID); one
    left over is cancelled, so calendars drop it too.
    """
    existing = await q.series(session, community_id)
    past = [w for w in existing if w.starts_at <= now]
    future = {w.number: w for w in existing if w.starts_at > now}
    base = max((w.number for w in past), default=0)
    stages = planned_stages(len(past) + len(occurrences))[len(past):]
    link = next((w.link for w in sorted(existing, key=lambda w: w.starts_at, reverse=True) if w.link), None)
    planned, changes = [], Changes()
    for i, (occurrence, stage) in enumerate(zip(occurrences, stages), start=base + 1):
        row = future.pop(i, None)
        if row is None:
            row = Workshop(community_id=community_id, number=i, uid=new_uid(), sequence=0, created_at=now,
                           link=link, starts_at=occurrence.start, duration_min=duration_min, stage=stage,
                           state="planned", updated_at=now)
        else:
            row.sequence += 1
            row.topic = None
        row.starts_at, row.duration_min, row.stage = occurrence.start, duration_min, stage
        row.state, row.cancel_reason, row.updated_at = "planned", None, now
        row.link = row.link or link
        session.add(row)
        await session.flush()
        changes += await sync_reminders(session, row, rules, now)
        planned.append(row)
    for row in future.values():
        if row.state != "cancelled":
            row.state, row.cancel_reason, row.sequence, row.updated_at = "cancelled", None, row.sequence + 1, now
            session.add(row)
            changes += await sync_reminders(session, row, rules, now)
    return planned, changes


async def remember_post(session: AsyncSession, event_key: str, workshop_id: int) -> None:
    """Reactions to this event become RSVPs for the workshop."""
    if await session.get(WorkshopPost, event_key) is None:
        session.add(WorkshopPost(event_key=event_key, workshop_id=workshop_id))


async def set_rsvp(session: AsyncSession, workshop_id: int, member: str, answer: str, now: datetime,
                   reaction_key: str | None = None) -> None:
    row = await session.get(Rsvp, (workshop_id, member))
    if row is None:
        row = Rsvp(workshop_id=workshop_id, member_key=member, answer=answer, at=now)
    row.answer, row.reaction_key, row.at = answer, reaction_key, now
    session.add(row)


async def mark_attended(session: AsyncSession, workshop_id: int, member: str, source: str, now: datetime) -> bool:
    """Record attendance once; False if it was already recorded."""
    if await session.get(Attendance, (workshop_id, member)) is not None:
        return False
    session.add(Attendance(workshop_id=workshop_id, member_key=member, source=source, at=now))
    return True


def state_of(workshop: Workshop, now: datetime) -> str:
    if workshop.state == "cancelled":
        return "cancelled"
    if now < workshop.starts_at:
        return "upcoming"
    return "in_progress" if now <= workshop.starts_at + timedelta(minutes=workshop.duration_min) else "done"


async def stop_reminders(session: AsyncSession, community_id: int, now: datetime) -> Changes:
    """A closed community gets no more reminders."""
    changes = Changes()
    for workshop in await q.series(session, community_id):
        for action in await q.actions(session, workshop.id, ("pending",)):
            action.state, action.done_at = "cancelled", now
            session.add(action)
            changes.cancel.append(f"r{action.id}")
    return changes


def next_workshop(workshops: list[Workshop], now: datetime) -> Workshop | None:
    return next((w for w in workshops if w.state == "planned" and w.starts_at > now), None)
