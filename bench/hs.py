"""Homeserver plumbing for the Matrix benchmark: a throwaway Synapse tuned for bulk setup,
users registered in threads, and a thin client-server API client for creating rooms and joins
quickly. Only the setup uses the thin client; what is measured goes through matrix-nio
(bench/probe.py)."""

from __future__ import annotations

import asyncio
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterable, TypeVar

import aiohttp

from devtools.synapse import RegisteredUser, Synapse

T = TypeVar("T")

# Registration hashes each password with bcrypt; 12 rounds (the default) take ~0.3 s a user on
# this class of machine, so registering thousands of users would dominate the run. Only
# registration and password logins are affected, nothing that is measured.
# The user directory and room statistics are background work unrelated to bots; off.
# Synapse caps a sync filter's timeline limit at 100 events (filter_timeline_limit): a burst of 500
# would be cut for the floor bot and the observing member, so the cap is raised. copbot keeps its
# own limit of 50 and fills a limited timeline with /messages.
BENCH_OVERRIDES = {"bcrypt_rounds": 4, "user_directory": {"enabled": False}, "stats": {"enabled": False},
                   "filter_timeline_limit": 1000}


def start_synapse(folder: Path) -> Synapse:
    hs = Synapse(folder)
    path = hs.write_config()
    config = json.loads(path.read_text())
    config.update(BENCH_OVERRIDES)
    path.write_text(json.dumps(config, indent=1))
    return hs.start(timeout=120)


def register_many(hs: Synapse, localparts: Iterable[str], threads: int = 6) -> list[RegisteredUser]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(hs.register, localparts))


async def bounded(limit: int, jobs: Iterable[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run coroutine factories with at most `limit` in flight; results in order."""
    sem = asyncio.Semaphore(limit)

    async def one(job: Callable[[], Awaitable[T]]) -> T:
        async with sem:
            return await job()

    return await asyncio.gather(*(one(j) for j in jobs))


class Api:
    """The few client-server API calls the setup needs, with retries on 429 and 5xx."""

    def __init__(self, url: str):
        self.url = url
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120))

    async def close(self) -> None:
        await self.session.close()

    async def call(self, token: str, method: str, path: str, body: dict | None = None) -> dict:
        for attempt in range(8):
            async with self.session.request(method, f"{self.url}{path}", json=body,
                                            headers={"Authorization": f"Bearer {token}"}) as resp:
                data: dict[str, Any] = await resp.json(content_type=None)
                if resp.status == 200:
                    return data
                if resp.status == 429 or resp.status >= 500:
                    await asyncio.sleep(data.get("retry_after_ms", 200 * 2 ** attempt) / 1000)
                    continue
                raise RuntimeError(f"{method} {path}: {resp.status} {data}")
        raise RuntimeError(f"{method} {path}: gave up after retries")

    async def create_room(self, token: str, name: str, invite: list[str] = (), public: bool = True) -> str:
        body = {"name": name, "invite": list(invite), "preset": "public_chat" if public else "private_chat"}
        return (await self.call(token, "POST", "/_matrix/client/v3/createRoom", body))["room_id"]

    async def join(self, token: str, room_id: str) -> None:
        await self.call(token, "POST", f"/_matrix/client/v3/join/{room_id}", {})

    async def invite(self, token: str, room_id: str, user_id: str) -> None:
        await self.call(token, "POST", f"/_matrix/client/v3/rooms/{room_id}/invite", {"user_id": user_id})

    async def members(self, token: str, room_id: str) -> set[str]:
        data = await self.call(token, "GET", f"/_matrix/client/v3/rooms/{room_id}/joined_members")
        return set(data["joined"])

    async def event_content(self, token: str, room_id: str, event_id: str) -> dict:
        return (await self.call(token, "GET", f"/_matrix/client/v3/rooms/{room_id}/event/{event_id}"))["content"]

    async def send(self, token: str, room_id: str, body: str) -> str:
        path = f"/_matrix/client/v3/rooms/{room_id}/send/m.room.message/{uuid.uuid4().hex}"
        return (await self.call(token, "PUT", path, {"msgtype": "m.text", "body": body}))["event_id"]
