"""End-to-end encryption on the real Synapse, with e2e-enabled member clients.

An encrypted community room (commands, a reminder, a prompt, a consultation
post), encrypted DMs (consultation intake and a check-in in a DM the member
opened; a summary in a DM the bot opened), and the notice a member gets when
the bot cannot decrypt their message: once, then not again within the hour.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from devtools.botrun import RunningBot
from devtools.member import Member, body_of
from tests.logcapture import captured_logs
from storage.models import Workshop
from tests.test_workshops_synapse import TZ, soon

pytestmark = pytest.mark.synapse

NOTICE = "I could not read your last message"


def encrypted_from_bot(member: Member, room: str, bot: str) -> list[dict]:
    return [e for r, e in member.events if r == room and e.get("sender") == bot and e.get("decrypted")]


async def reply_with(member: Member, room: str, text: str, needle: str) -> dict:
    """Send `text` and wait for the bot's answer containing `needle` (other notices may come between)."""
    mark = len(member.events)
    await member.say(room, text)
    try:
        _, event = await member.wait_for(lambda r, e: r == room and needle in body_of(e), timeout=30, since=mark)
    except TimeoutError:
        print("the bot said instead:", [body_of(e)[:300] for r, e in member.events[mark:] if r == room])
        raise
    return event


async def _held_workshop(running, room: str) -> None:
    """A workshop held yesterday, so a check-in has a period to report on."""
    from storage import communities

    async with running.services.db() as session:
        community = await communities.by_room(session, room)
        now = datetime.now(timezone.utc)
        session.add(Workshop(community_id=community.id, number=9, starts_at=now - timedelta(days=1),
                             duration_min=120, stage="potential", state="planned", uid=str(uuid.uuid4()),
                             created_at=now, updated_at=now))
        await session.commit()


async def test_encrypted_room_and_dms_work_end_to_end(bot_cfg, bot_user, members):
    fac, bob = await members("efac", "ebob")
    bot = bot_user.user_id
    cfg = bot_cfg(workshops={"allow_seconds_offsets": True},
                  consultations={"posting_delay_seconds": [0, 0]})
    async with RunningBot(cfg) as running:
        room = await fac.room_with("Sealed circle", bot, (bob,), encrypted=True)
        assert fac.client.rooms[room].encrypted
        setup = await fac.ask(room, "!cop setup Sealed circle", bot, timeout=30)
        assert setup.get("decrypted") and setup["content"]["msgtype"] == "m.notice"
        assert "Sealed circle" in body_of(await bob.ask(room, "!cop status", bot, timeout=30))

        # A reminder falls due a few seconds from now, and arrives encrypted.
        start = soon()
        lead = int((start - datetime.now(TZ)).total_seconds())
        await fac.ask(room, f"!cop reminders {lead - 6}s", bot, timeout=30)
        planned = await fac.ask(room, f"!cop workshops plan {start:%Y-%m-%d %H:%M} every 1 weeks count 1", bot)
        assert "1 workshops planned" in body_of(planned)
        _, reminder = await bob.wait_for(
            lambda r, e: r == room and body_of(e).startswith("Reminder: workshop 1"), timeout=45)
        assert reminder.get("decrypted")

        prompt = await fac.ask(room, "!cop prompt", bot, timeout=30)
        assert body_of(prompt).startswith("Reflective prompt") and prompt.get("decrypted")

        # Consultation intake in an encrypted DM the member opened; the post lands in the room.
        dm = await bob.dm_with(bot, encrypted=True)
        preview = await bob.ask(dm, "consult My client's ex keeps turning up at the school gate. "
                                    "How do others plan pickups? #IPV", bot, timeout=30)
        assert preview.get("decrypted")
        ack = await bob.ask(dm, "send", bot, timeout=30)
        assert ack.get("decrypted") and "only this once" in body_of(ack)
        _, post = await fac.wait_for(
            lambda r, e: r == room and e.get("sender") == bot and "school gate" in body_of(e), timeout=30)
        assert post.get("decrypted")

        # A check-in in the same encrypted DM.
        await _held_workshop(running, room)
        intro = await reply_with(bob, dm, "checkin", "Check-in since workshop")
        answer = await reply_with(bob, dm, "4 3 3 1 n", "What did you do differently")
        assert intro.get("decrypted") and answer.get("decrypted")

        # The bot opens an encrypted DM itself for the summary.
        await fac.ask(room, "!cop summary", bot, timeout=30)
        fac_dm, summary = await fac.wait_for(
            lambda r, e: r != room and e.get("sender") == bot and "summary" in body_of(e).lower(), timeout=45)
        assert fac.client.rooms[fac_dm].encrypted and summary.get("decrypted")

    # Nothing the bot sent to these rooms went out in clear text.
    for member, rooms in ((fac, (room, fac_dm)), (bob, (room, dm))):
        for r, event in member.events:
            if r in rooms and event.get("sender") == bot and event.get("type") == "m.room.message":
                assert event.get("decrypted"), body_of(event)[:60]


