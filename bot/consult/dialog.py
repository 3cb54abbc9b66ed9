"""The consultation request's dialog, the bot's side, and the one owner of its desk.

The steps are domain/consult_dialog.py (pure); the desk, the rule for leaving and the timeout
are bot/dialogs.py, shared with the check-in. Here: scrubbing off the event loop under the
preview limit, rendering the replies, keeping the DM events that held case text so that they
are redacted when the draft is sent, cancelled or expires, and storing what `send` confirms.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import datetime, timedelta, timezone
from typing import Callable

from bot.consult.janitor import answer_and_forget, redact_member_message
from bot.consult.limits import MAX_PREVIEWS_PER_MINUTE
from bot.consult.policy import describe_delay, load_policy
from bot.consult.posting import PROVIDER, categories_text, redact_draft
from bot.dialogs import Entry, converse
from bot.framework import CheckFailure
from bot.membership import communities_of
from bot.scrubbing import scrubbed
from domain.consult import hash_code, new_code, new_label
from domain.consult_dialog import CANCELLED, FOLLOWUP, SENDING, Place, Scrub, step, takes_text
from domain.consult_status import Status
from domain.dialog import Reply
from domain.errors import InputError
from domain.sectors import names as sector_names
from storage import consultations as q
from storage.models import Community, Consultation, ConsultationFollowup

log = logging.getLogger(__name__)
OWNS = frozenset({"send", "edit", "cancel"})  # the dialog's own commands: always its answers
PREVIEWS = ("consult.preview", "consult.preview_followup")


def place_of(community: Community) -> Place:
    return Place(community.id, community.slug, community.name, community.language)


def _scrubber(catalogue, may_preview: bool) -> Scrub:
    """Scrub unless the member is over the preview limit (decided before, on the event loop)."""
    def scrub(text: str, lang: str) -> tuple[str, int]:
        if not may_preview:
            raise InputError("consult.too_many_previews", limit=MAX_PREVIEWS_PER_MINUTE)
        return scrubbed(catalogue, lang, text)
    return scrub


async def _off_loop(ctx, make_reply: Callable[[Scrub], Reply]) -> Reply:
    """A step of the dialog in a worker thread, as it may scrub; a preview it made is counted
    here, on the event loop, so the limits are never touched from the thread."""
    limits = ctx.services.limits
    reply = await asyncio.to_thread(make_reply, _scrubber(ctx.services.catalogue, limits.may_preview(ctx.sender)))
    if reply.key in PREVIEWS:
        limits.previewed(ctx.sender)
    return reply


async def begin(ctx, reply_of: Callable[[Scrub], Reply]) -> None:
    """Open a new dialog with the Reply that `reply_of(scrub)` makes (a domain start function).
    One left open in this DM is cleaned up first."""
    reply = await _off_loop(ctx, reply_of)
    s = ctx.services
    old = s.consult_desk.drop(ctx.room_id, ctx.sender)
    if old is not None:
        await redact_draft(s.matrix, ctx.room_id, old)
    entry = s.consult_desk.open(ctx.room_id, ctx.sender, reply.draft, lang=reply.draft.lang)
    await _act(ctx, entry, reply)


async def intercept(ctx, text: str) -> bool:
    """A DM message: True when the request being written (or just expired) took it."""
    desk = ctx.services.consult_desk
    if desk.get(ctx.room_id, ctx.sender) is None:
        cmd, _ = ctx.services.registry.find(text, True)
        if cmd is None and desk.just_expired(ctx.room_id, ctx.sender):  # likely the expired draft's text
            waiting = desk.forget_expiry(ctx.room_id, ctx.sender)
            if waiting is not None:  # not swept yet: its messages go now, and this notice is the only one
                await redact_draft(ctx.services.matrix, ctx.room_id, waiting)
            await redact_member_message(ctx)
            await ctx.reply("consult.after_expiry", minutes=ctx.services.config.consultations.draft_minutes)
            return True
        return False
    return await converse(ctx, desk, text, owns=OWNS, takes_text=takes_text, step=_step, act=_act)


async def _step(ctx, entry: Entry, text: str) -> Reply:
    return await _off_loop(ctx, lambda scrub: step(entry.draft, text, scrub=scrub))


def _text(ctx, reply: Reply):
    """The catalogue text of a reply, with what the domain leaves to the bot."""
    values = dict(reply.params)
    if "categories" in values:
        values["categories"] = categories_text(ctx.services, ctx.lang, values["categories"])
    if "wanted" in values:
        values["wanted"] = sector_names(values["wanted"], ctx.lang) or ctx.t("consult.no_categories").plain
    values.setdefault("minutes", ctx.services.config.consultations.draft_minutes)
    return ctx.t(reply.key, **values)


async def _act(ctx, entry: Entry, reply: Reply) -> None:
    """Answer the member, and store the request when the reply says `send`."""
    s, draft = ctx.services, reply.draft
    entry.member_events.append(ctx.event_id)  # any message of the flow may hold case text, or quote it
    if draft.step == SENDING:
        await _send(ctx, entry, reply)
        return
    if reply.understood:
        s.consult_desk.answered(entry, draft, lang=draft.lang, community_id=draft.place.id if draft.place else None)
    ctx.lang = draft.lang
    if draft.step == CANCELLED:
        s.consult_desk.drop(ctx.room_id, ctx.sender)
        await ctx.send(_text(ctx, reply))
        await clean_up(ctx, entry)
        return
    sent = await ctx.send(_text(ctx, reply))
    if reply.key in PREVIEWS:
        entry.bot_events.extend(sent)


async def clean_up(ctx, entry: Entry) -> None:
    """Redact the DM messages that held case text; ask the member to do it where the bot cannot."""
    all_redacted = await redact_draft(ctx.services.matrix, ctx.room_id, entry)
    if entry.member_events:
        await ctx.reply("consult.cleaned" if all_redacted else "consult.delete_yourself")


async def on_expired(services, room_id: str, entry: Entry) -> None:
    """A draft that timed out: its messages go too (the notice follows, from bot.dialogs)."""
    await redact_draft(services.matrix, room_id, entry)


async def _send(ctx, entry: Entry, reply: Reply) -> None:
    s, draft = ctx.services, reply.draft
    ctx.lang = draft.lang
    if draft.kind != FOLLOWUP:
        if not s.limits.may_submit(ctx.sender):  # the draft stays, for tomorrow's `send`
            raise CheckFailure("consult.daily_limit", limit=s.config.consultations.max_per_day)
        if draft.place.id not in {c.id for c in await communities_of(s, ctx.sender)}:
            s.consult_desk.drop(ctx.room_id, ctx.sender)  # closed, or the member left, since the choice
            await clean_up(ctx, entry)
            raise CheckFailure("consult.no_community")
    # Taken off the desk before anything is stored: a second `send`, or a failure after the
    # commit, can never post the same draft twice.
    s.consult_desk.drop(ctx.room_id, ctx.sender)
    try:
        if draft.kind == FOLLOWUP:
            await _submit_followup(ctx, draft)
        else:
            await _submit_request(ctx, draft)
    finally:
        await clean_up(ctx, entry)


async def code_hash(ctx, code: str) -> str:
    """scrypt is slow on purpose: off the event loop."""
    return await asyncio.to_thread(hash_code, code, ctx.services.keyring.derive("case-code"))


def day_of(at: datetime) -> datetime:
    """The day only (00:00 UTC): a stored time about a case never points to the DM's instant."""
    return at.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def cleanup_minutes(ctx) -> int:
    return max(1, round(ctx.services.config.consultations.dm_cleanup_seconds / 60))


