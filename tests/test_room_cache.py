"""bot.room_cache: the rooms a restart restores instead of reading every room again."""

from __future__ import annotations

import json
import os
import stat

from nio import MatrixRoom
from nio.events.room_events import DefaultLevels, PowerLevels

from bot import room_cache
from bot.rooms import NioRoomView
from tests.logcapture import captured_logs

BOT, FAC, ANN, BOB = "@copbot:test", "@fac:test", "@ann:test", "@bob:test"


def community_room() -> MatrixRoom:
    room = MatrixRoom("!circle:test", BOT, encrypted=True)
    room.name, room.room_version, room.join_rule = "Circle", "12", "invite"
    room.power_levels = PowerLevels(DefaultLevels(users_default=0, invite=50), {FAC: 50, BOT: 100}, {"m.room.name": 50})
    room.add_member(BOT, "copbot", None)
    room.add_member(FAC, "Fac", "mxc://test/fac")
    room.add_member(ANN, None, None, invited=True)
    return room


def left_room() -> MatrixRoom:
    room = MatrixRoom("!old:test", BOT)
    room.add_member(FAC, "Fac", None)  # the bot left: its own member entry is gone
    return room


def test_a_restored_room_answers_as_the_saved_one_did():
    rooms = {"!circle:test": community_room(), "!old:test": left_room()}
    data = json.loads(json.dumps(room_cache.snapshot(rooms, BOT, {"!circle:test": frozenset({FAC})}, "s42")))
    restored = room_cache.restore(data, BOT)
    assert restored.token == "s42"
    assert list(restored.rooms) == ["!circle:test"]  # a room the bot left is not kept
    room = restored.rooms["!circle:test"]
    assert (room.name, room.room_version, room.join_rule, room.encrypted) == ("Circle", "12", "invite", True)
    assert room.user_name(FAC) == "Fac" and room.users[FAC].avatar_url == "mxc://test/fac"
    assert room.users[ANN].invited and ANN in room.invited_users
    assert room.member_count == 3 and room.members_synced
    assert room.power_levels.can_user_send_state(FAC, "m.room.name")
    assert not room.power_levels.can_user_send_state(ANN, "m.room.name")
    view = NioRoomView(room, BOT, restored.creators["!circle:test"])
    assert view.joined_members() == [FAC]
    assert view.power_level(FAC) == 2**53 - 1  # a creator in a version 12 room
    assert view.power_level(ANN) == 0


def test_a_file_of_another_bot_or_format_or_a_broken_one_is_not_used():
    data = room_cache.snapshot({"!circle:test": community_room()}, BOT, {}, "s1")
    assert room_cache.restore(data, "@otherbot:test") is None
    assert room_cache.restore({**data, "format": 99}, BOT) is None
    assert room_cache.restore({**data, "rooms": [{"id": "!x:test"}]}, BOT) is None
    assert room_cache.restore([], BOT) is None


async def test_the_file_is_written_whole_and_for_its_owner_only(tmp_path):
    path = tmp_path / room_cache.FILE_NAME
    await room_cache.save(path, room_cache.snapshot({"!circle:test": community_room()}, BOT, {}, "s1"))
    await room_cache.save(path, room_cache.snapshot({"!circle:test": community_room()}, BOT, {}, "s2"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(tmp_path) == [room_cache.FILE_NAME]  # no temporary file left behind
    restored = await room_cache.load(path, BOT)
    assert restored.token == "s2" and list(restored.rooms) == ["!circle:test"]


async def test_a_missing_file_is_no_problem_and_a_damaged_one_is_logged_without_content(tmp_path):
    path = tmp_path / room_cache.FILE_NAME
    with captured_logs() as logs:
        assert await room_cache.load(path, BOT) is None
        assert logs.getvalue() == ""
        path.write_text('{"format": 1, "user_id": "@copbot:test", "rooms": [', encoding="utf-8")
        assert await room_cache.load(path, BOT) is None
    assert "rooms.cache_ignored" in logs.getvalue() and "copbot:test" not in logs.getvalue()
