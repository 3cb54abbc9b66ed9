"""Room members at start, without a full-state sync of every member.

A restart knows nothing of its rooms (nio keeps no room state), so the first sync
carries full state. With every member event in it, that sync is the slowest part of
a start at scale (200 rooms of 20 members: ~5 s for Synapse to build and ~1.5 s for nio
to validate, event by event). So the first sync loads members lazily (power levels,
the room's creation and name still come with it) and each room's member list is
read here, one plain request per room, before any event is acted on.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from nio import AsyncClient
from nio.api import Api

from bot.logs import fields

log = logging.getLogger(__name__)

CONCURRENCY = 8


def lazy_members(sync_filter: dict) -> dict:
    """`sync_filter` with member events left out of the room state (read with load_members instead)."""
    room = sync_filter.get("room", {})
    return {**sync_filter, "room": {**room, "state": {**room.get("state", {}), "lazy_load_members": True}}}


class MembersNotLoaded(Exception):
    """A room's member list could not be read; the first sync is done again."""


async def load_members(client: AsyncClient, room_ids: list[str]) -> None:
    """Joined and invited members of each room into nio's room state, as a full-state sync
    would have put them. Raises MembersNotLoaded when a room's list cannot be read."""
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(room_id: str) -> None:
        async with limit:
            path = Api._build_path(["rooms", room_id, "members"], {"not_membership": "leave"})
            resp = await client.send("GET", path, headers={"Authorization": f"Bearer {client.access_token}"})
            try:
                body = await resp.json() if resp.status == 200 else None
            finally:
                resp.release()
        if not isinstance(body, dict) or not isinstance(body.get("chunk"), list):
            raise MembersNotLoaded(f"HTTP {resp.status}")
        _apply(client, room_id, body["chunk"])

    results = await asyncio.gather(*(one(r) for r in room_ids), return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        log.warning("sync.members_not_loaded", **fields(rooms=len(failed), reason=type(failed[0]).__name__))
        raise MembersNotLoaded(str(failed[0]))
    log.info("sync.members_loaded", **fields(rooms=len(room_ids)))


def _apply(client: AsyncClient, room_id: str, events: list[Any]) -> None:
    room = client.rooms.get(room_id)
    if room is None:
        return
    current = {}
    for event in events:
        content = event.get("content") if isinstance(event, dict) else None
        user_id = event.get("state_key") if isinstance(event, dict) else None
        if isinstance(content, dict) and isinstance(user_id, str) and content.get("membership") in ("join", "invite"):
            current[user_id] = content
    for user_id in [u for u in room.users if u not in current]:  # left since the sync
        room.remove_member(user_id)
    for user_id, content in current.items():
        invited = content["membership"] == "invite"
        user = room.users.get(user_id)
        if user is None:
            room.add_member(user_id, content.get("displayname"), content.get("avatar_url"), invited)
        elif user.invited != invited:
            user.invited = invited
            if not invited:
                room.invited_users.pop(user_id, None)
    # Counts come from the member list, as after a full-state sync: a lazy-loading summary is
    # never updated by the syncs that follow, so it would go stale.
    room.summary = None
    room.members_synced = True
    if room.encrypted and client.olm is not None:
        client.olm.update_tracked_users(room)
