"""Aggregates for coordinator summaries, computed in SQL (counts and sums, never rows).

One statement per measure covers every period of a summary at once. Plain counts and sums
put each row's time into its period's bucket with a CASE and group by it. Where a column
holds a comma-separated list (answers, tags, categories) the rows are grouped by that value
alone, with one FILTERed count per period, so each distinct value is one row whatever the
number of periods. Tags and categories come back so (a few thousand values at most) and are
split here; the answer strings are split in the same statement, per item, so the 25 item
and scale-point counts cost a pass over the distinct strings, not 25 expressions per check-in.
So neither the number of statements nor the size of what comes back grows with the data.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import case, literal_column, or_, union_all
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.checkins import ITEMS
from domain.sectors import bucket
from domain.report import Period, StageStep
from storage import workshops as wq
from storage.models import (Checkin, CheckinInvite, CheckinRound, Consultation, ConsultationFollowup,
                            ConsultationReach, ImpactReport, PromptPost, StageChange, SummarySnapshot, Workshop)


async def _rows(session: AsyncSession, query) -> list:
    # Core, not the ORM: the rows are plain counts, and ORM row loading is pure overhead on thousands.
    return list((await (await session.connection()).execute(query)).all())


class Buckets:
    """Which period a time falls in, as SQL: periods are [start, end) and may not overlap."""

    def __init__(self, periods: list[Period]):
        self.periods = periods
        self.start, self.end = min(p.start for p in periods), max(p.end for p in periods)
        # Back-to-back periods in order (the usual case) need one comparison per period.
        self.ordered = all(a.end == b.start for a, b in zip(periods, periods[1:]))

    def of(self, column):
        if self.ordered:
            return case(*[(column < p.end, i) for i, p in enumerate(self.periods)], else_=None)
        return case(*[((column >= p.start) & (column < p.end), i) for i, p in enumerate(self.periods)],
                    else_=None)

    def within(self, column):
        return (column >= self.start) & (column < self.end)

    def counts(self, column) -> list:
        """One count per period of the rows whose `column` falls in it, for a query whose WHERE has
        `within(column)`: FILTER clauses (SQLite 3.30+, PostgreSQL), so grouping by a value needs no
        CASE and no row per period."""
        if self.ordered:  # rows before each end; `per_period` takes the differences
            return [func.count().filter(column < p.end) for p in self.periods[:-1]] + [func.count()]
        return [func.count().filter((column >= p.start) & (column < p.end)) for p in self.periods]

    def per_period(self, counts) -> list[int]:
        """The period counts from the columns of `counts` (or from sums of them: it is linear)."""
        counts = [int(n or 0) for n in counts]
        if self.ordered:
            return [n - before for before, n in zip([0, *counts], counts)]
        return counts

    def summed(self, rows) -> list[int]:
        """The period counts over (value, counts…) rows."""
        return self.per_period(map(sum, list(zip(*rows))[1:])) if rows else [0] * len(self.periods)

    def spread(self, rows) -> list[dict[str, int]]:
        """From (comma-separated names, counts…) rows: per period {name: rows naming it}; a name
        twice in a row counts twice, an empty one not at all. Plain loops over whole rows, the
        sums done by zip/sum: this runs over thousands of distinct values."""
        found: dict[str, list] = {}
        for row in rows:
            for name in (row[0] or "").split(","):
                if name in found:
                    found[name].append(row)
                else:
                    found[name] = [row]
        found.pop("", None)
        counts = {name: self.summed(named) for name, named in found.items()}
        return [{name: ns[i] for name, ns in counts.items() if ns[i]} for i in range(len(self.periods))]


async def fill_all(session: AsyncSession, community_id: int, periods: list[Period]) -> None:
    """Count what happened in each period (from its start, up to but excluding its end)."""
    if not periods:
        return
    cid, b = community_id, Buckets(periods)

    async def per_bucket(bucket, *values, where, join=None):
        query = select(bucket, *values)
        if join is not None:
            query = query.select_from(join[0]).join(*join[1:])
        return await _rows(session, query.where(*where).group_by(bucket))

    async def per_value(value, time, *where):
        """(value, count in each period…) rows: one per distinct value of the column."""
        return await _rows(session, select(value, *b.counts(time)).where(*where, b.within(time)).group_by(value))

    posted = b.of(PromptPost.posted_at)
    for i, n, replies, repliers in await per_bucket(
            posted, func.count(), func.coalesce(func.sum(PromptPost.replies), 0),
            func.coalesce(func.sum(PromptPost.repliers), 0),
            where=(PromptPost.community_id == cid, PromptPost.state == "posted", b.within(PromptPost.posted_at))):
        if i is not None:
            periods[i].prompts, periods[i].replies, periods[i].repliers = int(n), int(replies), int(repliers)

    # Opened and their categories from one statement: every consultation is in one categories group.
    rows = await per_value(Consultation.categories, Consultation.posted_at, Consultation.community_id == cid)
    for p, n, counts in zip(periods, b.summed(rows), b.spread(rows)):
        p.opened, p.categories = n, counts
    await _reach(session, cid, b)
    closed = b.of(Consultation.closed_at)
    for i, n in await per_bucket(closed, func.count(), where=(Consultation.community_id == cid,
                                                             Consultation.posted_at.is_not(None),
                                                             b.within(Consultation.closed_at))):
        if i is not None:
            periods[i].closed = n
    updates = b.of(ConsultationFollowup.posted_at)
    for i, n in await per_bucket(updates, func.count(func.distinct(ConsultationFollowup.consultation_id)),
                                 join=(ConsultationFollowup, Consultation,
                                       Consultation.id == ConsultationFollowup.consultation_id),
                                 where=(Consultation.community_id == cid, b.within(ConsultationFollowup.posted_at))):
        if i is not None:
            periods[i].followed_up = n

    invited = b.of(CheckinRound.invited_at)
    for i, n in await per_bucket(invited, func.count(), join=(CheckinInvite, CheckinRound, CheckinRound.id == CheckinInvite.round_id),
                                 where=(CheckinRound.community_id == cid, b.within(CheckinRound.invited_at))):
        if i is not None:
            periods[i].invited = n

    await _checkins(session, cid, b)

    changes = (await session.exec(select(StageChange).where(StageChange.community_id == cid,
                                                            StageChange.at < b.end)
                                  .order_by(StageChange.at, StageChange.id))).all()
    for p in periods:
        _stage(changes, p)
    await _workshops(session, cid, periods)


async def _reach(session: AsyncSession, cid: int, b: Buckets) -> None:
    """Sectors reached by the consultations opened in each period (issue 23): grouped by the
    number reached, whether sectors were wanted and whether one of them answered, so a handful of
    groups come back whatever the number of consultations."""
    count = func.coalesce(ConsultationReach.reached_count, 0)
    wanted = Consultation.wanted != ""
    hit = func.coalesce(ConsultationReach.answered, False)
    rows = await _rows(session, select(count, wanted, hit, *b.counts(Consultation.posted_at))
                       .select_from(Consultation)
                       .join(ConsultationReach, ConsultationReach.consultation_id == Consultation.id, isouter=True)
                       .where(Consultation.community_id == cid, b.within(Consultation.posted_at))
                       .group_by(count, wanted, hit))
    for reached, asked, answered, *counts in rows:
        for p, n in zip(b.periods, b.per_period(counts)):
            if not n:
                continue
            name = bucket(int(reached))
            p.reach[name] = p.reach.get(name, 0) + n
            p.reach_sum += int(reached) * n
            if asked:
                p.wanted += n
                p.wanted_answered += n if answered else 0


async def _checkins(session: AsyncSession, cid: int, b: Buckets) -> None:
    """Check-ins, their items, tags and stories, and the impact reports' tags and stories."""
    periods, mine = b.periods, Checkin.community_id == cid
    within, made = b.within(Checkin.created_at), b.counts(Checkin.created_at)  # shared by three statements
    # Grouped by answer string ("4,3,n,2,1": at most 5^5 of them), then those groups by each item's
    # character, in one statement: 25 rows come back, and no row is looked at 25 times (a CASE per
    # item and scale point per row took most of the summary's time).
    groups = (select(Checkin.answers, *[n.label(f"n{i}") for i, n in enumerate(made)])
              .where(mine, within).group_by(Checkin.answers).cte("answer_groups"))
    sums, per_item = [func.sum(n) for n in list(groups.c)[1:]], []
    for k in range(len(ITEMS)):
        symbol = func.substr(groups.c.answers, 1 + 2 * k, 1)  # the same object in SELECT and GROUP BY
        per_item.append(select(literal_column(str(k)), symbol, *sums).group_by(symbol))
    rows = await _rows(session, union_all(*per_item))
    answers = {(k, symbol): b.per_period(counts) for k, symbol, *counts in rows}
    checkins = b.summed([row[1:] for row in rows if row[0] == 0])  # item 0: each check-in once
    points, none = {4: "4", 3: "3", 2: "2", 1: "1", None: "n"}, [0] * len(periods)
    for i, p in enumerate(periods):
        if checkins[i]:  # a period without check-ins keeps its items empty
            p.checkins = checkins[i]
            p.items = {item: {v: answers.get((k, symbol), none)[i] for v, symbol in points.items()}
                       for k, item in enumerate(ITEMS)}

    # Check-ins without tags add nothing here; most have none, so leaving them out halves the grouping.
    tagged = b.spread(await _rows(session, select(Checkin.tags, *made).where(mine, within, Checkin.tags != "")
                                  .group_by(Checkin.tags)))
    reports = await _rows(session, select(ImpactReport.tags, *b.counts(ImpactReport.created_at)).where(
        ImpactReport.community_id == cid, b.within(ImpactReport.created_at)).group_by(ImpactReport.tags))
    for p, mentions, more, n in zip(periods, tagged, b.spread(reports), b.summed(reports)):
        p.tags = dict(Counter(mentions) + Counter(more))
        p.stories += n
    stories = (await _rows(session, select(*made).where(mine, within, Checkin.text.is_not(None))))[0]
    for p, n in zip(periods, b.per_period(stories)):
        p.stories += n


