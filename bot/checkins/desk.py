"""Check-ins being answered, in memory only: an unfinished check-in is never written down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from domain.checkins import Draft


@dataclass
class Open:
    community_id: int
    lang: str
    draft: Draft
    expires: datetime


class CheckinDesk:
    def __init__(self, clock: Clock, hours: int):
        self.clock, self.life = clock, timedelta(hours=hours)
        self._open: dict[tuple[str, str], Open] = {}  # (DM room, member) -> the check-in

    def get(self, room_id: str, user_id: str) -> Open | None:
        entry = self._open.get((room_id, user_id))
        if entry is not None and entry.expires <= self.clock.now():
            del self._open[(room_id, user_id)]
            return None
        return entry

    def put(self, room_id: str, user_id: str, community_id: int, lang: str, draft: Draft) -> None:
        self._open[(room_id, user_id)] = Open(community_id, lang, draft, self.clock.now() + self.life)

    def drop(self, room_id: str, user_id: str) -> None:
        self._open.pop((room_id, user_id), None)
