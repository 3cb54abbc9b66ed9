"""An unreachable homeserver is retried with backoff and logged, never a crash."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.app import CopBot
from bot.config import parse
from devtools.synapse import free_port


async def test_unreachable_homeserver_is_retried_and_logged(tmp_path: Path, caplog):
    caplog.set_level(logging.INFO)
    config = parse({
        "matrix": {"homeserver": f"http://127.0.0.1:{free_port()}", "user_id": "@bot:localhost",
                   "access_token": "t", "store_path": "store"},
        "bot": {"secret_file": "secret.key"},
        "database": {"url": "sqlite+aiosqlite:///db.sqlite"},
    }, tmp_path, env={})
    bot = CopBot(config)
    task = asyncio.create_task(bot.run())
    await asyncio.sleep(4)
    assert not task.done(), "the bot must keep running while the homeserver is away"
    bot.stop()
    await asyncio.wait_for(task, 10)
    events = [r.getMessage() for r in caplog.records]
    assert events.count("homeserver.unreachable") == 1  # logged once per outage, not per retry
    retries = [r.fields["wait_s"] for r in caplog.records if r.getMessage() == "homeserver.retry"]
    assert 1 <= len(retries) <= 4  # backoff, not a busy loop
    assert not bot.ready.is_set()
