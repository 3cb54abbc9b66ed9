"""The workshop series with the fake client and a frozen clock: plans, edits, reminders, RSVP, calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import select

from bot.workshops.jobs import post_key
from bot.workshops.reactions import on_reaction, on_redaction
from storage import communities
from storage.models import Attendance, Rsvp, Workshop, WorkshopAction
from tests.fakes import Harness, say

ROOM, FAC, BOB, ANN = "!room:test", "@fac:test", "@bob:test", "@ann:test"
BOT = "@copbot:test"
TZ = ZoneInfo("America/Toronto")  # the Harness clock starts at 2027-01-12 10:00 there


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        await harness.open_community(ROOM, {FAC: 100, BOB: 0, ANN: 0}, by=FAC)
        yield harness


async def series(h) -> list[Workshop]:
    async with h.services.db() as session:
        return list((await session.exec(select(Workshop).order_by(Workshop.number))).all())


async def actions(h, state="pending") -> list[WorkshopAction]:
    async with h.services.db() as session:
        return list((await session.exec(select(WorkshopAction).where(WorkshopAction.state == state)
                                        .order_by(WorkshopAction.due_at))).all())


def reminder_jobs(h) -> dict:
    return {key: due for key, due in h.services.scheduler.jobs.items() if key[0] == "workshop"}


def local(dt: datetime) -> datetime:
    return dt.astimezone(TZ)


async def test_every_n_weeks_plan_is_announced_numbered_staged_and_reminded(h):
    sent = await h.command("workshops plan 2027-02-02 10:00 every 6 weeks", sender=FAC, room=ROOM)
    assert len(sent) == 1 and sent[0].content["msgtype"] == "m.text"
    assert "5 workshops planned for North circle" in sent[0].body
    rows = await series(h)
    assert [w.number for w in rows] == [1, 2, 3, 4, 5]
    assert [w.stage for w in rows] == ["potential", "coalescing", "maturing", "stewardship", "stewardship"]
    assert [local(w.starts_at).date().isoformat() for w in rows] == \
        ["2027-02-02", "2027-03-16", "2027-04-27", "2027-06-08", "2027-07-20"]
    assert all(w.duration_min == 120 for w in rows)
    # Seven days, one day and one hour before each: 15 reminders on the clock.
    assert len(reminder_jobs(h)) == 15 and len(await actions(h)) == 15


async def test_a_series_crossing_daylight_saving_stays_at_ten_local(h):
    await say(h, "workshops plan 2027-02-23 10:00 every 2 weeks count 4")  # DST starts 2027-03-14
    rows = await series(h)
    assert [(local(w.starts_at).hour, local(w.starts_at).minute) for w in rows] == [(10, 0)] * 4
    offsets = {local(w.starts_at).utcoffset() for w in rows}
    assert offsets == {timedelta(hours=-5), timedelta(hours=-4)}  # EST before, EDT after
    hour_before = [a for a in await actions(h) if a.offset_s == 3600]
    assert [local(a.due_at).hour for a in hour_before] == [9] * 4


async def test_rrule_plan_uses_the_rule(h):
    text = await say(h, "workshops plan 2027-02-09 10:00 rrule FREQ=MONTHLY;BYDAY=2TU;COUNT=5 duration 90")
    assert "5 workshops planned" in text
    rows = await series(h)
    assert [local(w.starts_at).date().isoformat() for w in rows] == \
        ["2027-02-09", "2027-03-09", "2027-04-13", "2027-05-11", "2027-06-08"]
    assert all(w.duration_min == 90 and local(w.starts_at).hour == 10 for w in rows)


@pytest.mark.parametrize("args, says", [
    ("2027-01-05 10:00 every 6 weeks", "already past"),
    ("2027-13-05 10:00 every 6 weeks", "not a date I can read"),
    ("2027-02-30 10:00 every 6 weeks", "not a date I can read"),
    ("2027-02-02 25:00 every 6 weeks", "not a time I can read"),
    ("2027-02-02 10:00 every 0 weeks", "weeks apart"),
    ("2027-02-02 10:00 every 6 weeks count 21", "1 to 20 workshops"),
    ("2027-02-02 10:00 rrule FREQ=WEEKLY;COUNT=30", "1 to 20 workshops"),
    ("2027-02-02 10:00 rrule FREQ=WEEKLY;UNTIL=20270101T000000", "no dates"),
    ("2027-02-02 10:00 rrule FREQ=SOMETIMES", "not a valid RFC 5545"),
    ("2027-02-02 10:00", "how the workshops repeat"),
    ("2027-02-02 10:00 every 6 weeks sometimes", "don't understand `sometimes`"),
])
async def test_bad_plans_get_a_reason_and_an_example_and_change_nothing(h, args, says):
    text = await say(h, f"workshops plan {args}")
    assert says in text
    assert "Example: `!cop workshops plan 2027-01-12 10:00 every 6 weeks count 5`" in text
    assert await series(h) == [] and h.services.scheduler.jobs == {}


async def test_replanning_asks_first_then_replaces_only_future_workshops(h):
    await say(h, "workshops plan 2027-01-19 10:00 every 6 weeks count 3")
    before = await series(h)
    text = await say(h, "workshops plan 2027-05-04 14:00 every 4 weeks count 3")
    assert "confirm" in text and "Nothing was changed" in text
    assert await series(h) == before

    h.clock.advance(days=8)  # workshop 1 is now past
    await say(h, "workshops plan 2027-05-04 14:00 every 4 weeks count 3 confirm")
    after = {w.number: w for w in await series(h)}
    assert after[1].starts_at == before[0].starts_at and after[1].uid == before[0].uid  # untouched
    assert [local(after[n].starts_at).strftime("%m-%d %H:%M") for n in (2, 3, 4)] == \
        ["05-04 14:00", "06-01 14:00", "06-29 14:00"]
    assert after[2].uid == before[1].uid and after[2].sequence == 1  # rescheduled in place for calendars
    assert after[2].stage == "coalescing"  # stages continue the series after the past workshop
    # No reminder is left for the old dates.
    old = {before[1].starts_at, before[2].starts_at}
    for action in await actions(h):
        async with h.services.db() as session:
            assert (await session.get(Workshop, action.workshop_id)).starts_at not in old


async def test_move_cancel_topic_link_add_are_announced_and_reminders_follow(h):
    await say(h, "workshops plan 2027-02-02 10:00 every 6 weeks count 2")
    moved = await h.command("workshop 2 move 2027-03-23 13:30", sender=FAC, room=ROOM)
    assert moved[0].content["msgtype"] == "m.text" and "moved to Tue 2027-03-23 13:30 EDT" in moved[0].body
    w2 = (await series(h))[1]
    assert sorted(local(a.due_at) for a in await actions(h) if a.workshop_id == w2.id) == [
        datetime(2027, 3, 16, 13, 30, tzinfo=TZ), datetime(2027, 3, 22, 13, 30, tzinfo=TZ),
        datetime(2027, 3, 23, 12, 30, tzinfo=TZ)]

    assert "has a topic: Safety planning" in await say(h, "workshop 2 topic Safety planning")
    assert "https://meet.example.org/cop" in await say(h, "workshop 2 link https://meet.example.org/cop")
    assert "Give a link starting with https://" in await say(h, "workshop 2 link javascript:alert(1)")

    text = await say(h, "workshop 1 cancel snowstorm")
    assert "is cancelled" in text and "snowstorm" in text
    w1 = (await series(h))[0]
    assert w1.state == "cancelled" and not [a for a in await actions(h) if a.workshop_id == w1.id]
    assert not [k for (p, k) in h.services.scheduler.jobs if p == "workshop" and k in
                {f"r{a.id}" for a in await actions(h, "cancelled")}]
    assert "is cancelled" in await say(h, "workshop 1 move 2027-02-09 10:00")

    added = await say(h, "workshop add 2027-05-04 10:00 duration 90")
    assert "Workshop 3 of North circle is added: Tue 2027-05-04 10:00 EDT" in added
    w3 = (await series(h))[2]
    assert w3.duration_min == 90 and w3.link == "https://meet.example.org/cop"
    listing = await say(h, "workshops", sender=BOB)
    assert "cancelled" in listing and "Safety planning" in listing and "upcoming" in listing


async def test_unknown_workshop_and_nonexistent_local_time_are_explained(h):
    await say(h, "workshops plan 2027-02-02 10:00 every 6 weeks count 2")
    assert "There is no workshop 9. The workshops are: 1, 2" in await say(h, "workshop 9 move 2027-03-23 10:00")
    text = await say(h, "workshop add 2027-03-14 02:30")
    assert "does not exist" in text and "Sun 2027-03-14 03:30 EDT" in text
    text = await say(h, "workshop add 2027-11-07 01:30")
    assert "happens twice" in text and "01:30 EDT" in text


async def test_plain_members_cannot_change_the_series(h):
    await say(h, "workshops plan 2027-02-02 10:00 every 6 weeks count 2")
    before = [(w.starts_at, w.state, w.topic, w.sequence) for w in await series(h)]
    jobs = reminder_jobs(h)
    for command in ("workshops plan 2027-03-02 10:00 every 6 weeks confirm", "workshop 1 move 2027-02-09 10:00",
                    "workshop 1 cancel", "workshop 1 topic x", "workshop 1 link https://x.org",
                    "workshop 1 stage maturing", "workshop add 2027-05-04 10:00", "reminders 2d",
                    "reminders mention on", f"attended 1 {BOB}"):
        assert "Only these roles can do that here: facilitator" in await say(h, command, sender=BOB), command
    assert [(w.starts_at, w.state, w.topic, w.sequence) for w in await series(h)] == before
    assert reminder_jobs(h) == jobs
    assert "Workshop 1 of North circle" in await say(h, "workshop 1", sender=BOB)  # looking is fine


async def test_reminder_says_when_what_where_and_the_last_one_can_notify_the_room(h):
    await say(h, "workshops plan 2027-01-26 10:00 every 6 weeks count 1")
    await say(h, "workshop 1 topic Risk at separation")
    await say(h, "workshop 1 link https://meet.example.org/cop")
    h.rooms[ROOM].levels[BOT] = 50  # enough for @room (notifications.room, 50 by default)
    assert "can't notify" not in await say(h, "reminders mention on")
    h.client.sent.clear()
    h.clock.at = datetime(2027, 1, 19, 10, 0, tzinfo=TZ)  # seven days before
    assert await h.run_due() == 1
    first = h.client.sent[-1]
    assert first.content["msgtype"] == "m.text" and first.content["m.mentions"] == {}
    for part in ("starts in 7 day(s)", "Tue 2027-01-26 10:00 EST", "Risk at separation",
                 "https://meet.example.org/cop", "Planned stage: potential", "React ✅"):
        assert part in first.body
    h.clock.at = datetime(2027, 1, 26, 9, 0, tzinfo=TZ)
    assert await h.run_due() == 2  # the one-day reminder was due too (the clock jumped)
    last = h.client.sent[-1]
    assert last.content["m.mentions"] == {"room": True} and last.body.startswith("@room")
    assert "starts in 1 hour(s)" in last.body


async def test_a_room_mention_without_the_power_to_notify_tells_the_facilitators_what_to_change(h):
    """The @room push rule ignores a sender below notifications.room: the bot says so, in plain words."""
    await say(h, "workshops plan 2027-01-26 10:00 every 6 weeks count 1")
    answer = await say(h, "reminders mention on")  # the bot has power level 0 in this room
    assert "notify the whole room" in answer
    assert "@room needs power level 50, and mine is 0" in answer and "Moderator" in answer
    h.rooms[ROOM].notify_room = 0  # a room that lets everyone use @room: nothing to fix
    assert "can't notify" not in await say(h, "reminders mention on")
    h.rooms[ROOM].notify_room = 50
    h.client.sent.clear()
    h.clock.at = datetime(2027, 1, 26, 9, 0, tzinfo=TZ)
    await h.run_due()
    reminder, warning = h.client.sent[-2:]
    assert reminder.content["m.mentions"] == {"room": True} and "starts in 1 hour(s)" in reminder.body
    assert "its @room notified nobody" in warning.body and "mine is 0" in warning.body
    assert warning.content["msgtype"] == "m.text" and warning.content["m.mentions"] == {"user_ids": [FAC]}
    earlier = [s for s in h.client.sent[:-2] if "notified nobody" in s.body]
    assert earlier == []  # one warning, with the one reminder that pinged nobody


async def test_missed_reminders_late_within_grace_skipped_after_and_reported_once(h):
    await say(h, "workshops plan 2027-01-26 10:00 every 6 weeks count 1")
    h.client.sent.clear()
    # The bot is down from before the 7-day reminder until 30 minutes after it.
    h.clock.at = datetime(2027, 1, 19, 10, 30, tzinfo=TZ)
    await h.restart()
    assert await h.run_due() == 1
    late = h.client.sent[-1]
    assert "starts in 7 day(s)" in late.body and "This reminder is late" in late.body
    # Down again across the one-day reminder, now three hours late: skipped and reported.
    h.clock.at = datetime(2027, 1, 25, 13, 0, tzinfo=TZ)
    await h.restart()
    await h.run_due()
    h.clock.advance(seconds=5)
    await h.run_due()
    reports = [s for s in h.client.sent if "missed 1 reminder" in s.body]
    assert len(reports) == 1 and FAC in reports[0].content["m.mentions"]["user_ids"]
    assert reports[0].content["msgtype"] == "m.text"  # it asks the facilitators to act
    assert "workshop 1, the reminder 1 day(s) before" in reports[0].body
    assert not [s for s in h.client.sent if "starts in 1 day(s)" in s.body]
    # A further restart neither repeats the report nor sends anything twice.
    count = len(h.client.sent)
    await h.restart()
    h.clock.advance(seconds=5)
    await h.run_due()
    assert len(h.client.sent) == count
    assert [a.offset_s for a in await actions(h, "sent")] == [604800]
    assert [a.offset_s for a in await actions(h, "skipped")] == [86400]


async def test_a_reminder_sent_before_a_crash_is_sent_again_with_the_same_transaction(h):
    await say(h, "workshops plan 2027-01-26 10:00 every 6 weeks count 1")
    h.clock.at = datetime(2027, 1, 19, 10, 0, tzinfo=TZ)
    h.client.failures.append(type("Timeout", (), {"status_code": "M_UNKNOWN"})())
    with pytest.raises(Exception):
        await h.run_due()  # the homeserver failed: the scheduler will retry
    assert [a.state for a in await actions(h, "sending")] == ["sending"]
    h.clock.advance(hours=3)  # even past the grace period, a started send is finished
    await h.restart()
    await h.run_due()
    assert h.client.tx_ids[-1] == h.client.tx_ids[-2]
    assert len([s for s in h.client.sent if "starts in 7 day(s)" in s.body]) == 1


async def test_rsvp_by_command_and_by_reaction_and_withdrawal(h):
    sent = await h.command("workshops plan 2027-02-02 10:00 every 6 weeks count 2", sender=FAC, room=ROOM)
    announcement = f"$event{len(h.client.sent)}"
    assert sent
    assert "So far: 1 yes, 0 maybe, 0 no" in await say(h, "rsvp 1 yes", sender=BOB)
    assert "So far: 0 yes, 1 maybe, 0 no" in await say(h, "rsvp 1 maybe", sender=BOB)  # replaced
    assert "Answer yes, no or maybe" in await say(h, "rsvp 1 perhaps", sender=BOB)
    assert "There is no workshop 7" in await say(h, "rsvp 7 yes", sender=BOB)
    async with h.services.db() as session:
        community = await communities.by_room(session, ROOM)
    assert await on_reaction(h.services, community, ANN, announcement, "✅️", "$react1")
    assert not await on_reaction(h.services, community, ANN, "$not-a-workshop-post", "✅", "$react2")
    assert not await on_reaction(h.services, community, ANN, announcement, "🎉", "$react3")
    assert "1 yes, 1 maybe, 0 no" in await say(h, "workshop 1", sender=BOB)
    assert await on_redaction(h.services, "$react1")
    assert "0 yes, 1 maybe, 0 no" in await say(h, "workshop 1", sender=BOB)
    async with h.services.db() as session:
        keys = [r.member_key for r in (await session.exec(select(Rsvp))).all()]
    assert keys and not any(BOB in k or "bob" in k for k in keys)  # pseudonyms, never user ids


async def test_here_counts_only_inside_the_window_and_attended_by_facilitator(h):
    await say(h, "workshops plan 2027-01-26 10:00 every 6 weeks count 2 duration 90")
    text = await say(h, "here", sender=BOB)
    assert "no workshop is on now" in text and "workshop 1, Tue 2027-01-26 10:00 EST" in text
    h.clock.at = datetime(2027, 1, 26, 9, 44, tzinfo=TZ)
    assert "no workshop is on now" in await say(h, "here", sender=BOB)
    h.clock.at = datetime(2027, 1, 26, 9, 46, tzinfo=TZ)
    assert "attendance at workshop 1 is recorded" in await say(h, "here", sender=BOB)
    assert "already recorded" in await say(h, "here", sender=BOB)
    h.clock.at = datetime(2027, 1, 26, 11, 31, tzinfo=TZ)  # after the 90 minutes
    assert "no workshop is on now" in await say(h, "here", sender=ANN)
    text = await say(h, f"attended 1 {ANN} {BOB} @stranger:test")
    assert "1 added, 2 in all" in text and "@stranger:test" in text
    assert "has not started yet" in await say(h, f"attended 2 {ANN}")
    assert "full Matrix user id" in await say(h, "attended 1 ann")
    async with h.services.db() as session:
        assert len((await session.exec(select(Attendance))).all()) == 2


async def test_calendar_file_parses_back_with_stable_uids_timezones_and_cancellations(h):
    await say(h, "workshops plan 2027-02-23 10:00 every 4 weeks count 3")
    await say(h, "workshop 2 link https://meet.example.org/cop")
    await say(h, "workshops ics", sender=BOB)
    first = Calendar.from_ical(h.services.matrix.uploads[-1][2])
    file_event = [s for s in h.client.sent if s.content.get("msgtype") == "m.file"][-1]
    assert file_event.content["url"].startswith("mxc://") and file_event.body == "north-circle-workshops.ics"
    await say(h, "workshop 3 cancel")
    await say(h, "workshop 1 move 2027-02-24 11:00")
    await say(h, "workshops ics", sender=BOB)
    second = Calendar.from_ical(h.services.matrix.uploads[-1][2])
    events1, events2 = first.walk("VEVENT"), second.walk("VEVENT")
    assert [str(e["UID"]) for e in events1] == [str(e["UID"]) for e in events2] and len(events2) == 3
    assert [tz["TZID"] for tz in second.walk("VTIMEZONE")] == ["America/Toronto"]
    starts = [e.decoded("DTSTART") for e in events2]
    assert all(str(s.tzinfo) == "America/Toronto" for s in starts)
    assert [(s.month, s.day, s.hour) for s in starts] == [(2, 24, 11), (3, 23, 10), (4, 20, 10)]
    assert str(events2[1]["LOCATION"]) == "https://meet.example.org/cop"
    assert [str(e["STATUS"]) for e in events2] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert int(events2[0]["SEQUENCE"]) > int(events1[0]["SEQUENCE"])


async def test_reminder_offsets_change_pending_reminders_and_seconds_need_the_config(h):
    await say(h, "workshops plan 2027-02-02 10:00 every 6 weeks count 2")
    assert "7 day(s), 1 day(s), 1 hour(s)" in await say(h, "reminders", sender=BOB)
    assert "30s" in await say(h, "reminders 30s")  # seconds are refused by default
    text = await say(h, "reminders 2d 30m")
    assert "2 day(s), 30 minute(s)" in text and "2 upcoming workshop(s)" in text
    assert sorted({a.offset_s for a in await actions(h)}) == [1800, 172800]
    assert len(await actions(h)) == 4 and len(reminder_jobs(h)) == 4


async def test_closing_the_community_stops_its_reminders(h):
    await say(h, "workshops plan 2027-02-02 10:00 every 6 weeks count 2")
    await say(h, "close")
    assert h.services.scheduler.jobs == {} and await actions(h) == []  # prompts stop too
    h.clock.advance(days=30)
    await h.restart()
    assert await h.run_due() == 0


async def test_status_shows_the_next_workshop(h):
    await say(h, "workshops plan 2027-02-02 10:00 every 6 weeks count 2")
    assert "Next: workshop 1, Tue 2027-02-02 10:00 EST" in await say(h, "status", sender=BOB)


async def test_french_community_reads_workshops_in_french(h):
    await say(h, "language fr")
    text = await say(h, "workshops plan 2027-02-02 10:00 chaque 6 semaines nombre 2")
    assert "2 ateliers planifiés pour North circle" in text and "mar. 2027-02-02 10:00 EST" in text
    assert "potentiel" in text


def test_post_keys_are_keyed_hashes(tmp_path):
    from bot.keys import Keyring
    assert post_key(Keyring(b"a" * 32), "$e") != post_key(Keyring(b"b" * 32), "$e")


async def test_dates_years_ahead_are_refused_and_change_nothing(h):
    assert "more than 3 years ahead" in await say(h, "workshop add 2035-01-12 10:00")
    assert "not a date I can read" in await say(h, "workshop add 9999-12-30 10:00")
    assert "more than 3 years ahead" in await say(h, "workshops plan 2027-02-02 10:00 every 52 weeks count 5")
    assert await series(h) == [] and h.services.scheduler.jobs == {}


async def test_the_calendar_file_asked_for_in_a_thread_goes_to_that_thread(h):
    await say(h, "workshops plan 2027-02-23 10:00 every 4 weeks count 3")
    sent = await h.command("workshops ics", sender=BOB, thread_root="$root")
    file_event = next(s for s in sent if s.content.get("msgtype") == "m.file")
    assert file_event.content["m.relates_to"]["rel_type"] == "m.thread"
    assert file_event.content["m.relates_to"]["event_id"] == "$root"
    assert all(s.content.get("m.relates_to", {}).get("event_id") == "$root" for s in sent)
    main = next(s for s in await h.command("workshops ics", sender=BOB) if s.content.get("msgtype") == "m.file")
    assert "m.relates_to" not in main.content  # asked in the main timeline: answered there
