"""Anonymous consultations on the real Synapse, and the privacy invariants they must keep.

A scripted run of requests, an edit, a cancel, a follow-up, replies, a
rejection and a close; afterwards the database files, the complete log
output and every event the bot sent are searched for the requester's user
id, display name and DM room id, and for unsalted hashes of them.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re

import pytest

from tests.logcapture import captured_logs
from devtools.botrun import RunningBot, stored_bytes
from devtools.member import body_of

pytestmark = pytest.mark.synapse

REQUEST = ("consult The mother, Samira Haddad, told me that her partner choked her last week. "
           "Her phone is 514-555-0199. Her son is 6 years old and the father drinks. "
           "How can we plan for the custody exchange? #IPV #AP")


def _code(text: str) -> str:
    return re.search(r"`([a-z]+(?:-[a-z]+){3})`", text).group(1)


def _forms(value: str) -> set[str]:
    """The value and its unsalted hashes, as hex and base64."""
    out = {value}
    for algo in ("md5", "sha1", "sha256", "sha512"):
        digest = hashlib.new(algo, value.encode()).digest()
        out |= {digest.hex(), base64.b64encode(digest).decode().rstrip("="),
                base64.urlsafe_b64encode(digest).decode().rstrip("=")}
    return out


async def _wait_post(member, room, predicate, timeout=30):
    _, event = await member.wait_for(
        lambda r, e: r == room and e.get("type") == "m.room.message" and predicate(e), timeout=timeout)
    return event


async def test_consultation_flow_leaves_no_trace_of_the_requester(bot_cfg, bot_user, members, tmp_path):
    fac, asker, colleague = await members("fac", "asker", "colleague")
    await asker.client.set_displayname("Rowan Quill")
    bot = bot_user.user_id
    cfg = bot_cfg(consultations={"posting_delay_seconds": [1, 2]})
    with captured_logs() as log_text:
        async with RunningBot(cfg):
            room = await fac.room_with("Circle", bot, (asker, colleague))
            await fac.ask(room, "!cop setup Outaouais circle", bot)
            # Both in the sector directory (issue 23): a store kept apart from every consultation row
            await asker.ask(room, "!cop sector mental-health", bot)
            await colleague.ask(room, "!cop sector addiction mental-health", bot)

            dm = await asker.dm_with(bot)
            intro = await asker.ask(dm, "consult", bot)
            assert "Your identity stays hidden" in body_of(intro)
            preview = await asker.ask(dm, REQUEST.removeprefix("consult "), bot)
            assert "Samira" not in body_of(preview) and "[phone]" in body_of(preview)
            edited = await asker.ask(dm, "edit " + REQUEST.removeprefix("consult ") + " The school is École Sainte-Anne. #addiction", bot)
            assert "Preview" in body_of(edited) and "Sainte-Anne" not in body_of(edited)
            ack = await asker.ask(dm, "send", bot)
            code = _code(body_of(ack))

            post = await _wait_post(colleague, room, lambda e: "Consultation" in body_of(e))
            mention = await _wait_post(colleague, room, lambda e: "asks for expertise in" in body_of(e))
            assert mention["content"]["m.mentions"]["user_ids"] == [colleague.user_id]
            label = re.search(r"Consultation ([a-z]+-[a-z]+)", body_of(post)).group(1)
            assert "[name]" in body_of(post) and "Samira" not in body_of(post)
            await colleague.say(room, "Has anyone checked the father's access to weapons?",
                                thread_root=post["event_id"])

            digest = await asker.ask(dm, f"replies {code}", bot)
            assert "weapons" in body_of(digest)
            await asker.ask(dm, f"followup {code} The hearing went well.", bot)
            await asker.ask(dm, "send", bot)
            update = await _wait_post(colleague, room, lambda e: "Update from the person who asked" in body_of(e))
            assert update["content"]["m.relates_to"]["event_id"] == post["event_id"]

            await asker.ask(dm, REQUEST, bot)
            cancelled = await asker.ask(dm, "cancel", bot)
            assert "nothing was posted" in body_of(cancelled)

            await fac.ask(room, "!cop consultations review on", bot)
            await asker.ask(dm, "consult The grandmother fears for the twins. #MT", bot)
            second = _code(body_of(await asker.ask(dm, "send", bot)))
            sent = await fac.ask(room, "!cop queue", bot)
            assert "direct message" in body_of(sent)
            _, queued = await fac.wait_for(lambda r, e: r != room and "grandmother" in body_of(e), timeout=30)
            waiting = re.search(r"\*\*([a-z]+-[a-z]+)\*\*", queued["content"]["body"]) or \
                re.search(r"^([a-z]+-[a-z]+) \(", queued["content"]["body"], re.M)
            await fac.ask(room, f"!cop reject {waiting.group(1)} Please say which sectors are involved.", bot)
            status = await asker.ask(dm, f"status {second}", bot)
            assert "which sectors" in body_of(status)

            closed = await asker.ask(dm, f"close {code}", bot)
            assert label in body_of(closed)
            await _wait_post(colleague, room, lambda e: "has closed consultation" in body_of(e))

    secrets_ = _forms(asker.user_id) | _forms("Rowan Quill") | _forms(dm) | _forms(asker.user_id.split(":")[0][1:])
    db_bytes = await stored_bytes(cfg.database.url)
    await _no_person_in_consultation_rows(cfg.database.url, [asker, colleague, fac])
    assert b"Outaouais circle" in db_bytes  # what is stored is found: the search is not vacuous
    log_output = log_text.getvalue()
    assert "consultation.posted" in log_output  # the log was captured
    sent_by_bot = [e for m in (fac, asker, colleague) for _, e in m.events if e.get("sender") == bot]
    events_json = json.dumps([e.get("content") for e in sent_by_bot])
    assert len(sent_by_bot) > 15
    for secret in secrets_:
        assert secret.encode() not in db_bytes, secret
        assert secret not in log_output, secret
        assert secret not in events_json, secret
    for text in ("Samira", "514-555-0199", code, second):
        assert text.encode() not in db_bytes, text
        assert text not in log_output, text


async def _no_person_in_consultation_rows(url: str, people) -> None:
    """Every row that concerns a consultation (the requests, their updates, their cross-sector
    reach) holds no user id, no localpart and no pseudonym of the directory (issue 23): the
    directory is kept apart, and nothing links a person to a case."""
    from sqlalchemy import text

    from storage.engine import make_engine

    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            keys = [k for (k,) in (await conn.execute(text("SELECT member_key FROM sector_directory"))).all()]
            cells = []
            for table in ("consultations", "consultation_followups", "consultation_reach"):
                for row in (await conn.execute(text(f"SELECT * FROM {table}"))).all():
                    cells += [str(c) for c in row if c is not None]
            reach = (await conn.execute(text("SELECT reached FROM consultation_reach"))).all()
    finally:
        await engine.dispose()
    assert len(keys) == 2 and reach and reach[0][0] == "mental-health,addiction"  # what is scanned is there
    needles = set(keys)
    for member in people:
        needles |= _forms(member.user_id) | {member.user_id.split(":")[0]}
    for cell in cells:
        for needle in needles:
            assert needle not in cell, (needle, cell[:80])


async def test_intake_works_in_an_encrypted_dm(bot_cfg, bot_user, synapse, register, tmp_path):
    from devtools.member import Member

    bot = bot_user.user_id
    fac = Member(synapse.url, await register("efac"), store=tmp_path / "efac")
    asker = Member(synapse.url, await register("easker"), store=tmp_path / "easker", encryption=True)
    try:
        await fac.sync()
        await asker.sync()
        async with RunningBot(bot_cfg(consultations={"posting_delay_seconds": [0, 0]})):
            room = await fac.room_with("Circle", bot, (asker,))
            await fac.ask(room, "!cop setup Encrypted circle", bot)

            dm = await asker.dm_with(bot, encrypted=True)
            await asker.sync()
            assert asker.client.rooms[dm].encrypted
            preview = await asker.ask(dm, REQUEST, bot, timeout=30)
            assert preview.get("decrypted")  # the bot answered encrypted
            assert "[phone]" in body_of(preview) and "Samira" not in body_of(preview)
            ack = await asker.ask(dm, "send", bot, timeout=30)
            assert "only this once" in body_of(ack) and ack.get("decrypted")
            post = await _wait_post(fac, room, lambda e: "Consultation" in body_of(e))
            assert "[phone]" in body_of(post)
    finally:
        await fac.close()
        await asker.close()


async def _dm_as_read_back(member, dm: str) -> list:
    """The DM as the member's client reads it back from the homeserver, decrypted where it can."""
    resp = await member.client.room_messages(dm, start=None, limit=300)
    return list(resp.chunk)


