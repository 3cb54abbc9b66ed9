"""A simulated Element user: matrix-js-sdk with Rust crypto in a Node process (tests/element).

The Node side (tests/element/driver.mjs) answers one JSON line per request, by id, so a
wait for an event can run while the same user sends. `make test` installs its npm
packages (pinned in tests/element/package-lock.json, Node 22 from the npm `node` package).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path
from typing import Any

from devtools.synapse import RegisteredUser

DRIVER_DIR = Path(__file__).resolve().parent.parent / "tests" / "element"
NODE = DRIVER_DIR / "node_modules" / ".bin" / "node"


class ElementUnavailable(RuntimeError):
    pass


def check_installed() -> None:
    """Raise, saying how to fix it, when the Node packages are not installed."""
    if not NODE.exists() or not (DRIVER_DIR / "node_modules" / "matrix-js-sdk").exists():
        raise ElementUnavailable(
            f"matrix-js-sdk is not installed in {DRIVER_DIR}: run `make test` (or "
            f"`npm ci --no-audit --no-fund` in that folder); the js-sdk tests may not be skipped")


class DriverError(RuntimeError):
    pass


class ElementMember:
    """`member = await ElementMember.start(url, user, log)`; every call is one driver request."""

    def __init__(self, user: RegisteredUser, proc: asyncio.subprocess.Process, log: Path):
        self.user = user
        self.user_id = user.user_id
        self.device_id = user.device_id
        self.log = log
        self._proc = proc
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future] = {}
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, homeserver: str, user: RegisteredUser, log: Path) -> "ElementMember":
        check_installed()
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as stderr:  # the child keeps its own handle
            proc = await asyncio.create_subprocess_exec(
                str(NODE), str(DRIVER_DIR / "driver.mjs"), cwd=DRIVER_DIR,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=stderr,
                limit=16 * 1024 * 1024)
        member = cls(user, proc, log)
        try:
            await member.call("start", base_url=homeserver, user_id=user.user_id, access_token=user.access_token,
                              device_id=user.device_id, password=user.password, timeout=60)
        except BaseException:
            await member.close()
            raise
        return member

    async def _read(self) -> None:
        assert self._proc.stdout is not None
        while line := await self._proc.stdout.readline():
            answer = json.loads(line)
            future = self._waiting.pop(answer.get("id"), None)
            if future is None or future.done():
                continue
            if answer["ok"]:
                future.set_result(answer["result"])
            else:
                future.set_exception(DriverError(f"{self.user_id}: {answer['error']}"))
        for future in self._waiting.values():  # the process ended: nobody will answer these
            if not future.done():
                future.set_exception(DriverError(f"{self.user_id}: the js-sdk driver exited (see {self.log})"))
        self._waiting.clear()

    async def call(self, op: str, timeout: float = 30, **args: Any) -> Any:
        request_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = future
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps({"id": request_id, "op": op, **args}).encode() + b"\n")
        await self._proc.stdin.drain()
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._waiting.pop(request_id, None)  # a late answer is dropped

    # The operations, named as an Element user would do them.

    async def bootstrap_cross_signing(self) -> dict:
        return await self.call("bootstrap_cross_signing", timeout=60)

    async def create_room(self, name: str = "", invite: list[str] = (), *, encrypted: bool = False,
                          direct: bool = False, power: dict[str, int] | None = None) -> str:
        out = await self.call("create_room", name=name, invite=list(invite), encrypted=encrypted,
                              direct=direct, power=power)
        return out["room_id"]

    async def wait_member(self, room: str, user_id: str, timeout: float = 20,
                          membership: str | list[str] = "join") -> None:
        await self.call("wait_member", room=room, user=user_id, membership=membership,
                        timeout_ms=int(timeout * 1000), timeout=timeout + 5)

    async def room_with(self, name: str, bot_id: str, others: tuple["ElementMember", ...] = (),
                        encrypted: bool = False) -> str:
        room = await self.create_room(name, [bot_id, *[o.user_id for o in others]], encrypted=encrypted)
        await self.wait_member(room, bot_id)
        for other in others:  # they accept invitations as they come
            await self.wait_member(room, other.user_id)
            await other.wait_member(room, other.user_id)
        return room

    async def say(self, room: str, body: str, *, thread_root: str | None = None) -> str:
        return (await self.call("send", room=room, body=body, thread_root=thread_root))["event_id"]

    async def react(self, room: str, event_id: str, key: str) -> str:
        return (await self.call("react", room=room, event_id=event_id, key=key))["event_id"]

    async def redact(self, room: str, event_id: str) -> str:
        return (await self.call("redact", room=room, event_id=event_id))["event_id"]

    async def set_power(self, room: str, user_id: str, level: int) -> None:
        await self.call("set_power", room=room, user=user_id, level=level)

    async def mark(self) -> int:
        """The number of events seen so far, for wait_for(since=...)."""
        return (await self.call("event_count"))["count"]

    async def wait_for(self, timeout: float = 20, **match: Any) -> dict:
        """The first event matching every field (room, sender, type, msgtype, body_contains,
        body_startswith, rel_type, relates_to, after, since), described as Element shows it."""
        return await self.call("wait_event", timeout_ms=int(timeout * 1000), timeout=timeout + 10, **match)

    async def ask(self, room: str, body: str, bot_id: str, timeout: float = 20,
                  thread_root: str | None = None, contains: str | None = None) -> dict:
        """Send, and return the bot's first message after it in that room (the first that
        contains `contains`, when other messages of the bot may come in between)."""
        since = await self.mark()
        own = await self.say(room, body, thread_root=thread_root)
        return await self.wait_for(timeout, room=room, sender=bot_id, type="m.room.message",
                                   after=own, since=since, body_contains=contains)

    async def messages_from(self, sender: str) -> list[dict]:
        return await self.call("messages_from", sender=sender)

    async def device_status(self, user_id: str, device_id: str) -> dict | None:
        return await self.call("device_status", user=user_id, device=device_id)

    async def exclude_insecure_devices(self, on: bool = True) -> None:
        await self.call("exclude_insecure_devices", on=on)

    async def download_text(self, content: dict) -> str:
        """An m.file's text, decrypted when it came encrypted (content["file"])."""
        args = {"file": content["file"]} if "file" in content else {"mxc": content["url"]}
        return (await self.call("download", as_text=True, **args))["text"]

    async def close(self) -> None:
        if self._proc.returncode is None:
            try:
                await self.call("stop", timeout=10)
            except (DriverError, asyncio.TimeoutError, ConnectionError):  # it may have died already
                pass
            try:
                await asyncio.wait_for(self._proc.wait(), 10)
            except asyncio.TimeoutError:
                self._proc.kill()
                await self._proc.wait()
        self._reader.cancel()


def body_of(event: dict) -> str:
    return (event.get("content") or {}).get("body", "")
