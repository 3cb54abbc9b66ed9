"""Mentions of the wanted sectors in a consultation's thread, the one nudge, and the sectors
the thread's replies came from (issue 23).

The database is the only truth, as for posts (bot/consult/posting.py): a consultation row that
is posted and wants sectors, without its mention, is due ('m<id>'); a reach row whose nudge is
waiting is due at `nudge_due` ('n<id>'). `fire` re-reads the rows, sends with the row's own
transaction id (a retry after a crash is the same event, not a second one), and tells failures
to retry from those that never will work. A timer puts newly posted consultations on the clock
within seconds, so the posting code needs no word of this feature.

Nothing here depends on who asked: the bot never knows. Who replied is looked up in the
directory the moment the reply is seen, and only the sector is kept.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.checkins.rounds import offset
from bot.logs import fields
from bot.prompts.library import hours_of
from bot.sectors.directory import directory_key, listed
from bot.sender import PERMANENT, SendError
from domain.consult_status import Status
from domain.prompts import next_allowed
from domain.sectors import answered, merge, names, pick, split
from storage import sectors as q
from storage.models import Community, Consultation, ConsultationReach, PromptSettings, SectorEntry

if TYPE_CHECKING:
    from bot.services import Services
    from storage.models import Community as CommunityRow

log = logging.getLogger(__name__)
PROVIDER = "sectors"
EARLY = timedelta(seconds=1)
NEW_POSTS_S = 10  # how soon after its post a consultation's thread gets its mention


class Step:
    """The states of a reach row's mention and nudge."""

    PENDING = "pending"  # the mention is due
    WAITING = "waiting"  # the nudge is due at nudge_due
    SENT = "sent"
    NONE = "none"  # nothing to send (nobody to mention, answered already, or closed)


def _new_reach(row: Consultation) -> ConsultationReach:
    return ConsultationReach(consultation_id=row.id, mention=Step.PENDING if row.wanted else Step.NONE,
                             txn="copbot-s-" + secrets.token_hex(8))


async def _reach(session, row: Consultation) -> ConsultationReach:
    found = await session.get(ConsultationReach, row.id)
    if found is None:
        found = _new_reach(row)
        session.add(found)
    return found


