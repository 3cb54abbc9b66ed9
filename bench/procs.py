"""The bots under test, each in its own process so its memory can be read.

Peak RSS is the larger of the highest psutil sample (every 50 ms) and the kernel's own high-water
mark (VmHWM in /proc/<pid>/status), which catches peaks between samples.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import psutil

from devtools.synapse import RegisteredUser

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def vm_hwm(pid: int) -> int | None:
    """The process's peak resident memory in bytes, as the kernel counted it."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class Proc:
    def __init__(self, name: str, argv: list[str], log: Path, env: dict[str, str] | None = None):
        self.name, self.argv, self.log_path = name, argv, log
        self.env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
        self.popen: subprocess.Popen | None = None
        self.started_wall = 0.0
        self.started_perf = 0.0
        self.peak_sample = 0
        self.samples = 0
        self._sampler: asyncio.Task | None = None

    @property
    def pid(self) -> int:
        return self.popen.pid

    def start(self) -> "Proc":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        out = self.log_path.open("ab")
        self.started_wall, self.started_perf = time.time(), time.perf_counter()
        self.popen = subprocess.Popen(self.argv, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        out.close()
        self.peak_sample = self.samples = 0
        self._sampler = asyncio.get_running_loop().create_task(self._sample())
        return self

    async def _sample(self) -> None:
        proc = psutil.Process(self.pid)
        while True:
            try:
                self.peak_sample = max(self.peak_sample, proc.memory_info().rss)
                self.samples += 1
            except psutil.Error:
                return
            await asyncio.sleep(0.05)

    def rss(self) -> int:
        return psutil.Process(self.pid).memory_info().rss

    def peak_rss(self) -> int:
        return max(self.peak_sample, vm_hwm(self.pid) or 0)

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    async def wait_line(self, needle: str, timeout: float = 60) -> float:
        """Wait until `needle` appears in the log; return the wall time it was seen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.log_path.read_text(errors="replace"):
                return time.time()
            if not self.alive():
                raise RuntimeError(f"{self.name} exited:\n{self.tail()}")
            await asyncio.sleep(0.05)
        raise TimeoutError(f"{self.name}: no {needle!r} within {timeout} s:\n{self.tail()}")

    def tail(self, n: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-n:]

    async def stop(self) -> None:
        if self._sampler is not None:
            self._sampler.cancel()
        if not self.alive():
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        for _ in range(300):
            if self.popen.poll() is not None:
                return
            await asyncio.sleep(0.1)
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()


def floor_bot(hs_url: str, user: RegisteredUser, folder: Path) -> Proc:
    return Proc("floor", [sys.executable, "-m", "bench.floor_bot", "--homeserver", hs_url,
                          "--user-id", user.user_id, "--device-id", user.device_id],
                folder / "floor.log", env={"FLOOR_TOKEN": user.access_token})


def write_copbot_config(hs_url: str, user: RegisteredUser, folder: Path) -> Path:
    """The bot's config as a TOML file, as an operator would write it (encryption on, the default)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "copbot.toml"
    path.write_text(f"""\
[matrix]
homeserver = "{hs_url}"
user_id = "{user.user_id}"
access_token = "{user.access_token}"
device_id = "{user.device_id}"
store_path = "store"

[bot]
secret_file = "secret.key"

[workshops]
allow_seconds_offsets = true

[database]
url = "sqlite+aiosqlite:///copbot.db"

[logging]
level = "INFO"
format = "json"
""")
    return path


def copbot(config: Path, folder: Path, tag: str = "") -> Proc:
    return Proc(f"copbot{tag}", [sys.executable, "-m", "bot.cli", "run", "--config", str(config)],
                folder / f"copbot{tag}.log")


def log_events(path: Path, event: str) -> list[dict]:
    """The JSON log records of one event name (the bot logs one JSON object per line)."""
    out = []
    for line in path.read_text(errors="replace").splitlines():
        if f'"{event}"' not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("event") == event:
            record["_wall"] = datetime.fromisoformat(record["ts"]).timestamp()
            out.append(record)
    return out
