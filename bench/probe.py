"""A measuring member: a devtools Member (a real matrix-nio client) with its own /sync loop.

Every round trip in the benchmark is measured the same way, for the floor bot and for copbot:
t0 = time.perf_counter() just before the member's room_send, t1 = the moment the member's own
long-polling /sync (30 s timeout, returns as soon as something happens) hands back the bot's
message. Arrival times are kept per room, in timeline order, for the bots' messages.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from nio import SyncResponse

from devtools.member import Member
from devtools.synapse import RegisteredUser

# Only messages in the timeline (no presence, receipts, typing, account data); a high limit so a
# burst is never cut short by a "limited" timeline.
SYNC_FILTER = {
    "presence": {"types": []},
    "account_data": {"types": []},
    "room": {"timeline": {"limit": 2000, "types": ["m.room.message"]}, "ephemeral": {"types": []},
             "account_data": {"types": []}},
}


@dataclass
class Seen:
    event_id: str
    sender: str
    body: str
    perf: float  # time.perf_counter() when this member's sync returned it
    wall: float  # time.time() at the same moment


@dataclass
class RoomLog:
    bot: list[Seen] = field(default_factory=list)     # messages from a bot, in timeline order
    people: list[Seen] = field(default_factory=list)  # everyone else's messages, in timeline order


class Probe:
    def __init__(self, homeserver: str, user: RegisteredUser, bots: set[str]):
        self.member = Member(homeserver, user, encryption=False)  # the bench rooms are unencrypted, as measured
        self.user_id = user.user_id
        self.bots = bots
        self.rooms: dict[str, RoomLog] = {}
        self.syncs = 0
        self._tick = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._failure: BaseException | None = None

    @property
    def client(self):
        return self.member.client

    def log(self, room_id: str) -> RoomLog:
        return self.rooms.setdefault(room_id, RoomLog())

    async def start(self) -> "Probe":
        """One initial sync (history, not recorded), then the sync loop in the background."""
        resp = await self.client.sync(timeout=0, full_state=True, sync_filter=SYNC_FILTER)
        if not isinstance(resp, SyncResponse):
            raise RuntimeError(f"initial sync failed: {resp}")
        self._task = asyncio.create_task(self._loop())
        return self

    async def _loop(self) -> None:
        try:
            while True:
                resp = await self.client.sync(timeout=30_000, since=self.client.next_batch,
                                              sync_filter=SYNC_FILTER)
                perf, wall = time.perf_counter(), time.time()
                if not isinstance(resp, SyncResponse):
                    await asyncio.sleep(0.2)
                    continue
                self.syncs += 1
                for room_id, info in resp.rooms.join.items():
                    log = self.log(room_id)
                    for event in info.timeline.events:
                        src = event.source
                        if src.get("type") != "m.room.message":
                            continue
                        seen = Seen(src.get("event_id", ""), src.get("sender", ""),
                                    (src.get("content") or {}).get("body", ""), perf, wall)
                        (log.bot if seen.sender in self.bots else log.people).append(seen)
                old, self._tick = self._tick, asyncio.Event()
                old.set()
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # surfaced to whoever waits
            self._failure = exc
            self._tick.set()

    async def until(self, predicate, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if self._failure is not None:
                raise RuntimeError(f"{self.user_id}: sync loop failed") from self._failure
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{self.user_id}: timed out")
            try:
                await asyncio.wait_for(self._tick.wait(), timeout=left)
            except asyncio.TimeoutError:
                pass

    async def send(self, room_id: str, body: str) -> str:
        resp = await self.client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": body})
        event_id = getattr(resp, "event_id", None)
        if not event_id:
            raise RuntimeError(f"send failed: {resp}")
        return event_id

    async def ask(self, room_id: str, body: str, expect: str | None = None,
                  timeout: float = 60) -> tuple[float, Seen]:
        """Send `body` and wait for the next bot message in the room (containing `expect`).

        Returns (round trip in seconds, the message). One question per room at a time.
        """
        log = self.log(room_id)
        mark = len(log.bot)
        t0 = time.perf_counter()
        await self.send(room_id, body)

        def answered() -> Seen | None:
            return next((s for s in log.bot[mark:] if expect is None or expect in s.body), None)

        await self.until(lambda: answered() is not None, timeout)
        seen = answered()
        return seen.perf - t0, seen

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.member.close()