async def test_an_undecryptable_message_gets_one_notice_per_sender_per_hour(bot_cfg, bot_user, members):
    fac, bob, cara = await members("ufac", "ubob", "ucara")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()):
        room = await fac.room_with("Keyless circle", bot, (bob,), encrypted=True)
        await fac.ask(room, "!cop setup Keyless circle", bot, timeout=30)

        first = await bob.send_undecryptable(room)
        _, notice = await bob.wait_for(lambda r, e: r == room and NOTICE in body_of(e), timeout=30)
        content = notice["content"]
        assert content["msgtype"] == "m.notice" and notice.get("decrypted")
        assert content["m.relates_to"]["m.in_reply_to"]["event_id"] == first
        assert content["m.mentions"] == {"user_ids": [bob.user_id]}

        # A second unreadable message from Bob within the hour: no second notice.
        await bob.send_undecryptable(room)
        # ...while another sender gets their own notice.
        await fac.send_undecryptable(room)
        _, other = await fac.wait_for(
            lambda r, e: r == room and NOTICE in body_of(e)
            and e["content"]["m.mentions"] == {"user_ids": [fac.user_id]}, timeout=30)
        # Bob's readable command is answered as usual, after both unreadable messages.
        assert "Keyless circle" in body_of(await bob.ask(room, "!cop status", bot, timeout=30))
        notices = [e for r, e in bob.events if r == room and NOTICE in body_of(e)]
        assert len(notices) == 2  # one for Bob, one for the facilitator

        # In an encrypted DM: Cara gets her notice there; Bob, already told, does not.
        cara_dm = await cara.dm_with(bot, encrypted=True)
        await cara.send_undecryptable(cara_dm)
        _, in_dm = await cara.wait_for(lambda r, e: r == cara_dm and NOTICE in body_of(e), timeout=30)
        assert in_dm.get("decrypted")
        bob_dm = await bob.dm_with(bot, encrypted=True)
        await bob.send_undecryptable(bob_dm)
        await bob.ask(bob_dm, "help", bot, timeout=30)
        assert not any(NOTICE in body_of(e) for r, e in bob.events if r == bob_dm)


def bot_sessions(member: Member, room: str, bot_key: str) -> set[str]:
    """Ids of the bot's room-key sessions for `room` that reached this member's device."""
    return {s.id for s in member.client.olm.inbound_group_store if s.room_id == room and s.sender_key == bot_key}


