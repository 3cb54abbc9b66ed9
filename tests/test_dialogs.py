"""The DM dialogs' shared rules (bot/dialogs.py), as a member meets them: a command typed in the
middle of a dialog, and the timeout with its notice. Fake client, frozen clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fakes import Harness

ROOM, FAC, BOB = "!room:test", "@fac:test", "@bob:test"
DM = f"!dm-{BOB}"
TZ = ZoneInfo("America/Toronto")


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        await harness.open_community(ROOM, {FAC: 100, BOB: 0},
                                     "workshops plan 2027-01-19 10:00 every 6 weeks count 2", by=FAC)
        harness.clock.at = datetime(2027, 1, 25, 10, 0, tzinfo=TZ)  # after workshop 1
        yield harness


async def dm(h, text) -> str:
    return "\n".join(s.body for s in await h.command(text, sender=BOB, room=DM, dm=True))


async def expire(h, hours: float) -> list[str]:
    before = len(h.client.sent)
    h.clock.advance(hours=hours)
    await h.providers["dialogs"].expire()
    return [s.body for s in h.client.sent[before:] if s.room_id == DM]


async def test_a_command_in_the_middle_of_a_check_in_runs_and_the_check_in_waits(h):
    await dm(h, "checkin")
    assert "2/5" in await dm(h, "4")
    answer = await dm(h, "help")
    assert "checkin" in answer and "not on the scale" not in answer  # the help, not a correction
    assert "3/5" in await dm(h, "3")  # the check-in went on where it was


async def test_a_command_the_check_in_understands_stays_its_answer(h):
    await dm(h, "checkin")
    assert "Check-in stopped" in await dm(h, "cancel")  # the check-in's, not "no draft to cancel"


async def test_an_unanswered_invitation_is_set_aside_by_another_command(h):
    h.clock.at = datetime(2027, 2, 2, 10, 0, tzinfo=TZ)
    await h.run_due()  # the invitation opens a check-in
    assert h.services.checkin_desk.get(DM, BOB) is not None
    await dm(h, "myimpacts")
    assert h.services.checkin_desk.get(DM, BOB) is None
    assert await expire(h, 80) == []  # nothing to time out, so no notice


async def test_a_begun_check_in_times_out_with_a_notice_and_nothing_is_stored(h):
    await dm(h, "checkin")
    await dm(h, "4")
    assert await expire(h, 71) == []
    notices = await expire(h, 2)
    assert len(notices) == 1 and "unfinished for 72 hours" in notices[0]
    assert "3/5" not in await dm(h, "3")  # forgotten: not taken as item 2


async def test_an_invitation_nobody_answered_times_out_silently(h):
    h.clock.at = datetime(2027, 2, 2, 10, 0, tzinfo=TZ)
    await h.run_due()
    assert await expire(h, 73) == []


async def test_help_while_writing_a_request_keeps_the_draft(h):
    await dm(h, "consult")
    assert "consult" in (await dm(h, "help")).lower()
    assert "Preview" in await dm(h, "Help me think about a custody exchange that went badly.")


async def test_a_request_times_out_with_one_notice_and_its_messages_are_deleted(h):
    await dm(h, "consult")
    await dm(h, "The mother told me he choked her last week.")
    notices = await expire(h, 0.6)
    assert len(notices) == 1 and "deleted it" in notices[0]
    assert len([r for r in h.services.matrix.redacted if r[0] == DM]) >= 2  # the text and its preview
    assert "no draft" in await dm(h, "send")
