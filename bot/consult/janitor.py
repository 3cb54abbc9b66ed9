"""The DM messages that would link a member to a case, deleted on time.

A member's DM with the bot must not become the record of their case: whoever later reads it
(the bot's operator with its token, a homeserver admin for an unencrypted DM, someone holding
the member's unlocked phone) would see the code, the label or the text. So the member's own
messages that hold a code are redacted as soon as they are handled, and the bot's answers that
hold a code, a label or case text are redacted `[consultations].dm_cleanup_seconds` later (the
answer says so).

What waits for deletion is kept in memory only: a list of (DM room, event id, when). Stored, it
would itself link a DM to a case's messages. The cost: after a crash, the answers still waiting
stay in the DM (the README says so), and the member is told to delete them by hand where the
bot cannot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.logs import fields

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
TRIES = 5  # a redaction that keeps failing (the homeserver away) is tried at most this often


@dataclass
class _Pending:
    room_id: str
    event_id: str
    due: datetime
    tries: int = 0


@dataclass
class Janitor:
    _pending: list[_Pending] = field(default_factory=list)

    def later(self, room_id: str, event_ids: list[str], due: datetime) -> None:
        self._pending += [_Pending(room_id, e, due) for e in event_ids]

    def waiting(self) -> int:
        return len(self._pending)

    async def sweep(self, services: "Services") -> int:
        """Redact what is due; return how many were. Failures wait for the next sweep."""
        now = services.clock.now()
        due = [p for p in self._pending if p.due <= now]
        self._pending = [p for p in self._pending if p.due > now]
        done = 0
        for item in due:
            try:
                ok = await services.matrix.redact(item.room_id, item.event_id)
            except Exception:  # the homeserver away: the next sweep tries again
                ok = False
            if ok:
                done += 1
            elif item.tries + 1 < TRIES:
                item.tries += 1
                self._pending.append(item)
            else:
                log.warning("consultation.dm_cleanup_gave_up")
        if done:
            log.info("consultation.dm_cleaned", **fields(count=done))
        return done


async def answer_and_forget(ctx, text) -> list[str]:
    """Send an answer that holds a code, a label or case text; it is redacted after the
    cleanup delay. `text` should already say so (see `consult.disappears`)."""
    sent = await ctx.send(text)
    s = ctx.services
    s.janitor.later(ctx.room_id, sent, s.clock.now() + timedelta(seconds=s.config.consultations.dm_cleanup_seconds))
    return sent


async def redact_member_message(ctx) -> None:
    """The member's message that held a code (a wrong one too): gone as soon as it is handled."""
    if not await ctx.services.matrix.redact(ctx.room_id, ctx.event_id):
        log.info("consultation.member_message_not_redacted")
