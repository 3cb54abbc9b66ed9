"""At start, what the bot can check of the privacy settings its rooms need, and one warning each.

From the client side the bot can read a room's state: whether the room is end-to-end
encrypted and whether it has a retention policy (`m.room.retention`). It cannot read the
homeserver's configuration (`redaction_retention_period`, its retention settings), so it
reminds the operator of those once. See the README, "Who can see what".
"""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import select

from bot.logs import fields
from storage.models import Community

log = logging.getLogger(__name__)


async def check_rooms(services: Any, client: Any) -> int:
    """Warn about open communities whose room is not encrypted or keeps events for ever;
    return how many warnings were logged. Read once, in the background, after the first sync."""
    async with services.db() as session:
        rows = (await session.exec(select(Community).where(Community.closed_at.is_(None)))).all()
    warned = 0
    for community in rows:
        room = client.rooms.get(community.room_id)
        if room is None:
            continue
        if not room.encrypted:
            log.warning("rooms.community_not_encrypted", **fields(
                community=community.id, fix="turn on encryption in the room's settings (Security & Privacy)"))
            warned += 1
        resp = await client.room_get_state_event(community.room_id, "m.room.retention")
        if not isinstance(getattr(resp, "content", None), dict) or not resp.content.get("max_lifetime"):
            log.warning("rooms.community_without_retention", **fields(
                community=community.id, fix="set m.room.retention max_lifetime (README: Who can see what)"))
            warned += 1
    log.info("startup.homeserver_settings", **fields(
        check="redaction_retention_period and retention policies cannot be read by the bot; "
              "set them on the homeserver (README: Who can see what)"))
    return warned
