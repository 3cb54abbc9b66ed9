"""Anonymous consultations with the fake client: the whole flow, limits, review, retention."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from bot.consult.replies import ReplyBook
from bot.matrix_ops import ThreadReply
from domain.consult import code_entropy_bits, extract_categories, normalize_code, parse_delay_minutes
from storage.models import Consultation, ConsultationFollowup
from devtools.botrun import stored_bytes
from tests.fakes import FakeRoom, Harness

ROOM, DM, FAC, BOB = "!room:test", "!dm-bob:test", "@fac:test", "@bob:test"
REQUEST = ("The mother, Samira Haddad, told me her partner choked her last week. "
           "Call her at 514-555-0199. Her son is 6 years old. #IPV #AP")


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        harness.services.matrix.joined.add(ROOM)
        await harness.open_community(ROOM, {FAC: 100, BOB: 0}, by=FAC)
        yield harness


async def dm(h, text, sender=BOB, room=DM):
    sent = await h.command(text, sender=sender, room=room, dm=True)
    return "\n".join(s.body for s in sent)


def code_in(text: str) -> str:
    return re.search(r"`([a-z]+(?:-[a-z]+){3})`", text).group(1)


async def submit(h, text=REQUEST, sender=BOB, room=DM) -> str:
    await dm(h, f"consult {text}", sender=sender, room=room)
    return code_in(await dm(h, "send", sender=sender, room=room))


async def posted(h) -> list:
    """What the community room received once every pending post fell due."""
    before = len(h.client.sent)
    h.clock.advance(hours=1)
    await h.run_due()
    return [s for s in h.client.sent[before:] if s.room_id == ROOM]


async def test_request_is_scrubbed_previewed_and_posted_only_after_send(h):
    intro = await dm(h, "consult")
    assert "Your identity stays hidden" in intro and "one message" in intro
    preview = await dm(h, REQUEST)
    request_event = f"$cmd{h.commands_run}"
    assert "Samira" not in preview and "Haddad" not in preview and "555-0199" not in preview
    assert "[name]" in preview and "[phone]" in preview
    assert "6 years old" in preview and "choked" in preview
    assert "IPV, AP" in preview
    assert not [s for s in h.client.sent if s.room_id == ROOM]  # nothing without `send`

    ack = await dm(h, "send")
    code = code_in(ack)
    assert "only this once" in ack and "random delay of 2 to 15 minutes" in ack
    assert not [s for s in h.client.sent if s.room_id == ROOM]  # the random delay holds it back

    posts = await posted(h)
    assert len(posts) == 1
    post = posts[0]
    assert post.content["msgtype"] == "m.text"
    label = re.search(r"Consultation ([a-z]+-[a-z]+)", post.body).group(1)
    assert "[name]" in post.body and "Samira" not in post.body and "in this message's thread" in post.body
    assert "Categories: IPV, AP" in post.body
    assert label not in code  # the label says nothing about the code
    # The member's DM messages holding case text, and the bot's preview, were redacted.
    assert (DM, request_event) in h.services.matrix.redacted
    assert len([r for r in h.services.matrix.redacted if r[0] == DM]) >= 2


async def test_edit_rescrubs_and_cancel_posts_nothing(h):
    await dm(h, "consult A first version naming Mme Tremblay.")
    edited = await dm(h, "edit A second version; the father, Kevin O'Brien, drinks. Email kob@example.org")
    assert "Kevin" not in edited and "kob@example.org" not in edited and "[email]" in edited
    assert "Tremblay" not in edited
    cancelled = await dm(h, "cancel")
    assert "nothing was posted" in cancelled
    assert "no draft" in await dm(h, "send")
    assert await posted(h) == []


async def test_a_draft_expires_after_30_minutes(h):
    await dm(h, f"consult {REQUEST}")
    h.clock.advance(minutes=31)
    assert "no draft" in await dm(h, "send")
    await dm(h, f"consult {REQUEST}")
    h.clock.advance(minutes=31)
    await h.providers["dialogs"].expire()
    assert "deleted it" in h.client.sent[-1].body and h.client.sent[-1].room_id == DM


async def test_a_new_message_during_preview_gets_a_reminder_not_an_error(h):
    await dm(h, f"consult {REQUEST}")
    answer = await dm(h, "Actually the child is 7")
    assert "A draft is waiting" in answer


async def test_only_members_may_ask_and_several_communities_are_chosen_by_slug(h):
    assert "don't see you" in await dm(h, "consult", sender="@stranger:test", room="!dm-s:test")
    h.rooms["!room2:test"] = FakeRoom({FAC: 100, BOB: 0})
    await h.command("setup South circle", sender=FAC, room="!room2:test")
    which = await dm(h, f"consult {REQUEST}")
    assert "north-circle" in which and "south-circle" in which
    preview = await dm(h, "south-circle")
    assert "Preview" in preview and "[name]" in preview
    await dm(h, "send")
    h.services.matrix.joined.add("!room2:test")
    posts_south = [s for s in await posted(h)]
    assert posts_south == []  # posted in South's room, not North's
    assert any(s.room_id == "!room2:test" and "Consultation" in s.body for s in h.client.sent)


async def test_case_code_gives_followup_replies_status_and_close(h):
    code = await submit(h)
    assert "waits" not in await dm(h, f"status {code}")
    await posted(h)
    async with h.services.db() as session:
        root = (await session.exec(select(Consultation))).one().event_id
    status = await dm(h, f"status {code}")
    assert "was posted as **consultation" in status or "was posted as consultation" in status

    h.services.matrix.replies[root] = [
        ThreadReply("Ana (addiction services)", "Has the safety plan covered the custody exchange?", h.clock.now(),
                    "$reply1")]
    assert "No replies yet" in await dm(h, f"replies {code}")  # the bot has not read the thread yet
    h.services.replies = ReplyBook()  # as after a restart
    assert "still gathering the replies" in await dm(h, f"replies {code}")
    await h.jobs.refresh_replies()  # on its own timer, never on a member's request
    fetched = len(h.services.matrix.fetched)
    replies = await dm(h, f"replies {code}")
    assert "Ana (addiction services)" in replies and "custody exchange" in replies
    assert len(h.services.matrix.fetched) == fetched  # `replies` asked the homeserver nothing

    preview = await dm(h, f"followup {code} The hearing went well; call Dr Nadeau at 613-555-0142.")
    assert "Nadeau" not in preview and "[phone]" in preview
    await dm(h, "send")
    h.clock.advance(hours=1)
    await h.run_due()
    update = h.client.sent[-1]
    assert "Update from the person who asked" in update.body
    assert update.content["m.relates_to"]["rel_type"] == "m.thread"
    assert update.content["m.relates_to"]["event_id"] == root

    before = len(h.client.sent)
    closed = await dm(h, f"close {code}")
    assert "is closed" in closed and "after a short random delay" in closed
    assert not [s for s in h.client.sent[before:] if s.room_id == ROOM]  # not at the DM's instant
    async with h.services.db() as session:
        row = (await session.exec(select(Consultation))).one()
    assert (row.closed_at.hour, row.closed_at.minute, row.closed_at.second) == (0, 0, 0)  # the day only
    assert 120 <= (row.due_at - h.clock.now()).total_seconds() <= 900
    h.clock.advance(minutes=16)
    await h.run_due()
    [announce] = [s for s in h.client.sent[before:] if s.room_id == ROOM]
    assert "has closed consultation" in announce.body and announce.content["m.relates_to"]["event_id"] == root
    await h.restart()
    await h.run_due()
    assert len([s for s in h.client.sent[before:] if s.room_id == ROOM]) == 1  # announced once
    assert "not open" in await dm(h, f"followup {code} more")


async def test_a_wrong_code_gets_the_same_answer_and_attempts_are_limited(h):
    code = await submit(h)
    wrong = await dm(h, "status abacus-abacus-abacus-abacus")
    nonsense = await dm(h, "status hello")
    assert wrong == nonsense and "No case matches" in wrong
    for _ in range(3):
        await dm(h, "replies abacus-abacus-abacus-abacus")
    assert "Too many" in await dm(h, f"status {code}")  # even the right code waits now
    h.clock.advance(hours=1, minutes=1)
    assert "Too many" not in await dm(h, f"status {code}")


async def test_daily_limit_is_three_requests(h):
    for _ in range(3):
        await submit(h)
    assert "limit of 3" in await dm(h, "consult")
    h.clock.advance(days=1)
    assert "Your identity" in await dm(h, "consult")


async def test_review_queue_approve_and_reject(h):
    assert "review is on" in (await h.command("consultations review on", sender=FAC, room=ROOM))[0].body
    refused = await h.command("queue", sender=BOB, room=ROOM)
    assert "Only these roles" in refused[0].body
    first = await submit(h)
    second = await submit(h, "The grandmother fears for the twins #MT")
    assert "waits for a facilitator" in await dm(h, f"status {first}")
    assert await posted(h) == []

    sent = await h.command("queue", sender=FAC, room=ROOM)
    assert "sent you the 2" in sent[-1].body
    queue_dm = [s for s in h.client.sent if s.room_id == f"!dm-{FAC}"][-1]
    assert "grandmother" in queue_dm.body and "[name]" in queue_dm.body
    labels = re.findall(r"\*\*([a-z]+-[a-z]+)\*\*", queue_dm.content["body"]) or \
        re.findall(r"^([a-z]+-[a-z]+) \(", queue_dm.body, re.M)
    assert len(labels) == 2

    bad = await h.command("approve no-such", sender=FAC, room=ROOM)
    assert "No request labelled" in bad[0].body and "Usage" in bad[0].body
    await h.command(f"reject {labels[1]} Please remove the school's name.", sender=FAC, room=ROOM)
    await h.command(f"approve {labels[0]}", sender=FAC, room=ROOM)
    rejected = await dm(h, f"status {second}")
    assert "did not post" in rejected and "remove the school's name" in rejected
    posts = await posted(h)
    assert len(posts) == 1 and labels[0] in posts[0].body
    async with h.services.db() as session:
        row = (await session.exec(select(Consultation).where(Consultation.label == labels[1]))).one()
    assert row.text is None  # a rejected text is deleted at once


async def test_retention_deletes_texts_keeps_counts_and_can_redact(h):
    await h.command("consultations redact on", sender=FAC, room=ROOM)
    code = await submit(h)
    await posted(h)
    await dm(h, f"followup {code} An update.")
    await dm(h, "send")
    await posted(h)
    h.clock.advance(days=89)
    assert await h.jobs.retention_sweep() == 0
    h.clock.advance(days=2)
    assert await h.jobs.retention_sweep() == 1
    async with h.services.db() as session:
        row = (await session.exec(select(Consultation))).one()
        updates = (await session.exec(select(ConsultationFollowup))).all()
    assert row.text is None and row.categories == "IPV,AP" and row.posted_at is not None
    assert all(u.text is None for u in updates)
    room_redactions = [e for r, e in h.services.matrix.redacted if r == ROOM]
    assert row.event_id in room_redactions and updates[0].event_id in room_redactions
    assert "Consultations: 1" in (await h.command("stage", sender=BOB, room=ROOM))[0].body  # still counted


async def test_settings_commands_validate_and_change_the_delay(h):
    bad = await h.command("consultations delay 15-2 minutes", sender=FAC, room=ROOM)
    assert "range of minutes" in bad[0].body and "Example" in bad[0].body
    off = await h.command("consultations delay off", sender=FAC, room=ROOM)
    assert "60 to 60 seconds" in off[0].body and "floor of 60 seconds" in off[0].body
    await submit(h)
    h.clock.advance(seconds=60)
    await h.run_due()  # the floor only
    assert [s for s in h.client.sent if s.room_id == ROOM and "Consultation" in s.body]
    denied = await h.command("consultations delay 1-2 minutes", sender=BOB, room=ROOM)
    assert "Only these roles" in denied[0].body
    bad_room = await h.command("consultations room #nowhere:test", sender=FAC, room=ROOM)
    assert "not in that room" in bad_room[0].body
    h.services.matrix.joined.add("!consult:test")
    h.rooms["!consult:test"] = FakeRoom({BOB: 0})
    unsuitable = await h.command("consultations room !consult:test", sender=FAC, room=ROOM)
    assert "cannot take consultations" in unsuitable[0].body  # the facilitator is not in it
    h.rooms["!consult:test"] = FakeRoom({FAC: 100, BOB: 0})
    await h.command("consultations room !consult:test", sender=FAC, room=ROOM)
    await submit(h)
    h.clock.advance(seconds=60)
    await h.run_due()
    assert h.client.sent[-1].room_id != DM
    assert any(s.room_id == "!consult:test" for s in h.client.sent)
    shown = (await h.command("consultations", sender=FAC, room=ROOM))[0].body
    assert "!consult:test" in shown and "60 to 60 seconds" in shown


async def test_when_the_bot_cannot_redact_it_asks_the_member(h):
    h.services.matrix.can_redact_others = False
    await dm(h, f"consult {REQUEST}")
    answer = await dm(h, "send")
    assert "delete them yourself" in answer


async def test_french_flow(h):
    await h.command("language fr", sender=FAC, room=ROOM)
    intro = await dm(h, "consult")
    assert "Votre identité reste cachée" in intro
    preview = await dm(h, "Le conjoint, Jean-François Tremblay, a menacé la mère le 3 mars 2025.")
    assert "Tremblay" not in preview and "[nom]" in preview and "[date]" in preview
    ack = await dm(h, "envoyer")
    assert "affiché **cette seule fois**" in ack or "cette seule fois" in ack


async def test_nothing_on_disk_names_the_member_or_keeps_deleted_text(h, tmp_path):
    await h.command("sector addiction", sender=BOB, room=ROOM)  # the directory (issue 23) is searched too
    code = await submit(h, REQUEST + " #addiction")
    await posted(h)
    await dm(h, f"followup {code} An update from me.")
    await dm(h, "send")
    await dm(h, f"consult {REQUEST}")
    await dm(h, "cancel")
    withdrawn = await submit(h, "Withdrawn-marker text about the twins")
    await dm(h, f"close {withdrawn}")
    await h.command("consultations review on", sender=FAC, room=ROOM)
    await submit(h, "Rejected-marker text about the grandmother")
    async with h.services.db() as session:
        label = (await session.exec(select(Consultation).where(Consultation.status == "review"))).one().label
    await h.command(f"reject {label} Not this one", sender=FAC, room=ROOM)
    # Read the files while the bot runs: the WAL must not keep what was deleted either.
    raw = await stored_bytes(h.config.database.url)
    assert b"North circle" in raw  # what is stored is found: the search is not vacuous
    for secret in (BOB.encode(), b"bob", DM.encode(), code.encode(), b"Samira", b"555-0199",
                   b"Withdrawn-marker", b"Rejected-marker"):
        assert secret not in raw, secret


def test_codes_labels_categories_and_delays():
    assert code_entropy_bits() >= 50
    assert normalize_code(" Acorn-TIDAL bravado-sprout ") == "acorn-tidal-bravado-sprout"
    assert normalize_code("two-words") is None
    assert extract_categories("a #ipv case #Custody and #unknown") == ("a case and #unknown", ("IPV", "custody"))
    assert parse_delay_minutes("2-15").high_s == 900 and parse_delay_minutes("9-3") is None


async def test_withdrawing_before_the_post_posts_nothing_and_updates_die_with_the_case(h):
    code = await submit(h)
    assert "withdrawn" in await dm(h, f"close {code}")
    assert await posted(h) == []
    code = await submit(h)
    await posted(h)
    await dm(h, f"followup {code} A late update.")
    await dm(h, "send")
    await dm(h, f"close {code}")
    after_close = await posted(h)
    assert not [s for s in after_close if "Update from the person who asked" in s.body]


async def test_a_case_code_is_never_taken_as_request_text(h):
    code = await submit(h)
    await dm(h, "consult")
    answer = await dm(h, f"status {code}")
    assert "Preview" not in answer and "will be posted shortly" in answer
    refused = await dm(h, f"The mother asked again; my code is {code}")
    assert "looks like a case code" in refused
    assert "no draft" not in await dm(h, "cancel")


async def test_a_second_send_cannot_post_twice(h):
    await dm(h, f"consult {REQUEST}")
    await dm(h, "send")
    assert "no draft" in await dm(h, "send")
    assert len(await posted(h)) == 1


async def test_a_post_for_a_closed_community_is_not_made_and_the_member_can_tell(h):
    code = await submit(h)
    await h.command("close", sender=FAC, room=ROOM)
    assert await posted(h) == []
    assert "could not be posted" in await dm(h, f"status {code}")


async def test_previews_are_rate_limited_and_the_draft_is_kept(h):
    """Each preview scrubs up to 20,000 characters: a member who floods edits is asked to wait."""
    from bot.consult.limits import MAX_PREVIEWS_PER_MINUTE

    await dm(h, "consult")
    for i in range(MAX_PREVIEWS_PER_MINUTE):
        assert "Preview" in await dm(h, f"edit Text number {i} about a custody exchange.")
    answer = await dm(h, "edit Another text.")
    assert "previews in a minute" in answer and "Another" not in answer
    assert h.services.consult_desk.get(DM, BOB).draft.text.startswith(f"Text number {MAX_PREVIEWS_PER_MINUTE - 1}")
    h.clock.advance(seconds=61)
    answer = await dm(h, "edit Another text.")
    assert "Preview" in answer and "Another text." in answer


async def test_the_preview_names_the_community_it_goes_to(h):
    preview = await dm(h, f"consult {REQUEST}")
    assert "posted in **North circle**" in preview or "posted in North circle" in preview


async def test_a_redaction_that_failed_at_expiry_is_tried_again_until_it_succeeds(h):
    await h.command("consultations redact on", sender=FAC, room=ROOM)
    await submit(h)
    await posted(h)
    h.clock.advance(days=91)
    real = h.services.matrix.redact
    h.services.matrix.redact = lambda room_id, event_id: _false()
    assert await h.jobs.retention_sweep() == 1
    async with h.services.db() as session:
        row = (await session.exec(select(Consultation))).one()
    assert row.text is None and row.purged_at is None  # the text is gone; the post is not yet
    h.services.matrix.redact = real
    assert await h.jobs.retention_sweep() == 0  # nothing new purged, but the post is redacted now
    async with h.services.db() as session:
        row = (await session.exec(select(Consultation))).one()
    assert row.purged_at is not None and (ROOM, row.event_id) in h.services.matrix.redacted
    count = len(h.services.matrix.redacted)
    await h.jobs.retention_sweep()
    assert len(h.services.matrix.redacted) == count  # done: never tried again


async def _false() -> bool:
    return False


async def test_a_request_left_in_the_review_queue_expires_with_the_retention(h):
    await h.command("consultations review on", sender=FAC, room=ROOM)
    code = await submit(h, "Queued-marker text about the grandmother")
    async with h.services.db() as session:
        row = (await session.exec(select(Consultation))).one()
    assert row.queued_on is not None and (row.queued_on.hour, row.queued_on.minute, row.queued_on.second) == (0, 0, 0)
    h.clock.advance(days=89)
    assert await h.jobs.retention_sweep() == 0
    h.clock.advance(days=2)
    assert await h.jobs.retention_sweep() == 1
    async with h.services.db() as session:
        row = (await session.exec(select(Consultation))).one()
    assert (row.status, row.text) == ("expired", None)
    assert "never posted" in await dm(h, f"status {code}")
    assert "No request is waiting" in (await h.command("queue", sender=FAC, room=ROOM))[0].body
    assert b"Queued-marker" not in await stored_bytes(h.config.database.url)


async def test_the_operators_delay_floor_cannot_be_lowered_by_a_facilitator(h):
    """`consultations delay off` leaves the operator's floor (60 s as shipped) in place."""
    assert h.config.consultations.min_delay_seconds == 60  # the harness runs the shipped defaults
    await h.command("consultations delay off", sender=FAC, room=ROOM)
    await dm(h, f"consult {REQUEST}")
    await dm(h, "send")
    async with h.services.db() as session:
        row = (await session.exec(select(Consultation))).one()
    assert (row.due_at - h.clock.now()).total_seconds() == 60
    h.clock.advance(seconds=59)
    assert not await posted_now(h)
    h.clock.advance(seconds=1)
    assert await posted_now(h)


