"""The foundation on a real Synapse: invites, help, ping, unknown commands, restarts."""

from __future__ import annotations

import asyncio

import pytest

from bot import __version__
from devtools.botrun import RunningBot
from devtools.member import body_of

pytestmark = pytest.mark.synapse


async def _room_with_bot(alice, bot_id: str) -> str:
    room = await alice.create_room("Practice circle", invite=[bot_id])
    await alice.wait_for_member(room, bot_id)
    return room


async def test_invite_join_help_ping_unknown(bot_cfg, bot_user, members):
    (alice,) = await members("alice")
    async with RunningBot(bot_cfg()):
        room = await _room_with_bot(alice, bot_user.user_id)

        pong = await alice.ask(room, "!cop ping", bot_user.user_id)
        assert pong["content"]["msgtype"] == "m.notice"
        assert __version__ in body_of(pong)
        assert pong["content"]["format"] == "org.matrix.custom.html"
        assert pong["content"]["m.mentions"] == {}

        helped = await alice.ask(room, "!cop help", bot_user.user_id)
        assert "!cop ping" in body_of(helped) and "!cop help" in body_of(helped)
        assert "<ul>" in helped["content"]["formatted_body"]

        unknown = await alice.ask(room, "!cop frobnicate <b>x</b>", bot_user.user_id)
        assert "Unknown command" in body_of(unknown) and "!cop help" in body_of(unknown)
        assert "<b>" not in unknown["content"]["formatted_body"]  # user text is escaped

        one = await alice.ask(room, "!cop help ping", bot_user.user_id)
        assert "Example: `!cop ping`" in body_of(one)


async def test_messages_without_prefix_and_notices_are_ignored(bot_cfg, bot_user, members):
    alice, bob = await members("alice", "bob")
    async with RunningBot(bot_cfg()):
        room = await alice.create_room("Circle", invite=[bot_user.user_id, bob.user_id])
        await alice.wait_for_member(room, bot_user.user_id)
        await bob.sync()
        await alice.say(room, "ping")  # no prefix in a group room: not for the bot
        await alice.say(room, "!cop ping", msgtype="m.notice")  # notices never answered
        answer = await alice.ask(room, "!cop ping", bot_user.user_id)
        replies = [e for r, e in alice.events if r == room and e.get("sender") == bot_user.user_id
                   and e.get("type") == "m.room.message"]
        assert replies == [answer]


async def test_dm_prefix_optional(bot_cfg, bot_user, members):
    (alice,) = await members("alice")
    async with RunningBot(bot_cfg()):
        dm = await alice.create_room("", invite=[bot_user.user_id], direct=True)
        await alice.wait_for_member(dm, bot_user.user_id)
        assert "pong" in body_of(await alice.ask(dm, "ping", bot_user.user_id))
        assert "pong" in body_of(await alice.ask(dm, "!cop ping", bot_user.user_id))


async def test_history_before_join_is_not_acted_on(bot_cfg, bot_user, members):
    (alice,) = await members("alice")
    room = await alice.create_room("Circle")
    await alice.say(room, "!cop ping")  # before the bot is even invited
    async with RunningBot(bot_cfg()):
        await alice.client.room_invite(room, bot_user.user_id)
        await alice.wait_for_member(room, bot_user.user_id)
        answer = await alice.ask(room, "!cop help", bot_user.user_id)
        assert "!cop ping" in body_of(answer)  # the help answer, not a pong
        await asyncio.sleep(1)
        await alice.sync()
        pongs = [e for r, e in alice.events if r == room and "pong" in body_of(e)]
        assert pongs == []


async def test_invite_allow_list(bot_cfg, bot_user, members):
    alice, mallory = await members("alice", "mallory")
    async with RunningBot(bot_cfg(matrix={"allowed_inviters": [alice.user_id]})):
        bad = await mallory.create_room("Not allowed", invite=[bot_user.user_id])
        good = await alice.create_room("Allowed", invite=[bot_user.user_id])
        await alice.wait_for_member(good, bot_user.user_id)
        await asyncio.sleep(1)
        members_resp = await mallory.client.joined_members(bad)
        assert bot_user.user_id not in [m.user_id for m in members_resp.members]


