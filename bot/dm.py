"""Direct messages that continue a conversation rather than start a command."""

from __future__ import annotations

from bot.commands.checkins import intercept as checkin_intercept
from bot.commands.consult import intercept as consult_intercept


async def intercept(ctx, text: str) -> bool:
    """True when an open consultation draft or check-in took the message as its answer."""
    return await consult_intercept(ctx, text) or await checkin_intercept(ctx, text)
