"""Shared fixtures: one throwaway Synapse per test session, bots and members on it."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

from devtools.botrun import bot_config
from devtools.member import Member
from devtools.synapse import Synapse

_names = itertools.count(1)


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
async def bot_user(register):
    return await register("copbot")


@pytest.fixture
def bot_cfg(synapse, bot_user, tmp_path: Path):
    """The bot's config; call with section overrides, e.g. bot_cfg(bot={"language": "fr"})."""

    def _cfg(**sections):
        return bot_config(synapse.url, bot_user, tmp_path / "bot", **sections)

    return _cfg
