"""Posting consultations and follow-ups when due, retention, and draft expiry.

Posts are rows with a due time; the scheduler fires them (see bot/scheduler.py).
Each post is sent with the row's own transaction id, so a post retried after
a crash comes back as the same event instead of a second one.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import select

from bot.consult.lifecycle import move
from bot.consult.policy import load_policy
from bot.logs import fields
from bot.sender import PERMANENT, SendError
from bot.text import Text
from domain.consult_status import Status
from storage.engine import flush_deleted
from storage import consultations as q
from storage.models import Community, Consultation, ConsultationFollowup

if TYPE_CHECKING:
    from bot.dialogs import Entry
    from bot.matrix_ops import MatrixOps
    from bot.services import Services

log = logging.getLogger(__name__)
PROVIDER = "consult"
EARLY = timedelta(seconds=1)  # a run before the due time (beyond this) only puts the post back on the clock


def categories_text(services: "Services", lang: str, categories: str | tuple[str, ...]) -> str:
    names = categories.split(",") if isinstance(categories, str) else list(categories)
    names = [n for n in names if n]
    return ", ".join(names) if names else services.catalogue.plain(lang, "consult.no_categories")


def post_text(services: "Services", community: Community, row: Consultation) -> Text:
    lang = community.language
    return services.catalogue.render(lang, "consult.post", label=row.label, text=row.text or "",
                                     categories=categories_text(services, lang, row.categories))


async def redact_draft(matrix: "MatrixOps", room_id: str, entry: "Entry") -> bool:
    """Redact the DM messages that held a draft's text; False if some of the member's could not be."""
    for event_id in entry.bot_events:
        await matrix.redact(room_id, event_id)
    return all([await matrix.redact(room_id, e) for e in entry.member_events])


class ConsultJobs:
    def __init__(self, services: "Services"):
        self.s = services

    async def pending(self) -> list:
        async with self.s.db() as session:
            return await q.due_posts(session)

    async def fire(self, key: str) -> None:
        if key.startswith("c"):
            await self._post_request(int(key[1:]))
        elif key.startswith("x"):
            await self._announce_close(int(key[1:]))
        else:
            await self._post_followup(int(key[1:]))

    async def _announce_close(self, consultation_id: int) -> None:
        """Tell the thread the case is closed. Its own transaction id: sent once, across crashes."""
        async with self.s.db() as session:
            row = await session.get(Consultation, consultation_id)
            if row is None or row.status != Status.CLOSED or row.due_at is None:
                return
            if row.due_at > self.s.clock.now() + EARLY:
                self.s.scheduler.at(PROVIDER, f"x{consultation_id}", row.due_at)
                return
            community = await session.get(Community, row.community_id)
        if row.room_id and row.event_id and community is not None:
            try:
                await self.s.sender.send(
                    row.room_id, self.s.catalogue.render(community.language, "consult.closed_post", label=row.label),
                    msgtype="m.text", thread_root=row.event_id, txn=f"{row.txn}.closed")
            except SendError as exc:
                if exc.status not in PERMANENT:
                    raise  # the scheduler retries with backoff
                log.error("consultation.close_not_announced", **fields(community=row.community_id, reason=exc.status))
        async with self.s.db() as session:
            row = await session.get(Consultation, consultation_id)
            row.due_at = None
            session.add(row)
            await session.commit()

    async def _post_request(self, consultation_id: int) -> None:
        async with self.s.db() as session:
            row = await session.get(Consultation, consultation_id)
            if row is None or row.status not in (Status.SCHEDULED, Status.POSTING):
                return  # already posted, withdrawn, or gone: nothing to do
            if row.status == Status.SCHEDULED and row.due_at and row.due_at > self.s.clock.now() + EARLY:
                self.s.scheduler.at(PROVIDER, f"c{consultation_id}", row.due_at)  # a stray early run
                return
            community = await session.get(Community, row.community_id)
            if community is None or community.closed_at is not None:
                await self._give_up(session, row, "community_closed")
                return
            rules = await load_policy(session, community, self.s.config.consultations)
            # 'posting' tells a concurrent `close <code>` that the post is on its way. The room is
            # kept with it: a post interrupted by a crash is re-sent (same transaction id) to the
            # same room, even if the consultation room was changed meanwhile, or it would post twice.
            if row.status != Status.POSTING or row.room_id is None:
                move(row, Status.POSTING, room_id=rules.room_id)
                session.add(row)
                await session.commit()
            room_id = row.room_id
        try:
            event_ids = await self.s.sender.send(room_id, post_text(self.s, community, row),
                                                 msgtype="m.text", txn=row.txn)
        except SendError as exc:
            if exc.status not in PERMANENT:
                raise  # the scheduler retries with backoff
            async with self.s.db() as session:
                await self._give_up(session, await session.get(Consultation, consultation_id), exc.status)
            return
        async with self.s.db() as session:
            row = await session.get(Consultation, consultation_id)
            move(row, Status.POSTED, room_id=room_id, event_id=event_ids[0], posted_at=self.s.clock.now(),
                 due_at=None)
            session.add(row)
            await session.commit()
        self.s.replies.add(event_ids[0])
        log.info("consultation.posted", **fields(community=community.id))

    async def _give_up(self, session, row: Consultation, reason: str) -> None:
        """A post that can never be made: say so loudly, keep no text, let the member see it."""
        move(row, Status.FAILED)
        session.add(row)
        await session.commit()
        await flush_deleted(self.s.db)
        log.error("consultation.not_posted", **fields(community=row.community_id, reason=reason))

    async def _post_followup(self, followup_id: int) -> None:
        async with self.s.db() as session:
            row = await session.get(ConsultationFollowup, followup_id)
            if row is None or row.event_id is not None:
                return
            if row.due_at and row.due_at > self.s.clock.now() + EARLY:  # a stray early run
                self.s.scheduler.at(PROVIDER, f"f{followup_id}", row.due_at)
                return
            case = await session.get(Consultation, row.consultation_id)
            if row.text is None or case is None or case.status != Status.POSTED:
                row.text, row.due_at = None, None  # the case closed or expired first
                session.add(row)
                await session.commit()
                return
            community = await session.get(Community, case.community_id)
        text = self.s.catalogue.render(community.language, "consult.update_post", label=case.label, text=row.text)
        try:
            event_ids = await self.s.sender.send(case.room_id, text, msgtype="m.text",
                                                 thread_root=case.event_id, txn=row.txn)
        except SendError as exc:
            if exc.status not in PERMANENT:
                raise
            async with self.s.db() as session:
                row = await session.get(ConsultationFollowup, followup_id)
                row.text, row.due_at = None, None
                session.add(row)
                await session.commit()
            log.error("consultation.followup_not_posted", **fields(community=community.id, reason=exc.status))
            return
        async with self.s.db() as session:
            row = await session.get(ConsultationFollowup, followup_id)
            row.event_id, row.posted_at, row.due_at = event_ids[0], self.s.clock.now(), None
            session.add(row)
            await session.commit()
        log.info("consultation.followup_posted", **fields(community=community.id))

    async def retention_sweep(self) -> int:
        """Delete case texts past their community's retention; keep counts and categories.

        With redact_on_expiry the room's posts are redacted too, and a case is marked purged only
        once all of them are: a redaction that failed is tried again at the next sweep (hourly),
        while the text is gone from the database at once."""
        now = self.s.clock.now()
        purged = 0
        async with self.s.db() as session:
            for community in (await session.exec(select(Community))).all():
                rules = await load_policy(session, community, self.s.config.consultations)
                for row in await q.past_retention(session, community.id, now - timedelta(days=rules.retention_days)):
                    updates = await q.followups(session, row.id)
                    done = True
                    if rules.redact_on_expiry and row.room_id:
                        for event_id in [row.event_id, *(f.event_id for f in updates)]:
                            if event_id and not await self._redact(row.room_id, event_id):
                                done = False
                                log.warning("consultation.redact_failed", **fields(community=community.id))
                    purged += row.text is not None  # a retry of the redactions purges nothing new
                    row.text = None
                    row.purged_at = now if done else None
                    session.add(row)
                    for update in updates:
                        update.text, update.due_at = None, None
                        session.add(update)
                for row in await q.queued_before(session, community.id, now - timedelta(days=rules.retention_days)):
                    move(row, Status.EXPIRED, now=now)  # never reviewed: not kept forever
                    session.add(row)
                    purged += 1
                for row in await q.rejected_before(session, community.id, now - timedelta(days=rules.retention_days)):
                    row.note, row.purged_at = None, now  # a facilitator's reason may quote the case
                    session.add(row)
            await session.commit()
        await flush_deleted(self.s.db)
        if purged:
            log.info("consultation.retention_purged", **fields(count=purged))
        return purged

    async def refresh_replies(self) -> None:
        """Read every open consultation's thread, all together and on a timer of their own, so the
        homeserver sees no thread read that follows a member's `replies` (bot.consult.replies)."""
        async with self.s.db() as session:
            found = await q.threads(session)
        self.s.replies.watch({root for _, root in found})
        for room_id, root in found:
            self.s.replies.replace(root, await self.s.matrix.thread_replies(room_id, root))
        self.s.replies.loaded = True

    async def _redact(self, room_id: str, event_id: str) -> bool:
        try:
            return await self.s.matrix.redact(room_id, event_id)
        except Exception as exc:  # the homeserver away: tried again at the next sweep
            log.warning("consultation.redact_error", **fields(reason=type(exc).__name__))
            return False

    async def clean_dms(self) -> None:
        await self.s.janitor.sweep(self.s)

