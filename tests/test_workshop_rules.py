"""Workshop series rules (domain/workshops.py), with fixed times: no homeserver, no clock."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from domain.workshops import (PlanError, attendance_open, localize, missed, parse_date, parse_offsets,
                              parse_time, plan, planned_stages, reminders)

TZ = ZoneInfo("America/Toronto")
NOW = datetime(2027, 1, 1, 12, 0, tzinfo=timezone.utc)


def test_every_six_weeks_keeps_ten_oclock_across_the_spring_change():
    series = plan(date(2027, 1, 12), time(10, 0), TZ, NOW, every_weeks=6)
    assert [o.start.date().isoformat() for o in series] == [
        "2027-01-12", "2027-02-23", "2027-04-06", "2027-05-18", "2027-06-29"]
    assert all(o.start.hour == 10 and o.start.minute == 0 for o in series)
    # Same wall clock, different UTC: EST (UTC-5) before 14 March, EDT (UTC-4) after.
    assert series[0].start.utcoffset() == timedelta(hours=-5)
    assert series[2].start.utcoffset() == timedelta(hours=-4)


def test_rrule_second_tuesday_monthly():
    series = plan(date(2027, 1, 12), time(10, 0), TZ, NOW, rule="FREQ=MONTHLY;BYDAY=2TU;COUNT=5")
    assert [o.start.day for o in series] == [12, 9, 9, 13, 11]
    assert all(o.start.weekday() == 1 and o.start.hour == 10 for o in series)


@pytest.mark.parametrize("kwargs, key", [
    ({"rule": "FREQ=MONTHLY;COUNT=0"}, "workshop.no_dates"),
    ({"rule": "FREQ=WEEKLY"}, "workshop.too_many"),
    ({"rule": "FREQ=WEEKLY;COUNT=21"}, "workshop.too_many"),
    ({"rule": "NONSENSE"}, "workshop.bad_rule"),
    ({"every_weeks": 0}, "workshop.bad_interval"),
    ({"every_weeks": 2, "count": 25}, "workshop.too_many"),
])
def test_plans_that_cannot_be_made(kwargs, key):
    with pytest.raises(PlanError) as err:
        plan(date(2027, 1, 12), time(10, 0), TZ, NOW, **kwargs)
    assert err.value.key == key


def test_a_plan_in_the_past_is_refused():
    with pytest.raises(PlanError) as err:
        plan(date(2026, 12, 1), time(10, 0), TZ, NOW, every_weeks=6)
    assert err.value.key == "workshop.in_the_past"


def test_times_skipped_or_repeated_by_dst_are_explained():
    skipped = localize(datetime(2027, 3, 14, 2, 30), TZ)
    assert skipped.note == "nonexistent" and (skipped.start.hour, skipped.start.minute) == (3, 30)
    repeated = localize(datetime(2027, 11, 7, 1, 30), TZ)
    assert repeated.note == "ambiguous" and repeated.start.utcoffset() == timedelta(hours=-4)
    assert localize(datetime(2027, 1, 12, 10, 0), TZ).note is None


def test_dates_times_and_offsets_parse_or_explain():
    assert parse_date("2027-01-12") == date(2027, 1, 12)
    for bad in ("2027-02-30", "12/01/2027", "tomorrow"):
        with pytest.raises(PlanError):
            parse_date(bad)
    assert parse_time("9:05") == time(9, 5) and parse_time("14h30") == time(14, 30)
    for bad in ("25:00", "10", "10:60"):
        with pytest.raises(PlanError):
            parse_time(bad)
    assert parse_offsets(["1h", "7d", "1d"], allow_seconds=False) == (
        timedelta(days=7), timedelta(days=1), timedelta(hours=1))
    with pytest.raises(PlanError):
        parse_offsets(["30s"], allow_seconds=False)
    assert parse_offsets(["30s"], allow_seconds=True) == (timedelta(seconds=30),)


def test_stage_plan_reminders_missed_actions_and_attendance_window():
    assert planned_stages(5) == ["potential", "coalescing", "maturing", "stewardship", "stewardship"]
    assert len(planned_stages(8)) == 8 and planned_stages(8)[0] == "potential"
    start = datetime(2027, 1, 12, 15, 0, tzinfo=timezone.utc)
    due = reminders(start, (timedelta(days=7), timedelta(days=1), timedelta(hours=1)),
                    now=start - timedelta(days=3))
    assert [o for o, _ in due] == [timedelta(days=1), timedelta(hours=1)]  # the 7-day one has passed
    grace = timedelta(hours=1)
    assert missed(start, start, grace) == "on_time"
    assert missed(start, start + timedelta(minutes=30), grace) == "late"
    assert missed(start, start + timedelta(hours=2), grace) == "skip"
    assert attendance_open(start, timedelta(hours=2), start - timedelta(minutes=15))
    assert not attendance_open(start, timedelta(hours=2), start - timedelta(minutes=16))
    assert not attendance_open(start, timedelta(hours=2), start + timedelta(hours=2, seconds=1))
