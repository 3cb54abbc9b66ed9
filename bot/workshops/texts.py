"""How workshops read in messages. `t` renders a catalogue key in the community's language."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from bot.text import Text
from domain.workshops import split_offset
from storage.models import Community, Workshop

T = Callable[..., Text]


def mention_power(t: T, level: int, needed: int) -> Text:
    """What to change so that the bot's @room notifies: in plain words, for facilitators."""
    return t("workshop.mention_power", level=level, needed=needed)


def when(t: T, at: datetime, tz: str) -> str:
    """'Tue 2027-03-09 10:00 EST' in the community's timezone and language."""
    value = at.astimezone(ZoneInfo(tz))
    day = t("workshop.weekdays").plain.split()[value.weekday()]
    return f"{day} {value:%Y-%m-%d %H:%M} {value.tzname()}"


def span(t: T, delta: timedelta) -> str:
    number, unit = split_offset(delta)
    return t(f"workshop.unit.{unit}", n=number).plain


def stage(t: T, name: str) -> str:
    return t(f"stage.{name}.name").plain


def topic(t: T, workshop: Workshop) -> str:
    return workshop.topic or t("workshop.no_topic").plain


def link(t: T, workshop: Workshop) -> str:
    return workshop.link or t("workshop.no_link").plain


def line(t: T, w: Workshop, counts: dict[str, int], community: Community, state: str) -> Text:
    return t("workshop.line", number=w.number, when=when(t, w.starts_at, community.timezone), topic=topic(t, w),
             stage=stage(t, w.stage), yes=counts["yes"], maybe=counts["maybe"], no=counts["no"],
             here=counts["here"], state=t(f"workshop.state.{state}").plain)


def details(t: T, w: Workshop, counts: dict[str, int], community: Community, state: str, prefix: str) -> Text:
    reason = t("workshop.cancel_reason", reason=w.cancel_reason) if w.cancel_reason else Text(())
    return t("workshop.details", number=w.number, name=community.name,
             when=when(t, w.starts_at, community.timezone), minutes=w.duration_min, topic=topic(t, w),
             link=link(t, w), stage=stage(t, w.stage), yes=counts["yes"], maybe=counts["maybe"],
             no=counts["no"], here=counts["here"], state=t(f"workshop.state.{state}").plain,
             prefix=prefix) + reason


def reminder(t: T, w: Workshop, community: Community, offset: timedelta, *, late: bool, prefix: str) -> Text:
    text = t("workshop.reminder", number=w.number, name=community.name, span=span(t, offset),
             when=when(t, w.starts_at, community.timezone), minutes=w.duration_min, topic=topic(t, w),
             link=link(t, w), stage=stage(t, w.stage), prefix=prefix)
    return text + t("workshop.reminder_late") if late else text
