"""Queries about prompts: settings, custom prompts, posts and reply counts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CustomPrompt, PromptPost, PromptReplier, PromptSettings
from storage.portable import insert_new


async def settings(session: AsyncSession, community_id: int) -> PromptSettings:
    return await session.get(PromptSettings, community_id) or PromptSettings(community_id=community_id)


async def settings_of(session: AsyncSession, community_ids: list[int]) -> dict[int, PromptSettings]:
    """`settings` of many communities in one query."""
    found = {s.community_id: s for s in (await session.exec(
        select(PromptSettings).where(PromptSettings.community_id.in_(community_ids)))).all()}
    return {c: found.get(c) or PromptSettings(community_id=c) for c in community_ids}


async def customs(session: AsyncSession, community_id: int, *, removed: bool = False) -> list[CustomPrompt]:
    query = select(CustomPrompt).where(CustomPrompt.community_id == community_id)
    if not removed:
        query = query.where(CustomPrompt.removed_at.is_(None))
    return list((await session.exec(query.order_by(CustomPrompt.id))).all())


async def posts(session: AsyncSession, community_id: int, states: tuple[str, ...]) -> list[PromptPost]:
    return list((await session.exec(select(PromptPost).where(
        PromptPost.community_id == community_id, PromptPost.state.in_(states)).order_by(PromptPost.id))).all())


async def by_event_key(session: AsyncSession, event_key: str) -> PromptPost | None:
    return (await session.exec(select(PromptPost).where(PromptPost.event_key == event_key))).first()


async def reply_total(session: AsyncSession, community_id: int) -> int:
    total = (await session.exec(select(func.sum(PromptPost.replies)).where(
        PromptPost.community_id == community_id))).one()
    return int(total or 0)


async def add_reply(session: AsyncSession, post_id: int, member_key: str, at: datetime) -> None:
    """Count one reply, and its author once, in one statement each: replies handled at the same
    time (tasks, or other connections on PostgreSQL) are all counted, none twice."""
    new = await insert_new(session, PromptReplier, post_id=post_id, member_key=member_key)
    await session.exec(update(PromptPost).where(PromptPost.id == post_id).values(
        replies=PromptPost.replies + 1, repliers=PromptPost.repliers + (1 if new else 0), last_reply_at=at))
    await session.commit()
