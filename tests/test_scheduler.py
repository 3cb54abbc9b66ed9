"""The real Scheduler (APScheduler underneath) with many actions falling due in the same second."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import datetime, timedelta, timezone

from bot.clock import SystemClock
from bot.scheduler import MAX_RUNNING, Scheduler


async def test_many_actions_due_at_once_all_fire_once_and_the_first_due_go_out_first():
    """50 actions due within one second, each doing a few steps on one shared resource (as SQLite
    allows one writer at a time, and the bot's event loop runs one step at a time). All fire, once;
    they start in due order, and the first ones are done long before the last: they do not all
    advance together and finish together at the end."""
    scheduler = Scheduler(SystemClock())
    shared = asyncio.Lock()
    started: list[str] = []
    began: list[float] = []
    done: dict[str, float] = {}
    running = most = 0

    async def fire(key: str) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        started.append(key)
        began.append(time.perf_counter())
        for _ in range(5):
            async with shared:
                await asyncio.sleep(0.002)
        done[key] = time.perf_counter()
        running -= 1

    async def pending() -> list:
        return []

    scheduler.provide("x", pending, fire)
    await scheduler.start()
    base = datetime.now(timezone.utc) + timedelta(seconds=1)
    keys = [f"k{i:02d}" for i in range(50)]
    order = keys[:]
    random.Random(7).shuffle(order)  # put on the clock in any order
    try:
        for key in order:
            scheduler.at("x", key, base + timedelta(microseconds=1000 * int(key[1:])))
        for _ in range(200):
            if len(done) == len(keys):
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown()
    assert sorted(started) == keys and len(started) == len(keys)  # every one, and none twice
    assert started == keys  # in due order
    assert most <= MAX_RUNNING
    finished = sorted(done.values())
    # The first tenth is done within the first quarter of the run (all at once: near its end).
    assert finished[len(keys) // 10] - began[0] < (finished[-1] - began[0]) / 4


async def test_actions_that_run_long_do_not_hold_back_the_ones_due_after_them():
    """Long actions (a check-in round sending many DMs) fill every turn; one due just after them
    still starts once they have had their turn, not when they end."""
    scheduler = Scheduler(SystemClock(), max_running=2, turn_s=0.2)
    began: dict[str, float] = {}

    async def fire(key: str) -> None:
        began[key] = time.perf_counter()
        await asyncio.sleep(3 if key.startswith("long") else 0)

    async def pending() -> list:
        return []

    scheduler.provide("x", pending, fire)
    await scheduler.start()
    now = datetime.now(timezone.utc)
    try:
        scheduler.at("x", "long1", now)
        scheduler.at("x", "long2", now)
        scheduler.at("x", "short", now + timedelta(milliseconds=50))
        for _ in range(100):
            if "short" in began:
                break
            await asyncio.sleep(0.02)
    finally:
        scheduler.shutdown()
    assert "short" in began and began["short"] - began["long1"] < 1.0


async def test_sends_of_scheduled_actions_go_in_rounds_and_answers_do_not_wait_behind_them():
    """Ten reminders due at once reach the homeserver in rounds: the first at once, then three
    together, the next three when those are all answered (Synapse finishes the sends it has
    together, and wakes every /sync once for them). An answer to a command goes out meanwhile."""
    from bot.sender import SCHEDULED_IN_FLIGHT, Sender
    from bot.text import Text

    class Homeserver:
        def __init__(self):
            self.in_flight = self.most = 0
            self.sent: list[str] = []
            self.answered_before: list[int] = []  # for each scheduled send: sends answered when it started
            self.release = asyncio.Event()

        async def room_send(self, room_id, event_type, content, tx_id=None, ignore_unverified_devices=False):
            if room_id != "!answer":
                self.answered_before.append(len(self.sent))
                self.in_flight += 1
                self.most = max(self.most, self.in_flight)
                await self.release.wait()
                await asyncio.sleep(0.01 * random.random())  # answered in any order
                self.in_flight -= 1
            self.sent.append(room_id)
            return type("Resp", (), {"event_id": f"${len(self.sent)}"})()

    hs = Homeserver()
    sender = Sender(hs)
    scheduler = Scheduler(SystemClock())

    async def fire(key: str) -> None:
        await sender.send(f"!{key}", Text.escaped("Reminder"))

    async def pending() -> list:
        return []

    scheduler.provide("x", pending, fire)
    await scheduler.start()
    due = datetime.now(timezone.utc) + timedelta(milliseconds=200)
    try:
        for i in range(10):
            scheduler.at("x", f"r{i}", due)
        while not hs.in_flight:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # time for more to go out, if they could
        assert hs.in_flight == 1  # the first went at once, alone; the others queued behind it
        await asyncio.wait_for(sender.send("!answer", Text.escaped("pong")), timeout=1)
        assert hs.sent == ["!answer"]
        hs.release.set()
        while len(hs.sent) < 11:
            await asyncio.sleep(0.01)
    finally:
        scheduler.shutdown()
    assert hs.most == SCHEDULED_IN_FLIGHT
    assert sorted(hs.sent[1:]) == sorted(f"!r{i}" for i in range(10))
    # Rounds: 1, then 3, 3, 3, each starting when every send before it was answered (the answer
    # to the command counts as one of them).
    assert hs.answered_before == [0, 2, 2, 2, 5, 5, 5, 8, 8, 8]


async def test_a_round_that_hangs_lets_the_next_go_after_its_deadline():
    from bot.rounds import Rounds

    rounds = Rounds(3, max_round_s=0.3)
    hang = asyncio.Event()
    started: dict[str, float] = {}

    async def send(name: str, wait: asyncio.Event | None = None) -> None:
        async with rounds.turn():
            started[name] = time.perf_counter()
            if wait is not None:
                await wait.wait()

    hung = asyncio.create_task(send("hung", hang))
    await asyncio.sleep(0.01)
    await asyncio.wait_for(send("next"), timeout=2)
    assert 0.25 < started["next"] - started["hung"] < 1.0
    hang.set()
    await hung
    await asyncio.wait_for(send("after"), timeout=0.1)  # the late answer does not hold anything up


async def test_a_send_cancelled_while_it_waits_gives_its_place_back():
    """Cancelled while queued, or just as its round began: either way the next send is not held
    up until the round's deadline."""
    from bot.rounds import Rounds

    rounds = Rounds(1, max_round_s=30)
    order: list[str] = []

    async def send(name: str) -> None:
        async with rounds.turn():
            order.append(name)

    holding = rounds.turn()
    await holding.__aenter__()
    queued = asyncio.create_task(send("queued"))
    raced = asyncio.create_task(send("raced"))
    await asyncio.sleep(0.01)
    queued.cancel()
    await asyncio.sleep(0.01)
    await holding.__aexit__(None, None, None)  # "raced" is let in...
    raced.cancel()  # ...and cancelled before it could start
    await asyncio.wait_for(send("later"), timeout=1)
    assert order == ["later"]
    assert queued.cancelled() and raced.cancelled()