async def _submit_request(ctx, draft) -> None:
    s = ctx.services
    code = new_code()
    hashed = await code_hash(ctx, code)
    async with s.db() as session:
        community = await session.get(Community, draft.place.id)
        rules = await load_policy(session, community, s.config.consultations)
        row = Consultation(
            community_id=community.id, label=new_label(await q.labels(session)), code_hash=hashed,
            status=Status.REVIEW if rules.review else Status.SCHEDULED, categories=",".join(draft.categories),
            wanted=",".join(draft.wanted), text=draft.text, txn="copbot-c-" + secrets.token_hex(8),
            due_at=None if rules.review else s.clock.now() + timedelta(seconds=rules.delay.pick()),
            queued_on=day_of(s.clock.now()) if rules.review else None)
        session.add(row)
        await session.commit()
    if row.status == Status.SCHEDULED:
        s.scheduler.at(PROVIDER, f"c{row.id}", row.due_at)
    s.limits.submitted(ctx.sender)
    if rules.review:
        when = ctx.t("consult.when_review").plain
    elif rules.delay.high_s == 0:
        when = ctx.t("consult.when_now").plain
    else:
        when = ctx.t("consult.when_delay", delay=describe_delay(ctx, rules.delay)).plain
    await answer_and_forget(ctx, ctx.t("consult.sent", community=community.name, when=when, code=code,
                                       minutes=cleanup_minutes(ctx)))


async def _submit_followup(ctx, draft) -> None:
    s = ctx.services
    async with s.db() as session:
        case = await session.get(Consultation, draft.consultation_id)
        if case is None or case.status != Status.POSTED:
            raise CheckFailure("consult.not_open")
        community = await session.get(Community, case.community_id)
        rules = await load_policy(session, community, s.config.consultations)
        row = ConsultationFollowup(consultation_id=case.id, text=draft.text, txn="copbot-f-" + secrets.token_hex(8),
                                   due_at=s.clock.now() + timedelta(seconds=rules.delay.pick()))
        session.add(row)
        await session.commit()
    s.scheduler.at(PROVIDER, f"f{row.id}", row.due_at)
    await ctx.reply("consult.followup_sent")
