"""Aggregates for coordinator summaries, computed in SQL (counts and sums, never rows).

Every query filters one community and one time window and returns counts; where a
column holds a comma-separated list (tags, categories) the grouping happens in SQL and
only the distinct combinations, not the rows, come back to be split.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

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


async def fill(session: AsyncSession, community_id: int, period: Period) -> Period:
    """Count what happened in `period` (from its start, up to but excluding its end)."""
    cid, start, end = community_id, period.start, period.end

    def within(column):
        return (column >= start) & (column < end)

    steps = (await session.exec(select(StageChange).where(StageChange.community_id == cid, StageChange.at < end)
                                .order_by(StageChange.at, StageChange.id))).all()
    period.stage = steps[-1].to_stage if steps else None
    period.stage_steps = [StageStep(s.at, s.from_stage, s.to_stage) for s in steps if s.at >= start]

    prompts = (await session.exec(select(func.count(), func.coalesce(func.sum(PromptPost.replies), 0),
                                         func.coalesce(func.sum(PromptPost.repliers), 0))
                                  .where(PromptPost.community_id == cid, PromptPost.state == "posted",
                                         within(PromptPost.posted_at)))).one()
    period.prompts, period.replies, period.repliers = (int(v) for v in prompts)

    period.opened = (await session.exec(select(func.count()).select_from(Consultation).where(
        Consultation.community_id == cid, within(Consultation.posted_at)))).one()
    period.closed = (await session.exec(select(func.count()).select_from(Consultation).where(
        Consultation.community_id == cid, Consultation.posted_at.is_not(None), within(Consultation.closed_at)))).one()
    period.followed_up = (await session.exec(
        select(func.count(func.distinct(ConsultationFollowup.consultation_id)))
        .join(Consultation, Consultation.id == ConsultationFollowup.consultation_id)
        .where(Consultation.community_id == cid, within(ConsultationFollowup.posted_at)))).one()
    period.categories = _split((await session.exec(
        select(Consultation.categories, func.count()).where(Consultation.community_id == cid,
                                                            within(Consultation.posted_at))
        .group_by(Consultation.categories))).all())

    period.invited = (await session.exec(
        select(func.count()).select_from(CheckinInvite).join(CheckinRound, CheckinRound.id == CheckinInvite.round_id)
        .where(CheckinRound.community_id == cid, within(CheckinRound.invited_at)))).one()
    in_window = (Checkin.community_id == cid) & within(Checkin.created_at)
    period.checkins = (await session.exec(select(func.count()).select_from(Checkin).where(in_window))).one()
    for i, item in enumerate(ITEMS):
        value = func.substr(Checkin.answers, 1 + 2 * i, 1)  # answers are one character each: 4,3,2,1,n
        groups = (await session.exec(select(value, func.count()).where(in_window).group_by(value))).all()
        period.items[item] = {None if v == "n" else int(v): n for v, n in groups if v}
    reports_in_window = (ImpactReport.community_id == cid) & within(ImpactReport.created_at)
    tags = Counter(_split((await session.exec(select(Checkin.tags, func.count()).where(in_window)
                                              .group_by(Checkin.tags))).all()))
    tags.update(_split((await session.exec(select(ImpactReport.tags, func.count()).where(reports_in_window)
                                           .group_by(ImpactReport.tags))).all()))
    period.tags = dict(tags)
    period.stories = (await session.exec(select(func.count()).select_from(Checkin).where(
        in_window, Checkin.text.is_not(None)))).one() + (await session.exec(
            select(func.count()).select_from(ImpactReport).where(reports_in_window))).one()
    period.quotable = list((await session.exec(select(Checkin.text).where(
        in_window, Checkin.consent.is_(True), Checkin.text.is_not(None))
        .order_by(Checkin.created_at.desc()).limit(3))).all())

    if period.workshop is not None:
        row = await wq.by_number(session, cid, period.workshop)
        counts = (await wq.counts(session, [row.id]))[row.id]
        period.rsvp = {k: counts[k] for k in ("yes", "maybe", "no")}
        period.attended = counts["here"]
        period.workshop_at, period.workshop_state = row.starts_at, row.state
    return period


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
