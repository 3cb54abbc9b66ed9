"""Runs what the database says is due.

The database is the single source of truth: each feature registers a
provider that lists its pending actions from the database and fires one by
key. On start every pending action is loaded again, so a restart loses
nothing; an action that fell due while the bot was down fires at once
(the provider decides whether a late action still makes sense). `fire`
must check the database first, so a second call does nothing (and a call
before the action's due time only puts it back on the clock), and a failed
action is retried with backoff instead of being dropped.

Runs of one key never overlap: a key put on the clock again while it is
running (a provider's start-up planning and `start` both schedule an
overdue action, for instance) waits for the first run to finish, then finds
the database already updated. (APScheduler alone would drop that second
run, which loses an action when the key was rescheduled for real.)

Only actions due within HORIZON are put on the clock at start; every
TOP_UP_S the clock is topped up from the database with those that have come
within it, so thousands of actions weeks away cost neither start-up time nor
memory. `at` always puts an action on the clock, whenever it is due, so an
action planned by a command is never left for the next top-up.

Many actions due at once take turns, MAX_RUNNING at a time, in due order,
and their sends take narrower turns again (bot.sender). All at once, the
homeserver (Synapse on SQLite: one database connection) works on every send
together and finishes them all together, late: 50 reminders due in the same
second arrived after 4 to 6 s (p50); ten at a time, at 2.3 s. Ten actions
read the database while three of their sends are at the homeserver, so it
is never idle between sends. An action that runs long gives up its turn
after TURN_S, so it cannot hold back the ones behind it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Awaitable, Callable, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.logs import fields
from bot.sender import scheduled_send

log = logging.getLogger(__name__)

Pending = Callable[[], Awaitable[list[tuple[str, datetime]]]]
Fire = Callable[[str], Awaitable[None]]
Plan = Callable[[], Awaitable[None]]
MAX_RETRY_S = 300
HORIZON = timedelta(hours=6)
TOP_UP_S = 600  # well inside HORIZON: an action is on the clock hours before it is due

MAX_RUNNING = 10  # actions sent to the homeserver at once; the rest wait their turn, in due order
TURN_S = 2.0  # an action running longer than this (a check-in round's many DMs) lets the next one start


@dataclass(frozen=True)
class Provider:
    pending: Pending  # what the database says is due, and when; no side effects
    fire: Fire
    plan: Plan | None = None  # start-up planning (the clock moved, the config changed), before pending


class Schedule(Protocol):
    """What commands need: put an action on the clock, or take it off."""

    def at(self, provider: str, key: str, due: datetime) -> None: ...
    def cancel(self, provider: str, key: str) -> None: ...


class Scheduler:
    def __init__(self, clock: Clock, max_running: int = MAX_RUNNING, turn_s: float = TURN_S):
        self.clock = clock
        self._slots = asyncio.Semaphore(max_running)  # FIFO: APScheduler starts due jobs in due order
        self._turn_s = turn_s
        self._aps = AsyncIOScheduler(timezone=timezone.utc)
        self._providers: dict[str, Provider] = {}
        self._failures: dict[str, int] = {}
        self._running: dict[str, tuple[asyncio.Lock, int]] = {}  # one run at a time per key, and its users
        self._loaded: tuple[int, int] | None = None  # (pending, put on the clock) by load()

    def provide(self, name: str, pending: Pending, fire: Fire, plan: Plan | None = None) -> None:
        self._providers[name] = Provider(pending, fire, plan)

    def every(self, name: str, seconds: float, job: Callable[[], Awaitable[None]]) -> None:
        self._aps.add_job(self._guarded, "interval", seconds=seconds, args=[name, job], id=f"every:{name}",
                          replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=None)

    async def load(self) -> int:
        """Plan, and put what is due within HORIZON on the clock, which need not be running yet
        (the bot loads while the homeserver builds its first sync); return how many are pending."""
        for name, provider in self._providers.items():
            if provider.plan is None:
                continue
            try:  # planning failed: what is pending in the database still goes on the clock
                await provider.plan()
            except Exception as exc:
                log.error("scheduler.plan_failed", exc_info=exc, **fields(provider=name))
        self._loaded = await self._load(starting=True)
        return self._loaded[0]

    async def start(self) -> int:
        """Start the clock, loading first unless load() did; return how many actions are pending."""
        if self._loaded is None:
            await self.load()
        if not self._aps.running:
            self._aps.start()
        self.every("scheduler.top_up", TOP_UP_S, self.top_up)
        pending, added = self._loaded
        log.info("scheduler.loaded", **fields(actions=pending, on_clock=added))
        return pending

    async def top_up(self) -> int:
        """Put on the clock what has come within HORIZON; return how many were added."""
        _, added = await self._load(starting=False)
        if added:
            log.info("scheduler.topped_up", **fields(actions=added))
        return added

    async def _load(self, *, starting: bool) -> tuple[int, int]:
        """(pending actions, actions put on the clock). At start the database's time wins unless the
        key is on the clock for exactly that time; later a key on the clock stays as it is (a retry
        waiting out its backoff, say: its row still shows the time it first fell due)."""
        until = self.clock.now() + HORIZON
        pending = added = 0
        for name, provider in self._providers.items():
            for key, due in await provider.pending():
                pending += 1
                if due >= until:
                    continue
                if starting:
                    if self._on_clock(name, key, due):  # put there by a command already
                        continue
                elif self._aps.get_job(f"{name}:{key}") is not None:
                    continue
                self.at(name, key, due)
                added += 1
        return pending, added

    def at(self, provider: str, key: str, due: datetime) -> None:
        run = max(due, self.clock.now())
        # APScheduler would skip (and so lose) a run while the key's previous run is still going;
        # _fire lets it wait its turn instead.
        self._aps.add_job(self._fire, "date", run_date=run, args=[provider, key], id=f"{provider}:{key}",
                          replace_existing=True, misfire_grace_time=None, coalesce=True, max_instances=100)

    def _on_clock(self, provider: str, key: str, due: datetime) -> bool:
        """Already planned for exactly `due` (a future time): adding it again would change nothing."""
        job = self._aps.get_job(f"{provider}:{key}")
        # A job added before the clock started has no next_run_time yet: it is added again.
        return job is not None and due > self.clock.now() and getattr(job, "next_run_time", None) == due

    def cancel(self, provider: str, key: str) -> None:
        job = self._aps.get_job(f"{provider}:{key}")
        if job is not None:
            job.remove()

    def retry_failed_now(self) -> int:
        """Bring every action waiting out a retry back to now (the homeserver is back)."""
        for job_id in list(self._failures):
            provider, key = job_id.split(":", 1)
            if self._aps.get_job(job_id) is not None:
                self.at(provider, key, self.clock.now())
        return len(self._failures)

    def shutdown(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)

    async def _fire(self, provider: str, key: str) -> None:
        job_id = f"{provider}:{key}"
        lock, users = self._running.get(job_id, (asyncio.Lock(), 0))
        self._running[job_id] = (lock, users + 1)
        try:
            async with lock:
                await self._take_turn(provider, key, job_id)
        finally:
            lock, users = self._running[job_id]
            if users == 1:
                del self._running[job_id]
            else:
                self._running[job_id] = (lock, users - 1)

    async def _take_turn(self, provider: str, key: str, job_id: str) -> None:
        await self._slots.acquire()
        run = asyncio.ensure_future(self._run(provider, key, job_id))
        try:
            await asyncio.wait({run}, timeout=self._turn_s)
        except asyncio.CancelledError:
            run.cancel()
            raise
        finally:
            self._slots.release()
        await run

    async def _run(self, provider: str, key: str, job_id: str) -> None:
        scheduled_send.set(True)  # this task's own context: its sends take turns (bot.sender)
        try:
            await self._providers[provider].fire(key)
            self._failures.pop(job_id, None)
        except Exception as exc:  # never dropped: retried with backoff until it works
            failures = self._failures[job_id] = self._failures.get(job_id, 0) + 1
            wait = min(MAX_RETRY_S, 5 * 2 ** min(failures, 6))
            log.warning("scheduler.retry", exc_info=exc, **fields(provider=provider, attempt=failures, wait_s=wait))
            self.at(provider, key, self.clock.now() + timedelta(seconds=wait))

    async def _guarded(self, name: str, job: Callable[[], Awaitable[None]]) -> None:
        try:
            await job()
        except Exception as exc:
            log.error("scheduler.periodic_failed", exc_info=exc, **fields(job=name))
