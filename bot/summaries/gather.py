"""Collecting a community's summary periods from the database (aggregates only)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.membership import members_of
from domain.report import Period
from storage import summaries as q
from storage.models import Community, SummarySettings

if TYPE_CHECKING:
    from bot.services import Services


class NotYet(Exception):
    """The workshop asked for is further ahead than the next one: nothing to summarise."""


async def min_group(services: "Services", community_id: int) -> int:
    async with services.db() as session:
        row = await session.get(SummarySettings, community_id)
    floor = services.config.summaries.min_group_size
    return max(floor, row.min_group_size) if row else floor


async def gather(services: "Services", community: Community, scope: str, *, workshop: int | None = None,
                 since: date | None = None, members: int | None = None) -> tuple[list[Period], Period]:
    """The columns of a summary and the total over them. `members` defaults to the room's count."""
    now = services.clock.now()
    members = len(members_of(services, community)) if members is None else members
    async with services.db() as session:
        if scope == "since":
            start = datetime.combine(since, time(0), ZoneInfo(community.timezone))
            columns = [Period(label=since.isoformat(), start=start, end=now)]
        else:
            columns = await q.periods(session, community.id, community.created_at, now)
            if scope == "workshop":
                columns = [p for p in columns if p.workshop == workshop]
                if not columns:
                    raise NotYet(workshop)
        for p in columns:
            p.members = members
        await q.fill_all(session, community.id, columns)
        # The columns never overlap, so the total is their sum; only the stage and stories need a look.
        total = q.add_up(columns, Period(label="Σ", start=columns[0].start if columns else now, end=now))
        await q.fill_whole(session, community.id, total)
    return columns, total
