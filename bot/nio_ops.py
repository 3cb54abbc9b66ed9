"""MatrixOps on matrix-nio."""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import datetime, timezone

from aiohttp.client_exceptions import ClientError
from nio import (AsyncClient, MegolmEvent, RoomCreateError, UploadResponse, RoomMessageText, RoomPreset, RoomPutStateResponse, RoomRedactResponse,
                 RoomResolveAliasResponse)
from nio.api import RelationshipType

from bot.logs import fields
from bot.matrix_ops import ThreadReply

log = logging.getLogger(__name__)


class NioOps:
    def __init__(self, client: AsyncClient, bot_id: str):
        self.client, self.bot_id = client, bot_id
        self._created: dict[str, str] = {}  # DMs made before the next sync shows them

    async def thread_replies(self, room_id: str, root_id: str, limit: int = 100) -> list[ThreadReply]:
        """Replies in a thread, oldest first, without the bot's own messages."""
        room = self.client.rooms.get(room_id)
        out: list[ThreadReply] = []
        try:
            async for event in self.client.room_get_event_relations(room_id, root_id, RelationshipType.thread):
                if isinstance(event, MegolmEvent):
                    try:
                        event = self.client.decrypt_event(event)
                    except Exception:  # a reply the bot has no key for is skipped, not fatal
                        continue
                if not isinstance(event, RoomMessageText) or event.sender == self.bot_id:
                    continue
                name = room.user_name(event.sender) if room else None
                at = datetime.fromtimestamp(event.server_timestamp / 1000, timezone.utc)
                out.append(ThreadReply(name or event.sender, event.body, at, event.event_id))
                if len(out) >= limit:
                    break
        except (AttributeError, ClientError, asyncio.TimeoutError, OSError):
            # nio's iterator trips over an error response; a network error ends the digest early
            log.warning("matrix.relations_failed")
        return sorted(out, key=lambda r: r.at)

    async def redact(self, room_id: str, event_id: str) -> bool:
        try:
            resp = await self.client.room_redact(room_id, event_id)
        except (ClientError, asyncio.TimeoutError, OSError):
            return False
        return isinstance(resp, RoomRedactResponse)

    async def enable_encryption(self, room_id: str) -> bool:
        """Turn on end-to-end encryption in a room (a DM); False without the power to."""
        try:
            resp = await self.client.room_put_state(room_id, "m.room.encryption",
                                                    {"algorithm": "m.megolm.v1.aes-sha2"})
        except (ClientError, asyncio.TimeoutError, OSError):
            return False
        return isinstance(resp, RoomPutStateResponse)

    async def resolve_room(self, room: str) -> str | None:
        if room.startswith("!"):
            return room
        if not room.startswith("#"):
            return None
        resp = await self.client.room_resolve_alias(room)
        return resp.room_id if isinstance(resp, RoomResolveAliasResponse) else None

    def in_room(self, room_id: str) -> bool:
        return room_id in self.client.rooms

    async def dm_room(self, user_id: str, exclude: frozenset[str] = frozenset()) -> str:
        """An existing two-person unnamed room with `user_id`, or a new direct chat.

        `exclude` names rooms that must never count as a DM (community rooms). With several, the
        first by room id: the same room after a restart, so a message re-sent with its transaction
        id (which the homeserver deduplicates per room) cannot land a second time elsewhere.
        """
        for room_id, room in sorted(self.client.rooms.items()):
            if (room_id not in exclude and not room.name and room.member_count == 2
                    and set(room.users) == {user_id, self.bot_id}):
                return room_id
        if user_id in self._created:
            return self._created[user_id]
        # With encryption on, a DM the bot opens is encrypted from its first event.
        encrypted = [{"type": "m.room.encryption", "state_key": "",
                      "content": {"algorithm": "m.megolm.v1.aes-sha2"}}] if self.client.olm else []
        resp = await self.client.room_create(is_direct=True, invite=[user_id],
                                             preset=RoomPreset.trusted_private_chat, initial_state=encrypted)
        if isinstance(resp, RoomCreateError):
            log.warning("matrix.dm_create_failed", **fields(status=resp.status_code))
            raise RuntimeError(f"cannot open a direct chat: {resp.status_code}")
        self._created[user_id] = resp.room_id
        if encrypted:
            await self._until_synced(resp.room_id, user_id)
        return resp.room_id

    async def _until_synced(self, room_id: str, user_id: str, timeout: float = 10) -> None:
        """Wait for the sync loop to show the invitation in the new room.

        The room key of an encrypted message goes to the members the client knows of
        when it sends; before this sync the member would get a message they cannot read.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            room = self.client.rooms.get(room_id)
            if room is not None and user_id in room.users:
                return
            await asyncio.sleep(0.05)
        log.warning("matrix.dm_not_synced", **fields(wait_s=timeout))

    async def upload(self, room_id: str, data: bytes, filename: str, mimetype: str) -> dict:
        """Upload a file for `room_id`: encrypted when the room is; returns the `url` or `file` part."""
        room = self.client.rooms.get(room_id)
        encrypted = bool(room and room.encrypted)
        resp, keys = await self.client.upload(io.BytesIO(data), content_type=mimetype, filename=filename,
                                              encrypt=encrypted, filesize=len(data))
        if not isinstance(resp, UploadResponse):
            raise RuntimeError(f"upload failed: {getattr(resp, 'status_code', 'unknown')}")
        if encrypted:
            return {"file": {"url": resp.content_uri, "mimetype": mimetype, **keys}}
        return {"url": resp.content_uri}
