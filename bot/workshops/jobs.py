"""Sending reminders when due, and reporting the ones the bot missed.

Keys: `r<action id>` is one reminder, `m<community id>` is the one message
that tells a community's facilitators what was missed (missed -> reporting
-> skipped). A reminder goes
through pending -> sending -> sent; `sending` survives a crash and is sent
again with the same transaction id, which the homeserver deduplicates.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from bot.keys import Keyring
from bot.logs import fields
from bot.roles import facilitators
from bot.sender import PERMANENT, SendError
from bot.text import Text
from bot.workshops import texts
from bot.workshops.rules import rules as workshop_rules
from bot.workshops.series import PROVIDER, remember_post
from domain.workshops import missed
from storage import workshops as q
from storage.models import Community, WorkshopAction

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
REPORT_AFTER = timedelta(seconds=3)  # missed reminders found together are reported together
EARLY = timedelta(seconds=1)  # a run before the due time (beyond this) only puts the action back on the clock


def post_key(keyring: Keyring, event_id: str) -> str:
    return keyring.key("workshop-post", event_id)


def mention_shortfall(services: "Services", room_id: str) -> tuple[int, int] | None:
    """(the bot's power level, the level `@room` needs) when the bot's is too low, else None.
    Below `notifications.room` the homeserver's @room push rule ignores the bot: nobody is pinged."""
    room = services.rooms(room_id)
    if room is None:
        return None
    level, needed = room.power_level(services.user_id), room.room_mention_level()
    return (level, needed) if level < needed else None


class WorkshopJobs:
    def __init__(self, services: "Services"):
        self.s = services

    async def pending(self) -> list:
        now = self.s.clock.now()
        async with self.s.db() as session:
            rows = await q.actions_in_state(session, ("pending", "sending", "missed", "reporting"))
        due = [(f"r{i}", at) for i, state, at, _ in rows if state in ("pending", "sending")]
        communities = {c for _, state, _, c in rows if state in ("missed", "reporting")}
        return due + [(f"m{c}", now) for c in sorted(communities)]

    async def fire(self, key: str) -> None:
        if key.startswith("r"):
            await self._remind(int(key[1:]))
        elif key.startswith("m"):
            await self._report_missed(int(key[1:]))

    async def _remind(self, action_id: int) -> None:
        now = self.s.clock.now()
        async with self.s.db() as session:
            found = await q.action_in_context(session, action_id)
            if found is None or found[0].state not in ("pending", "sending"):
                return
            action, workshop, community, settings_row = found
            if action.state == "pending" and action.due_at > now + EARLY:  # a stray early run
                self.s.scheduler.at(PROVIDER, f"r{action_id}", action.due_at)
                return
            rules = workshop_rules(settings_row, self.s.config.workshops)
            if workshop.state != "planned" or community.closed_at is not None:
                action.state, action.done_at = "cancelled", now
                session.add(action)
                await session.commit()
                return
            verdict = "on_time" if action.state == "sending" else missed(action.due_at, now, rules.grace)
            if now >= workshop.starts_at and action.state == "pending":
                verdict = "skip"  # a reminder after the start helps nobody; the facilitators hear of it
            if verdict == "skip":
                action.state = "missed"
                session.add(action)
                await session.commit()
                self.s.scheduler.at(PROVIDER, f"m{community.id}", now + REPORT_AFTER)
                log.warning("workshop.reminder_missed", **fields(community=community.id))
                return
            action.state, action.delayed = "sending", action.delayed or verdict == "late"
            session.add(action)
            await session.commit()
            last = action.offset_s == int(min(rules.offsets).total_seconds()) if rules.offsets else True
        t = partial(self.s.catalogue.render, community.language)
        text = texts.reminder(t, workshop, community, workshop.starts_at - action.due_at, late=action.delayed,
                              prefix=self.s.config.bot.command_prefix)
        mentions = None
        if last and rules.mention_room:
            mentions = {"room": True}
            text = Text.escaped("@room") + text  # clients without m.mentions look for the word
        try:
            event_ids = await self.s.sender.send(community.room_id, text, msgtype="m.text",
                                                 mentions=mentions, txn=action.txn)
        except SendError as exc:
            if exc.status not in PERMANENT:
                raise  # retried by the scheduler with backoff
            await self._finish(action_id, "failed", None, action.workshop_id)
            log.error("workshop.reminder_failed", **fields(community=community.id, reason=exc.status))
            return
        await self._finish(action_id, "sent", event_ids[0], action.workshop_id)
        log.info("workshop.reminder_sent", **fields(community=community.id, late=action.delayed))
        if mentions:
            await self._tell_mention_failed(community, workshop.number, action.txn)

    async def _tell_mention_failed(self, community: Community, number: int, txn: str) -> None:
        """The facilitators hear, once per reminder (its own transaction id), that @room pinged nobody."""
        short = mention_shortfall(self.s, community.room_id)
        if short is None:
            return
        t = partial(self.s.catalogue.render, community.language)
        people = await facilitators(self.s, community)
        text = t("workshop.mention_failed", number=number, facilitators=", ".join(people) or "-") + \
            texts.mention_power(t, *short)
        await self.s.sender.send(community.room_id, text, msgtype="m.text", mentions={"user_ids": people},
                                 txn=f"{txn}.power")
        log.warning("workshop.mention_power_low", **fields(community=community.id))

    async def _finish(self, action_id: int, state: str, event_id: str | None, workshop_id: int) -> None:
        async with self.s.db() as session:
            await q.finish_action(session, action_id, state, event_id, self.s.clock.now())
            if event_id:
                await remember_post(session, post_key(self.s.keyring, event_id), workshop_id)
            await session.commit()

    async def _report_missed(self, community_id: int) -> None:
        """One message listing the missed reminders. The set is fixed (missed -> reporting) before
        it is sent, so a report interrupted by a crash is sent again with the same set and the same
        transaction id; reminders missed meanwhile get a report of their own."""
        async with self.s.db() as session:
            community = await session.get(Community, community_id)
            found = await q.missed_in(session, community_id, "reporting")
            if not found:
                found = await q.missed_in(session, community_id)
                for action, _ in found:
                    action.state = "reporting"
                    session.add(action)
                await session.commit()
        if not found or community is None:
            return
        t = partial(self.s.catalogue.render, community.language)
        items = [t("workshop.missed_item", number=w.number, span=texts.span(t, timedelta(seconds=a.offset_s)),
                   due=texts.when(t, a.due_at, community.timezone)) for a, w in found]
        people = await facilitators(self.s, community)
        text = t("workshop.missed", count=len(found), facilitators=", ".join(people) or "-") + Text.join(items)
        ids = sorted(a.id for a, _ in found)
        # The same set of missed reminders always gets the same transaction id: reported once.
        await self.s.sender.send(community.room_id, text, msgtype="m.text", mentions={"user_ids": people},
                                 txn=f"missed.{community_id}.{ids[0]}.{ids[-1]}.{len(ids)}")
        async with self.s.db() as session:
            for action_id in ids:
                action = await session.get(WorkshopAction, action_id)
                action.state, action.done_at = "skipped", self.s.clock.now()
                session.add(action)
            await session.commit()
            more = await q.missed_in(session, community_id)
        if more:  # missed while this report was on its way
            self.s.scheduler.at(PROVIDER, f"m{community_id}", self.s.clock.now())
