"""A scripted member: a real matrix-nio client that sends and waits for events."""

from __future__ import annotations

import asyncio
import json
import secrets
import shutil
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

from nio import AsyncClient, AsyncClientConfig, RoomCreateResponse, RoomPreset, SyncResponse

from devtools.synapse import RegisteredUser


class Member:
    def __init__(self, homeserver: str, user: RegisteredUser, store: Path | None = None,
                 encryption: bool = True):
        # Like a real member's client, a scripted member can read encrypted rooms and the
        # encrypted DMs the bot opens; its keys live in `store` (a temporary folder by default).
        config = AsyncClientConfig(encryption_enabled=encryption, store_sync_tokens=False)
        self._own_store: Path | None = None  # a temporary store this member made, removed on close
        if encryption and store is None:
            store = self._own_store = Path(tempfile.mkdtemp(prefix="member-store-"))
        if store:
            store.mkdir(parents=True, exist_ok=True)
        self.client = AsyncClient(homeserver, user.user_id, device_id=user.device_id,
                                  store_path=str(store) if store else "", config=config)
        self.client.restore_login(user.user_id, user.device_id, user.access_token)
        self.user_id = user.user_id
        self.events: list[tuple[str, dict]] = []  # (room_id, event source), in arrival order
        self._synced_once = False

    async def sync(self, timeout_ms: int = 0) -> None:
        resp = await self.client.sync(timeout=timeout_ms, full_state=not self._synced_once)
        if not isinstance(resp, SyncResponse):
            raise RuntimeError(f"member sync failed: {resp}")
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        if self.client.should_query_keys:
            await self.client.keys_query()
        self._synced_once = True
        for room_id, info in resp.rooms.join.items():
            for event in info.timeline.events:
                source = event.source
                if getattr(event, "decrypted", False):  # lets tests tell that it came encrypted
                    source = {**source, "decrypted": True}
                self.events.append((room_id, source))
        for room_id in resp.rooms.invite:
            await self.client.join(room_id)

    async def create_room(self, name: str, invite: list[str] = (), direct: bool = False,
                          power: dict[str, int] | None = None, encrypted: bool = False) -> str:
        initial = []
        if encrypted:
            initial.append({"type": "m.room.encryption", "state_key": "",
                            "content": {"algorithm": "m.megolm.v1.aes-sha2"}})
        if power:
            initial.append({"type": "m.room.power_levels", "state_key": "",
                            "content": {"users": {self.user_id: 100, **power}}})
        # A DM as Element makes it: trusted_private_chat, where the invited person gets the same
        # power as its creator (and so may redact, or turn encryption on).
        resp = await self.client.room_create(name=name, invite=list(invite), is_direct=direct,
                                             initial_state=initial,
                                             preset=RoomPreset.trusted_private_chat if direct else None)
        if not isinstance(resp, RoomCreateResponse):
            raise RuntimeError(f"room_create failed: {resp}")
        await self.sync()
        return resp.room_id

    async def room_with(self, name: str, bot_id: str, others: tuple["Member", ...] = (),
                        encrypted: bool = False) -> str:
        """A room this member creates with the bot and `others`, returned once all have joined."""
        room = await self.create_room(name, invite=[bot_id, *[o.user_id for o in others]], encrypted=encrypted)
        await self.wait_for_member(room, bot_id)
        for other in others:
            await other.sync()  # accepts the invitation
            await self.wait_for_member(room, other.user_id)
            await other.wait_for_member(room, other.user_id)  # their client knows the room (to encrypt for it)
        return room

    async def dm_with(self, bot_id: str, encrypted: bool = False) -> str:
        """A direct chat with the bot, returned once the bot has joined."""
        room = await self.create_room("", invite=[bot_id], direct=True, encrypted=encrypted)
        await self.wait_for_member(room, bot_id)
        return room

    async def say(self, room_id: str, body: str, *, thread_root: str | None = None,
                  msgtype: str = "m.text") -> str:
        content: dict[str, Any] = {"msgtype": msgtype, "body": body}
        if thread_root:
            content["m.relates_to"] = {"rel_type": "m.thread", "event_id": thread_root}
        resp = await self.client.room_send(room_id, "m.room.message", content,
                                           ignore_unverified_devices=True)
        if not getattr(resp, "event_id", None):
            raise RuntimeError(f"send failed: {resp}")
        return resp.event_id

    async def send_undecryptable(self, room_id: str) -> str:
        """A megolm event under a session never shared with anyone: what a client with a
        key-sharing problem sends. Sent raw, since nio would encrypt it again."""
        content = {
            "algorithm": "m.megolm.v1.aes-sha2",
            "ciphertext": "AwgAEnAC" + secrets.token_hex(48),
            "device_id": self.client.device_id,
            "sender_key": self.client.olm.account.identity_keys["curve25519"],
            "session_id": secrets.token_hex(21)[:43],
        }
        url = (f"{self.client.homeserver}/_matrix/client/v3/rooms/{room_id}"
               f"/send/m.room.encrypted/{secrets.token_hex(8)}")

        def put() -> str:
            req = urllib.request.Request(url, data=json.dumps(content).encode(), method="PUT", headers={
                "Authorization": f"Bearer {self.client.access_token}", "Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=10) as resp:
                return json.loads(resp.read())["event_id"]

        return await asyncio.to_thread(put)

    async def wait_for(self, predicate: Callable[[str, dict], bool], timeout: float = 15,
                       since: int = 0) -> tuple[str, dict]:
        """The first event (after index `since`) that matches, syncing until it comes."""
        deadline = time.monotonic() + timeout
        checked = since
        while True:
            for room_id, event in self.events[checked:]:
                if predicate(room_id, event):
                    return room_id, event
            checked = len(self.events)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching event arrived")
            await self.sync(timeout_ms=int(min(left, 2) * 1000))

    async def wait_for_member(self, room_id: str, user_id: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            room = self.client.rooms.get(room_id)
            if room and user_id in room.users and not room.users[user_id].invited:
                return
            await self.sync(timeout_ms=1000)
        raise TimeoutError(f"{user_id} did not join")

    async def ask(self, room_id: str, body: str, bot_id: str, timeout: float = 15,
                  thread_root: str | None = None) -> dict:
        """Send a message and return the bot's first message after it in that room."""
        mark = len(self.events)
        own = await self.say(room_id, body, thread_root=thread_root)
        seen_own = False

        def after_own(room: str, event: dict) -> bool:
            nonlocal seen_own
            if room != room_id:
                return False
            if event.get("event_id") == own:
                seen_own = True
                return False
            return seen_own and event.get("sender") == bot_id and event.get("type") == "m.room.message"

        _, event = await self.wait_for(after_own, timeout=timeout, since=mark)
        return event

    async def close(self) -> None:
        await self.client.close()
        if self._own_store is not None:
            shutil.rmtree(self._own_store, ignore_errors=True)


def body_of(event: dict) -> str:
    return (event.get("content") or {}).get("body", "")
