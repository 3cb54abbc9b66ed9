"""Checks that commands declare; each has a refusal shown when it fails."""

from __future__ import annotations

from bot.framework import Check


async def _in_room(ctx) -> bool:
    return not ctx.is_dm


async def _in_dm(ctx) -> bool:
    return ctx.is_dm


room_only = Check("room_only", _in_room, "error.room_only")
dm_only = Check("dm_only", _in_dm, "error.dm_only")
