"""Showing stored (UTC) times in a community's timezone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def local(at: datetime, tz: str) -> str:
    value = at.astimezone(ZoneInfo(tz))
    return f"{value:%Y-%m-%d %H:%M} {value.tzname()}"
