"""On the real Synapse: a coordinator asks in the room and gets the summary in a DM."""

from __future__ import annotations

import pytest

from devtools.botrun import RunningBot
from devtools.member import body_of

pytestmark = pytest.mark.synapse


async def test_coordinator_gets_the_summary_in_a_dm_and_a_member_is_refused(bot_cfg, bot_user, members):
    fac, coord, bob = await members("fac", "coord", "bob")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()):
        room = await fac.room_with("Circle", bot, (coord, bob))
        await fac.ask(room, "!cop setup Circle", bot)
        await fac.ask(room, f"!cop role {coord.user_id} coordinator", bot)

        refused = await bob.ask(room, "!cop summary", bot)
        assert "Only these roles can do that here" in body_of(refused)

        answer = await coord.ask(room, "!cop summary series chart", bot)
        assert "in your direct messages" in body_of(answer)
        dm, summary = await coord.wait_for(
            lambda r, e: r != room and body_of(e).startswith("Series summary: Circle"), timeout=30)
        assert summary["content"]["msgtype"] == "m.notice" and "<table>" in summary["content"]["formatted_body"]
        assert set(coord.client.rooms[dm].users) == {coord.user_id, bot}  # a DM: only the two of them
        _, image = await coord.wait_for(
            lambda r, e: r == dm and (e.get("content") or {}).get("msgtype") == "m.image", timeout=60)
        assert image["content"]["info"]["mimetype"] == "image/png"
        await bob.sync()
        assert not any(body_of(e).startswith("Series summary") for _, e in bob.events)