def _stage(changes: list[StageChange], period: Period) -> None:
    """The stage at the end of the period, and the changes made during it."""
    before = [c for c in changes if c.at < period.end]
    period.stage = before[-1].to_stage if before else None
    period.stage_steps = [StageStep(c.at, c.from_stage, c.to_stage) for c in before if c.at >= period.start]


async def _workshops(session: AsyncSession, community_id: int, periods: list[Period]) -> None:
    rows = {w.number: w for w in await wq.series(session, community_id)}
    wanted = [rows[p.workshop] for p in periods if p.workshop in rows]
    counts = await wq.counts(session, [w.id for w in wanted])
    for p in periods:
        row = rows.get(p.workshop)
        if row is None:
            continue
        c = counts[row.id]
        p.rsvp, p.attended = {k: c[k] for k in ("yes", "maybe", "no")}, c["here"]
        p.workshop_at, p.workshop_state = row.starts_at, row.state


FROZEN = ("prompts", "replies", "repliers", "opened", "followed_up", "closed", "invited", "checkins", "stories",
          "attended", "rsvp", "categories", "tags")
# Added later (issue 23): a snapshot frozen before them has none, and their counts were 0 then.
FROZEN_LATER = {"reach": dict, "reach_sum": int, "wanted": int, "wanted_answered": int}


