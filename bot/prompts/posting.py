"""Posting prompts now or on schedule, and counting the replies in their threads.

One scheduled post at a time per community: a `pending` row with its due
time. When it fires (or is found late at start-up) it is posted, moved into
posting hours, or skipped past the grace period with a word to the
facilitators; then the next one is planned. Rows go pending -> sending ->
posted, and `sending` is sent again with the same transaction id after a
crash, so a prompt is never posted twice.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.keys import member_key
from bot.logs import fields
from bot.prompts.library import all_prompts, history, hours_of
from bot.roles import facilitators
from bot.workshops import texts
from bot.workshops.rules import load_rules
from domain.prompts import Cadence, Prompt, cadence_times, choose, default_times, next_allowed
from storage import prompts as q
from storage import workshops as wq
from storage.models import Community, PromptPost, PromptSettings, Workshop

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
PROVIDER = "prompt"
EARLY = timedelta(seconds=1)  # a run before the due time (beyond this) only puts the row back on the clock


def post_key(services: "Services", event_id: str) -> str:
    return services.keyring.key("prompt-post", event_id)


def prompt_text(services: "Services", community: Community, prompt: Prompt):
    t = partial(services.catalogue.render, community.language)
    return t("prompt.post", id=prompt.id, stage=texts.stage(t, prompt.stage), text=prompt.text(community.language))


async def post(services: "Services", community: Community, prompt: Prompt, source: str,
               row_id: int | None = None) -> PromptPost:
    """Post `prompt` in the community room as m.text, inviting answers in its thread."""
    async with services.db() as session:
        row = await session.get(PromptPost, row_id) if row_id else None
        if row is None:
            row = PromptPost(community_id=community.id, source=source, state="pending", txn=secrets.token_hex(12))
        row.prompt_id, row.stage, row.tags, row.state = prompt.id, prompt.stage, ",".join(prompt.tags), "sending"
        session.add(row)
        await session.commit()
        row_id = row.id
        txn = row.txn
    event_ids = await services.sender.send(community.room_id, prompt_text(services, community, prompt),
                                           msgtype="m.text", txn=txn)
    async with services.db() as session:
        row = await session.get(PromptPost, row_id)
        row.state, row.posted_at = "posted", services.clock.now()
        row.event_key = post_key(services, event_ids[0])
        session.add(row)
        await session.commit()
    log.info("prompt.posted", **fields(community=community.id, source=source))
    return row


async def count_reply(services: "Services", community: Community, root: str, sender: str, at: datetime) -> bool:
    """A message in a prompt's thread adds to its counts; its text is never kept."""
    async with services.db() as session:
        row = await q.by_event_key(session, post_key(services, root))
        if row is None or row.community_id != community.id:
            return False
        await q.add_reply(session, row.id, member_key(services.keyring, community.id, sender), at)
    return True


async def _busy(session, community_id: int) -> list[tuple[datetime, datetime]]:
    return _busy_of(await wq.series(session, community_id))


def _busy_of(series: list[Workshop]) -> list[tuple[datetime, datetime]]:
    return [(w.starts_at, w.starts_at + timedelta(minutes=w.duration_min)) for w in series if w.state == "planned"]


@dataclass
class _Facts:
    """What planning needs to know of one community, read in bulk for many at once."""
    community: Community
    settings: PromptSettings
    handled: list[datetime] = field(default_factory=list)  # due times of scheduled posts already handled
    series: list[Workshop] = field(default_factory=list)
    pending: list[PromptPost] = field(default_factory=list)


async def _facts(session, communities: list[Community]) -> list[_Facts]:
    """Four queries, however many communities: start-up plans them all at once."""
    ids = [c.id for c in communities]
    settings = await q.settings_of(session, ids)
    series = await wq.series_of(session, ids)
    facts = {c.id: _Facts(c, settings[c.id], series=series[c.id]) for c in communities}
    for community_id, due in (await session.exec(select(PromptPost.community_id, PromptPost.due_at).where(
            PromptPost.community_id.in_(ids), PromptPost.source == "schedule", PromptPost.due_at.is_not(None),
            PromptPost.state.in_(("posted", "skipped", "sending"))))).all():
        facts[community_id].handled.append(due)
    for row in (await session.exec(select(PromptPost).where(PromptPost.community_id.in_(ids),
                                                            PromptPost.state == "pending").order_by(PromptPost.id))).all():
        facts[row.community_id].pending.append(row)
    return list(facts.values())


def _next_due(f: _Facts, now: datetime) -> datetime | None:
    settings, community = f.settings, f.community
    if settings.mode == "off" or community.closed_at is not None:
        return None
    tz, hours = ZoneInfo(community.timezone), hours_of(settings)
    after = max([now, *f.handled])
    busy = _busy_of(f.series)
    if settings.mode == "every":
        at = time.fromisoformat(settings.at_time) if settings.at_time else None
        found = cadence_times(Cadence(settings.every_days, at), date.fromisoformat(settings.anchor), tz, after,
                              hours=hours)
    else:
        found = [t for t in default_times([start for start, _ in busy], tz, hours) if t > after]
    return next_allowed(found[0], tz, hours, busy) if found else None


async def next_due(session, community: Community, now: datetime) -> datetime | None:
    """When the next scheduled prompt is due, inside posting hours and outside workshops."""
    return _next_due((await _facts(session, [community]))[0], now)


