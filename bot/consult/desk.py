"""What the bot holds in memory, and only there, while a member writes a request.

A draft is keyed by the DM room it is written in; it never touches the
database, so a crash or the 30-minute expiry forgets it for good. The
per-member counters (requests a day, wrong codes an hour) are keyed by an
HMAC whose secret is random and replaced every day, so yesterday's keys
cannot be recomputed by anyone, the bot included.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from bot.clock import Clock

# Each preview scrubs a text of up to 20,000 characters: enough for a member who edits and
# looks again, too few to keep the bot's CPU busy for others.
MAX_PREVIEWS_PER_MINUTE = 6


@dataclass
class Draft:
    kind: Literal["request", "followup"]
    step: Literal["community", "text", "preview"]
    expires_at: datetime
    lang: str = "en"
    choices: tuple[str, ...] = ()  # community slugs to choose from
    community_id: int | None = None
    community_name: str = ""  # named in the preview: the member sees where it goes
    consultation_id: int | None = None
    text: str = ""  # scrubbed, as previewed
    categories: tuple[str, ...] = ()
    wanted: tuple[str, ...] = ()  # sector ids whose expertise is asked for (domain.sectors)
    replaced: int = 0
    pending: str = ""  # a request written before its community was chosen
    member_events: list[str] = field(default_factory=list)  # the member's DM messages holding case text
    bot_events: list[str] = field(default_factory=list)  # the bot's previews of it


class Desk:
    def __init__(self, clock: Clock, *, draft_minutes: int, max_per_day: int, max_attempts_per_hour: int):
        self.clock = clock
        self.draft_life = timedelta(minutes=draft_minutes)
        self.max_per_day = max_per_day
        self.max_attempts = max_attempts_per_hour
        self._drafts: dict[str, Draft] = {}
        self._day: date | None = None
        self._secret = b""
        self._submitted: defaultdict[str, int] = defaultdict(int)
        self._failures: defaultdict[str, list[datetime]] = defaultdict(list)
        self._previews: defaultdict[str, list[datetime]] = defaultdict(list)
        self._expired: dict[str, datetime] = {}  # DM room -> when its draft expired

    # ----- drafts ----------------------------------------------------------

    def new_draft(self, room_id: str, **values: object) -> Draft:
        self._expired.pop(room_id, None)
        draft = Draft(expires_at=self.clock.now() + self.draft_life, **values)
        self._drafts[room_id] = draft
        return draft

    def draft(self, room_id: str) -> Draft | None:
        draft = self._drafts.get(room_id)
        if draft is not None and draft.expires_at <= self.clock.now():
            del self._drafts[room_id]
            self._expired[room_id] = self.clock.now()
            return None
        return draft

    def just_expired(self, room_id: str) -> bool:
        """A draft expired here within the last draft lifetime: what comes now may be its text."""
        at = self._expired.get(room_id)
        if at is None or self.clock.now() - at > self.draft_life:
            self._expired.pop(room_id, None)
            return False
        return True

    def forget_expiry(self, room_id: str) -> None:
        self._expired.pop(room_id, None)

    def touch(self, draft: Draft) -> None:
        draft.expires_at = self.clock.now() + self.draft_life

    def drop(self, room_id: str) -> Draft | None:
        return self._drafts.pop(room_id, None)

    def expire(self) -> list[tuple[str, Draft]]:
        """Forget drafts past their time; return them with their DM rooms, to tell the members."""
        now = self.clock.now()
        gone = [(room, d) for room, d in self._drafts.items() if d.expires_at <= now]
        for room, _ in gone:
            del self._drafts[room]
            self._expired[room] = now
        return gone

    # ----- per-member limits, under a daily key ----------------------------

    def _key(self, user_id: str) -> str:
        today = self.clock.now().date()
        if today != self._day:  # a new day: a new secret, and yesterday's counts are gone
            self._day, self._secret = today, secrets.token_bytes(32)
            self._submitted.clear()
            self._failures.clear()
            self._previews.clear()
        return hmac.new(self._secret, user_id.encode(), hashlib.sha256).hexdigest()

    def may_submit(self, user_id: str) -> bool:
        return self._submitted[self._key(user_id)] < self.max_per_day

    def submitted(self, user_id: str) -> None:
        self._submitted[self._key(user_id)] += 1

    def locked_out(self, user_id: str) -> bool:
        key = self._key(user_id)
        hour_ago = self.clock.now() - timedelta(hours=1)
        self._failures[key] = [t for t in self._failures[key] if t > hour_ago]
        return len(self._failures[key]) >= self.max_attempts

    def may_preview(self, user_id: str) -> bool:
        """Count one preview; False (and not counted) past MAX_PREVIEWS_PER_MINUTE."""
        key = self._key(user_id)
        minute_ago = self.clock.now() - timedelta(minutes=1)
        recent = self._previews[key] = [t for t in self._previews[key] if t > minute_ago]
        if len(recent) >= MAX_PREVIEWS_PER_MINUTE:
            return False
        recent.append(self.clock.now())
        return True

    def failed_attempt(self, user_id: str) -> None:
        self._failures[self._key(user_id)].append(self.clock.now())
