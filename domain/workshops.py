"""Workshop series rules, free of Matrix: plans, wall-clock times, reminders, missed actions.

Times are planned as wall-clock times in the community's IANA timezone and
expanded with dateutil.rrule on naive local datetimes, so a series keeps
10:00 local across daylight-saving changes. Only then is each occurrence
made aware, with an explicit rule for times that a DST change skips or
repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule, rrulestr

from domain.errors import InputError

MAX_WORKSHOPS = 20
DEFAULT_COUNT = 5
DEFAULT_DURATION_MIN = 120
DEFAULT_OFFSETS = (timedelta(days=7), timedelta(days=1), timedelta(hours=1))
MAX_AHEAD = timedelta(days=3 * 366)  # a series runs about six months; years ahead is a typo


class PlanError(InputError):
    """A plan that cannot be made."""


@dataclass(frozen=True)
class Occurrence:
    start: datetime  # aware, in the community's timezone
    note: str | None = None  # "nonexistent" or "ambiguous" when DST changed the wall-clock time


def localize(naive: datetime, tz: ZoneInfo) -> Occurrence:
    """A wall-clock time made aware. Skipped times move forward by the gap; repeated times take the first."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    roundtrip = first.astimezone(timezone.utc).astimezone(tz)
    if roundtrip.replace(tzinfo=None) != naive:
        # In a spring-forward gap, fold=0 reads the time with the offset from before the change,
        # which lands after the gap (02:30 -> 03:30), as most calendar programs do.
        return Occurrence(roundtrip, "nonexistent")
    if first.utcoffset() != second.utcoffset():
        return Occurrence(first, "ambiguous")
    return Occurrence(first)


def parse_date(text: str) -> date:
    if re.fullmatch(r"20\d{2}-\d{2}-\d{2}", text):  # this century: far dates overflow the date type
        try:
            return date.fromisoformat(text)
        except ValueError:  # 2027-02-30
            pass
    raise PlanError("workshop.bad_date", value=text[:20])


def parse_time(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})[:h](\d{2})", text.strip().lower())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise PlanError("workshop.bad_time", value=text[:20])
    return time(int(match.group(1)), int(match.group(2)))


def plan(first_day: date, at: time, tz: ZoneInfo, now: datetime, *, every_weeks: int | None = None,
         rule: str | None = None, count: int = DEFAULT_COUNT) -> list[Occurrence]:
    """The occurrences of a series, as wall-clock times; every one must lie in the future."""
    start = datetime.combine(first_day, at)
    if rule is not None:
        try:
            dates = rrulestr(rule, dtstart=start, ignoretz=True)
        except (ValueError, TypeError):
            raise PlanError("workshop.bad_rule") from None
    else:
        if every_weeks is None or not 1 <= every_weeks <= 52:
            raise PlanError("workshop.bad_interval")
        if not 1 <= count <= MAX_WORKSHOPS:
            raise PlanError("workshop.too_many", limit=MAX_WORKSHOPS)
        dates = rrule(WEEKLY, interval=every_weeks, count=count, dtstart=start)
    found = list(islice(iter(dates), MAX_WORKSHOPS + 1))
    if not found:
        raise PlanError("workshop.no_dates")
    if len(found) > MAX_WORKSHOPS:
        raise PlanError("workshop.too_many", limit=MAX_WORKSHOPS)
    occurrences = [localize(d, tz) for d in found]
    if occurrences[0].start <= now:
        raise PlanError("workshop.in_the_past", value=occurrences[0].start.strftime("%Y-%m-%d %H:%M"))
    check_ahead(occurrences[-1].start, now)
    return occurrences


def check_ahead(start: datetime, now: datetime) -> None:
    if start - now > MAX_AHEAD:
        raise PlanError("workshop.too_far", value=start.strftime("%Y-%m-%d"), years=3)