class SectorJobs:
    def __init__(self, services: "Services"):
        self.s = services
        self._put: set[int] = set()  # consultations this process put on the clock for their mention

    async def pending(self) -> list[tuple[str, datetime]]:
        async with self.s.db() as session:
            mentions = await q.to_mention(session)
            nudges = await q.nudges_due(session)
        return [(f"m{i}", at) for i, at in mentions] + [(f"n{i}", at) for i, at in nudges]

    async def schedule_new(self) -> None:
        """Consultations posted since the last look: on the clock at once."""
        async with self.s.db() as session:
            found = await q.to_mention(session)
        for consultation_id, posted_at in found:
            if consultation_id not in self._put:
                self._put.add(consultation_id)
                self.s.scheduler.at(PROVIDER, f"m{consultation_id}", posted_at or self.s.clock.now())

    async def fire(self, key: str) -> None:
        if key.startswith("m"):
            await self._mention(int(key[1:]), nudge=False)
        elif key.startswith("n"):
            await self._mention(int(key[1:]), nudge=True)

    async def _mention(self, consultation_id: int, *, nudge: bool) -> None:
        now = self.s.clock.now()
        async with self.s.db() as session:
            row = await session.get(Consultation, consultation_id)
            if row is None or not row.wanted or row.event_id is None:
                return
            reach = await _reach(session, row)
            step = reach.nudge if nudge else reach.mention
            if step != (Step.WAITING if nudge else Step.PENDING):
                await session.commit()
                return  # done already: a second run does nothing
            if nudge and reach.nudge_due and reach.nudge_due > now + EARLY:
                self.s.scheduler.at(PROVIDER, f"n{consultation_id}", reach.nudge_due)
                return
            community = await session.get(Community, row.community_id)
            if row.status != Status.POSTED or community is None or community.closed_at is not None \
                    or (nudge and reach.answered):
                self._set(reach, nudge, Step.NONE)
                session.add(reach)
                await session.commit()
                return
            await session.commit()  # the reach row and its transaction id exist before anything is sent
            txn = f"{reach.txn}.{'nudge' if nudge else 'mention'}"
            people = await listed(self.s, session, community)
            room = self.s.rooms(row.room_id)
            people = [p for p in people if room is None or room.is_joined(p.user_id)]
            chosen = pick([p.entry() for p in people], split(row.wanted), self.s.config.consultations.mention_experts,
                          asked_since=row.posted_at if nudge else None)
            by_key = {p.row.member_key: p.user_id for p in people}
            users = [by_key[e.key] for e in chosen]
            wanted_names = names(split(row.wanted), community.language)
        if users:
            t = partial(self.s.catalogue.render, community.language)
            text = t("sector.nudge" if nudge else "sector.mention", label=row.label, sectors=wanted_names,
                     people=", ".join(users), prefix=self.s.config.bot.command_prefix)
            try:
                await self.s.sender.send(row.room_id, text, msgtype="m.text", thread_root=row.event_id,
                                         mentions={"user_ids": users}, txn=txn)
            except SendError as exc:
                if exc.status not in PERMANENT:
                    raise  # the scheduler retries with backoff
                log.error("sectors.mention_not_sent", **fields(community=row.community_id, reason=exc.status))
                users = []
        async with self.s.db() as session:
            reach = await session.get(ConsultationReach, consultation_id)
            self._set(reach, nudge, Step.SENT if users else Step.NONE)
            if not nudge:  # the nudge waits even when nobody could be asked now: someone may opt in
                reach.nudge, reach.nudge_due = Step.WAITING, await self._nudge_time(session, community, row)
            session.add(reach)
            chosen_keys = {e.key for e in chosen} if users else set()
            for entry in await q.entries(session, community.id):
                if entry.member_key in chosen_keys:
                    entry.asked_at = now
                    session.add(entry)
            await session.commit()
            due = reach.nudge_due if not nudge else None
        if due is not None:
            self.s.scheduler.at(PROVIDER, f"n{consultation_id}", due)
        log.info("sectors.nudged" if nudge else "sectors.mentioned", **fields(community=community.id,
                                                                              mentioned=len(users)))

    @staticmethod
    def _set(reach: ConsultationReach, nudge: bool, step: str) -> None:
        if nudge:
            reach.nudge = step
            reach.nudge_due = None
        else:
            reach.mention = step

    async def _nudge_time(self, session, community: "CommunityRow", row: Consultation) -> datetime:
        """`nudge_after` past the post, moved into the community's posting hours."""
        settings = await session.get(PromptSettings, community.id) or PromptSettings(community_id=community.id)
        after = (row.posted_at or self.s.clock.now()) + offset(self.s.config.consultations.nudge_after)
        return next_allowed(after, ZoneInfo(community.timezone), hours_of(settings))


# --- hooks (bot/features.py) ----------------------------------------------------------------

async def thread_reply(services: "Services", room_id: str, root: str, sender: str, at: datetime) -> bool:
    """A reply in a thread: if it is a consultation's and the sender is in its community's
    directory, the sender's sectors join the sectors the consultation reached. Not who replied."""
    for attempt in range(2):  # two first replies at once may both create the reach row
        async with services.db() as session:
            row = await q.by_root(session, room_id, root)
            if row is None:
                return False
            entry = await session.get(SectorEntry, (row.community_id, directory_key(services.keyring,
                                                                                    row.community_id, sender)))
            if entry is None:
                return True
            reach = await _reach(session, row)
            reached = merge(reach.reached, split(entry.sectors))
            reach.reached, reach.reached_count = ",".join(reached), len(reached)
            reach.answered = answered(split(row.wanted), reached)
            session.add(reach)
            try:
                await session.commit()
                return True
            except IntegrityError:
                await session.rollback()
    return True


async def member_left(services: "Services", community: "CommunityRow", user_id: str) -> int:
    async with services.db() as session:
        gone = await q.remove(session, community.id, directory_key(services.keyring, community.id, user_id))
        await session.commit()
    if gone:
        log.info("sectors.left_room_removed", **fields(community=community.id))
    return int(gone)


async def forget_member(session, services: "Services", user_id: str) -> int:
    """forget-me: the member's entries in every community's directory."""
    ids = (await session.exec(select(Community.id))).all()
    return await q.remove_keys(session, [(i, directory_key(services.keyring, i, user_id)) for i in ids])
