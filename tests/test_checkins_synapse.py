"""Check-ins on the real Synapse: the invitation after a workshop, answers in one message and
item by item, corrections that store nothing, opt-out, a single reminder, forget-me, and scans
of the database and the logs."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from tests.logcapture import captured_logs
from devtools.botrun import RunningBot
from devtools.member import body_of
from storage.models import Checkin, CheckinInvite, CheckinOptOut, ImpactReport
from tests.test_prompts_synapse import daytime_zone

pytestmark = pytest.mark.synapse
STORY = "I phoned Nadia Okafor's shelter worker before the hearing and we planned the handover together."


def from_bot(member, room, bot) -> list[str]:
    return [body_of(e) for r, e in member.events if r == room and e.get("sender") == bot]


async def test_checkin_round_answers_opt_out_reminder_and_forget_me(bot_cfg, bot_user, members):
    fac, bob, ann, cara = await members("fac", "bob", "ann", "cara")
    bot = bot_user.user_id
    with captured_logs() as log_text:
        async with RunningBot(bot_cfg(checkins={"invite_after": "3s", "remind_after": "10s"})) as running:
            room = await fac.room_with("Circle", bot, (bob, ann, cara))
            await fac.ask(room, "!cop setup Circle", bot)
            zone = daytime_zone()
            await fac.ask(room, f"!cop timezone {zone}", bot)
            await fac.ask(room, "!cop prompts hours every day 00:00-23:59", bot)
            bob_dm, ann_dm, cara_dm = [await m.dm_with(bot) for m in (bob, ann, cara)]
            assert "no more check-in invitations" in body_of(await ann.ask(ann_dm, "checkins off", bot))

            now = datetime.now(ZoneInfo(zone))
            start = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
            if (start - now).total_seconds() < 10:
                start += timedelta(minutes=1)
            await fac.ask(room, f"!cop workshop add {start:%Y-%m-%d %H:%M}", bot)
            _, invite = await bob.wait_for(lambda r, e: r == bob_dm and "how has your practice changed" in body_of(e),
                                           timeout=120)
            assert "since workshop 1" in body_of(invite) and "4 3 3 1 n" in body_of(invite)
            assert invite["content"]["msgtype"] == "m.text"  # it asks for an answer: Element notifies

            for bad, says in (("7", "`7` is not on the scale"), ("yes", "`yes` is not on the scale"),
                              ("4 3", "I got 2 answer(s) and need 5")):
                assert says in body_of(await bob.ask(bob_dm, bad, bot))
            async with running.services.db() as session:
                assert (await session.exec(select(Checkin))).all() == []
            assert "What did you do differently" in body_of(await bob.ask(bob_dm, "4 3 3 1 n", bot))
            kept = body_of(await bob.ask(bob_dm, STORY, bot))
            assert "Nadia" not in kept and "[name]" in kept
            await bob.ask(bob_dm, "skip", bot)
            assert "may be quoted" in body_of(await bob.ask(bob_dm, "yes", bot))

            fac_dm, _ = await fac.wait_for(lambda r, e: "how has your practice changed" in body_of(e), timeout=30)
            assert "2/5" in body_of(await fac.ask(fac_dm, "4", bot))
            for answer in ("3", "n", "2"):
                await fac.ask(fac_dm, answer, bot)
            assert "What did you do differently" in body_of(await fac.ask(fac_dm, "1", bot))
            await fac.ask(fac_dm, "skip", bot)
            assert "It will not be quoted" in body_of(await fac.ask(fac_dm, "skip", bot))

            # Cara did not answer: one reminder, and only one.
            _, reminder = await cara.wait_for(lambda r, e: r == cara_dm and "the only reminder" in body_of(e),
                                              timeout=60)
            assert reminder["content"]["msgtype"] == "m.text"
            await asyncio.sleep(4)
            await cara.sync()
            assert sum("the only reminder" in b for b in from_bot(cara, cara_dm, bot)) == 1
            assert not any("reminder" in b for b in from_bot(bob, bob_dm, bot))
            await ann.sync()
            assert not any("how has your practice changed" in b for b in from_bot(ann, ann_dm, bot))

            await bob.ask(bob_dm, "impact " + STORY + " #collab.risk", bot)
            assert "all 2 of your check-ins" in body_of(await bob.ask(bob_dm, "forget-me", bot))
            assert "2 entries were deleted" in body_of(await bob.ask(bob_dm, "forget-me confirm", bot))
            async with running.services.db() as session:
                checkins = (await session.exec(select(Checkin))).all()
                impacts = (await session.exec(select(ImpactReport))).all()
                stored = [*checkins, *impacts, *(await session.exec(select(CheckinInvite))).all(),
                          *(await session.exec(select(CheckinOptOut))).all()]
            assert len(checkins) == 1 and impacts == []  # the facilitator's stays; Bob's are gone

    dump = " ".join(repr(row.model_dump()) for row in stored)
    assert stored and "checkin" in log_text.getvalue()
    for m in (fac, bob, ann, cara):
        assert m.user_id not in dump and m.user_id.split(":")[0][1:] not in dump
    for fragment in ("Nadia", "Okafor", "shelter worker", "planned the handover"):
        assert fragment not in log_text.getvalue()
