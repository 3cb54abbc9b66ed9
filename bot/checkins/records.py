"""Stored check-ins and impact reports, under the member's pseudonym only."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.checkins import Draft, period_of
from storage import workshops as wq
from storage.models import Checkin, CheckinInvite, CheckinOptOut, ImpactReport


def answers_text(answers: tuple[int | None, ...]) -> str:
    return ",".join("n" if a is None else str(a) for a in answers)


def answers_of(text: str) -> tuple[int | None, ...]:
    return tuple(None if a == "n" else int(a) for a in text.split(",") if a)


async def period_now(session: AsyncSession, community_id: int, now: datetime) -> int:
    """The period between workshops the community is in: n after workshop n started."""
    held = [w.starts_at for w in await wq.series(session, community_id) if w.state == "planned"]
    return period_of(held, now)


async def for_period(session: AsyncSession, community_id: int, member: str, period: int) -> Checkin | None:
    return (await session.exec(select(Checkin).where(
        Checkin.community_id == community_id, Checkin.member_key == member, Checkin.period == period))).first()


async def save(session: AsyncSession, community_id: int, member: str, draft: Draft, now: datetime) -> Checkin:
    """Store a finished check-in; one per member and period, so an earlier one is replaced."""
    await session.exec(delete(Checkin).where(Checkin.community_id == community_id, Checkin.member_key == member,
                                             Checkin.period == draft.period))
    row = Checkin(community_id=community_id, member_key=member, period=draft.period,
                  answers=answers_text(draft.answers), text=draft.text, tags=",".join(draft.tags),
                  consent=draft.consent, created_at=now)
    session.add(row)
    return row


async def opted_out(session: AsyncSession, member: str) -> bool:
    return await session.get(CheckinOptOut, member) is not None


async def entries(session: AsyncSession, member: str) -> tuple[list[Checkin], list[ImpactReport]]:
    checkins = (await session.exec(select(Checkin).where(Checkin.member_key == member).order_by(Checkin.id))).all()
    impacts = (await session.exec(select(ImpactReport).where(ImpactReport.member_key == member)
                                  .order_by(ImpactReport.id))).all()
    return list(checkins), list(impacts)


async def forget(session: AsyncSession, member: str) -> int:
    """Delete everything the member reported, and the record of their invitations; return how
    many entries went. An opt-out stays: forgetting must not start the invitations again."""
    checkins, impacts = await entries(session, member)
    for row in [*checkins, *impacts]:
        await session.delete(row)
    await session.exec(delete(CheckinInvite).where(CheckinInvite.member_key == member))
    return len(checkins) + len(impacts)


async def impact_count(session: AsyncSession, community_id: int) -> int:
    """Practice impacts reported: quick reports plus check-ins that tell a story."""
    reports = (await session.exec(select(func.count()).select_from(ImpactReport).where(
        ImpactReport.community_id == community_id))).one()
    stories = (await session.exec(select(func.count()).select_from(Checkin).where(
        Checkin.community_id == community_id, Checkin.text.is_not(None)))).one()
    return int(reports) + int(stories)
