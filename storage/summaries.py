"""Aggregates for coordinator summaries, computed in SQL (counts and sums, never rows).

One statement per measure covers every period of a summary at once: a CASE expression
puts each row's time into its period's bucket and the database groups by it. Where a
column holds a comma-separated list (answers, tags, categories) the grouping is done in
SQL too, and only the distinct combinations come back to be split; the check-in answers
are counted per item and scale point by SUMs in one pass. So neither the number of
statements nor the size of what comes back grows with the data.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import case
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.checkins import ITEMS
from domain.report import Period, StageStep
from storage import workshops as wq
from storage.models import (Checkin, CheckinInvite, CheckinRound, Consultation, ConsultationFollowup,
                            ImpactReport, PromptPost, StageChange)


def _split(groups) -> dict[str, int]:
    out: Counter[str] = Counter()
    for joined, n in groups:
        for name in (joined or "").split(","):
            if name:
                out[name] += n
    return dict(out)


class Buckets:
    """Which period a time falls in, as SQL: periods are [start, end) and may not overlap."""

    def __init__(self, periods: list[Period]):
        self.periods = periods
        self.start, self.end = min(p.start for p in periods), max(p.end for p in periods)

    def of(self, column):
        # Back-to-back periods in order (the usual case) need one comparison per period.
        ordered = all(a.end == b.start for a, b in zip(self.periods, self.periods[1:]))
        if ordered:
            return case(*[(column < p.end, i) for i, p in enumerate(self.periods)], else_=None)
        return case(*[((column >= p.start) & (column < p.end), i) for i, p in enumerate(self.periods)],
                    else_=None)

    def within(self, column):
        return (column >= self.start) & (column < self.end)

    def grouped(self, rows) -> dict[int, list[tuple]]:
        """{period index: [(key, count), …]} from (bucket, key, count) rows."""
        out: dict[int, list[tuple]] = {}
        for bucket, key, n in rows:
            if bucket is not None:
                out.setdefault(bucket, []).append((key, n))
        return out


async def fill_all(session: AsyncSession, community_id: int, periods: list[Period]) -> None:
    """Count what happened in each period (from its start, up to but excluding its end)."""
    if not periods:
        return
    cid, b = community_id, Buckets(periods)

    async def per_bucket(bucket, *values, where, join=None):
        query = select(bucket, *values)
        if join is not None:
            query = query.select_from(join[0]).join(*join[1:])
        return (await session.exec(query.where(*where).group_by(bucket))).all()

    posted = b.of(PromptPost.posted_at)
    for i, n, replies, repliers in await per_bucket(
            posted, func.count(), func.coalesce(func.sum(PromptPost.replies), 0),
            func.coalesce(func.sum(PromptPost.repliers), 0),
            where=(PromptPost.community_id == cid, PromptPost.state == "posted", b.within(PromptPost.posted_at))):
        if i is not None:
            periods[i].prompts, periods[i].replies, periods[i].repliers = int(n), int(replies), int(repliers)

    opened = b.of(Consultation.posted_at)
    for i, n in await per_bucket(opened, func.count(), where=(Consultation.community_id == cid,
                                                             b.within(Consultation.posted_at))):
        if i is not None:
            periods[i].opened = n
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
    for i, groups in b.grouped((await session.exec(
            select(opened, Consultation.categories, func.count())
            .where(Consultation.community_id == cid, b.within(Consultation.posted_at))
            .group_by(opened, Consultation.categories))).all()).items():
        periods[i].categories = _split(groups)

    invited = b.of(CheckinRound.invited_at)
    for i, n in await per_bucket(invited, func.count(), join=(CheckinInvite, CheckinRound, CheckinRound.id == CheckinInvite.round_id),
                                 where=(CheckinRound.community_id == cid, b.within(CheckinRound.invited_at))):
        if i is not None:
            periods[i].invited = n

    made = b.of(Checkin.created_at)
    mine = (Checkin.community_id == cid, b.within(Checkin.created_at))
    # One pass: for every item and scale point, a SUM over the period's rows (answers are one
    # character each, "4,3,n,2,1"), so 26 numbers per period come back, whatever the row count.
    points = (4, 3, 2, 1, None)
    sums = [func.sum(case((func.substr(Checkin.answers, 1 + 2 * i, 1) == ("n" if v is None else str(v)), 1),
                          else_=0)) for i in range(len(ITEMS)) for v in points]
    for i, n, *values in await per_bucket(made, func.count(), *sums, where=mine):
        if i is None:
            continue
        periods[i].checkins = n
        it = iter(values)
        periods[i].items = {item: {v: int(next(it) or 0) for v in points} for item in ITEMS}
    tags = {i: Counter(_split(g)) for i, g in b.grouped((await session.exec(
        select(made, Checkin.tags, func.count()).where(*mine).group_by(made, Checkin.tags))).all()).items()}
    reported = b.of(ImpactReport.created_at)
    reports = b.grouped((await session.exec(
        select(reported, ImpactReport.tags, func.count())
        .where(ImpactReport.community_id == cid, b.within(ImpactReport.created_at))
        .group_by(reported, ImpactReport.tags))).all())
    for i, groups in reports.items():
        tags.setdefault(i, Counter()).update(_split(groups))
        periods[i].stories += sum(n for _, n in groups)
    for i, counter in tags.items():
        periods[i].tags = dict(counter)
    for i, n in await per_bucket(made, func.count(), where=(*mine, Checkin.text.is_not(None))):
        if i is not None:
            periods[i].stories += n

    changes = (await session.exec(select(StageChange).where(StageChange.community_id == cid,
                                                            StageChange.at < b.end)
                                  .order_by(StageChange.at, StageChange.id))).all()
    for p in periods:
        _stage(changes, p)
    await _workshops(session, cid, periods)


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


SUMMED = ("prompts", "replies", "repliers", "opened", "followed_up", "closed", "invited", "checkins", "stories")


def add_up(columns: list[Period], total: Period) -> Period:
    """The total of periods that do not overlap: their counts added."""
    for name in SUMMED:
        setattr(total, name, sum(getattr(p, name) for p in columns))
    total.categories = dict(sum((Counter(p.categories) for p in columns), Counter()))
    total.tags = dict(sum((Counter(p.tags) for p in columns), Counter()))
    total.items = {item: dict(sum((Counter(p.items.get(item, {})) for p in columns), Counter())) for item in ITEMS}
    total.rsvp = {k: sum(p.rsvp[k] for p in columns) for k in ("yes", "maybe", "no")}
    total.attended = sum(p.attended for p in columns)
    return total


async def fill_whole(session: AsyncSession, community_id: int, total: Period) -> None:
    """What does not add up across periods: the stage history and the newest quotable stories."""
    changes = (await session.exec(select(StageChange).where(StageChange.community_id == community_id,
                                                            StageChange.at < total.end)
                                  .order_by(StageChange.at, StageChange.id))).all()
    _stage(changes, total)
    total.quotable = list((await session.exec(select(Checkin.text).where(
        Checkin.community_id == community_id, Checkin.created_at >= total.start, Checkin.created_at < total.end,
        Checkin.consent.is_(True), Checkin.text.is_not(None)).order_by(Checkin.created_at.desc()).limit(3))).all())


async def periods(session: AsyncSession, community_id: int, created: datetime, now: datetime) -> list[Period]:
    """One period per workshop held or planned so far, each from the previous workshop up to this
    one (or up to now when it is still ahead), then the time since the last workshop."""
    series = [w for w in await wq.series(session, community_id) if w.state == "planned"]
    out, start = [], created
    for w in series:
        end = min(w.starts_at, now)
        out.append(Period(label=f"W{w.number}", start=start, end=end, workshop=w.number))
        start = end
        if w.starts_at > now:
            break
    else:
        if start < now:
            out.append(Period(label="+", start=start, end=now))
    return out
