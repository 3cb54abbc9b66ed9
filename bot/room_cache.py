"""What the bot knew of its rooms at its last handled sync, kept across restarts.

nio keeps no room state, so without this a restart reads every room again: a full-state
sync and each room's member list (200 rooms of 20 members: about 3.5 s of a 6.5 s start).
With it, the restart restores the rooms as they were at the saved sync token and syncs
from that token as usual; the homeserver then sends every state change since, members
included, so the rooms end up as a full read would have left them.

The rooms are never behind their token: it is the token of a sync nio had already applied
to them (a later sync may have been applied in part; its changes simply come again).

The file holds room ids, names, power levels and member lists (no message, nothing about
consultations), like the encryption store beside it, and is readable by its owner only.
An unreadable, foreign or outdated file is ignored: the start then reads everything.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
from pathlib import Path
from typing import Any

from nio import MatrixRoom
from nio.events.room_events import DefaultLevels, PowerLevels

from bot.keys import create_private_file
from bot.logs import fields

log = logging.getLogger(__name__)

FORMAT = 1
FILE_NAME = "rooms.json"
# How often the running bot saves its rooms; a crash restarts from a file at most this old.
SAVE_INTERVAL_S = 600.0

_PLAIN = ("room_version", "room_type", "federate", "guest_access", "join_rule", "history_visibility",
          "canonical_alias", "topic", "name", "encrypted", "room_avatar_url", "replacement_room")


@dataclasses.dataclass
class Restored:
    token: str
    rooms: dict[str, MatrixRoom]
    creators: dict[str, frozenset[str]]


def snapshot(rooms: dict[str, MatrixRoom], own_id: str, creators: dict[str, frozenset[str]],
             token: str) -> dict[str, Any]:
    """The rooms the bot is joined to, as plain data. Rooms it has left are not kept."""
    kept = []
    for room_id, room in rooms.items():
        own = room.users.get(own_id)
        if own is None or own.invited:
            continue
        levels = room.power_levels
        kept.append({
            "id": room_id,
            **{name: getattr(room, name) for name in _PLAIN},
            "power_levels": {"defaults": dataclasses.asdict(levels.defaults), "users": dict(levels.users),
                             "events": dict(levels.events)},
            "members": [[u.user_id, u.display_name, u.avatar_url, u.invited] for u in room.users.values()],
            "creators": sorted(creators.get(room_id, ())),
        })
    return {"format": FORMAT, "user_id": own_id, "token": token, "rooms": kept}


def restore(data: Any, own_id: str) -> Restored | None:
    """The rooms of a snapshot, or None when it is not one of this bot's (any problem: None)."""
    try:
        if data.get("format") != FORMAT or data.get("user_id") != own_id or not isinstance(data["token"], str):
            return None
        rooms: dict[str, MatrixRoom] = {}
        creators: dict[str, frozenset[str]] = {}
        for item in data["rooms"]:
            room = MatrixRoom(item["id"], own_id, bool(item["encrypted"]))
            for name in _PLAIN:
                setattr(room, name, item[name])
            levels = item["power_levels"]
            room.power_levels = PowerLevels(DefaultLevels(**levels["defaults"]), dict(levels["users"]),
                                            dict(levels["events"]))
            for user_id, display_name, avatar_url, invited in item["members"]:
                room.add_member(user_id, display_name, avatar_url, bool(invited))
            room.members_synced = True
            rooms[room.room_id] = room
            if item["creators"]:
                creators[room.room_id] = frozenset(item["creators"])
        return Restored(data["token"], rooms, creators)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


async def load(path: Path, own_id: str) -> Restored | None:
    def read() -> Any:
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    try:
        data = await asyncio.to_thread(read)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("rooms.cache_ignored", **fields(reason=type(exc).__name__))
        return None
    restored = restore(data, own_id)
    if restored is None:
        log.warning("rooms.cache_ignored", **fields(reason="not this bot's, or another format"))
    return restored


async def save(path: Path, data: dict[str, Any]) -> None:
    """Write `data` in place of the old file, whole or not at all, readable by the owner only."""
    def write() -> None:  # the snapshot is a copy, so it can be written out of the event loop
        tmp = path.with_name(path.name + ".tmp")
        tmp.unlink(missing_ok=True)  # left by a write a crash interrupted
        create_private_file(tmp, json.dumps(data, separators=(",", ":")))
        os.replace(tmp, path)

    await asyncio.to_thread(write)
