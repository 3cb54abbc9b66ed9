"""Calendar files (RFC 5545) for a workshop series, built with the icalendar library.

Each workshop keeps one UID for life and a SEQUENCE that grows with every
change, so importing the file again updates events instead of adding copies.
Times carry their TZID and the file carries the matching VTIMEZONE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODID = "-//copbot//workshops//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    start: datetime  # aware
    duration: timedelta
    title: str
    description: str
    link: str | None
    cancelled: bool
    updated: datetime  # aware, the last change


def build(name: str, tz: str, events: list[CalendarEvent], now: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tz)
    zone = ZoneInfo(tz)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("sequence", item.sequence)
        event.add("dtstamp", now)
        event.add("last-modified", item.updated)
        start = item.start.astimezone(zone)
        event.add("dtstart", start)
        event.add("dtend", start + item.duration)
        event.add("summary", item.title)
        event.add("description", item.description)
        if item.link:
            event.add("location", item.link)
            event.add("url", item.link)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        cal.add_component(event)
    if events:  # a VTIMEZONE that covers the series, not the default 1970-2038 table
        first = min(e.start for e in events).date() - timedelta(days=366)
        last = max(e.start for e in events).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()
