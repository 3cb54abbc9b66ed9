"""Which communities a person belongs to: those whose room they have joined."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import select

from storage.models import Community

if TYPE_CHECKING:
    from bot.services import Services


async def communities_of(services: "Services", user_id: str) -> list[Community]:
    """Open communities whose room `user_id` has joined, by slug."""
    async with services.db() as session:
        rows = (await session.exec(select(Community).where(Community.closed_at.is_(None))
                                   .order_by(Community.slug))).all()
    return [c for c in rows if (room := services.rooms(c.room_id)) is not None and room.is_joined(user_id)]


async def community_rooms(services: "Services") -> frozenset[str]:
    """Every community's room: none of them may ever be taken for someone's DM with the bot."""
    async with services.db() as session:
        return frozenset((await session.exec(select(Community.room_id))).all())


def members_of(services: "Services", community: Community) -> list[str]:
    """The people joined to a community's room: not the bot, not ignored users (other bots)."""
    room = services.rooms(community.room_id)
    ignored = {services.user_id, *services.config.matrix.ignored_users}
    return [u for u in (room.joined_members() if room else []) if u not in ignored]