async def posted_now(h) -> list:
    before = len(h.client.sent)
    await h.run_due()
    return [s for s in h.client.sent[before:] if s.room_id == ROOM]


async def test_the_dm_keeps_no_code_label_or_case_text_after_the_cleanup_delay(h):
    """The attacker's view: the member's DM, read later. The member's messages holding a code go
    at once (a wrong code too); the bot's answers naming the case go after dm_cleanup_seconds."""
    code = await submit(h)
    await posted(h)
    async with h.services.db() as session:
        label = (await session.exec(select(Consultation))).one().label
    asked = []
    for text in (f"status {code}", f"replies {code}", "status abacus-abacus-abacus-abacus",
                 f"close {code}"):
        answer = await dm(h, text)
        asked.append(f"$cmd{h.commands_run}")
        assert "deleted in 10 minutes" in answer or "No case matches" in answer
    redacted = {e for r, e in h.services.matrix.redacted if r == DM}
    assert set(asked) <= redacted  # the member's messages with a code: gone at once
    in_dm = [s for s in h.client.sent if s.room_id == DM]
    naming = [s for s in in_dm if code in s.body or label in s.body]
    assert naming and not any(s.event_id in redacted for s in naming)  # not yet...
    assert any("Copy it now: this message is deleted in 10 minutes" in s.body for s in naming)
    h.clock.advance(seconds=599)  # the code message is an hour old (posted() waited): it goes now
    await h.jobs.clean_dms()
    recent = [s for s in naming if "Copy it now" not in s.body]
    assert recent and not any(s.event_id in {e for _, e in h.services.matrix.redacted} for s in recent)
    h.clock.advance(seconds=2)
    await h.jobs.clean_dms()
    redacted = {e for r, e in h.services.matrix.redacted if r == DM}
    assert all(s.event_id in redacted for s in naming)  # ...and gone after the delay
    leftover = [s.body for s in in_dm if s.event_id not in redacted]
    assert not any(code in b or label in b or "Samira" in b or "choked" in b for b in leftover)