def planned_stages(count: int) -> list[str]:
    """The stage each workshop is planned for, after shared/domain.md §2, stretched to `count`.

    Five workshops: W1 potential, W2 coalescing, W3 maturing, W4 and W5 stewardship
    (transformation comes after the last one).
    """
    five = ["potential", "coalescing", "maturing", "stewardship", "stewardship"]
    if count <= 0:
        return []
    return [five[min(4, (i * 5) // count)] for i in range(count)]


_OFFSET = re.compile(r"^(\d{1,4})(s|m|h|d|w)$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_offsets(words: list[str], allow_seconds: bool) -> tuple[timedelta, ...]:
    """'7d 1d 1h' -> offsets before a workshop, longest first; seconds only where the config allows."""
    out = set()
    for word in words:
        match = _OFFSET.match(word.lower())
        if not match or (match.group(2) == "s" and not allow_seconds):
            raise PlanError("workshop.bad_offset", value=word[:12])
        delta = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
        if delta <= timedelta(0) or delta > timedelta(days=60):
            raise PlanError("workshop.bad_offset", value=word[:12])
        out.add(delta)
    if not out or len(out) > 5:
        raise PlanError("workshop.bad_offset", value=" ".join(words)[:30])
    return tuple(sorted(out, reverse=True))


def reminders(start: datetime, offsets: tuple[timedelta, ...], now: datetime) -> list[tuple[timedelta, datetime]]:
    """Reminders still ahead for a workshop at `start`: (offset, due), in order."""
    return sorted(((o, start - o) for o in offsets if start - o > now), key=lambda pair: pair[1])


def missed(due: datetime, now: datetime, grace: timedelta) -> str:
    """What to do with an action found due at start-up: 'on_time', 'late' (fire, marked) or 'skip'."""
    if due >= now - timedelta(seconds=5):
        return "on_time"
    return "late" if now - due <= grace else "skip"


def attendance_open(start: datetime, duration: timedelta, now: datetime) -> bool:
    """`here` counts from 15 minutes before the start until the end."""
    return start - timedelta(minutes=15) <= now <= start + duration


@dataclass(frozen=True)
class PlanRequest:
    first_day: date
    at: time
    every_weeks: int | None
    rule: str | None
    count: int
    duration_min: int | None
    confirm: bool


_WORDS = {  # English and French keywords of `workshops plan`
    "every": "every", "chaque": "every", "toutes": "every", "tous": "every",
    "weeks": "weeks", "week": "weeks", "semaines": "weeks", "semaine": "weeks",
    "count": "count", "nombre": "count", "duration": "duration", "durée": "duration", "duree": "duration",
    "confirm": "confirm", "confirmer": "confirm", "rrule": "rrule", "règle": "rrule", "regle": "rrule",
}


def _number(word: str | None, key: str) -> int:
    if word is None or not word.isascii() or not word.isdigit() or len(word) > 4:
        raise PlanError(key)
    return int(word)


def parse_plan(words: list[str]) -> PlanRequest:
    """`<date> <time> every <N> weeks [count K] [duration M] [confirm]` or `<date> <time> rrule <RULE> …`."""
    if len(words) < 3:
        raise PlanError("workshop.plan_incomplete")
    first_day, at = parse_date(words[0]), parse_time(words[1])
    every = rule = duration = None
    count, confirm = DEFAULT_COUNT, False
    rest = iter(words[2:])
    for word in rest:
        keyword = _WORDS.get(word.lower())
        if keyword == "every":
            every = _number(next(rest, None), "workshop.bad_interval")
            if _WORDS.get((next(rest, "") or "").lower()) != "weeks":
                raise PlanError("workshop.bad_interval")
        elif keyword == "rrule":
            rule = next(rest, None)
            if not rule or len(rule) > 300:
                raise PlanError("workshop.bad_rule")
        elif keyword == "count":
            count = _number(next(rest, None), "workshop.too_many")
        elif keyword == "duration":
            duration = _number(next(rest, None), "workshop.bad_duration")
            if not 15 <= duration <= 600:
                raise PlanError("workshop.bad_duration")
        elif keyword == "confirm":
            confirm = True
        else:
            raise PlanError("workshop.plan_unknown_word", value=word[:30])
    if (every is None) == (rule is None):
        raise PlanError("workshop.plan_incomplete")
    return PlanRequest(first_day, at, every, rule, count, duration, confirm)


def split_offset(delta: timedelta) -> tuple[int, str]:
    """An offset as (number, unit) in the largest whole unit below weeks: 7 days -> (7, 'days')."""
    seconds = int(delta.total_seconds())
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds % size == 0:
            return seconds // size, unit
    return seconds, "seconds"
