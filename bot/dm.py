"""Direct messages that continue a conversation rather than start a command: the open
consultation request first, then the open check-in (each has its own desk, bot/dialogs.py)."""

from __future__ import annotations

from bot.commands.checkins import intercept as checkin_intercept
from bot.consult.dialog import intercept as consult_intercept
from bot.framework import answer_failure


async def intercept(ctx, text: str) -> bool:
    """True when an open dialog took the message as its answer. A failure gets the same
    answer as a failed command, from the same handler."""
    for name, take in (("consult", consult_intercept), ("checkin", checkin_intercept)):
        try:
            if await take(ctx, text):
                return True
        except Exception as exc:
            await answer_failure(ctx, exc, f"{name}.dialog")
            return True
    return False
