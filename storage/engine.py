"""The async engine and sessions; SQLite by default, PostgreSQL via asyncpg."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import Session
from sqlmodel.ext.asyncio.session import AsyncSession


def make_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and ":memory:" not in path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # No pool "reset on return": every session and connection here ends its transaction
        # (commit, or the rollback of close()), so the pool's own rollback was a second trip to
        # SQLite's thread on every use (bench: one of six in the claim before each answer).
        engine = create_async_engine(url, connect_args={"timeout": 30}, pool_reset_on_return=None)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn, _record):  # WAL: readers never block the writer
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA secure_delete=ON")  # deleted case texts are overwritten, not left in free pages
            cur.close()

        return engine
    return create_async_engine(url, pool_pre_ping=True)


def session_factory(engine: AsyncEngine, *, on_commit: Callable[[set[type]], None] | None = None
                    ) -> async_sessionmaker[AsyncSession]:
    """Sessions on `engine`. `on_commit` is told which models each commit changed (so an
    in-memory copy of their rows can be dropped, bot/reads.py)."""
    if on_commit is None:
        return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    class Watched(Session):  # one class per factory: its listeners belong to this factory only
        pass

    @event.listens_for(Watched, "after_flush")
    def _flushed(session: Session, _context: object) -> None:
        changed = session.info.setdefault("changed", set())
        changed.update(type(row) for row in (*session.new, *session.dirty, *session.deleted))

    @event.listens_for(Watched, "after_commit")
    def _committed(session: Session) -> None:
        changed = session.info.pop("changed", None)
        if changed:
            on_commit(changed)

    @event.listens_for(Watched, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop("changed", None)

    return async_sessionmaker(engine, class_=AsyncSession, sync_session_class=Watched, expire_on_commit=False)


# Every table that holds text a member wrote (scrubbed): cases, their updates, check-in
# stories and impact reports.
TEXT_TABLES = ("consultations", "consultation_followups", "checkins", "impact_reports")


async def flush_deleted(db: async_sessionmaker[AsyncSession]) -> None:
    """After deleting a member's text, make sure no copy of it stays in the database's files.

    SQLite: with secure_delete the file's old pages are zeroed; the WAL would still hold
    copies of them until the next checkpoint, so checkpoint now.
    PostgreSQL: an UPDATE or DELETE leaves the old row version in the table file until
    vacuumed, so rewrite the tables that hold such text (TEXT_TABLES). The server's
    write-ahead log is outside the bot's reach (see the README).
    """
    engine = db.kw.get("bind")
    if engine is None:
        return
    if engine.dialect.name == "sqlite":
        async with engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    elif engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")  # VACUUM needs it
            await conn.exec_driver_sql("VACUUM (FULL) " + ", ".join(TEXT_TABLES))
