"""Direct messages that continue a conversation rather than start a command."""

from __future__ import annotations

import logging

from bot.commands.checkins import intercept as checkin_intercept
from bot.commands.consult import intercept as consult_intercept
from bot.framework import incident_id
from bot.logs import fields

log = logging.getLogger(__name__)


async def intercept(ctx, text: str) -> bool:
    """True when an open consultation draft or check-in took the message as its answer.

    A failure gets the same apology as a failed command, never silence."""
    if await consult_intercept(ctx, text):  # it apologises for its own failures
        return True
    try:
        return await checkin_intercept(ctx, text)
    except Exception as exc:
        incident = incident_id()
        log.error("checkin.intercept_failed", exc_info=exc, **fields(incident=incident))
        await ctx.reply("error.unexpected", incident=incident)
        return True
