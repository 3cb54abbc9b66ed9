"""Versioned migrations and timezone-aware storage."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, text

from devtools import postgres as pg
from storage.engine import make_engine, session_factory
from storage.migrate import MigrationError, available, current_version, migrate
from storage.models import HandledEvent
from sqlmodel import SQLModel


@pytest.fixture
async def engine(tmp_path):
    if pg.selected():  # COPBOT_TEST_DATABASE=postgres: an empty database on the session's server
        admin, name = pg.server_url_for_tests(), pg.database_name_for(tmp_path)
        eng = make_engine(await pg.ensure_database_async(admin, name))
        yield eng
        await eng.dispose()
        await pg.drop_database_async(admin, name)
        return
    eng = make_engine(f"sqlite+aiosqlite:///{tmp_path}/db.sqlite")
    yield eng
    await eng.dispose()


async def test_fresh_database_gets_every_migration(engine):
    applied = await migrate(engine)
    assert applied == [m.version for m in available()]
    assert await migrate(engine) == []  # idempotent on the next start


async def test_schema_matches_the_models(engine):
    await migrate(engine)
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: {t: {col["name"] for col in inspect(c).get_columns(t)}
                                                 for t in inspect(c).get_table_names()})
    for table in SQLModel.metadata.sorted_tables:
        assert table.name in tables, f"no migration creates {table.name}"
        assert {c.name for c in table.columns} == tables[table.name], table.name


async def test_old_database_upgrades_and_keeps_its_data(engine):
    await migrate(engine, target=1)
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO bot_state (key, value) VALUES ('sync_token', 's42')"))
    assert await current_version(engine) == 1
    await migrate(engine)
    assert await current_version(engine) == available()[-1].version
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT value FROM bot_state"))).scalar() == "s42"


async def test_newer_database_is_refused(engine):
    await migrate(engine)
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO schema_version VALUES (999, 'future')"))
    with pytest.raises(MigrationError, match="newer than this copbot"):
        await migrate(engine)


async def test_times_come_back_aware_and_naive_times_are_refused(engine):
    await migrate(engine)
    db = session_factory(engine)
    toronto = timezone(timedelta(hours=-5))
    async with db() as session:
        session.add(HandledEvent(event_key="a", handled_at=datetime(2027, 3, 14, 10, 0, tzinfo=toronto)))
        await session.commit()
    async with db() as session:
        row = await session.get(HandledEvent, "a")
        assert row.handled_at == datetime(2027, 3, 14, 15, 0, tzinfo=timezone.utc)
        assert row.handled_at.tzinfo is not None
    with pytest.raises(Exception, match="naive datetime refused"):
        async with db() as session:
            session.add(HandledEvent(event_key="b", handled_at=datetime(2027, 1, 1)))
            await session.commit()


async def test_an_event_is_claimed_once_and_the_token_kept(engine):
    """The sync loop's claim: a replayed event is not handed out again, on either database."""
    from storage import sync_state
    from storage.models import BotState

    await migrate(engine)
    db = session_factory(engine)
    at = datetime(2027, 1, 12, 15, 0, tzinfo=timezone.utc)
    async with db() as session:
        assert await sync_state.claim(session, ["a", "b"], at) == {"a", "b"}
        await sync_state.put_token(session, "s1")
        await session.commit()
    async with db() as session:
        assert await sync_state.claim(session, ["b", "c"], at) == {"c"}
        await sync_state.put_token(session, "s2")
        await session.commit()
    async with db() as session:
        assert (await session.get(BotState, "sync_token")).value == "s2"
        assert (await session.get(HandledEvent, "a")).handled_at == at
