"""Run a CopBot inside the current event loop, against a throwaway Synapse."""

from __future__ import annotations

import asyncio
import os
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
        # Tests and the demo choose their own short delays (the shipped floor is 60 s), and most
        # tests open plain DMs; those about encryption (and the demo) require it, as shipped.
        "consultations": {"min_delay_seconds": 0, "require_encrypted_dm": False},
    }
    for name, values in sections.items():
        raw.setdefault(name, {}).update(values)
    folder.mkdir(parents=True, exist_ok=True)
    return parse(raw, folder, env={})


async def stored_bytes(url: str) -> bytes:
    """Everything a test database holds, to search for what must never be stored.

    SQLite: the database file with its WAL. PostgreSQL: every row of every table as text,
    plus, when the server is the tests' own, the database's files after a checkpoint
    (old row versions not yet vacuumed live only there).
    """
    if url.startswith("sqlite"):
        path = Path(url.split(":///", 1)[1])
        return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))
    import asyncpg

    conn = await asyncpg.connect(**pg._asyncpg_args(url))
    try:
        chunks = []
        for (table,) in await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"):
            rows = await conn.fetch(f'SELECT t::text FROM "{table}" t')
            chunks.append("\n".join(r[0] for r in rows).encode())
        data_dir = os.environ.get(pg.ENV_DATA)
        if data_dir:
            await conn.execute("CHECKPOINT")
            files = await conn.fetch(
                "SELECT pg_relation_filepath(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't')")
            for (relative,) in files:  # the tables, their indexes and TOAST, not the system catalogs
                path = Path(data_dir) / relative
                chunks += [p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))]
    finally:
        await conn.close()
    return b"\n".join(chunks)


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
