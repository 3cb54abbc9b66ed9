"""Queries about anonymous consultations. None of them can take a user id."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.consult_status import Status
from storage.models import CommunityConsultSettings, Consultation, ConsultationFollowup

async def settings(session: AsyncSession, community_id: int) -> CommunityConsultSettings:
    row = await session.get(CommunityConsultSettings, community_id)
    return row or CommunityConsultSettings(community_id=community_id)


async def by_code_hash(session: AsyncSession, code_hash: str) -> Consultation | None:
    return (await session.exec(select(Consultation).where(Consultation.code_hash == code_hash))).first()


async def by_label(session: AsyncSession, community_id: int, label: str) -> Consultation | None:
    return (await session.exec(select(Consultation).where(
        Consultation.community_id == community_id, Consultation.label == label.lower()))).first()


async def labels(session: AsyncSession) -> set[str]:
    return set((await session.exec(select(Consultation.label))).all())


async def in_review(session: AsyncSession, community_id: int) -> list[Consultation]:
    return list((await session.exec(select(Consultation).where(
        Consultation.community_id == community_id, Consultation.status == Status.REVIEW).order_by(Consultation.id))).all())


async def counts(session: AsyncSession, community_id: int) -> dict[str, int]:
    rows = (await session.exec(select(Consultation.status, func.count()).where(
        Consultation.community_id == community_id).group_by(Consultation.status))).all()
    return dict(rows)


async def posted_count(session: AsyncSession, community_id: int) -> int:
    return (await session.exec(select(func.count()).select_from(Consultation).where(
        Consultation.community_id == community_id, Consultation.posted_at.is_not(None)))).one()


async def due_posts(session: AsyncSession) -> list[tuple[str, datetime]]:
    """Every post waiting for its time: requests ('c<id>'), follow-ups ('f<id>') and close
    announcements ('x<id>')."""
    requests = (await session.exec(select(Consultation.id, Consultation.due_at).where(
        Consultation.status.in_((Status.SCHEDULED, Status.POSTING)), Consultation.due_at.is_not(None)))).all()
    closes = (await session.exec(select(Consultation.id, Consultation.due_at).where(
        Consultation.status == Status.CLOSED, Consultation.due_at.is_not(None)))).all()
    followups = (await session.exec(select(ConsultationFollowup.id, ConsultationFollowup.due_at).where(
        ConsultationFollowup.event_id.is_(None), ConsultationFollowup.due_at.is_not(None)))).all()
    return ([(f"c{i}", due) for i, due in requests] + [(f"f{i}", due) for i, due in followups]
            + [(f"x{i}", due) for i, due in closes])


async def threads(session: AsyncSession) -> list[tuple[str, str]]:
    """(room id, root event id) of every consultation whose thread may still be read."""
    return list((await session.exec(select(Consultation.room_id, Consultation.event_id).where(
        Consultation.event_id.is_not(None), Consultation.room_id.is_not(None),
        Consultation.purged_at.is_(None)))).all())


async def followups(session: AsyncSession, consultation_id: int) -> list[ConsultationFollowup]:
    return list((await session.exec(select(ConsultationFollowup).where(
        ConsultationFollowup.consultation_id == consultation_id).order_by(ConsultationFollowup.id))).all())


async def past_retention(session: AsyncSession, community_id: int, before: datetime) -> list[Consultation]:
    return list((await session.exec(select(Consultation).where(
        Consultation.community_id == community_id, Consultation.purged_at.is_(None),
        Consultation.posted_at.is_not(None), Consultation.posted_at < before))).all())


async def queued_before(session: AsyncSession, community_id: int, before: datetime) -> list[Consultation]:
    return list((await session.exec(select(Consultation).where(
        Consultation.community_id == community_id, Consultation.status == Status.REVIEW,
        Consultation.queued_on.is_not(None), Consultation.queued_on < before))).all())


async def rejected_before(session: AsyncSession, community_id: int, before: datetime) -> list[Consultation]:
    return list((await session.exec(select(Consultation).where(
        Consultation.community_id == community_id, Consultation.status == Status.REJECTED,
        Consultation.note.is_not(None), Consultation.decided_at < before))).all())


async def pending_followups(session: AsyncSession, consultation_id: int) -> list[ConsultationFollowup]:
    return list((await session.exec(select(ConsultationFollowup).where(
        ConsultationFollowup.consultation_id == consultation_id, ConsultationFollowup.event_id.is_(None),
        ConsultationFollowup.text.is_not(None)))).all())
