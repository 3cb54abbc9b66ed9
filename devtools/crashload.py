"""Tools for the crash-safety test: the bot as a real process that can be SIGKILLed and
restarted, the database checks run between lives, and whole-room histories read back
through a member's client."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nio import AsyncClient, RoomMessagesResponse

from devtools.synapse import RegisteredUser

ROOT = Path(__file__).resolve().parents[1]
READY = "scheduler.loaded"  # logged once per life, after the first sync, when scheduled work starts


def write_config(folder: Path, homeserver: str, user: RegisteredUser, **sections: dict[str, Any]) -> Path:
    """A config file for `user` (token from the environment), its files under `folder`."""
    raw: dict[str, dict[str, Any]] = {
        "matrix": {"homeserver": homeserver, "user_id": user.user_id, "device_id": user.device_id,
                   "store_path": "store"},
        "bot": {"secret_file": "secret.key"},
        "database": {"url": "sqlite+aiosqlite:///copbot.db"},
        "logging": {"level": "INFO"},
    }
    for name, values in sections.items():
        raw.setdefault(name, {}).update(values)
    lines = []
    for name, values in raw.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {_toml(value)}" for key, value in values.items()]
        lines.append("")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text("\n".join(lines))
    return path


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class BotProcess:
    """`copbot run` in a subprocess (this checkout's code), with a log that survives its deaths."""

    config: Path
    token: str
    log: Path
    proc: asyncio.subprocess.Process | None = None
    lives: int = 0
    kills: int = 0
    _ready_before: int = 0
    _fh: Any = field(default=None, repr=False)

    def _ready_count(self) -> int:
        return self.log.read_text(errors="replace").count(READY) if self.log.exists() else 0

    async def start(self) -> None:
        assert self.proc is None or self.proc.returncode is not None, "already running"
        self._ready_before = self._ready_count()
        self._fh = self.log.open("ab")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "COPBOT_ACCESS_TOKEN": self.token}
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--config", str(self.config),
            cwd=str(ROOT), env=env, stdout=self._fh, stderr=self._fh)
        self.lives += 1

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def ready(self) -> bool:
        return self.running and self._ready_count() > self._ready_before

    async def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not self.ready():
            if not self.running:
                raise RuntimeError(f"the bot exited with {self.proc.returncode}:\n{self.tail()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot was not ready after {timeout} s:\n{self.tail()}")
            await asyncio.sleep(0.2)

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as in a power cut of the process."""
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        self._fh.close()
        self.kills += 1

    async def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.proc.wait(), 60)
        self._fh.close()
        return code

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def check_database(path: Path) -> tuple[str, list[tuple]]:
    """`PRAGMA integrity_check` and `PRAGMA foreign_key_check`, as a restarted bot would find them."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    return integrity, orphans


async def history(client: AsyncClient, room_id: str) -> list[dict]:
    """Every event of a room the client can see, oldest first (sync the client first)."""
    out: list[dict] = []
    token = client.next_batch
    while True:
        resp = await client.room_messages(room_id, start=token, limit=100)
        if not isinstance(resp, RoomMessagesResponse):
            raise RuntimeError(f"room_messages failed: {resp}")
        out.extend(event.source for event in resp.chunk)
        if not resp.chunk or not resp.end or resp.end == token:
            break
        token = resp.end
    return list(reversed(out))
