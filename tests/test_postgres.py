"""What must hold on both backends where SQLite's single writer used to hide a race.

Run with COPBOT_TEST_DATABASE=postgres (in `make test`) for PostgreSQL, without it for SQLite.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from bot.prompts.posting import count_reply
from storage import communities
from storage.models import PromptPost
from tests.fakes import FakeRoom, Harness

ROOM, FAC = "!room:test", "@fac:test"
MEMBERS = [f"@m{i}:test" for i in range(8)]


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        harness.rooms[ROOM] = FakeRoom({FAC: 100, **{m: 0 for m in MEMBERS}})
        await harness.command("setup North circle", sender=FAC, room=ROOM)
        harness.services.matrix.joined.add(ROOM)
        yield harness


async def test_replies_handled_at_the_same_time_are_all_counted(h):
    """A sync batch's events are handled as concurrent tasks: no reply may be lost."""
    await h.command("prompt", sender=FAC, room=ROOM)
    root = f"$event{len(h.client.sent)}"
    async with h.services.db() as session:
        c = await communities.by_room(session, ROOM)
    now = h.clock.now()
    senders = MEMBERS + MEMBERS[:4]  # 12 replies from 8 people, four of them twice
    results = await asyncio.gather(*(count_reply(h.services, c, root, s, now) for s in senders))
    assert all(results)
    async with h.services.db() as session:
        row = (await session.exec(select(PromptPost))).one()
    assert (row.replies, row.repliers) == (12, 8)

