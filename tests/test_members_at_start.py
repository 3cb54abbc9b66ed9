"""The first sync of a process loads members lazily; bot.members reads each room's list, and the
bot then knows its rooms as a full-state sync would have told it."""

from __future__ import annotations


import pytest
from nio import MatrixRoom
from nio.responses import RoomSummary

from bot.app import FIRST_SYNC_FILTER
from bot.members import MembersNotLoaded, lazy_members, load_members
from bot.rooms import NioRoomView

BOT, FAC, ANN, BOB = "@copbot:test", "@fac:test", "@ann:test", "@bob:test"


def member(user: str, membership: str, name: str | None = None) -> dict:
    return {"type": "m.room.member", "state_key": user, "sender": user,
            "content": {"membership": membership, **({"displayname": name} if name else {})}}


class Response:
    def __init__(self, status: int, body: object):
        self.status, self.body = status, body

    async def json(self):
        return self.body

    def release(self) -> None:
        pass


class Client:
    """What load_members uses of nio's AsyncClient: rooms, send, the token, olm."""

    def __init__(self, rooms: dict[str, MatrixRoom], answers: dict[str, Response]):
        self.rooms, self.answers, self.access_token, self.olm = rooms, answers, "token", None
        self.paths: list[str] = []

    async def send(self, method, path, headers=None):
        self.paths.append(path)
        room = next(r for r in self.answers if r.replace("!", "%21").replace(":", "%3A") in path)
        return self.answers[room]


def test_the_first_sync_filter_leaves_members_out_and_keeps_everything_else():
    lazy = lazy_members(FIRST_SYNC_FILTER)
    assert lazy["room"]["state"] == {"lazy_load_members": True}
    assert {k: v for k, v in lazy["room"].items() if k != "state"} == FIRST_SYNC_FILTER["room"]
    assert "state" not in FIRST_SYNC_FILTER["room"]  # the filter of later syncs is left as it was


async def test_members_are_known_as_after_a_full_state_sync():
    room = MatrixRoom("!r:test", BOT)
    room.add_member(BOB, "Bob", None)  # lazily loaded as a timeline sender; he has left since
    room.update_summary(RoomSummary(None, 2, 0))  # the lazy sync's counts, never updated later
    client = Client({"!r:test": room}, {"!r:test": Response(200, {"chunk": [
        member(BOT, "join"), member(FAC, "join", "Fac"), member(ANN, "invite")]})})
    await load_members(client, ["!r:test"])
    view = NioRoomView(room, BOT)
    assert view.joined_members() == [FAC]
    assert view.is_joined(FAC) and not view.is_joined(ANN) and not view.is_joined(BOB)
    assert room.users[ANN].invited and set(room.users) == {BOT, FAC, ANN}
    assert room.member_count == 3  # from the member list (an invited DM partner counts, as before)
    assert room.members_synced and "not_membership=leave" in client.paths[0]


async def test_a_room_whose_members_cannot_be_read_makes_the_first_sync_run_again():
    rooms = {"!a:test": MatrixRoom("!a:test", BOT), "!b:test": MatrixRoom("!b:test", BOT)}
    client = Client(rooms, {"!a:test": Response(200, {"chunk": [member(BOT, "join")]}),
                            "!b:test": Response(502, None)})
    with pytest.raises(MembersNotLoaded):
        await load_members(client, list(rooms))
