"""A 30-second homeserver outage while the bot runs, with a reminder falling due in the middle.

The test has a Synapse of its own, so stopping it disturbs no other test.
The bot must log the outage once, back off instead of spinning, keep its
memory flat, and send the reminder once the homeserver is back: once, and
well within the grace period.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import time
from datetime import datetime

import psutil
import pytest

from devtools.botrun import RunningBot, bot_config
from devtools.member import Member, body_of
from devtools.synapse import Synapse
from tests.test_workshops_synapse import TZ, soon

pytestmark = pytest.mark.synapse

OUTAGE_S = 30


@pytest.fixture
def own_synapse(tmp_path):
    hs = Synapse(tmp_path / "hs")
    hs.start()
    yield hs
    hs.stop()


def _events(caplog, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == name]


async def test_reminder_due_during_a_30s_outage_is_sent_after_recovery(own_synapse, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    hs = own_synapse
    bot_user, fac_user, bob_user = [await asyncio.to_thread(hs.register, name) for name in ("copbot", "fac", "bob")]
    fac = Member(hs.url, fac_user, store=tmp_path / "fac")
    bob = Member(hs.url, bob_user, store=tmp_path / "bob")
    bot = bot_user.user_id
    cfg = bot_config(hs.url, bot_user, tmp_path / "bot", workshops={"allow_seconds_offsets": True})
    process = psutil.Process(os.getpid())
    try:
        await fac.sync()
        await bob.sync()
        async with RunningBot(cfg):
            room = await fac.room_with("Circle", bot, (bob,))
            await fac.ask(room, "!cop setup Circle", bot)
            start = soon()
            due_in = 12  # seconds from now: about 10 s into the outage
            offset = int((start - datetime.now(TZ)).total_seconds()) - due_in
            await fac.ask(room, f"!cop reminders {offset}s", bot)
            planned = await fac.ask(room, f"!cop workshops plan {start:%Y-%m-%d %H:%M} every 1 weeks count 1", bot)
            assert "1 workshops planned" in body_of(planned)
            due = start.timestamp() - offset

            gc.collect()
            objects_before, rss_before = len(gc.get_objects()), process.memory_info().rss
            cpu_before = time.process_time()
            await asyncio.to_thread(hs.stop)
            stopped = time.time()
            await asyncio.sleep(OUTAGE_S)
            cpu_during = time.process_time() - cpu_before
            gc.collect()
            objects_after, rss_after = len(gc.get_objects()), process.memory_info().rss
            await asyncio.to_thread(hs.start)
            restarted = time.time()
            assert stopped < due < restarted  # the reminder really fell due during the outage

            _, reminder = await bob.wait_for(
                lambda r, e: r == room and body_of(e).startswith("Reminder: workshop 1"), timeout=60)
            arrived = reminder["origin_server_ts"] / 1000
            # The reminder's own retry may beat the sync loop back; the loop's next try (at most
            # 30 s of backoff away) logs the recovery.
            for _ in range(80):
                if _events(caplog, "homeserver.recovered"):
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(3)
            await bob.sync()

        assert len([e for r, e in bob.events if r == room and body_of(e).startswith("Reminder: workshop 1")]) == 1
        # The sync loop notices the recovery at its next try (backoff capped at 30 s), then the
        # reminder goes at once instead of waiting out its own retry backoff.
        assert arrived - restarted < 45, f"{arrived - restarted:.0f} s after the restart"
        assert len(_events(caplog, "homeserver.unreachable")) == 1  # logged once per outage
        assert len(_events(caplog, "homeserver.recovered")) == 1
        retries = _events(caplog, "homeserver.retry")
        assert 2 <= len(retries) <= 8, len(retries)  # backing off: 2, 4, 8, 16 s…, not spinning
        assert _events(caplog, "scheduler.retry"), "the reminder's failed send is retried, not dropped"
        assert cpu_during < 3, f"{cpu_during:.1f} s of CPU in a {OUTAGE_S} s outage: a busy loop"
        assert objects_after - objects_before < 0.05 * objects_before
        assert rss_after - rss_before < 20 * 2**20
        print(f"outage {OUTAGE_S} s: CPU {cpu_during:.2f} s, {len(retries)} sync retries, objects "
              f"{objects_before}->{objects_after}, RSS {rss_before / 2**20:.1f}->{rss_after / 2**20:.1f} MiB, "
              f"reminder {arrived - due:.1f} s after due, {arrived - restarted:.1f} s after restart")
    finally:
        await fac.close()
        await bob.close()
