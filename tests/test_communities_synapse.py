"""Communities on the real Synapse: setup, roles, stages, isolation, language, lineage."""

from __future__ import annotations

import pytest

from devtools.botrun import RunningBot
from devtools.member import body_of

pytestmark = pytest.mark.synapse


async def test_setup_roles_stage_changes_and_french(bot_cfg, bot_user, members):
    fac, mem = await members("fac", "mem")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()):
        room = await fac.room_with("Circle", bot, (mem,))
        refused = await mem.ask(room, "!cop setup Sneaky circle", bot)
        assert "power level 50" in body_of(refused)

        welcome = await fac.ask(room, "!cop setup Laurentides practice circle", bot)
        assert "laurentides-practice" in body_of(welcome) and "never store" in body_of(welcome)

        denied = await mem.ask(room, "!cop stage next", bot)
        assert "Only these roles" in body_of(denied)
        shown = await mem.ask(room, "!cop stage", bot)
        assert "Stage: potential" in body_of(shown) and "Members: 2" in body_of(shown)

        announce = await fac.ask(room, "!cop stage next trust is growing", bot)
        assert announce["content"]["msgtype"] == "m.text"
        assert "from potential to coalescing" in body_of(announce)
        history = await mem.ask(room, "!cop stage history", bot)
        assert "potential → coalescing (by a facilitator). Note: trust is growing" in body_of(history)

        await fac.ask(room, "!cop role @" + mem.user_id[1:] + " facilitator", bot)
        moved = await mem.ask(room, "!cop stage set maturing", bot)
        assert "to maturing" in body_of(moved)

        await fac.ask(room, "!cop language fr", bot)
        status = await mem.ask(room, "!cop status", bot)
        assert "Étape : **maturation**" in body_of(status) or "Étape : maturation" in body_of(status)
        unknown = await mem.ask(room, "!cop nimportequoi", bot)
        assert "Commande inconnue" in body_of(unknown)


async def test_isolation_and_lineage(bot_cfg, bot_user, members):
    ann, ben = await members("ann", "ben")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()):
        room_a = await ann.room_with("A", bot)
        room_b = await ben.room_with("B", bot, (ann,))
        await ann.ask(room_a, "!cop setup North circle", bot)
        await ben.ask(room_b, "!cop setup South circle", bot)

        # Ann is only a member in B: she can read, not change it.
        refused = await ann.ask(room_b, "!cop stage next", bot)
        assert "Only these roles" in body_of(refused)
        refused = await ann.ask(room_b, "!cop roles", bot)
        assert "Only these roles" in body_of(refused)

        # A split: Ann starts a child of North in a new room.
        room_c = await ann.room_with("C", bot)
        child = await ann.ask(room_c, "!cop setup North youth --from north-circle", bot)
        assert "continues from: north-circle" in body_of(child)
        # A merge needs facilitation of every parent: Ann does not facilitate South.
        room_d = await ann.room_with("D", bot)
        refused = await ann.ask(room_d, "!cop setup Merged --from north-circle --from south-circle", bot)
        assert "not a facilitator of `south-circle`" in body_of(refused)
        await ben.ask(room_b, f"!cop role {ann.user_id} facilitator", bot)
        merged = await ann.ask(room_d, "!cop setup Merged --from north-circle --from south-circle", bot)
        assert "north-circle, south-circle" in body_of(merged)
        status = await ann.ask(room_a, "!cop status", bot)
        assert "Continued by: merged, north-youth" in body_of(status)

        closed = await ann.ask(room_c, "!cop close merged back", bot)
        assert "now closed" in body_of(closed)
        after = await ann.ask(room_c, "!cop stage next", bot)
        assert "was closed" in body_of(after)
