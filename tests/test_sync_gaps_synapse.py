"""More commands than one sync carries (the filter keeps 50 events a room): none may be lost.

Found by the burst benchmark (bench/matrix_bench.py): 500 commands sent at once got 393 answers,
because a "limited" timeline only holds the latest events.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from nio import MessageDirection

from bot.app import SYNC_FILTER
from devtools.botrun import RunningBot
from devtools.member import body_of

pytestmark = pytest.mark.synapse

SENT = SYNC_FILTER["room"]["timeline"]["limit"] + 25


async def _pongs_since(member, room: str, bot_id: str, since_ms: int) -> int:
    """The bot's pongs in the room after `since_ms`, read with /messages (a member's own sync has
    a timeline limit too)."""
    await member.sync()
    resp = await member.client.room_messages(room, start=member.client.next_batch, limit=500,
                                             direction=MessageDirection.back)
    return sum(1 for e in resp.chunk if e.sender == bot_id and e.server_timestamp > since_ms
               and "pong" in body_of(e.source))


async def test_commands_sent_while_the_bot_was_down_are_all_answered(bot_cfg, bot_user, members):
    (alice,) = await members("alice")
    config = bot_cfg()
    async with RunningBot(config):
        room = await alice.room_with("Practice circle", bot_user.user_id)
        await alice.ask(room, "!cop ping", bot_user.user_id)
    # While the bot is stopped, more commands than its sync filter returns for one room.
    since_ms = int(time.time() * 1000)
    for _ in range(SENT):
        await alice.say(room, "!cop ping")
    async with RunningBot(config):
        deadline = time.monotonic() + 120
        while await _pongs_since(alice, room, bot_user.user_id, since_ms) < SENT and time.monotonic() < deadline:
            await asyncio.sleep(1)
        await asyncio.sleep(2)  # time for a wrong extra answer to show
        assert await _pongs_since(alice, room, bot_user.user_id, since_ms) == SENT  # every one, and each once
