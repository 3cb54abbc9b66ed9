"""Check-ins and impact reports with the fake client and a frozen clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from storage.models import Checkin, CheckinInvite, ImpactReport
from tests.fakes import Harness

ROOM, FAC, BOB, ANN = "!room:test", "@fac:test", "@bob:test", "@ann:test"
TZ = ZoneInfo("America/Toronto")
DM = {user: f"!dm-{user}" for user in (FAC, BOB, ANN)}  # what FakeOps.dm_room gives


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        await harness.open_community(ROOM, {FAC: 100, BOB: 0, ANN: 0},
                                     "workshops plan 2027-01-19 10:00 every 6 weeks count 2", by=FAC)
        yield harness


async def dm(h, text, sender=BOB) -> str:
    return "\n".join(s.body for s in await h.command(text, sender=sender, room=DM[sender], dm=True))


def dms_to(h, user) -> list[str]:
    return [s.body for s in h.client.sent if s.room_id == DM[user]]


async def rows(h, model) -> list:
    async with h.services.db() as session:
        return list((await session.exec(select(model))).all())


async def invited(h):
    """The clock at 14 days after workshop 1 (a Tuesday, 10:00): the invitations go out."""
    h.clock.at = datetime(2027, 2, 2, 10, 0, tzinfo=TZ)
    await h.run_due()


async def test_invitation_after_a_workshop_then_a_one_message_answer(h):
    h.clock.at = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)
    await h.run_due()
    assert dms_to(h, BOB) == []  # not before the 14 days
    await invited(h)
    for user in (FAC, BOB, ANN):
        [invite] = dms_to(h, user)
        assert "North circle: how has your practice changed since workshop 1?" in invite
        assert "My practice changed since the last workshop" in invite and "4: to a large extent" in invite
    assert "What did you do differently" in await dm(h, "4 3 3 1 n")
    text = await dm(h, "I called Samira Haddad's shelter worker before the hearing; the handover went safely.")
    assert "This is what I will keep" in text and "Samira" not in text and "[name]" in text
    assert "Practice areas" in await dm(h, "tags")
    assert "may this story be quoted" in await dm(h, "#collab.risk")
    assert "may be quoted" in await dm(h, "yes")
    [row] = await rows(h, Checkin)
    assert (row.period, row.answers, row.tags, row.consent) == (1, "4,3,3,1,n", "collab.risk", True)
    assert "Samira" not in row.text and BOB not in row.member_key


AFTER_FIRST = datetime(2027, 1, 20, 10, 0, tzinfo=TZ)  # workshop 1 was yesterday: period 1


async def test_item_by_item_and_invalid_answers_store_nothing(h):
    h.clock.at = AFTER_FIRST
    await dm(h, "checkin")
    for bad, says in (("7", "`7` is not on the scale"), ("yes", "`yes` is not on the scale"),
                      ("4 3", "I got 2 answer(s) and need 5")):
        assert says in await dm(h, bad)
        assert await rows(h, Checkin) == []
    assert "2/5" in await dm(h, "4")
    assert "3/5" in await dm(h, "n")
    assert "One answer at a time" in await dm(h, "3 3")
    for answer in ("3", "2"):
        await dm(h, answer)
    assert "What did you do differently" in await dm(h, "1")
    await dm(h, "skip")
    assert "saved (4 of 5 statements answered). It will not be quoted" in await dm(h, "skip")
    [row] = await rows(h, Checkin)
    assert row.answers == "4,n,3,2,1" and row.text is None and row.consent is False


async def test_answering_again_replaces_after_asking(h):
    h.clock.at = AFTER_FIRST
    await dm(h, "checkin 4 4 4 4 4")
    await dm(h, "skip")
    await dm(h, "skip")
    assert "Answer again and replace it?" in await dm(h, "checkin")
    assert "stays as it was" in await dm(h, "no")
    await dm(h, "checkin")
    await dm(h, "yes")
    await dm(h, "1 1 1 1 1")
    await dm(h, "skip")
    await dm(h, "skip")
    assert [r.answers for r in await rows(h, Checkin)] == ["1,1,1,1,1"]


async def test_opt_out_and_the_single_reminder(h):
    assert "no more check-in invitations" in await dm(h, "checkins off", sender=ANN)
    h.client.sent.clear()
    await invited(h)
    assert dms_to(h, ANN) == [] and len(dms_to(h, BOB)) == 1
    await dm(h, "4 4 4 4 4", sender=FAC)
    await dm(h, "skip", sender=FAC)
    await dm(h, "skip", sender=FAC)
    h.clock.at = datetime(2027, 2, 8, 9, 0, tzinfo=TZ)  # five days later is a Sunday: Monday 09:00
    await h.run_due()
    assert "the only reminder" in dms_to(h, BOB)[-1] and len(dms_to(h, BOB)) == 2
    assert len(dms_to(h, FAC)) == 1 + 3  # the invitation and the three answers: no reminder
    h.clock.at = datetime(2027, 2, 20, 10, 0, tzinfo=TZ)
    await h.restart()
    await h.run_due()
    assert len(dms_to(h, BOB)) == 2  # no second reminder, across a restart too
    assert dms_to(h, ANN) == []
    assert "invited to a check-in after each workshop again" in await dm(h, "checkins on", sender=ANN)


async def test_a_round_interrupted_mid_way_sends_nobody_twice(h):
    h.clock.at = datetime(2027, 2, 2, 10, 0, tzinfo=TZ)
    h.client.failures.append(type("Down", (), {"status_code": "M_UNKNOWN"})())
    with pytest.raises(Exception):
        await h.run_due()  # the first DM fails: the scheduler would retry
    await h.restart()
    await h.run_due()
    for user in (FAC, BOB, ANN):
        assert len(dms_to(h, user)) == 1, user
    assert {i.state for i in await rows(h, CheckinInvite)} == {"sent"}


async def test_impacts_myimpacts_delete_and_forget_me(h):
    text = await dm(h, "impact I phoned Dr. Martin Tremblay at 514-555-0199 and we planned the exchange. #collab.risk")
    assert "Martin" not in text and "555-0199" not in text and "**i1**" not in text and "(as i1)" in text
    assert "Tags: collab.risk" in text
    assert "is not one of the practice areas" in await dm(h, "impact Something #made.up")
    assert "Tell me what changed" in await dm(h, "impact #collab.risk")
    h.clock.at = AFTER_FIRST
    await dm(h, "checkin 3 3 2 n 4")
    await dm(h, "skip")
    await dm(h, "skip")
    h.clock.at = datetime(2027, 3, 3, 10, 0, tzinfo=TZ)  # after workshop 2: period 2
    await dm(h, "checkin 4 4 4 n 4")
    await dm(h, "skip")
    await dm(h, "skip")
    mine = await dm(h, "myimpacts")
    assert "i1 · impact" in mine and "c1 · check-in since workshop 1" in mine and "c2 · check-in since workshop 2" in mine
    assert "after workshop 1: 3.0, after workshop 2: 4.0" in mine and "Rising" in mine
    assert "You have no entry `c1`" in await dm(h, "impact delete c1", sender=ANN)  # not hers
    assert "Entry i1 is deleted" in await dm(h, "impact delete i1")
    assert "all 2 of your check-ins" in await dm(h, "forget-me")
    assert len(await rows(h, Checkin)) == 2
    assert "2 entries were deleted" in await dm(h, "forget-me confirm")
    assert await rows(h, Checkin) == [] and await rows(h, ImpactReport) == []


async def test_before_any_workshop_there_is_nothing_to_check_in_about(h):
    assert "has not held one yet" in await dm(h, "checkin")
    assert await rows(h, Checkin) == []


async def test_impact_stories_feed_the_stage_signal(h):
    h.clock.at = AFTER_FIRST
    await dm(h, "impact I asked the addiction worker to join the safety plan.")
    await dm(h, "checkin 4 4 4 4 4")
    await dm(h, "We met as three sectors for the first time.")
    await dm(h, "skip")
    await dm(h, "no")
    await dm(h, "checkin 4 4 4 4 4", sender=ANN)  # no story: not an impact report
    await dm(h, "skip", sender=ANN)
    await dm(h, "skip", sender=ANN)
    text = "\n".join(s.body for s in await h.command("stage", sender=BOB, room=ROOM))
    assert "Impact reports: 2" in text


async def test_an_invitation_never_overwrites_a_check_in_in_progress(h):
    h.clock.at = datetime(2027, 2, 2, 9, 30, tzinfo=TZ)  # half an hour before the invitations
    await dm(h, "checkin")
    assert "2/5" in await dm(h, "4")
    await invited(h)  # the round's invitation arrives in the middle
    assert "3/5" in await dm(h, "3")


async def test_invisible_direction_overrides_are_not_stored(h):
    text = await dm(h, "impact We planned \u202eevil\u202c the handover.")
    assert "\u202e" not in text
    assert all("\u202e" not in r.text for r in await rows(h, ImpactReport))


async def test_deleted_replaced_and_forgotten_texts_leave_the_database_files(h):
    """What an attacker holding the database files finds after impact delete, an answered-again
    check-in and forget-me: none of the texts (SQLite's WAL checkpointed, as for consultations)."""
    from devtools.botrun import stored_bytes

    await dm(h, "impact Deleted-marker story about the handover at the school.")
    await dm(h, "impact delete i1")
    h.clock.at = AFTER_FIRST
    await dm(h, "checkin 4 4 4 4 4")
    await dm(h, "Replaced-marker story: we planned it with the shelter.")
    await dm(h, "skip")
    await dm(h, "no")
    await dm(h, "checkin")
    await dm(h, "yes")
    await dm(h, "1 1 1 1 1")
    await dm(h, "skip")
    await dm(h, "skip")
    await dm(h, "impact Forgotten-marker story about the custody exchange.", sender=ANN)
    await dm(h, "forget-me confirm", sender=ANN)
    raw = await stored_bytes(h.config.database.url)
    assert b"North circle" in raw  # what is stored is found: the search is not vacuous
    for marker in (b"Deleted-marker", b"Replaced-marker", b"Forgotten-marker"):
        assert marker not in raw, marker
