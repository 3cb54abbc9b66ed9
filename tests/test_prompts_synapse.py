"""Prompts on the real Synapse: posted in the community's language, threaded replies counted
but never stored, and a scheduled prompt that survives a restart and is posted once."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from devtools.botrun import RunningBot, stored_bytes
from devtools.member import body_of
from storage.models import PromptPost

pytestmark = pytest.mark.synapse
REPLY = "Ce qui m'aide, c'est d'appeler la maison d'hébergement avant le tribunal: zanzibar-quokka-7431"


def daytime_zone() -> str:
    """A timezone where it is neither late night nor near midnight, so a minute ahead is the same day."""
    for name in ("America/Toronto", "Europe/Paris", "Asia/Tokyo", "Pacific/Honolulu"):
        if 1 <= datetime.now(ZoneInfo(name)).hour <= 21:
            return name
    raise AssertionError("unreachable: one of the zones is in daytime")


async def test_prompt_in_french_thread_reply_counted_not_stored_and_schedule_survives_restart(
        bot_cfg, bot_user, members, tmp_path):
    fac, bob = await members("fac", "bob")
    bot = bot_user.user_id
    cfg = bot_cfg()
    async with RunningBot(cfg) as running:
        room = await fac.room_with("Cercle", bot, (bob,))
        await fac.ask(room, "!cop setup Cercle Outaouais", bot)
        await fac.ask(room, "!cop langue fr", bot)
        zone = daytime_zone()
        await fac.ask(room, f"!cop timezone {zone}", bot)

        posted = await fac.ask(room, "!cop prompt", bot)
        assert posted["content"]["msgtype"] == "m.text"
        assert body_of(posted).startswith("Question de réflexion P1 · potentiel")
        assert "Quelle situation récente" in body_of(posted)

        await bob.sync()
        await bob.say(room, REPLY, thread_root=posted["event_id"])
        for _ in range(40):
            async with running.services.db() as session:
                row = (await session.exec(select(PromptPost).where(PromptPost.state == "posted"))).one()
            if row.replies:
                break
            await asyncio.sleep(0.25)
        assert (row.replies, row.repliers) == (1, 1)

        # A cadence whose first prompt falls due at the next whole minute (at least 15 s ahead).
        now = datetime.now(ZoneInfo(zone))
        due = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        if (due - now).total_seconds() < 15:
            due += timedelta(minutes=1)
        await fac.ask(room, "!cop prompts hours every day 00:00-23:59", bot)
        answer = await fac.ask(room, f"!cop prompts every 1 days at {due:%H:%M}", bot)
        assert f"{due:%H:%M}" in body_of(answer)
    # Down, then up again before the prompt falls due.
    async with RunningBot(cfg):
        _, scheduled = await bob.wait_for(
            lambda r, e: r == room and e.get("sender") == bot and body_of(e).startswith("Question de réflexion")
            and e["event_id"] != posted["event_id"], timeout=120, since=len(bob.events))
        assert body_of(scheduled).startswith("Question de réflexion P2")
        await asyncio.sleep(3)
        await bob.sync()
    prompts_seen = [e for r, e in bob.events if r == room and body_of(e).startswith("Question de réflexion")]
    assert len(prompts_seen) == 2  # the command's and the scheduled one, each once

    db_bytes = await stored_bytes(cfg.database.url)
    assert b"Cercle Outaouais" in db_bytes  # what is stored is found: the search is not vacuous
    for fragment in ("zanzibar-quokka-7431", "maison d'hébergement", "appeler la maison"):
        assert fragment.encode() not in db_bytes
