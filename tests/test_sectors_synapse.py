"""The sector directory on the real Synapse, with real matrix-nio members (issue 23): opt-in and
opt-out, the directory for members only, mentions only of opted-in, unmuted members of the wanted
sector, the nudge sent once, and the sectors reached counted among the repliers."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import text

from devtools.botrun import RunningBot
from devtools.member import body_of
from storage.engine import make_engine

pytestmark = pytest.mark.synapse


def _mentions(event: dict) -> list[str]:
    return ((event.get("content") or {}).get("m.mentions") or {}).get("user_ids") or []


def _in_thread(event: dict, root: str) -> bool:
    return ((event.get("content") or {}).get("m.relates_to") or {}).get("event_id") == root


async def _post(member, room, bot):
    _, post = await member.wait_for(lambda r, e: r == room and e.get("sender") == bot
                                    and body_of(e).startswith("Consultation "), timeout=60)
    return post


async def _ask(asker, bot, request: str) -> None:
    dm = await asker.dm_with(bot)
    preview = await asker.ask(dm, f"consult {request}", bot)
    assert "Expertise wanted: addiction" in body_of(preview)
    await asker.ask(dm, "send", bot)


async def test_opt_in_opt_out_and_the_directory_for_members_only(bot_cfg, bot_user, members):
    fac, ann, cy, outsider = await members("fac", "ann", "cy", "outsider")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()):
        room = await fac.room_with("Circle", bot, (ann, cy))
        await fac.ask(room, "!cop setup Outaouais circle", bot)
        saved = await ann.ask(room, "!cop sector addiction mental-health #risk.assess", bot)
        assert saved["content"]["msgtype"] == "m.notice" and "chose to join" in body_of(saved)
        bad = body_of(await cy.ask(room, "!cop sector plumbing", bot))
        assert "I don't know the sector" in bad and "Example: `!cop sector addiction" in bad
        listing = body_of(await cy.ask(room, "!cop directory", bot))
        assert ann.user_id in listing and "mental health, addiction" in listing and cy.user_id not in listing
        assert "Sectors present: 2 of 13" in body_of(await cy.ask(room, "!cop sectors", bot))
        # someone outside the community asks from a room of their own with the bot: no directory
        other = await outsider.room_with("Elsewhere", bot)
        refused = body_of(await outsider.ask(other, "!cop directory", bot))
        assert ann.user_id not in refused
        gone = body_of(await ann.ask(room, "!cop sector off", bot))
        assert "no longer in the sector directory" in gone
        assert ann.user_id not in body_of(await cy.ask(room, "!cop directory", bot))
        # a member who leaves the room is removed from the directory
        await cy.ask(room, "!cop sector police", bot)
        await cy.client.room_leave(room)
        await asyncio.sleep(2)
        assert "Nobody has joined" in body_of(await fac.ask(room, "!cop directory", bot))


async def test_a_consultation_mentions_only_opted_in_unmuted_members_of_the_wanted_sector(
        bot_cfg, bot_user, members):
    fac, asker, ann, muted, quitter, police = await members("fac", "asker", "ann", "muted", "quitter", "police")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg(consultations={"posting_delay_seconds": [0, 0]})):
        room = await fac.room_with("Circle", bot, (asker, ann, muted, quitter, police))
        await fac.ask(room, "!cop setup Outaouais circle", bot)
        await ann.ask(room, "!cop sector addiction", bot)
        await muted.ask(room, "!cop sector addiction", bot)
        assert "Muted" in body_of(await muted.ask(room, "!cop sector quiet on", bot))
        await quitter.ask(room, "!cop sector addiction", bot)
        await quitter.ask(room, "!cop sector off", bot)
        await police.ask(room, "!cop sector police", bot)
        await _ask(asker, bot, "The father drinks heavily and the custody exchange is on Friday. "
                               "What should we plan? #addiction #IPV")
        post = await _post(fac, room, bot)
        _, mention = await fac.wait_for(lambda r, e: r == room and e.get("sender") == bot and bool(_mentions(e)),
                                        timeout=60)
        assert _in_thread(mention, post["event_id"])
        assert mention["content"]["msgtype"] == "m.text"
        assert _mentions(mention) == [ann.user_id]
        assert "addiction" in body_of(mention) and ann.user_id in body_of(mention)
        for left_out in (muted, quitter, police, asker, fac):
            assert left_out.user_id not in body_of(mention)
        await asyncio.sleep(12)  # the timer that finds new posts runs again: no second mention
        await fac.sync()
        assert len([e for r, e in fac.events if r == room and _mentions(e)]) == 1


async def test_the_nudge_is_sent_once_and_the_sectors_reached_are_counted(bot_cfg, bot_user, members):
    fac, asker, ann, bea, mh, pol = await members("fac", "asker", "ann", "bea", "mh", "pol")
    bot = bot_user.user_id
    cfg = bot_cfg(consultations={"posting_delay_seconds": [0, 0], "mention_experts": 1, "nudge_after": "8s"})
    async with RunningBot(cfg):
        room = await fac.room_with("Circle", bot, (asker, ann, bea, mh, pol))
        await fac.ask(room, "!cop setup Outaouais circle", bot)
        await fac.ask(room, "!cop prompts hours every day 00:00-23:59", bot)  # the nudge waits for posting hours
        await ann.ask(room, "!cop sector addiction", bot)
        await asyncio.sleep(1.1)  # so the rotation's tie goes to ann, who joined first
        await bea.ask(room, "!cop sector addiction", bot)
        await mh.ask(room, "!cop sector mental-health addiction", bot)
        await pol.ask(room, "!cop sector police", bot)
        await _ask(asker, bot, "The father drinks and the mother is afraid. What do we do? #addiction")
        post = await _post(fac, room, bot)
        _, first = await fac.wait_for(lambda r, e: r == room and _mentions(e), timeout=60)
        assert _mentions(first) == [ann.user_id]
        # a reply from police only: no wanted sector answered, so the nudge goes out, once
        await pol.say(room, "From the police side: is there a no-contact order?", thread_root=post["event_id"])
        _, nudge = await fac.wait_for(lambda r, e: r == room and "No one from" in body_of(e), timeout=60)
        assert _in_thread(nudge, post["event_id"]) and _mentions(nudge) == [bea.user_id]
        await asyncio.sleep(12)
        await fac.sync()
        assert len([e for r, e in fac.events if r == room and "No one from" in body_of(e)]) == 1
        # replies from two more members: mental health + addiction, addiction; asker outside the directory
        await mh.say(room, "Is he in treatment? A harm-reduction plan may help.", thread_root=post["event_id"])
        await bea.say(room, "We can offer a quick assessment.", thread_root=post["event_id"])
        await asker.say(room, "Thank you all.", thread_root=post["event_id"])
        await asyncio.sleep(3)
    engine = make_engine(cfg.database.url)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT reached, reached_count, answered, nudge FROM consultation_reach"))).all()
    finally:
        await engine.dispose()
    assert len(rows) == 1
    reached, count, answered, nudge = rows[0]
    assert set(reached.split(",")) == {"police", "mental-health", "addiction"} and count == 3
    assert bool(answered) and nudge == "sent"
    assert not re.search(r"@\w", reached)
