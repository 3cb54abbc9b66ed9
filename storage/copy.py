"""Copy a whole copbot database to another one: SQLite to PostgreSQL (the usual move), or back.

`copbot copy-db --from URL --to URL`: the target is migrated to the current schema and must
hold no rows; every table is copied in dependency order (parents first) in one transaction on
the target, ids kept, so either all of it arrives or nothing does. PostgreSQL's id sequences
are moved past the copied ids afterwards, so the next row gets a fresh id. Only row counts
are reported, never contents. Stop the bot first: a running bot would write meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  - registers every table on SQLModel.metadata
from storage.engine import make_engine
from storage.migrate import available, current_version, migrate

BATCH = 1000
_PREFIXES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")


class CopyError(Exception):
    """The copy cannot be made; nothing was written to the target's tables."""


@dataclass(frozen=True)
class Copied:
    table: str
    rows: int


def tables():
    """Every table of the schema, parents before the tables that refer to them."""
    return list(SQLModel.metadata.sorted_tables)


def shown(url: str) -> str:
    """A URL fit to print: no password."""
    return make_url(url).render_as_string(hide_password=True)


def _check_url(url: str, role: str) -> None:
    if not url.startswith(_PREFIXES):
        raise CopyError(f"--{role}: the URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
    if url.startswith("sqlite") and role == "from":
        path = url.split(":///", 1)[-1]
        if ":memory:" in path or not Path(path).is_file():
            raise CopyError(f"--from: no SQLite database at {path}")


async def _existing(conn: AsyncConnection) -> set[str]:
    return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def _rows(conn: AsyncConnection, table) -> int:
    return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def _reset_sequences(conn: AsyncConnection) -> None:
    """PostgreSQL: the next generated id of each table follows the largest copied one."""
    for table in tables():
        if "id" not in table.columns or not table.columns["id"].primary_key:
            continue
        seq = (await conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})).scalar()
        if seq is None:
            continue
        largest = (await conn.execute(select(func.max(table.columns["id"])))).scalar()
        if largest is not None:
            await conn.execute(text("SELECT setval(CAST(:s AS regclass), :v, true)"), {"s": seq, "v": largest})


async def copy_engines(source: AsyncEngine, target: AsyncEngine) -> list[Copied]:
    newest = available()[-1].version
    async with source.connect() as src:
        found = await _existing(src)
    if "schema_version" not in found:
        raise CopyError("--from: this is not a copbot database (no schema_version table)")
    version = await current_version(source)
    if version != newest:
        raise CopyError(f"--from: the database is at schema version {version}, this copbot at {newest}; "
                        "start the matching copbot on it once (it migrates on start), then copy")

    async with target.connect() as dst:
        present = await _existing(dst) & {t.name for t in tables()}
        for table in tables():
            if table.name in present and await _rows(dst, table):
                raise CopyError(f"--to: the target is not empty ({table.name} has rows); "
                                "copy into a new, empty database")
    await migrate(target)

    copied: list[Copied] = []
    async with source.connect() as src, target.begin() as dst:
        for table in tables():
            n = 0
            result = await src.stream(select(table))
            async for batch in result.mappings().partitions(BATCH):
                await dst.execute(table.insert(), [dict(row) for row in batch])
                n += len(batch)
            if await _rows(dst, table) != n:  # e.g. a row the target's constraints folded away
                raise CopyError(f"{table.name}: {n} rows read but the target holds a different number")
            copied.append(Copied(table.name, n))
        if target.dialect.name == "postgresql":
            await _reset_sequences(dst)
    return copied


async def copy_database(source_url: str, target_url: str) -> list[Copied]:
    _check_url(source_url, "from")
    _check_url(target_url, "to")
    if make_url(source_url) == make_url(target_url):
        raise CopyError("--from and --to are the same database")
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        return await copy_engines(source, target)
    finally:
        await source.dispose()
        await target.dispose()