async def replan(services: "Services", community_id: int) -> None:
    """Keep exactly one pending scheduled prompt, at the right time (none if prompts are off)."""
    await replan_many(services, [community_id])


async def replan_many(services: "Services", community_ids: list[int], *, schedule: bool = True) -> None:
    """`replan` for many communities, in one transaction. `schedule=False` (start-up, whose
    `pending()` lists every pending row next) leaves putting the kept rows on the clock to the caller."""
    now = services.clock.now()
    cancelled: list[int] = []
    kept: list[PromptPost] = []
    async with services.db() as session:
        found = (await session.exec(select(Community).where(Community.id.in_(community_ids)))).all()
        for f in await _facts(session, list(found)):
            try:  # one community's problem must not keep the others' prompts from starting
                due = _next_due(f, now)
            except Exception as exc:
                log.error("prompt.replan_failed", exc_info=exc, **fields(community=f.community.id))
                continue
            keep = None
            for row in f.pending:
                # One already due is kept for fire() to judge: sent late, or skipped and reported.
                overdue = row.due_at <= now and due is not None
                if row.source == "schedule" and keep is None and (overdue or row.due_at == due):
                    keep = row
                    continue
                row.state = "cancelled"
                session.add(row)
                cancelled.append(row.id)
            if keep is None and due is not None:
                keep = PromptPost(community_id=f.community.id, source="schedule", state="pending", due_at=due,
                                  txn=secrets.token_hex(12))
                session.add(keep)
            if keep is not None:
                kept.append(keep)
        await session.commit()
        planned = [(row.id, row.due_at) for row in kept]
    for row_id in cancelled:
        services.scheduler.cancel(PROVIDER, f"p{row_id}")
    if schedule:
        for row_id, due in planned:
            services.scheduler.at(PROVIDER, f"p{row_id}", due)


class PromptJobs:
    def __init__(self, services: "Services"):
        self.s = services

    async def plan(self) -> None:
        """At start: communities that lost their next prompt get it back, moved ones are moved."""
        async with self.s.db() as session:
            open_ids = list((await session.exec(select(Community.id).where(Community.closed_at.is_(None)))).all())
        await replan_many(self.s, open_ids, schedule=False)

    async def pending(self) -> list:
        """Every pending or interrupted prompt."""
        async with self.s.db() as session:
            rows = (await session.exec(select(PromptPost.id, PromptPost.due_at).where(
                PromptPost.state.in_(("pending", "sending"))))).all()
        return [(f"p{i}", due or self.s.clock.now()) for i, due in rows]

    async def fire(self, key: str) -> None:
        community_id = await self._fire(key)
        if community_id is not None:
            await replan(self.s, community_id)

    async def _fire(self, key: str) -> int | None:
        """Handle one due row; return its community when the next prompt must be planned."""
        now = self.s.clock.now()
        async with self.s.db() as session:
            row = await session.get(PromptPost, int(key[1:]))
            if row is None or row.state not in ("pending", "sending"):
                return None
            if row.state == "pending" and row.due_at and row.due_at > now + EARLY:  # a stray early run
                self.s.scheduler.at(PROVIDER, key, row.due_at)
                return None
            community = await session.get(Community, row.community_id)
            if community.closed_at is not None:
                row.state = "cancelled"
                session.add(row)
                await session.commit()
                return None
            if row.state == "sending":  # interrupted mid-send: finish it, same transaction id
                prompt = next((p for p in await all_prompts(session, self.s.library, community.id)
                               if p.id == row.prompt_id), None)
                if prompt is None:  # a custom prompt removed meanwhile
                    row.state = "failed"
                    session.add(row)
                    await session.commit()
                    log.error("prompt.gone_before_posting", **fields(community=community.id))
                else:
                    await post(self.s, community, prompt, row.source, row.id)
                return community.id
            grace = (await load_rules(session, community.id, self.s.config.workshops)).grace
            settings = await q.settings(session, community.id)
            allowed = next_allowed(now, ZoneInfo(community.timezone), hours_of(settings),
                                   await _busy(session, community.id))
            if now - row.due_at > grace:
                await self._tell_missed(community, row.due_at, row.txn)  # first: a failed notice is retried
                row.state = "skipped"
                session.add(row)
                await session.commit()
            elif allowed > now + timedelta(seconds=1):  # outside hours now, or a workshop is on
                row.due_at = allowed
                session.add(row)
                await session.commit()
                self.s.scheduler.at(PROVIDER, key, allowed)
                return None
            else:
                prompts = [p for p in await all_prompts(session, self.s.library, community.id)
                           if p.stage == community.stage]
                chosen = choose(prompts, await history(session, community.id))
                if chosen is None:
                    row.state = "skipped"
                    session.add(row)
                    await session.commit()
                    log.warning("prompt.none_for_stage", **fields(community=community.id))
                else:
                    await post(self.s, community, chosen, "schedule", row.id)
        return community.id

    async def _tell_missed(self, community: Community, due: datetime, txn: str) -> None:
        t = partial(self.s.catalogue.render, community.language)
        people = await facilitators(self.s, community)
        await self.s.sender.send(community.room_id, t(
            "prompt.missed", due=texts.when(t, due, community.timezone), facilitators=", ".join(people) or "-",
            prefix=self.s.config.bot.command_prefix), msgtype="m.text", mentions={"user_ids": people}, txn=f"{txn}.missed")
        log.warning("prompt.missed", **fields(community=community.id))
