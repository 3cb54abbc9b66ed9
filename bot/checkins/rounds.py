"""Inviting members to a check-in after each workshop, and reminding them once.

A round per workshop: pending -> inviting -> invited -> reminding -> done.
Each member's invitation is a row (pending -> sent -> reminded) with its own
transaction ids, so a crash mid-round sends nobody a second copy, and the
rows are created before anything is sent, so nobody is forgotten either.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.checkins import texts as ctexts
from bot.checkins.records import for_period, opted_out
from bot.keys import impact_key
from bot.logs import fields
from bot.membership import community_rooms, members_of
from bot.prompts.library import hours_of
from domain.prompts import PostingHours
from domain.checkins import invitation_due, period_of, send_time, start
from domain.workshops import parse_offsets
from storage import prompts as pq
from storage import workshops as wq
from storage.models import CheckinInvite, CheckinRound, CheckinSettings, Community, Workshop

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
PROVIDER = "checkin"
EARLY = timedelta(seconds=1)  # a run before the due time (beyond this) only puts the round back on the clock


def offset(text: str) -> timedelta:
    return parse_offsets([text], allow_seconds=True)[0]


def later(at: datetime, delta: timedelta, tz: ZoneInfo) -> datetime:
    """Whole days keep the wall-clock time across DST; shorter delays (tests, demos) are exact."""
    if delta % timedelta(days=1) == timedelta(0):
        return invitation_due(at, delta.days, tz)
    return at + delta


class CheckinJobs:
    def __init__(self, services: "Services"):
        self.s = services

    async def _timing(self, session, community: Community):
        series = await wq.series(session, community.id)
        return self._timing_of(community, series, hours_of(await pq.settings(session, community.id)))

    @staticmethod
    def _timing_of(community: Community, series: list[Workshop], hours: PostingHours):
        """Timezone, posting hours, planned workshops and busy times. Unlike prompts, invitations
        may arrive during a workshop: a DM does not interrupt the room."""
        return ZoneInfo(community.timezone), hours, [w for w in series if w.state == "planned"], ()

    async def sync(self, community_id: int) -> None:
        """One round per planned workshop, due after it; cancelled workshops lose theirs."""
        await self.sync_many([community_id])

    async def sync_many(self, community_ids: list[int], *, schedule: bool = True) -> None:
        """`sync` for many communities, read with a few queries and written in one transaction.
        `schedule=False` (start-up, whose `pending()` lists every round next) leaves putting new
        due times on the clock to the caller; cancelled rounds come off it either way."""
        changes: list[tuple[CheckinRound, datetime | None]] = []
        async with self.s.db() as session:
            communities = (await session.exec(select(Community).where(Community.id.in_(community_ids)))).all()
            series = await wq.series_of(session, community_ids)
            hours = {c: hours_of(row) for c, row in (await pq.settings_of(session, community_ids)).items()}
            afters = {row.community_id: row.invite_after_s for row in (await session.exec(
                select(CheckinSettings).where(CheckinSettings.community_id.in_(community_ids)))).all()}
            rounds: dict[int, dict[int, CheckinRound]] = {c.id: {} for c in communities}
            for r in (await session.exec(select(CheckinRound).where(
                    CheckinRound.community_id.in_(community_ids)))).all():
                rounds[r.community_id][r.workshop_id] = r
            for community in communities:
                try:  # one community's problem must not keep the others' rounds from starting
                    after = self._invite_after_of(afters.get(community.id))
                    found = self._plan(community, series[community.id], rounds[community.id],
                                       hours[community.id], after)
                except Exception as exc:
                    log.error("checkin.sync_failed", exc_info=exc, **fields(community=community.id))
                    continue
                for row, due in found:
                    session.add(row)
                    changes.append((row, due))
            await session.flush()  # new rounds get their ids
            keys = [(f"k{row.id}", due) for row, due in changes]
            await session.commit()
        for key, due in keys:
            if due is None:
                self.s.scheduler.cancel(PROVIDER, key)
            elif schedule:
                self.s.scheduler.at(PROVIDER, key, due)

    def _invite_after_of(self, seconds: int | None) -> timedelta:
        """[checkins].invite_after, unless the community set its own."""
        return timedelta(seconds=seconds) if seconds else offset(self.s.config.checkins.invite_after)

    @staticmethod
    def _plan(community: Community, series: list[Workshop], rounds: dict[int, CheckinRound], hours: PostingHours,
              after: timedelta) -> list[tuple[CheckinRound, datetime | None]]:
        """The rounds of one community that change: (round, its new due time, or None: cancelled)."""
        tz, hours, planned, busy = CheckinJobs._timing_of(community, series, hours)
        changes: list[tuple[CheckinRound, datetime | None]] = []
        for w in series:
            row = rounds.get(w.id)
            if w.state != "planned" or community.closed_at is not None:
                if row is not None and row.state == "pending":
                    row.state = "cancelled"
                    changes.append((row, None))
                continue
            nxt = next((p.starts_at for p in planned if p.starts_at > w.starts_at), None)
            due = send_time(later(w.starts_at, after, tz), tz, hours, busy, nxt)
            if row is None:
                row = CheckinRound(community_id=community.id, workshop_id=w.id, state="pending")
            if row.state != "pending":
                continue
            if row.id is not None and row.invite_due == due:
                continue  # unchanged, and already on the clock (loaded at start, or set when it changed)
            row.invite_due = due
            changes.append((row, due))
        return changes

    async def plan(self) -> None:
        """At start: rounds follow the workshops and settings as they are now."""
        async with self.s.db() as session:
            open_ids = list((await session.exec(select(Community.id).where(Community.closed_at.is_(None)))).all())
        await self.sync_many(open_ids, schedule=False)

    async def pending(self) -> list:
        async with self.s.db() as session:
            rows = (await session.exec(select(CheckinRound.id, CheckinRound.state, CheckinRound.invite_due,
                                              CheckinRound.remind_due).where(
                CheckinRound.state.in_(("pending", "inviting", "invited", "reminding"))))).all()
        now = self.s.clock.now()
        out = []
        for round_id, state, invite_due, remind_due in rows:
            due = invite_due if state == "pending" else remind_due if state == "invited" else now
            if due is not None:
                out.append((f"k{round_id}", due))
        return out

    async def fire(self, key: str) -> None:
        round_id = int(key[1:])
        async with self.s.db() as session:
            row = await session.get(CheckinRound, round_id)
            if row is None or row.state not in ("pending", "inviting", "invited", "reminding"):
                return
            due = row.invite_due if row.state == "pending" else row.remind_due if row.state == "invited" else None
            if due is not None and due > self.s.clock.now() + EARLY:
                # A stray early run (the round was just invited, say): the reminders wait for their time.
                self.s.scheduler.at(PROVIDER, key, due)
                return
            community = await session.get(Community, row.community_id)
            workshop = await session.get(Workshop, row.workshop_id)
            tz, hours, planned, busy = await self._timing(session, community)
            if community.closed_at is not None or workshop.state != "planned":
                row.state = "cancelled"
                session.add(row)
                await session.commit()
                return
            period = period_of([w.starts_at for w in planned], workshop.starts_at)
            nxt = next((p.starts_at for p in planned if p.starts_at > workshop.starts_at), None)
            now = self.s.clock.now()
            if row.state in ("pending", "invited"):
                allowed = send_time(now, tz, hours, busy, nxt)
                if allowed is None:  # the next workshop has started: this period is over
                    row.state = "skipped" if row.state == "pending" else "done"
                    session.add(row)
                    await session.commit()
                    log.warning("checkin.round_too_late", **fields(community=community.id))
                    return
                if allowed > now + timedelta(seconds=1):
                    if row.state == "pending":
                        row.invite_due = allowed
                    else:
                        row.remind_due = allowed
                    session.add(row)
                    await session.commit()
                    self.s.scheduler.at(PROVIDER, key, allowed)
                    return
            if row.state == "pending":
                await self._open_round(session, row, community, period)
        if row.state == "inviting":
            await self._send(row, community, period, "pending", "sent", "checkin.invite")
            await self._invited(round_id, community, nxt)
        elif row.state in ("invited", "reminding"):
            await self._set_state(round_id, "reminding")
            await self._send(row, community, period, "sent", "reminded", "checkin.remind")
            await self._set_state(round_id, "done")

    async def _open_round(self, session, row: CheckinRound, community: Community, period: int) -> None:
        """Write down everyone to invite before sending anything: a crash then forgets nobody."""
        for user in members_of(self.s, community):
            member = impact_key(self.s.keyring, user)
            if await opted_out(session, member) or await for_period(session, community.id, member, period):
                continue
            if await session.get(CheckinInvite, (row.id, member)) is None:
                session.add(CheckinInvite(round_id=row.id, member_key=member, state="pending",
                                          txn=secrets.token_hex(12)))
        row.state = "inviting"
        session.add(row)
        await session.commit()

    async def _send(self, row: CheckinRound, community: Community, period: int, from_state: str, to_state: str,
                    key: str) -> None:
        t = partial(self.s.catalogue.render, community.language)
        prefix = self.s.config.bot.command_prefix
        rooms = await community_rooms(self.s)
        for user in members_of(self.s, community):
            member = impact_key(self.s.keyring, user)
            async with self.s.db() as session:
                invite = await session.get(CheckinInvite, (row.id, member))
                if invite is None or invite.state != from_state or await opted_out(session, member):
                    continue
                if to_state == "reminded" and await for_period(session, community.id, member, period):
                    continue  # already answered: no reminder
            dm = await self.s.matrix.dm_room(user, exclude=rooms)
            draft, reply_key, params = start(period)
            text = t(key, name=community.name, period=period, prefix=prefix) + ctexts.render(t, reply_key, params)
            # m.text: an invitation asks for an answer, and Element's default push rules mute notices
            await self.s.sender.send(dm, text, msgtype="m.text", txn=f"{invite.txn}.{to_state}")
            open_ = self.s.checkin_desk.get(dm, user)
            if open_ is None or not open_.started:  # never over answers
                self.s.checkin_desk.open(dm, user, draft, lang=community.language, community_id=community.id,
                                         by_bot=True)
            async with self.s.db() as session:
                invite = await session.get(CheckinInvite, (row.id, member))
                invite.state = to_state
                session.add(invite)
                await session.commit()
        log.info("checkin.round_sent", **fields(community=community.id, step=to_state))

    async def _invited(self, round_id: int, community: Community, nxt: datetime | None) -> None:
        now = self.s.clock.now()
        async with self.s.db() as session:
            row = await session.get(CheckinRound, round_id)
            tz, hours, _, busy = await self._timing(session, community)
            due = send_time(later(now, offset(self.s.config.checkins.remind_after), tz), tz, hours, busy, nxt)
            row.state, row.invited_at, row.remind_due = ("invited" if due else "done"), now, due
            session.add(row)
            await session.commit()
        if due is not None:
            self.s.scheduler.at(PROVIDER, f"k{round_id}", due)

    async def _set_state(self, round_id: int, state: str) -> None:
        async with self.s.db() as session:
            row = await session.get(CheckinRound, round_id)
            row.state = state
            session.add(row)
            await session.commit()


async def sync_rounds(services: "Services", community_id: int) -> None:
    """After the workshops change: rounds follow them."""
    await CheckinJobs(services).sync(community_id)
