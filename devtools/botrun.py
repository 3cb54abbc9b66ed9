"""Run a CopBot inside the current event loop, against a throwaway Synapse."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import CopBot
from bot.config import Config, parse
from devtools import postgres as pg
from devtools.synapse import RegisteredUser


def database_url(folder: Path) -> str:
    """SQLite in `folder`; with COPBOT_TEST_DATABASE=postgres, the folder's own database on the
    test server instead (the same one for every config made for that folder, as with the file)."""
    if not pg.selected():
        return "sqlite+aiosqlite:///copbot.db"
    return pg.ensure_database(pg.server_url_for_tests(), pg.database_name_for(folder))


def bot_config(homeserver: str, user: RegisteredUser, folder: Path, **sections: dict) -> Config:
    """A valid config for `user` on `homeserver`, its files under `folder`."""
    raw = {
        "matrix": {"homeserver": homeserver, "user_id": user.user_id,
                   "access_token": user.access_token, "device_id": user.device_id,
                   "store_path": "store"},
        "bot": {"secret_file": "secret.key"},
        "database": {"url": database_url(folder)},
    }
    for name, values in sections.items():
        raw.setdefault(name, {}).update(values)
    folder.mkdir(parents=True, exist_ok=True)
    return parse(raw, folder, env={})


class RunningBot:
    """`async with RunningBot(config) as bot:` runs the bot until the block ends."""

    def __init__(self, config: Config):
        self.bot = CopBot(config)
        self.task: asyncio.Task | None = None

    async def __aenter__(self) -> CopBot:
        self.task = asyncio.create_task(self.bot.run())
        ready = asyncio.create_task(self.bot.ready.wait())
        await asyncio.wait({self.task, ready}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        if self.task.done():
            self.task.result()  # raises the start-up error
        if not ready.done():
            ready.cancel()
            raise TimeoutError("the bot did not finish its first sync")
        return self.bot

    async def __aexit__(self, *exc: object) -> None:
        self.bot.stop()
        await asyncio.wait_for(self.task, timeout=30)
