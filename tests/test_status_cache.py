"""`!cop status` answers from memory (bot/reads.py) and still shows every change at once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.fakes import Harness

ROOM, FAC = "!room:test", "@fac:test"


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        await harness.open_community(ROOM, {FAC: 100}, by=FAC)
        harness.clock.at = datetime(2027, 1, 5, 9, 0, tzinfo=ZoneInfo("America/Toronto"))
        yield harness


async def status(h) -> str:
    return "\n".join(s.body for s in await h.command("status", sender=FAC, room=ROOM))


async def test_status_follows_workshops_as_they_change(h):
    assert "nothing scheduled" in await status(h)
    await h.command("workshops plan 2027-01-19 10:00 every 6 weeks count 2", sender=FAC, room=ROOM)
    assert "workshop 1," in await status(h)
    await h.command("workshop 1 cancel the room is closed", sender=FAC, room=ROOM)
    assert "workshop 2," in await status(h)
    h.clock.advance(days=60)  # past workshop 2: the cached series, read again against the clock
    assert "nothing scheduled" in await status(h)