async def test_after_the_cleanup_delay_the_encrypted_dm_links_nobody_to_the_case(bot_cfg, bot_user, members):
    """Consult, preview, send, replies, followup, status, close in an encrypted DM; then the DM holds
    no unredacted event with the code, the label or the case text. A plain DM gets the refusal."""
    fac, asker, colleague = await members("fac", "asker", "colleague")
    bot = bot_user.user_id
    cfg = bot_cfg(consultations={"posting_delay_seconds": [0, 0], "dm_cleanup_seconds": 3,
                                 "require_encrypted_dm": True})
    async with RunningBot(cfg):
        room = await fac.room_with("Circle", bot, (asker, colleague))
        await fac.ask(room, "!cop setup Outaouais circle", bot)

        plain = await asker.dm_with(bot)
        refusal = body_of(await asker.ask(plain, REQUEST, bot))
        assert "not end-to-end encrypted" in refusal

        dm = await asker.dm_with(bot, encrypted=True)
        assert "Preview" in body_of(await asker.ask(dm, REQUEST, bot))
        ack = body_of(await asker.ask(dm, "send", bot))
        code = _code(ack)
        assert "Copy it now" in ack
        post = await _wait_post(colleague, room, lambda e: body_of(e).startswith("Consultation "))
        label = re.search(r"Consultation (\S+)", body_of(post)).group(1).strip("*:")
        await colleague.say(room, "Supervised exchange at a neutral place may help.", thread_root=post["event_id"])
        await asyncio.sleep(1)
        assert "Supervised exchange" in body_of(await asker.ask(dm, f"replies {code}", bot))
        await asker.ask(dm, f"followup {code} The hearing went well.", bot)
        await asker.ask(dm, "send", bot)
        await asker.ask(dm, f"status {code}", bot)
        await asker.ask(dm, f"close {code}", bot)
        await asyncio.sleep(3 + 15 + 2)  # the delay, the clean-up's 15-second sweep, and a margin
        events = await _dm_as_read_back(asker, dm)
    texts = [getattr(e, "body", "") or "" for e in events]
    assert len(events) > 10  # the DM was read back: the search is not vacuous
    for needle in (code, label, "Samira", "choked", "hearing went well", "Supervised exchange"):
        assert not [t for t in texts if needle in t], needle
    # nothing of it was ever posted from the plain DM: one consultation in the room
    assert len([e for r, e in colleague.events if r == room and body_of(e).startswith("Consultation ")]) == 1


