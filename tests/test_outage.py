"""A homeserver that cannot be reached at start: a bounded wait with backoff, then a clear fatal error.

(An outage while the bot runs is waited out for as long as it lasts; that is tested elsewhere.)
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from bot.app import CopBot
from bot.config import parse
from bot.startup import FatalError, Stopped
from devtools.synapse import free_port


def _config(tmp_path: Path, timeout: int):
    return parse({
        "matrix": {"homeserver": f"http://127.0.0.1:{free_port()}", "user_id": "@bot:localhost",
                   "access_token": "t", "store_path": "store", "startup_timeout_seconds": timeout},
        "bot": {"secret_file": "secret.key"},
        "database": {"url": "sqlite+aiosqlite:///db.sqlite"},
    }, tmp_path, env={})


async def test_unreachable_homeserver_at_start_is_retried_then_a_fatal_error(tmp_path: Path, caplog):
    caplog.set_level(logging.INFO)
    config = _config(tmp_path, timeout=3)
    bot = CopBot(config)
    started = time.monotonic()
    with pytest.raises(FatalError) as err:
        await asyncio.wait_for(bot.run(), 30)
    took = time.monotonic() - started
    message = str(err.value)
    assert message.startswith(f"cannot reach the homeserver at {config.matrix.homeserver} after 3 s")
    assert "[matrix].startup_timeout_seconds" in message
    assert 3 <= took < 20  # waited the configured time, not forever
    events = [r.getMessage() for r in caplog.records]
    assert events.count("startup.homeserver_unreachable") == 1  # logged once, not per retry
    waits = [r.fields["wait_s"] for r in caplog.records if r.getMessage() == "startup.retry"]
    assert 2 <= len(waits) <= 6 and waits[:-1] == sorted(waits[:-1])  # backoff (the last wait is
    # cut to the time left), not a busy loop
    assert not bot.ready.is_set()
    assert not (tmp_path / "db.sqlite").stat().st_size  # nothing was migrated: it stopped first


async def test_a_stop_during_the_start_up_wait_ends_it_at_once(tmp_path: Path):
    bot = CopBot(_config(tmp_path, timeout=60))
    task = asyncio.create_task(bot.run())
    await asyncio.sleep(1.5)
    assert not task.done()
    started = time.monotonic()
    bot.stop()
    with pytest.raises(Stopped):
        await asyncio.wait_for(task, 15)
    assert time.monotonic() - started < 10  # not the 60 s of the start-up timeout


async def test_zero_timeout_means_one_try(tmp_path: Path):
    with pytest.raises(FatalError, match=r"after 0 s \(1 try\)"):
        await asyncio.wait_for(CopBot(_config(tmp_path, timeout=0)).run(), 20)