def _counts_of(p: Period) -> str:
    data = {name: getattr(p, name) for name in (*FROZEN, *FROZEN_LATER)}
    data["items"] = {item: {("n" if v is None else str(v)): n for v, n in counts.items()}
                     for item, counts in p.items.items()}
    return json.dumps(data, sort_keys=True)


def _load(p: Period, text: str) -> None:
    data = json.loads(text)
    for name in FROZEN:
        setattr(p, name, data[name])
    for name, empty in FROZEN_LATER.items():
        setattr(p, name, data.get(name, empty()))
    p.items = {item: {(None if v == "n" else int(v)): n for v, n in counts.items()}
               for item, counts in data["items"].items()}


async def freeze(session: AsyncSession, community_id: int, closed: list[Period], now: datetime) -> None:
    """Closed periods keep the counts they were first released with (migration v0010): counted
    periods that have a snapshot take its counts; the others are stored as they are now."""
    if not closed:
        return

    async def stored() -> dict[int, SummarySnapshot]:
        return {r.workshop: r for r in (await session.exec(select(SummarySnapshot).where(
            SummarySnapshot.community_id == community_id))).all()}

    rows, new = await stored(), []
    for p in closed:
        row = rows.get(p.workshop)
        if row is not None and row.period_start == p.start and row.period_end == p.end:
            _load(p, row.counts)
        elif row is None:
            new.append(SummarySnapshot(community_id=community_id, workshop=p.workshop, period_start=p.start,
                                       period_end=p.end, counts=_counts_of(p), made_at=now))
        # A snapshot for other dates (the series was changed before that workshop): counted afresh.
    if not new:
        return
    session.add_all(new)
    try:
        await session.commit()
    except IntegrityError:  # another summary froze them first: use those
        await session.rollback()
        rows = await stored()
        for p in closed:
            row = rows.get(p.workshop)
            if row is not None and row.period_start == p.start and row.period_end == p.end:
                _load(p, row.counts)


