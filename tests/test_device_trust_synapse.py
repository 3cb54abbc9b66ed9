"""Members' devices: room keys only for those their owner cross-signed, when the owner has an identity."""

from __future__ import annotations

import pytest

from bot.cross_signing_setup import DEVICE_SIGNED, bare_password, ensure
from devtools.botrun import RunningBot
from devtools.member import Member, body_of
from devtools.synapse import RegisteredUser
from tests.test_cross_signing_synapse import _post

pytestmark = pytest.mark.synapse


async def _second_device(synapse, user: RegisteredUser, device_id: str) -> RegisteredUser:
    login = await _post(synapse.url, None, "/_matrix/client/v3/login", {
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": user.user_id},
        "password": user.password, "device_id": device_id})
    return RegisteredUser(user.user_id, login["access_token"], device_id, user.password)


async def _event(member: Member, event_id: str) -> dict:
    _, event = await member.wait_for(lambda r, e: e.get("event_id") == event_id, timeout=30)
    return event


async def test_an_unsigned_device_of_a_member_with_an_identity_gets_no_room_keys(
        synapse, register, bot_user, bot_cfg, tmp_path):
    alice_user, bob_user = await register("talice"), await register("tbob")
    alice = Member(synapse.url, alice_user, store=tmp_path / "alice")
    bob = Member(synapse.url, bob_user, store=tmp_path / "bob")  # never sets up cross-signing
    alice_two = Member(synapse.url, await _second_device(synapse, alice_user, "ALICETWO"), store=tmp_path / "two")
    try:
        for member in (alice, bob, alice_two):
            await member.sync()
        # Alice's first client sets up cross-signing (with the bot's own code, as Element would);
        # her second device stays unsigned, like one a homeserver admin slipped in.
        keys = tmp_path / "alice-keys"
        await ensure(alice.client, keys, bare_password(alice_user.password))
        async with RunningBot(bot_cfg()):
            room = await alice.room_with("Trust circle", bot_user.user_id, (bob,), encrypted=True)
            answer = await bob.ask(room, "!cop ping", bot_user.user_id, timeout=30)
            assert answer.get("decrypted") and "pong" in body_of(answer)  # no identity: served as before
            assert (await _event(alice, answer["event_id"])).get("decrypted")  # signed device
            unsigned = await _event(alice_two, answer["event_id"])
            assert unsigned["type"] == "m.room.encrypted" and not unsigned.get("decrypted")

            # Once Alice signs that device, the bot's next message reaches it.
            assert await ensure(alice_two.client, keys) == DEVICE_SIGNED
            for _ in range(10):
                again = await bob.ask(room, "!cop ping", bot_user.user_id, timeout=30)
                if (await _event(alice_two, again["event_id"])).get("decrypted"):
                    break
            else:
                raise AssertionError("the newly signed device never got the room key")
    finally:
        for member in (alice, bob, alice_two):
            await member.close()