async def test_a_restart_from_saved_rooms_knows_who_came_and_went_while_it_was_down(bot_cfg, bot_user, members):
    fac, bob, cara = await members("rfac", "rbob", "rcara")
    bot = bot_user.user_id
    cfg = bot_cfg()
    saved = cfg.matrix.store_path / "rooms.json"
    async with RunningBot(cfg) as running:
        room = await fac.room_with("Kept circle", bot, (bob,), encrypted=True)
        await fac.ask(room, "!cop setup Kept circle", bot, timeout=30)
        bot_key = running.client.olm.account.identity_keys["curve25519"]
    assert saved.exists()

    # While the bot is down, Bob leaves and Cara joins.
    await bob.client.room_leave(room)
    await fac.client.room_invite(room, cara.user_id)
    await cara.sync()  # accepts the invitation
    await fac.wait_for_member(room, cara.user_id)
    await cara.wait_for_member(room, cara.user_id)
    for n in range(55):  # more than a sync's timeline holds: the changes come as room state
        await fac.say(room, f"talk {n}")
    await bob.sync()
    bob_had = bot_sessions(bob, room, bot_key)

    with captured_logs() as logs:
        async with RunningBot(cfg) as running:
            answer = await fac.ask(room, "!cop status", bot, timeout=30)
            assert "Kept circle" in body_of(answer) and answer.get("decrypted")
            _, seen = await cara.wait_for(lambda r, e: r == room and e.get("event_id") == answer["event_id"], timeout=30)
            assert seen.get("decrypted")  # the new member got the room key
            view = running._room_view(room)
            assert cara.user_id in view.joined_members() and bob.user_id not in view.joined_members()
    assert "rooms.restored" in logs.getvalue()
    await bob.sync()
    assert bot_sessions(bob, room, bot_key) == bob_had  # the member who left got no new room key
    assert bot_sessions(cara, room, bot_key)

    # A damaged file: the bot reads every room instead, and answers as before.
    saved.write_text("{", encoding="utf-8")
    with captured_logs() as logs:
        async with RunningBot(cfg):
            assert "Kept circle" in body_of(await cara.ask(room, "!cop status", bot, timeout=30))
    assert "rooms.cache_ignored" in logs.getvalue() and "rooms.restored" not in logs.getvalue()


async def test_the_homeserver_sees_only_size_buckets_of_the_bots_encrypted_messages(bot_cfg, bot_user, members):
    """What the homeserver's operator holds: ciphertexts. Answers of very different lengths
    (a pong, and the help for a command) have the same ciphertext length: that of their bucket."""
    import asyncio
    import json
    import urllib.request

    (alice,) = await members("alice")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()):
        dm = await alice.dm_with(bot, encrypted=True)
        short = await alice.ask(dm, "ping", bot)
        long_ = await alice.ask(dm, "help ping", bot)
        assert len(body_of(long_)) > 2 * len(body_of(short))

    def raw(event_id: str) -> dict:  # the homeserver's copy, not decrypted
        req = urllib.request.Request(f"{alice.client.homeserver}/_matrix/client/v3/rooms/{dm}/event/{event_id}",
                                     headers={"Authorization": f"Bearer {alice.client.access_token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    a, b = [await asyncio.to_thread(raw, e["event_id"]) for e in (short, long_)]
    assert a["type"] == b["type"] == "m.room.encrypted"
    sizes = {len(a["content"]["ciphertext"]), len(b["content"]["ciphertext"])}
    assert len(sizes) == 1, sizes


async def test_at_start_the_bot_warns_about_community_rooms_without_encryption_or_retention(
        bot_cfg, bot_user, members):
    import asyncio

    fac, mem = await members("fac", "mem")
    bot = bot_user.user_id
    cfg = bot_cfg()
    async with RunningBot(cfg):
        plain = await fac.room_with("Plain circle", bot, (mem,))
        await fac.ask(plain, "!cop setup Plain circle", bot)
        safe = await fac.room_with("Safe circle", bot, (mem,), encrypted=True)
        await fac.client.room_put_state(safe, "m.room.retention", {"max_lifetime": 90 * 86400 * 1000})
        await fac.ask(safe, "!cop setup Safe circle", bot)
    with captured_logs() as logged:
        async with RunningBot(cfg):
            for _ in range(50):
                if "startup.homeserver_settings" in logged.getvalue():
                    break
                await asyncio.sleep(0.2)
    text = logged.getvalue()
    assert text.count("rooms.community_not_encrypted") == 1 and text.count("rooms.community_without_retention") == 1
    assert "redaction_retention_period" in text