SUMMED = ("prompts", "replies", "repliers", "opened", "followed_up", "closed", "invited", "checkins", "stories",
          "reach_sum", "wanted", "wanted_answered")


def add_up(columns: list[Period], total: Period) -> Period:
    """The total of periods that do not overlap: their counts added."""
    for name in SUMMED:
        setattr(total, name, sum(getattr(p, name) for p in columns))
    total.categories = dict(sum((Counter(p.categories) for p in columns), Counter()))
    total.tags = dict(sum((Counter(p.tags) for p in columns), Counter()))
    total.reach = dict(sum((Counter(p.reach) for p in columns), Counter()))
    total.items = {item: dict(sum((Counter(p.items.get(item, {})) for p in columns), Counter())) for item in ITEMS}
    total.rsvp = {k: sum(p.rsvp[k] for p in columns) for k in ("yes", "maybe", "no")}
    total.attended = sum(p.attended for p in columns)
    return total


async def fill_whole(session: AsyncSession, community_id: int, total: Period,
                     quote_from: list[Period] | None = None) -> None:
    """What does not add up across periods: the stage history and the newest quotable stories,
    these taken only from the periods in `quote_from` (all of the total's time when None)."""
    changes = (await session.exec(select(StageChange).where(StageChange.community_id == community_id,
                                                            StageChange.at < total.end)
                                  .order_by(StageChange.at, StageChange.id))).all()
    _stage(changes, total)
    ranges = [(total.start, total.end)] if quote_from is None else [(p.start, p.end) for p in quote_from]
    if not ranges:
        total.quotable = []
        return
    within = or_(*[(Checkin.created_at >= a) & (Checkin.created_at < b) for a, b in ranges])
    total.quotable = list((await session.exec(select(Checkin.text).where(
        Checkin.community_id == community_id, within,
        Checkin.consent.is_(True), Checkin.text.is_not(None)).order_by(Checkin.created_at.desc()).limit(3))).all())


async def periods(session: AsyncSession, community_id: int, created: datetime,
                  now: datetime) -> tuple[list[Period], Workshop | None]:
    """The closed periods (issue 21 §3): one per workshop that is over, each from the previous
    workshop up to this one; and the next workshop, whose period is still open (None when no
    workshop is ahead). The time after the last workshop that is over is never a column: its
    counts still change, and a column before and after one more check-in would tell that one."""
    series = [w for w in await wq.series(session, community_id) if w.state == "planned"]
    out, start = [], created
    for w in series:
        if not is_over(w, now):
            return out, w
        out.append(Period(label=f"W{w.number}", start=start, end=w.starts_at, workshop=w.number))
        start = w.starts_at
    return out, None


def is_over(workshop: Workshop, now: datetime) -> bool:
    """A workshop's period is closed once the workshop is over: its RSVPs are closed then too."""
    return now > workshop.starts_at + timedelta(minutes=workshop.duration_min)