async def test_a_case_command_typed_in_the_community_room_is_deleted_and_explained_in_a_dm(
        bot_cfg, bot_user, members):
    fac, asker = await members("fac", "asker")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()):
        room = await fac.room_with("Circle", bot, (asker,))
        await fac.ask(room, "!cop setup Outaouais circle", bot)
        levels = await fac.client.room_get_state_event(room, "m.room.power_levels")
        content = dict(levels.content)
        content["users"] = {**content.get("users", {}), bot: 50}  # a moderator, so it may redact
        await fac.client.room_put_state(room, "m.room.power_levels", content)
        await fac.ask(room, "!cop ping", bot)  # the bot has seen its new level
        mark = len(asker.events)
        slip = await asker.say(room, "!cop consult The mother, Samira Haddad, told me he choked her.")
        code_slip = await asker.say(room, "!cop status acorn-tidal-bravado-sprout")
        _, told = await asker.wait_for(lambda r, e: r != room and e.get("sender") == bot
                                       and "I deleted the message" in body_of(e), timeout=30, since=mark)
        assert told["content"]["msgtype"] == "m.text"
        await asyncio.sleep(2)
        await asker.sync()
        status = await fac.ask(room, "!cop status", bot)  # the community's own status still works
        assert "Outaouais circle" in body_of(status)
        resp = await fac.client.room_messages(room, start=None, limit=100)
    by_id = {e.event_id: e for e in resp.chunk}
    for event_id in (slip, code_slip):
        assert type(by_id[event_id]).__name__ == "RedactedEvent", (event_id == slip, type(by_id[event_id]))
    answered = [e for r, e in asker.events if r == room and e.get("sender") == bot
                and ((e.get("content") or {}).get("m.relates_to") or {}).get("m.in_reply_to", {}).get("event_id")
                in (slip, code_slip)]
    assert answered == []  # nothing about them in the room


async def test_an_emote_or_a_notice_during_the_flow_is_deleted_and_refused(bot_cfg, bot_user, members):
    fac, asker = await members("fac", "asker")
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()):
        room = await fac.room_with("Circle", bot, (asker,))
        await fac.ask(room, "!cop setup Outaouais circle", bot)
        dm = await asker.dm_with(bot)
        await asker.ask(dm, "consult", bot)
        for msgtype in ("m.emote", "m.notice"):
            mark = len(asker.events)
            sent = await asker.say(dm, "thinks of Samira Haddad's hearing", msgtype=msgtype)
            await asker.wait_for(lambda r, e: r == dm and e.get("sender") == bot and "I take only text" in body_of(e),
                                 timeout=30, since=mark)
            resp = await asker.client.room_messages(dm, start=None, limit=50)
            assert type({e.event_id: e for e in resp.chunk}[sent]).__name__ == "RedactedEvent", msgtype
