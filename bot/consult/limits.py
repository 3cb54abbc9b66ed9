"""Per-member limits on consultations, in memory only: requests a day, wrong codes an hour,
previews a minute.

They are keyed by an HMAC whose secret is random and replaced every day, so yesterday's keys
cannot be recomputed by anyone, the bot included.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from datetime import date, datetime, timedelta

from bot.clock import Clock

# Each preview scrubs a text of up to 20,000 characters: enough for a member who edits and
# looks again, too few to keep the bot's CPU busy for others.
MAX_PREVIEWS_PER_MINUTE = 6


class Limits:
    def __init__(self, clock: Clock, *, max_per_day: int, max_attempts_per_hour: int):
        self.clock = clock
        self.max_per_day = max_per_day
        self.max_attempts = max_attempts_per_hour
        self._day: date | None = None
        self._secret = b""
        self._submitted: defaultdict[str, int] = defaultdict(int)
        self._failures: defaultdict[str, list[datetime]] = defaultdict(list)
        self._previews: defaultdict[str, list[datetime]] = defaultdict(list)

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
        """Fewer than MAX_PREVIEWS_PER_MINUTE previews in the last minute."""
        key = self._key(user_id)
        minute_ago = self.clock.now() - timedelta(minutes=1)
        recent = self._previews[key] = [t for t in self._previews[key] if t > minute_ago]
        return len(recent) < MAX_PREVIEWS_PER_MINUTE

    def previewed(self, user_id: str) -> None:
        self._previews[self._key(user_id)].append(self.clock.now())

    def failed_attempt(self, user_id: str) -> None:
        self._failures[self._key(user_id)].append(self.clock.now())
