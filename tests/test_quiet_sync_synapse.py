"""On the real Synapse: while the sends of scheduled actions are queued, the bot's next /sync waits
for them (bot.sender.Sender.quiet), and never longer than SCHEDULED_QUIET_S."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.app import SCHEDULED_QUIET_S
from bot.sender import scheduled_send
from bot.text import Text
from devtools.botrun import RunningBot
from devtools.member import body_of

pytestmark = pytest.mark.synapse


async def test_a_command_during_scheduled_sends_is_answered_when_they_are_out(bot_cfg, bot_user, members):
    (fac,) = await members("fac")
    bot_id = bot_user.user_id
    async with RunningBot(bot_cfg()) as bot:
        room = await fac.room_with("Circle", bot_id)
        await fac.ask(room, "!cop setup Circle", bot_id)
        real_send = bot.client.room_send
        held = asyncio.Event()

        async def room_send(room_id, event_type, content, *args, **kwargs):
            if content.get("body") == "A reminder":
                await held.wait()  # the homeserver is slow with this one
            return await real_send(room_id, event_type, content, *args, **kwargs)

        bot.client.room_send = room_send

        async def reminder() -> None:
            scheduled_send.set(True)  # as the scheduler marks its actions' sends
            await bot.services.sender.send(room, Text.escaped("A reminder"), msgtype="m.text")

        sending = asyncio.create_task(reminder())
        await asyncio.sleep(0.3)
        # The /sync the bot had out when the reminder started answers this one at once.
        first = await fac.ask(room, "!cop ping", bot_id, timeout=10)
        assert "pong" in body_of(first)
        # The next /sync waits for the reminder: this one is not seen meanwhile...
        mark = len(fac.events)
        await fac.say(room, "!cop ping")
        await asyncio.sleep(1.5)
        await fac.sync()
        assert not [e for r, e in fac.events[mark:] if r == room and e.get("sender") == bot_id]
        # ...and is answered once the reminder is out.
        held.set()
        await sending
        released = time.monotonic()
        _, reminder_event = await fac.wait_for(lambda r, e: r == room and body_of(e) == "A reminder",
                                               since=mark)
        _, second = await fac.wait_for(lambda r, e: r == room and "pong" in body_of(e), since=mark, timeout=10)
        assert time.monotonic() - released < 5

        # A scheduled send that hangs does not keep the bot deaf: it waits SCHEDULED_QUIET_S at most.
        held.clear()
        hanging = asyncio.create_task(reminder())
        await asyncio.sleep(0.3)
        await fac.ask(room, "!cop ping", bot_id, timeout=10)  # the /sync that was out
        asked = time.monotonic()
        third = await fac.ask(room, "!cop ping", bot_id, timeout=SCHEDULED_QUIET_S + 10)
        assert "pong" in body_of(third)
        assert time.monotonic() - asked < SCHEDULED_QUIET_S + 5
        held.set()
        await hanging