@pytest.mark.parametrize("can_enable", [True, False])
async def test_an_unencrypted_dm_gets_the_refusal_and_nothing_is_kept_or_posted(h, can_enable):
    """Redaction does not erase a plain message from the homeserver: only encryption protects it."""
    h.rooms[DM] = FakeRoom({BOB: 0}, encrypted=False)
    h.services.matrix.can_enable_encryption = can_enable
    answer = await dm(h, f"consult {REQUEST}")
    assert "not end-to-end encrypted" in answer and "nothing was posted" in answer
    assert ("turned encryption on" in answer) == can_enable
    assert (DM, f"$cmd{h.commands_run}") in h.services.matrix.redacted  # the text is deleted
    assert h.services.matrix.encryption_enabled == [DM]
    assert h.services.consult_desk.get(DM, BOB) is None
    assert await posted(h) == [] and b"Samira" not in await stored_bytes(h.config.database.url)
    code = await submit(h, sender=BOB, room="!dm-encrypted:test")  # an encrypted DM works
    assert "-" in code


async def test_text_sent_after_the_draft_expired_is_deleted_and_explained(h):
    await dm(h, "consult")
    h.clock.advance(minutes=31)
    answer = await dm(h, "The mother, Samira Haddad, told me he choked her.")
    assert "Your draft expired" in answer and "Nothing was posted" in answer
    assert (DM, f"$cmd{h.commands_run}") in h.services.matrix.redacted
    assert "Unknown command" in await dm(h, "hello there")  # once: later text is just text
    await dm(h, "consult")
    assert "Preview" in await dm(h, "A request about a custody exchange.")  # a new draft works


