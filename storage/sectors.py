"""Queries of the sector directory and of consultations' cross-sector reach (issue 23).

The directory is read by community and pseudonym; the reach by consultation. No query joins
the two: what links a reply to a sector is worked out in memory and only the sector is kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.consult_status import Status
from storage.models import Consultation, ConsultationReach, SectorEntry


async def entries(session: AsyncSession, community_id: int) -> list[SectorEntry]:
    return list((await session.exec(select(SectorEntry).where(SectorEntry.community_id == community_id)
                                    .order_by(SectorEntry.since, SectorEntry.member_key))).all())


async def entry(session: AsyncSession, community_id: int, member_key: str) -> SectorEntry | None:
    return await session.get(SectorEntry, (community_id, member_key))


async def remove(session: AsyncSession, community_id: int, member_key: str) -> bool:
    row = await entry(session, community_id, member_key)
    if row is None:
        return False
    await session.delete(row)
    return True


async def remove_keys(session: AsyncSession, keys: list[tuple[int, str]]) -> int:
    gone = 0
    for community_id, key in keys:
        result = await session.exec(delete(SectorEntry).where(SectorEntry.community_id == community_id,
                                                              SectorEntry.member_key == key))
        gone += result.rowcount or 0
    return gone


async def to_mention(session: AsyncSession) -> list[tuple[int, datetime]]:
    """Posted consultations that want sectors and whose thread has not had its mention yet."""
    rows = (await session.exec(
        select(Consultation.id, Consultation.posted_at, ConsultationReach.mention)
        .join(ConsultationReach, ConsultationReach.consultation_id == Consultation.id, isouter=True)
        .where(Consultation.status == Status.POSTED, Consultation.wanted != "",
               Consultation.event_id.is_not(None)))).all()
    return [(cid, at) for cid, at, mention in rows if mention in (None, "pending")]


async def nudges_due(session: AsyncSession) -> list[tuple[int, datetime]]:
    return list((await session.exec(select(ConsultationReach.consultation_id, ConsultationReach.nudge_due).where(
        ConsultationReach.nudge == "waiting", ConsultationReach.nudge_due.is_not(None)))).all())


async def by_root(session: AsyncSession, room_id: str, root: str) -> Consultation | None:
    return (await session.exec(select(Consultation).where(Consultation.event_id == root,
                                                          Consultation.room_id == room_id))).first()
