"""Who is in a community's sector directory, as user ids found again among the room's members.

The directory stores a keyed hash of its own purpose ("directory:<community>"), so its rows
match nothing else in the database (RSVPs, check-ins, prompt replies use other keys) and hold
no user id: the bot recognises a member by hashing the ids of the people joined to the room.
Someone who left is not found, and is removed from the directory when the bot sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.keys import Keyring
from bot.membership import members_of
from domain.sectors import Entry, split
from storage import sectors as q
from storage.models import Community, SectorEntry

if TYPE_CHECKING:
    from bot.services import Services


def directory_key(keyring: Keyring, community_id: int, user_id: str) -> str:
    return keyring.key(f"directory:{community_id}", user_id)


@dataclass(frozen=True)
class Listed:
    user_id: str
    row: SectorEntry

    @property
    def sectors(self) -> tuple[str, ...]:
        return split(self.row.sectors)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(t for t in self.row.tags.split(",") if t)

    def entry(self) -> Entry:
        return Entry(self.row.member_key, self.sectors, self.row.quiet, self.row.asked_at, self.row.since)


async def listed(services: "Services", session, community: Community) -> list[Listed]:
    """The directory's entries whose member is joined to the room now, in opt-in order."""
    by_key = {directory_key(services.keyring, community.id, u): u for u in members_of(services, community)}
    return [Listed(by_key[row.member_key], row) for row in await q.entries(session, community.id)
            if row.member_key in by_key]
