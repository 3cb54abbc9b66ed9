"""Queries about communities; every function is scoped to one community."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import and_, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Community, CommunityLink, CommunityRole, Poster, StageChange


async def by_room(session: AsyncSession, room_id: str) -> Community | None:
    return (await session.exec(select(Community).where(Community.room_id == room_id))).first()


async def by_slug(session: AsyncSession, slug: str) -> Community | None:
    return (await session.exec(select(Community).where(Community.slug == slug))).first()


async def slugs(session: AsyncSession) -> set[str]:
    return set((await session.exec(select(Community.slug))).all())


async def grants(session: AsyncSession, community_id: int) -> list[CommunityRole]:
    return list((await session.exec(select(CommunityRole).where(
        CommunityRole.community_id == community_id).order_by(CommunityRole.role, CommunityRole.user_id))).all())


async def roles_granted(session: AsyncSession, community_id: int, user_id: str) -> set[str]:
    return set((await session.exec(select(CommunityRole.role).where(
        CommunityRole.community_id == community_id, CommunityRole.user_id == user_id))).all())


async def history(session: AsyncSession, community_id: int) -> list[StageChange]:
    return list((await session.exec(select(StageChange).where(
        StageChange.community_id == community_id).order_by(StageChange.at, StageChange.id))).all())


async def links(session: AsyncSession, community_id: int) -> tuple[list[Community], list[Community]]:
    """The community's parents and children, by slug, in one query (`!cop status` shows both)."""
    rows = (await session.exec(select(Community, CommunityLink.parent_id).join(CommunityLink, or_(
        and_(CommunityLink.parent_id == Community.id, CommunityLink.child_id == community_id),
        and_(CommunityLink.child_id == Community.id, CommunityLink.parent_id == community_id),
    )).order_by(Community.slug))).all()
    parents = [c for c, parent_id in rows if parent_id == c.id]
    return parents, [c for c, parent_id in rows if parent_id != c.id]


async def poster_count(session: AsyncSession, community_id: int) -> int:
    return (await session.exec(select(func.count()).select_from(Poster).where(
        Poster.community_id == community_id))).one()


async def add_poster(session: AsyncSession, community_id: int, member_key: str) -> bool:
    if await session.get(Poster, (community_id, member_key)) is not None:
        return False
    session.add(Poster(community_id=community_id, member_key=member_key))
    await session.commit()
    return True


def change_stage(session: AsyncSession, community: Community, to: str, at: datetime,
                 by_role: str, note: str | None) -> StageChange:
    """Move the stage and record it; the caller commits both in one transaction."""
    change = StageChange(community_id=community.id, at=at, from_stage=community.stage,
                         to_stage=to, by_role=by_role, note=note or None)
    community.stage, community.stage_since = to, at
    session.add(community)
    session.add(change)
    return change

