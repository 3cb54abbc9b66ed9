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
from storage.models import Community, PromptPost

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
    return [(w.starts_at, w.starts_at + timedelta(minutes=w.duration_min))
            for w in await wq.series(session, community_id) if w.state == "planned"]


async def next_due(session, community: Community, now: datetime) -> datetime | None:
    """When the next scheduled prompt is due, inside posting hours and outside workshops."""
    settings = await q.settings(session, community.id)
    if settings.mode == "off" or community.closed_at is not None:
        return None
    tz, hours = ZoneInfo(community.timezone), hours_of(settings)
    handled = [p.due_at for p in await q.posts(session, community.id, ("posted", "skipped", "sending"))
               if p.source == "schedule" and p.due_at]
    after = max([now, *handled])
    busy = await _busy(session, community.id)
    if settings.mode == "every":
        at = time.fromisoformat(settings.at_time) if settings.at_time else None
        found = cadence_times(Cadence(settings.every_days, at), date.fromisoformat(settings.anchor), tz, after,
                              hours=hours)
    else:
        found = [t for t in default_times([start for start, _ in busy], tz, hours) if t > after]
    return next_allowed(found[0], tz, hours, busy) if found else None


async def replan(services: "Services", community_id: int) -> None:
    """Keep exactly one pending scheduled prompt, at the right time (none if prompts are off)."""
    now = services.clock.now()
    async with services.db() as session:
        community = await session.get(Community, community_id)
        due = await next_due(session, community, now)
        keep = None
        for row in await q.posts(session, community_id, ("pending",)):
            # One already due is kept for fire() to judge: sent late, or skipped and reported.
            overdue = row.due_at <= now and due is not None
            if row.source == "schedule" and keep is None and (overdue or row.due_at == due):
                keep = row
                continue
            row.state = "cancelled"
            session.add(row)
            services.scheduler.cancel(PROVIDER, f"p{row.id}")
        if keep is None and due is not None:
            keep = PromptPost(community_id=community_id, source="schedule", state="pending", due_at=due,
                              txn=secrets.token_hex(12))
            session.add(keep)
        await session.commit()
    if keep is not None:
        services.scheduler.at(PROVIDER, f"p{keep.id}", keep.due_at)


class PromptJobs:
    def __init__(self, services: "Services"):
        self.s = services

    async def pending(self) -> list:
        """Every pending or interrupted prompt; communities that lost their next one get it back."""
        async with self.s.db() as session:
            open_ids = (await session.exec(select(Community.id).where(Community.closed_at.is_(None)))).all()
        for community_id in open_ids:
            try:  # one community's problem must not keep the others' prompts from starting
                await replan(self.s, community_id)
            except Exception as exc:
                log.error("prompt.replan_failed", exc_info=exc, **fields(community=community_id))
        async with self.s.db() as session:
            rows = await q.in_state(session, ("pending", "sending"))
        return [(f"p{r.id}", r.due_at or self.s.clock.now()) for r in rows]

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
            prefix=self.s.config.bot.command_prefix), mentions={"user_ids": people}, txn=f"{txn}.missed")
        log.warning("prompt.missed", **fields(community=community.id))
