"""Queries about workshops, their reminders, RSVPs and attendance."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Attendance, Community, Rsvp, Workshop, WorkshopAction, WorkshopPost, WorkshopSettings


async def settings(session: AsyncSession, community_id: int) -> WorkshopSettings:
    row = await session.get(WorkshopSettings, community_id)
    return _or_defaults(row, community_id)


def _or_defaults(row: WorkshopSettings | None, community_id: int) -> WorkshopSettings:
    """A community that never changed its workshop settings has no row: the defaults apply."""
    return row or WorkshopSettings(community_id=community_id)


async def action_in_context(session: AsyncSession, action_id: int
                            ) -> tuple[WorkshopAction, Workshop, Community, WorkshopSettings] | None:
    """An action with its workshop, community and the community's settings, in one query: a
    reminder due with 49 others reads the database once before it is sent."""
    row = (await session.exec(
        select(WorkshopAction, Workshop, Community, WorkshopSettings)
        .join(Workshop, Workshop.id == WorkshopAction.workshop_id)
        .join(Community, Community.id == Workshop.community_id)
        .outerjoin(WorkshopSettings, WorkshopSettings.community_id == Community.id)
        .where(WorkshopAction.id == action_id))).first()
    if row is None:
        return None
    action, workshop, community, settings_row = row
    return action, workshop, community, _or_defaults(settings_row, community.id)


async def finish_action(session: AsyncSession, action_id: int, state: str, event_id: str | None,
                        at: datetime) -> None:
    await session.exec(update(WorkshopAction).where(WorkshopAction.id == action_id)
                       .values(state=state, event_id=event_id, done_at=at))


async def series(session: AsyncSession, community_id: int) -> list[Workshop]:
    """Every workshop of a community, in date order."""
    return (await series_of(session, [community_id]))[community_id]


async def series_of(session: AsyncSession, community_ids: list[int]) -> dict[int, list[Workshop]]:
    """`series` of many communities in one query (start-up plans them all at once)."""
    out: dict[int, list[Workshop]] = {c: [] for c in community_ids}
    for w in (await session.exec(select(Workshop).where(Workshop.community_id.in_(community_ids))
                                 .order_by(Workshop.starts_at, Workshop.number))).all():
        out[w.community_id].append(w)
    return out


async def by_number(session: AsyncSession, community_id: int, number: int) -> Workshop | None:
    return (await session.exec(select(Workshop).where(
        Workshop.community_id == community_id, Workshop.number == number))).first()


async def actions(session: AsyncSession, workshop_id: int, states: tuple[str, ...]) -> list[WorkshopAction]:
    return list((await session.exec(select(WorkshopAction).where(
        WorkshopAction.workshop_id == workshop_id, WorkshopAction.state.in_(states)))).all())


async def actions_in_state(session: AsyncSession, states: tuple[str, ...]) -> list[tuple[int, str, datetime, int]]:
    """(id, state, due time, community id) of every action in `states`: plain columns, cheap for thousands."""
    return list((await session.exec(select(WorkshopAction.id, WorkshopAction.state, WorkshopAction.due_at,
                                           Workshop.community_id).join(Workshop)
                                    .where(WorkshopAction.state.in_(states)).order_by(WorkshopAction.due_at))).all())


async def missed_in(session: AsyncSession, community_id: int,
                    state: str = "missed") -> list[tuple[WorkshopAction, Workshop]]:
    rows = await session.exec(select(WorkshopAction, Workshop).join(Workshop).where(
        Workshop.community_id == community_id, WorkshopAction.state == state).order_by(WorkshopAction.id))
    return list(rows.all())


async def counts(session: AsyncSession, workshop_ids: list[int]) -> dict[int, dict[str, int]]:
    """RSVP answers and attendance per workshop: {id: {"yes": n, "no": n, "maybe": n, "here": n}}."""
    out: dict[int, dict[str, int]] = {i: {"yes": 0, "no": 0, "maybe": 0, "here": 0} for i in workshop_ids}
    if not workshop_ids:
        return out
    for wid, answer, n in (await session.exec(
            select(Rsvp.workshop_id, Rsvp.answer, func.count()).where(Rsvp.workshop_id.in_(workshop_ids))
            .group_by(Rsvp.workshop_id, Rsvp.answer))).all():
        out[wid][answer] = n
    for wid, n in (await session.exec(
            select(Attendance.workshop_id, func.count()).where(Attendance.workshop_id.in_(workshop_ids))
            .group_by(Attendance.workshop_id))).all():
        out[wid]["here"] = n
    return out


async def for_post(session: AsyncSession, event_key: str) -> Workshop | None:
    post = await session.get(WorkshopPost, event_key)
    return None if post is None else await session.get(Workshop, post.workshop_id)


async def rsvp_by_reaction(session: AsyncSession, reaction_key: str) -> Rsvp | None:
    return (await session.exec(select(Rsvp).where(Rsvp.reaction_key == reaction_key))).first()
