"""A small versioned migrator.

Each module in storage/migrations/ named vNNNN_<what>.py holds a list of
portable SQL statements. They run in order, each migration in its own
transaction, and the applied versions are kept in `schema_version`, so a
database made by an older copbot upgrades on start.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import storage.migrations as package


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


class MigrationError(Exception):
    pass


def available() -> list[Migration]:
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("v"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        version = int(info.name[1:5])
        found.append(Migration(version, info.name[6:], tuple(module.STATEMENTS)))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


async def current_version(engine: AsyncEngine) -> int:
    async with engine.begin() as conn:
        await conn.execute(text(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, applied_at VARCHAR NOT NULL)"
        ))
        row = (await conn.execute(text("SELECT MAX(version) FROM schema_version"))).scalar()
    return int(row or 0)


async def migrate(engine: AsyncEngine, target: int | None = None) -> list[int]:
    """Apply pending migrations up to `target` (default: all); return the versions applied."""
    migrations = available()
    current = await current_version(engine)
    newest = migrations[-1].version if migrations else 0
    if current > newest:
        raise MigrationError(
            f"the database is at schema version {current}, newer than this copbot ({newest}); "
            "upgrade copbot instead of downgrading the database"
        )
    applied = []
    for migration in migrations:
        if migration.version <= current or (target is not None and migration.version > target):
            continue
        async with engine.begin() as conn:
            for statement in migration.statements:
                await conn.execute(text(statement))
            await conn.execute(
                text("INSERT INTO schema_version (version, applied_at) VALUES (:v, :t)"),
                {"v": migration.version, "t": datetime.now(timezone.utc).isoformat()},
            )
        applied.append(migration.version)
    return applied
