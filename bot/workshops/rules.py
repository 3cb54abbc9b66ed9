"""A community's reminder settings: its own overrides over the [workshops] config."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import WorkshopsConfig
from domain.workshops import parse_offsets
from storage import workshops as q
from storage.models import WorkshopSettings


@dataclass(frozen=True)
class Rules:
    offsets: tuple[timedelta, ...]  # longest first
    grace: timedelta
    mention_room: bool
    duration_min: int


def rules(row: WorkshopSettings, defaults: WorkshopsConfig) -> Rules:
    if row.offsets_s:
        offsets = tuple(sorted((timedelta(seconds=int(s)) for s in row.offsets_s.split(",")), reverse=True))
    else:
        offsets = parse_offsets(list(defaults.reminder_offsets), allow_seconds=True)
    return Rules(
        offsets=offsets,
        grace=timedelta(seconds=row.grace_s if row.grace_s is not None else defaults.grace_minutes * 60),
        mention_room=defaults.mention_room if row.mention_room is None else row.mention_room,
        duration_min=defaults.duration_minutes,
    )


async def load_rules(session: AsyncSession, community_id: int, defaults: WorkshopsConfig) -> Rules:
    return rules(await q.settings(session, community_id), defaults)
