"""Collecting a community's summary periods from the database (aggregates only).

Only closed periods are summarised (issue 21 §3, domain/disclosure.py): the columns of the
workshops that are over, Σ over all of them, and `since <date>` snapped to the first workshop
boundary at or after the date, up to the last workshop that is over. Every summary is planned
over the whole series, whatever it shows, so that the same figures are hidden everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.membership import members_of
from domain.disclosure import MIN_GROUP_FLOOR, Disclosure
from domain.report import Period
from storage import summaries as q
from storage.models import Community, SummarySettings, Workshop

if TYPE_CHECKING:
    from bot.services import Services


class NotYet(Exception):
    """The workshop asked for is not in the series: nothing to summarise."""


class StillOpen(Exception):
    """The workshop asked for is not over yet: its period is still open."""

    def __init__(self, workshop: Workshop):
        super().__init__(workshop.number)
        self.workshop = workshop


class NothingSince(Exception):
    """No closed period starts at or after the date asked for."""

    def __init__(self, next_workshop: Workshop | None):
        super().__init__()
        self.next_workshop = next_workshop


@dataclass
class Summary:
    columns: list[Period]  # what the summary shows, one column each
    total: Period  # Σ over `columns` (the column itself when there is one)
    series: list[Period]  # every closed column: what the disclosure plan is made over
    disclosure: Disclosure
    next_workshop: Workshop | None  # the one whose period is still open
    since_from: Period | None = None  # `since`: the first closed column counted


async def min_group(services: "Services", community_id: int) -> int:
    async with services.db() as session:
        row = await session.get(SummarySettings, community_id)
    floor = max(MIN_GROUP_FLOOR, services.config.summaries.min_group_size if services.config else MIN_GROUP_FLOOR)
    return max(floor, row.min_group_size) if row else floor


def _sum(columns: list[Period], label: str, span: tuple[int, int]) -> Period:
    total = q.add_up(columns, Period(label=label, start=columns[0].start, end=columns[-1].end, span=span))
    total.members = 0  # attendance is a rate per workshop; a range of them has none
    return total


async def gather(services: "Services", community: Community, scope: str, *, workshop: int | None = None,
                 since: date | None = None, members: int | None = None, k: int | None = None) -> Summary:
    """The columns of a summary and the total over them. `members` defaults to the room's count,
    `k` to the community's minimum group."""
    now = services.clock.now()
    members = len(members_of(services, community)) if members is None else members
    k = await min_group(services, community.id) if k is None else k
    async with services.db() as session:
        series, upcoming = await q.periods(session, community.id, community.created_at, now)
        for i, p in enumerate(series):
            p.members, p.span = members, (i, i + 1)
        await q.fill_all(session, community.id, series)
        await q.freeze(session, community.id, series, now)  # a released column never changes
        disclosure = Disclosure(series, k)
        n, since_from = len(series), None
        if scope == "workshop":
            found = [p for p in series if p.workshop == workshop]
            if not found:
                if upcoming is not None and workshop == upcoming.number:
                    raise StillOpen(upcoming)
                raise NotYet(workshop)
            columns = found
        elif scope == "since":
            start = datetime.combine(since, time(0), ZoneInfo(community.timezone))
            first = next((i for i, p in enumerate(series) if p.start >= start), None)
            if first is None:
                raise NothingSince(upcoming)
            label = series[first].label if first == n - 1 else f"{series[first].label}–{series[-1].label}"
            columns, since_from = [_sum(series[first:], label, (first, n))], series[first]
        else:
            columns = series
        if len(columns) == 1:
            total = columns[0]
        elif columns:
            total = _sum(columns, "Σ", (0, n))
        else:
            total = Period(label="Σ", start=now, end=now)
        # Stories are quoted only from the columns whose check-ins are shown (k or more of them).
        quote_from = [p for p in series[total.span[0]:total.span[1]]
                      if p.checkins >= k and disclosure.released("checkins", p.span)] if total.span else []
        await q.fill_whole(session, community.id, total, quote_from)
    return Summary(columns, total, series, disclosure, upcoming, since_from)
