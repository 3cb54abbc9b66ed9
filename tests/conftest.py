"""Shared fixtures: one throwaway Synapse per test session, bots and members on it."""

from __future__ import annotations

import asyncio
import itertools
import os
from pathlib import Path

import pytest

from devtools import postgres as pg
from devtools.botrun import bot_config
from devtools.element import ElementMember
from devtools.member import Member
from devtools.synapse import Synapse

_names = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    """COPBOT_TEST_DATABASE=postgres without PostgreSQL: fail (COPBOT_REQUIRE_POSTGRES=1) or skip all, saying why."""
    if not pg.selected() or os.environ.get(pg.ENV_SERVER):
        return
    try:
        pg.find_bin_dir()
    except pg.PostgresUnavailable as exc:
        if pg.required():
            pytest.exit(f"{pg.ENV_REQUIRE}=1: {exc}", returncode=1)
        reason = f"PostgreSQL run skipped: {exc}"
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(reason, yellow=True, bold=True)
        for item in items:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session", autouse=True)
def postgres_server():
    """With COPBOT_TEST_DATABASE=postgres: one throwaway PostgreSQL server for the session
    (unless COPBOT_TEST_POSTGRES_URL already names one); tests get a database each."""
    if not pg.selected() or os.environ.get(pg.ENV_SERVER):
        yield os.environ.get(pg.ENV_SERVER)
        return
    server = pg.Postgres().start()
    os.environ[pg.ENV_SERVER] = server.url()
    os.environ[pg.ENV_DATA] = str(server.data)
    try:
        yield server.url()
    finally:
        os.environ.pop(pg.ENV_SERVER, None)
        os.environ.pop(pg.ENV_DATA, None)
        server.stop()


@pytest.fixture(scope="session")
def synapse(tmp_path_factory):
    hs = Synapse(tmp_path_factory.mktemp("synapse"))
    hs.start()
    yield hs
    hs.stop()


@pytest.fixture
async def register(synapse):
    """register("alice") -> a new user with a unique localpart."""

    async def _register(name: str, admin: bool = False):
        return await asyncio.to_thread(synapse.register, f"{name}{next(_names)}", None, admin)

    return _register


@pytest.fixture
async def members(synapse, register, tmp_path):
    """members("alice", "bob") -> logged-in Member clients, closed after the test."""
    made: list[Member] = []

    async def _members(*names: str) -> list[Member]:
        out = []
        for name in names:
            member = Member(synapse.url, await register(name), store=tmp_path / f"store-{name}")
            await member.sync()
            made.append(member)
            out.append(member)
        return out

    yield _members
    for member in made:
        await member.close()


@pytest.fixture
async def element_members(synapse, register, tmp_path):
    """element_members("alice") -> simulated Element users (matrix-js-sdk, Rust crypto), closed
    after the test. Fails, rather than skips, when the npm packages are missing."""
    made: list[ElementMember] = []

    async def _element_members(*names: str) -> list[ElementMember]:
        users = await asyncio.gather(*(register(name) for name in names))
        started = await asyncio.gather(*(
            ElementMember.start(synapse.url, user, tmp_path / f"element-{name}.log")
            for name, user in zip(names, users)), return_exceptions=True)
        made.extend(m for m in started if isinstance(m, ElementMember))  # closed even if another failed
        for outcome in started:
            if isinstance(outcome, BaseException):
                raise outcome
        return list(started)

    yield _element_members
    await asyncio.gather(*(member.close() for member in made))


@pytest.fixture
async def bot_user(register):
    return await register("copbot")


@pytest.fixture
def bot_cfg(synapse, bot_user, tmp_path: Path):
    """The bot's config; call with section overrides, e.g. bot_cfg(bot={"language": "fr"})."""

    def _cfg(**sections):
        return bot_config(synapse.url, bot_user, tmp_path / "bot", **sections)

    return _cfg