async def test_an_attachment_during_the_flow_is_deleted_and_refused(h):
    from bot.commands.consult import refuse_attachment
    from bot.context import Context

    def ctx(event_id):
        return Context(services=h.services, room_id=DM, sender=BOB, event_id=event_id, is_dm=True,
                       thread_root=None, lang="en")

    assert not await refuse_attachment(ctx("$photo0"))  # no flow: a picture is just a picture
    await dm(h, "consult")
    assert await refuse_attachment(ctx("$photo1"))
    assert (DM, "$photo1") in h.services.matrix.redacted
    assert "I take only text" in h.client.sent[-1].body


def test_the_lifecycle_allows_only_its_moves():
    from domain.consult_status import MOVES, IllegalMove, Status, check_move

    assert check_move("review", Status.SCHEDULED) == Status.SCHEDULED
    for done in (Status.CLOSED, Status.REJECTED, Status.FAILED, Status.EXPIRED):
        assert MOVES[done] == frozenset()
        with pytest.raises(IllegalMove):
            check_move(done, Status.POSTED)
    with pytest.raises(IllegalMove):
        check_move("posted", Status.SCHEDULED)  # a posted case is never posted again
    with pytest.raises(IllegalMove):
        check_move("review", Status.POSTED)  # nothing skips review
