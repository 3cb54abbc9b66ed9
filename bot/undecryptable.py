"""When the bot cannot decrypt a message, it tells the sender, at most once an hour each.

A member whose client did not share its room key would otherwise see the
bot ignore them. The notice is rate limited per sender so a client stuck
without keys does not make the bot answer every message. The ledger is in
memory only: after a restart a sender may get one notice sooner, and no
user id is written anywhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta


class NoticeLedger:
    def __init__(self, interval: timedelta = timedelta(hours=1)):
        self.interval = interval
        self._last: dict[str, datetime] = {}

    def due(self, sender: str, now: datetime) -> bool:
        """True (and remembered) when `sender` has had no notice within the interval."""
        # Forget old entries first, so the ledger stays as small as one hour of senders.
        self._last = {s: t for s, t in self._last.items() if now - t < self.interval}
        if sender in self._last:
            return False
        self._last[sender] = now
        return True