async def test_restart_answers_downtime_command_once_and_never_replays(bot_cfg, bot_user, members):
    (alice,) = await members("alice")
    config = bot_cfg()
    async with RunningBot(config):
        room = await _room_with_bot(alice, bot_user.user_id)
        assert "pong" in body_of(await alice.ask(room, "!cop ping", bot_user.user_id))

    # The bot is down: this command must be answered after the restart, exactly once.
    mark = len(alice.events)
    await alice.say(room, "!cop help ping")
    async with RunningBot(config):
        await alice.wait_for(lambda r, e: r == room and "Example" in body_of(e), since=mark)
        await asyncio.sleep(2)
    async with RunningBot(config):  # a second restart replays nothing
        await asyncio.sleep(2)
        await alice.sync()
    answers = [e for r, e in alice.events[mark:] if r == room and e.get("sender") == bot_user.user_id]
    assert len(answers) == 1
    pongs = [e for r, e in alice.events if r == room and "pong" in body_of(e)]
    assert len(pongs) == 1


async def test_old_downtime_command_is_skipped(bot_cfg, bot_user, members):
    (alice,) = await members("alice")
    config = bot_cfg(bot={"catch_up_seconds": 1})
    async with RunningBot(config):
        room = await _room_with_bot(alice, bot_user.user_id)
    mark = len(alice.events)
    await alice.say(room, "!cop ping")
    await asyncio.sleep(2.5)  # older than the catch-up limit by the time the bot is back
    async with RunningBot(config):
        answer = await alice.ask(room, "!cop help ping", bot_user.user_id)
        assert "Example" in body_of(answer)
    answers = [e for r, e in alice.events[mark:] if r == room and e.get("sender") == bot_user.user_id]
    assert answers == [answer]


async def _bot_said(member, room: str, bot_id: str, text: str) -> list[dict]:
    return [e for r, e in member.events if r == room and e.get("sender") == bot_id and text in body_of(e)]


async def test_first_dm_message_sent_while_invited_is_answered_once(bot_cfg, bot_user, members):
    """Element sends the first message of a new DM before the bot has joined (its `isRoomReady`)."""
    (alice,) = await members("alice")
    config = bot_cfg()
    async with RunningBot(config):  # a first run: the bot's history starts here
        pass
    # The bot is down: the DM is opened and spoken to while the bot is only invited.
    dm = await alice.create_room("", invite=[bot_user.user_id], direct=True, encrypted=True)
    await alice.say(dm, "ping")
    async with RunningBot(config):
        await alice.wait_for(lambda r, e: r == dm and "pong" in body_of(e), timeout=30)
        await asyncio.sleep(2)
    async with RunningBot(config):  # a restart answers nothing again
        await asyncio.sleep(2)
        await alice.sync()
    assert len(await _bot_said(alice, dm, bot_user.user_id, "pong")) == 1


async def test_group_room_message_sent_while_invited_is_history(bot_cfg, bot_user, members):
    alice, bob = await members("alice", "bob")
    config = bot_cfg()
    async with RunningBot(config):
        pass
    room = await alice.create_room("Circle", invite=[bot_user.user_id, bob.user_id])
    await alice.say(room, "!cop ping")  # the bot is invited, not joined: not for it yet
    async with RunningBot(config):
        await alice.wait_for_member(room, bot_user.user_id, timeout=30)
        answer = await alice.ask(room, "!cop help ping", bot_user.user_id)
        assert "Example" in body_of(answer)
        await asyncio.sleep(1)
        await alice.sync()
    assert await _bot_said(alice, room, bot_user.user_id, "pong") == []


async def test_answers_in_a_shared_room_reply_to_their_command_and_not_in_a_dm(bot_cfg, bot_user, members):
    """Two people typing at once can tell whose answer is whose; a DM needs no reply quote."""
    alice, bob = await members("alice", "bob")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()):
        room = await alice.room_with("Circle", bot, (bob,))
        mark = len(alice.events)
        asked = {await alice.say(room, "!cop ping"): "pong", await bob.say(room, "!cop help ping"): "Example"}
        for own, answer_text in asked.items():
            _, answer = await alice.wait_for(
                lambda r, e: r == room and e.get("sender") == bot and answer_text in body_of(e), since=mark)
            assert answer["content"]["m.relates_to"] == {"m.in_reply_to": {"event_id": own}}
            assert not body_of(answer).startswith(">")  # no fallback quote (MSC2781)
        dm = await alice.dm_with(bot)
        pong = await alice.ask(dm, "ping", bot)
        assert "m.relates_to" not in pong["content"]
