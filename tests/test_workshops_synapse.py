"""Workshops on the real Synapse: reminders across a restart, RSVP by command and reaction,
attendance, and facilitator-only commands refused to members."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from devtools.botrun import RunningBot
from devtools.member import body_of
from storage.models import Workshop, WorkshopAction, WorkshopSettings

pytestmark = pytest.mark.synapse
TZ = ZoneInfo("America/Toronto")  # the bot's default community timezone


def soon(minutes: int = 2) -> datetime:
    """A whole local minute at least `minutes` ahead, as the plan command takes it."""
    now = datetime.now(TZ)
    return (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0) + timedelta(minutes=1)


async def community(fac, others, bot_id, name="Circle") -> str:
    room = await fac.room_with(name, bot_id, tuple(others))
    await fac.ask(room, f"!cop setup {name}", bot_id)
    return room


def reminders_in(member, room, bot_id) -> list[dict]:
    return [e for r, e in member.events if r == room and e.get("sender") == bot_id
            and body_of(e).startswith("Reminder: workshop")]


async def test_seconds_reminders_arrive_once_across_a_restart(bot_cfg, bot_user, members):
    fac, bob = await members("fac", "bob")
    bot = bot_user.user_id
    cfg = bot_cfg(workshops={"allow_seconds_offsets": True})
    start = soon()
    async with RunningBot(cfg):
        room = await community(fac, [bob], bot)
        lead = (start - datetime.now(TZ)).total_seconds()
        first, second = int(lead) - 8, int(lead) - 30  # due about 8 s and 30 s from now
        answer = await fac.ask(room, f"!cop reminders {first}s {second}s", bot)
        assert "Reminders will go out" in body_of(answer)
        planned = await fac.ask(room, f"!cop workshops plan {start:%Y-%m-%d %H:%M} every 1 weeks count 1", bot)
        assert "1 workshops planned" in body_of(planned)
        _, reminder = await bob.wait_for(lambda r, e: r == room and body_of(e).startswith("Reminder: workshop 1"),
                                         timeout=40)
        assert reminder["content"]["msgtype"] == "m.text" and f"{start:%H:%M}" in body_of(reminder)
    # The bot is down now; it restarts before the second reminder falls due.
    async with RunningBot(cfg):
        _, later = await bob.wait_for(
            lambda r, e: r == room and body_of(e).startswith("Reminder: workshop 1") and e is not reminder,
            timeout=60, since=len(bob.events))
        assert "This reminder is late" not in body_of(later)
        await asyncio.sleep(3)
        await bob.sync()
    assert len(reminders_in(bob, room, bot)) == 2  # one each, nothing twice


async def test_rsvp_by_command_and_reaction_and_attendance_window(bot_cfg, bot_user, members):
    fac, bob, ann = await members("fac", "bob", "ann")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()) as running:
        room = await community(fac, [bob, ann], bot)
        outside = await bob.ask(room, "!cop here", bot)
        assert "no workshop is on now" in body_of(outside)
        start = soon(5)  # within 15 minutes: attendance is open
        announcement = await fac.ask(room, f"!cop workshops plan {start:%Y-%m-%d %H:%M} every 2 weeks count 2", bot)
        assert announcement["content"]["msgtype"] == "m.text"

        answer = await bob.ask(room, "!cop rsvp 1 yes", bot)
        assert "So far: 1 yes, 0 maybe, 0 no" in body_of(answer)
        await ann.sync()
        await ann.client.room_send(room, "m.reaction", {"m.relates_to": {
            "rel_type": "m.annotation", "event_id": announcement["event_id"], "key": "🤔"}})
        for _ in range(20):  # the reaction gives no answer: look until it is counted
            details = await bob.ask(room, "!cop workshop 1", bot)
            if "1 yes, 1 maybe, 0 no" in body_of(details):
                break
            await asyncio.sleep(0.5)
        assert "1 yes, 1 maybe, 0 no" in body_of(details)

        here = await ann.ask(room, "!cop here", bot)
        assert "attendance at workshop 1 is recorded" in body_of(here)
        listing = await fac.ask(room, "!cop workshops", bot)
        assert "attended 1" in body_of(listing) and "attended 0" in body_of(listing)

        ics = await bob.ask(room, "!cop workshops ics", bot)
        assert ics["content"]["msgtype"] == "m.file" and ics["content"]["url"].startswith("mxc://")

        async with running.services.db() as session:
            assert len((await session.exec(select(Workshop))).all()) == 2


async def test_facilitator_commands_are_refused_to_members_and_change_nothing(bot_cfg, bot_user, members):
    fac, bob = await members("fac", "bob")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()) as running:
        room = await community(fac, [bob], bot)
        start = soon(60 * 24 * 3 + 200)  # no reminder falls due during the test
        await fac.ask(room, f"!cop workshops plan {start:%Y-%m-%d %H:%M} every 6 weeks count 2", bot)

        async def snapshot():
            async with running.services.db() as session:
                return ([(w.starts_at, w.state, w.topic, w.link, w.stage, w.sequence)
                         for w in (await session.exec(select(Workshop).order_by(Workshop.number))).all()],
                        [(a.id, a.state, a.due_at) for a in (await session.exec(select(WorkshopAction))).all()],
                        (await session.exec(select(WorkshopSettings))).all())

        before = await snapshot()
        later = start + timedelta(days=2)
        for command in (f"!cop workshops plan {later:%Y-%m-%d %H:%M} every 4 weeks confirm",
                        f"!cop workshop 1 move {later:%Y-%m-%d %H:%M}", "!cop workshop 1 cancel",
                        "!cop workshop 1 topic Boundaries", "!cop workshop 1 link https://meet.example.org/x",
                        "!cop workshop 1 stage maturing", f"!cop workshop add {later:%Y-%m-%d %H:%M}",
                        "!cop reminders 2d", "!cop reminders mention on", f"!cop attended 1 {bob.user_id}"):
            refused = await bob.ask(room, command, bot)
            assert "Only these roles can do that here: facilitator" in body_of(refused), command
        assert await snapshot() == before
