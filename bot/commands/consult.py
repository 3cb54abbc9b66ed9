"""Anonymous case consultations, the member's side. Everything happens in a DM.

The flow: `consult` → the request → a scrubbed preview → `send`, `edit` or
`cancel`. The draft lives in memory only (bot/consult/desk.py). On `send` the
member gets a secret case code once; only its slow keyed hash is stored, and
nothing stored links the member to the case. With the code they can post a
follow-up, read the replies, see the status, or close the case.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import datetime, timedelta, timezone

from bot.consult.desk import MAX_PREVIEWS_PER_MINUTE, Draft
from bot.consult.janitor import answer_and_forget, redact_member_message
from bot.consult.lifecycle import move
from bot.consult.policy import describe_delay, load_policy
from bot.consult.posting import PROVIDER, categories_text, redact_draft
from bot.framework import BadArgument, CheckFailure, command, incident_id
from bot.logs import fields
from bot.membership import communities_of, community_rooms
from bot.text import Text
from domain.consult import (MAX_REQUEST_CHARS, code_shaped, contains_code, extract_categories, hash_code, new_code, new_label,
                            normalize_code)
from domain import redact
from domain.sectors import extract_wanted, names as sector_names
from domain.consult_status import WITHDRAWABLE, Status
from domain.timefmt import local
from storage import consultations as q
from storage.engine import flush_deleted
from storage.models import Community, Consultation, ConsultationFollowup

log = logging.getLogger(__name__)
MAX_REPLY_CHARS = 1_500


async def _my_communities(ctx) -> list[Community]:
    """Open communities whose room the sender has joined: only they may ask there."""
    return await communities_of(ctx.services, ctx.sender)


def _labeller(ctx):
    return lambda kind: "[" + ctx.t(f"redact.{kind}").plain + "]"


async def _preview(ctx, draft: Draft, raw: str) -> None:
    """Scrub the text, keep the result in the draft, and show it to the member."""
    draft.member_events.append(ctx.event_id)  # first: even a refused text is cleaned up later
    text, categories = extract_categories(raw)
    text, wanted = extract_wanted(text)
    if contains_code(text):  # a case code in a public post would open the case to anyone
        raise BadArgument("consult.contains_code")
    if len(text) > MAX_REQUEST_CHARS:
        raise BadArgument("consult.too_long", limit=MAX_REQUEST_CHARS, length=len(text))
    if not text:
        raise BadArgument("consult.empty")
    if not ctx.services.desk.may_preview(ctx.sender):
        raise BadArgument("consult.too_many_previews", limit=MAX_PREVIEWS_PER_MINUTE)
    # off the event loop: a long text takes tens of milliseconds, and other members are waiting
    scrubbed = await asyncio.to_thread(redact.scrub, text, ctx.lang)
    draft.text = scrubbed.render(_labeller(ctx))
    draft.categories = categories  # an edit replaces the whole request, tags included
    draft.wanted = wanted
    draft.replaced = len(scrubbed.replacements)
    draft.step = "preview"
    ctx.services.desk.touch(draft)
    key = "consult.preview_followup" if draft.kind == "followup" else "consult.preview"
    sent = await ctx.send(ctx.t(key, text=draft.text, count=draft.replaced, community=draft.community_name,
                                minutes=ctx.services.config.consultations.draft_minutes,
                                categories=categories_text(ctx.services, ctx.lang, draft.categories),
                                wanted=sector_names(draft.wanted, ctx.lang) or ctx.t("consult.no_categories").plain))
    draft.bot_events.extend(sent)


async def _fresh_draft(ctx, **values: object) -> Draft:
    """A new draft; one left open in this DM is cleaned up first, not silently replaced."""
    old = ctx.services.desk.drop(ctx.room_id)
    if old is not None:
        await redact_draft(ctx.services.matrix, ctx.room_id, old)
    return ctx.services.desk.new_draft(ctx.room_id, **values)


async def _choose(ctx, draft: Draft, community: Community, raw: str) -> None:
    draft.community_id, draft.step, draft.community_name = community.id, "text", community.name
    ctx.lang = draft.lang = community.language
    if raw:
        await _preview(ctx, draft, raw)
    else:
        await ctx.reply("consult.intro", community=community.name)


async def _require_encryption(ctx) -> None:
    """Case text only in an encrypted DM. Redaction would not erase it from the homeserver
    (Synapse keeps redacted content for a while, and its search table keeps the words)."""
    s = ctx.services
    view = s.rooms(ctx.room_id)
    if not s.config.consultations.require_encrypted_dm or (view is not None and view.is_encrypted()):
        return
    await redact_member_message(ctx)  # it may carry case text
    turned_on = await s.matrix.enable_encryption(ctx.room_id)
    raise CheckFailure("consult.encrypted_now" if turned_on else "consult.needs_encryption")


@command("consult", aliases=("consulter",), scope="dm")
async def consult(ctx, *, text: str = "") -> None:
    await _require_encryption(ctx)
    mine = await _my_communities(ctx)
    if not mine:
        raise CheckFailure("consult.no_community")
    if not ctx.services.desk.may_submit(ctx.sender):
        raise CheckFailure("consult.daily_limit", limit=ctx.services.config.consultations.max_per_day)
    first, rest = (text.split(None, 1) + ["", ""])[:2]
    chosen = next((c for c in mine if c.slug == first.lower()), None)
    if chosen is not None:
        text = rest.strip()
    elif len(mine) == 1:
        chosen = mine[0]
    draft = await _fresh_draft(ctx, kind="request", step="community", lang=ctx.lang)
    if chosen is None:
        draft.choices, draft.pending = tuple(c.slug for c in mine), text
        if text:
            draft.member_events.append(ctx.event_id)
        await ctx.reply("consult.which", slugs=", ".join(draft.choices))
        return
    await _choose(ctx, draft, chosen, text)


# Words that start a case command. `status` and `close` are community commands in a room too, so
# they count only with something shaped like a case code.
_CASE_WORDS = {"consult", "consulter", "followup", "suivi", "replies", "réponses", "reponses"}
_CODE_WORDS = {"status", "close", "fermer", "statut"}


async def refuse_attachment(ctx) -> bool:
    """A file, image, emote or notice sent while a request is written (or just after its draft
    expired) may carry the case: it is redacted, and the member told why. True when it was."""
    desk = ctx.services.desk
    draft = desk.draft(ctx.room_id)
    if draft is None and not desk.just_expired(ctx.room_id):
        return False
    if draft is not None:
        ctx.lang = draft.lang
    await redact_member_message(ctx)
    await ctx.reply("consult.no_attachments")
    return True


async def misplaced(ctx, text: str) -> bool:
    """A case command typed in a shared room by mistake: redacted at once, the member told in a
    DM why. True when it was one (nothing else is done with it)."""
    words = text.split()
    first = words[0].lower() if words else ""
    if not (first in _CASE_WORDS or (first in _CODE_WORDS and code_shaped(text))):
        return False
    s = ctx.services
    redacted = await s.matrix.redact(ctx.room_id, ctx.event_id)
    log.info("consultation.misplaced_command", **fields(redacted=redacted))
    try:
        dm = await s.matrix.dm_room(ctx.sender, exclude=await community_rooms(s))
    except RuntimeError:
        return True  # no DM to be had: the message is gone at least, where the bot could
    await s.sender.send(dm, s.catalogue.render(ctx.lang, "consult.misplaced" if redacted else "consult.misplaced_kept",
                                               prefix=ctx.prefix), msgtype="m.text")
    return True


# While a request is awaited, these still act as commands; any other message is the request.
PASS_THROUGH = {"cancel", "send", "edit", "consult", "followup", "replies", "status", "close", "help"}


async def intercept(ctx, text: str) -> bool:
    """In a DM with a draft open, take the message as part of the flow; True if it was."""
    try:
        return await _intercept(ctx, text)
    except Exception as exc:  # the same apology as any command, never silence
        incident = incident_id()
        log.error("consult.intercept_failed", exc_info=exc, **fields(incident=incident))
        await ctx.reply("error.unexpected", incident=incident)
        return True


async def _intercept(ctx, text: str) -> bool:
    desk = ctx.services.desk
    draft = desk.draft(ctx.room_id)
    if draft is None:
        cmd, _ = ctx.services.registry.find(text, True)
        if cmd is None and desk.just_expired(ctx.room_id):  # likely the text of the expired draft
            desk.forget_expiry(ctx.room_id)
            await redact_member_message(ctx)
            await ctx.reply("consult.after_expiry", minutes=ctx.services.config.consultations.draft_minutes)
            return True
        return False
    ctx.lang = draft.lang
    word = text.strip().lower()
    try:
        if draft.step == "community":
            if word in draft.choices:
                mine = {c.slug: c for c in await _my_communities(ctx)}
                community = mine.get(word)
                if community is None:  # closed, or the member left, since the question
                    desk.drop(ctx.room_id)
                    await ctx.reply("consult.no_community")
                    return True
                pending, draft.pending = draft.pending, ""
                await _choose(ctx, draft, community, pending)
                return True
            cmd, _ = ctx.services.registry.find(text, True)
            if cmd is not None and cmd.name == "cancel":
                return False
            await ctx.reply("consult.which", slugs=", ".join(draft.choices))
            return True
        if draft.step == "text":
            cmd, _ = ctx.services.registry.find(text, True)
            if cmd is not None and cmd.name in PASS_THROUGH:
                return False
            await _preview(ctx, draft, text)
            return True
        cmd, _ = ctx.services.registry.find(text, True)
        if cmd is None:  # a new text without `edit`: remind rather than say "unknown command"
            await ctx.reply("consult.answer_preview")
            return True
        return False
    except BadArgument as exc:
        await ctx.reply(exc.key, **exc.params)
        return True


async def _clean_up(ctx, draft: Draft) -> None:
    """Redact the DM messages that held case text; ask the member to do it where the bot cannot."""
    all_redacted = await redact_draft(ctx.services.matrix, ctx.room_id, draft)
    if draft.member_events:
        await ctx.reply("consult.cleaned" if all_redacted else "consult.delete_yourself")


@command("send", aliases=("envoyer",), scope="dm")
async def send(ctx) -> None:
    desk = ctx.services.desk
    draft = desk.draft(ctx.room_id)
    if draft is None or draft.step != "preview":
        raise CheckFailure("consult.nothing_to_send",
                           minutes=ctx.services.config.consultations.draft_minutes)
    ctx.lang = draft.lang
    if draft.kind == "request" and not desk.may_submit(ctx.sender):
        raise CheckFailure("consult.daily_limit", limit=ctx.services.config.consultations.max_per_day)
    # Taken off the desk before anything is stored: a second `send`, or a failure after the
    # commit, can never post the same draft twice.
    desk.drop(ctx.room_id)
    draft.member_events.append(ctx.event_id)  # sent as a reply, it quotes the preview
    try:
        if draft.kind == "request":
            await _submit_request(ctx, draft)
        else:
            await _submit_followup(ctx, draft)
    finally:
        await _clean_up(ctx, draft)


async def _submit_request(ctx, draft: Draft) -> None:
    s = ctx.services
    code = new_code()
    code_hash = await _code_hash(ctx, code)
    async with s.db() as session:
        community = await session.get(Community, draft.community_id)
        rules = await load_policy(session, community, s.config.consultations)
        row = Consultation(
            community_id=community.id, label=new_label(await q.labels(session)), code_hash=code_hash,
            status=Status.REVIEW if rules.review else Status.SCHEDULED, categories=",".join(draft.categories),
            wanted=",".join(draft.wanted),
            text=draft.text, txn="copbot-c-" + secrets.token_hex(8),
            due_at=None if rules.review else s.clock.now() + timedelta(seconds=rules.delay.pick()),
            queued_on=day_of(s.clock.now()) if rules.review else None)
        session.add(row)
        await session.commit()
    if row.status == Status.SCHEDULED:
        s.scheduler.at(PROVIDER, f"c{row.id}", row.due_at)
    s.desk.submitted(ctx.sender)
    if rules.review:
        when = ctx.t("consult.when_review").plain
    elif rules.delay.high_s == 0:
        when = ctx.t("consult.when_now").plain
    else:
        when = ctx.t("consult.when_delay", delay=describe_delay(ctx, rules.delay)).plain
    await answer_and_forget(ctx, ctx.t("consult.sent", community=community.name, when=when, code=code,
                                       minutes=_cleanup_minutes(ctx)))


def _cleanup_minutes(ctx) -> int:
    return max(1, round(ctx.services.config.consultations.dm_cleanup_seconds / 60))


def _forgotten(ctx, text: Text) -> Text:
    """An answer that names the case, with the notice that it will be deleted."""
    return text + ctx.t("consult.disappears", minutes=_cleanup_minutes(ctx))


def day_of(at: datetime) -> datetime:
    """The day only (00:00 UTC): a stored time about a case never points to the DM's instant."""
    return at.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


async def _submit_followup(ctx, draft: Draft) -> None:
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


@command("edit", aliases=("modifier",), scope="dm")
async def edit(ctx, *, text: str) -> None:
    draft = ctx.services.desk.draft(ctx.room_id)
    if draft is None or draft.step not in ("text", "preview"):
        raise CheckFailure("consult.nothing_to_edit")
    ctx.lang = draft.lang
    await _preview(ctx, draft, text)


@command("cancel", aliases=("annuler",), scope="dm")
async def cancel(ctx) -> None:
    draft = ctx.services.desk.drop(ctx.room_id)
    if draft is None:
        raise CheckFailure("consult.nothing_to_cancel")
    draft.member_events.append(ctx.event_id)  # sent as a reply, it quotes the preview
    ctx.lang = draft.lang
    await ctx.reply("consult.cancelled")
    await _clean_up(ctx, draft)


async def _code_hash(ctx, code: str) -> str:
    """scrypt is slow on purpose: off the event loop."""
    return await asyncio.to_thread(hash_code, code, ctx.services.keyring.derive("case-code"))


async def _case(ctx, code: str) -> tuple[Consultation, Community]:
    """The case a code opens. A wrong code, and a case that does not exist, get the same answer."""
    s = ctx.services
    await redact_member_message(ctx)  # it holds a code, right or wrong
    if s.desk.locked_out(ctx.sender):
        raise CheckFailure("consult.too_many_attempts")
    code_hash = await _code_hash(ctx, normalize_code(code) or code.lower())
    async with s.db() as session:
        row = await q.by_code_hash(session, code_hash)
        community = await session.get(Community, row.community_id) if row else None
    if row is None:
        s.desk.failed_attempt(ctx.sender)
        raise CheckFailure("consult.no_such_code")
    ctx.lang = community.language
    return row, community


@command("followup", aliases=("suivi",), scope="dm")
async def followup(ctx, code: str, *, text: str) -> None:
    await _require_encryption(ctx)
    row, community = await _case(ctx, code)
    if row.status != Status.POSTED:
        raise CheckFailure("consult.not_open")
    draft = await _fresh_draft(ctx, kind="followup", step="text", lang=community.language,
                               community_id=community.id, consultation_id=row.id, community_name=community.name)
    await _preview(ctx, draft, text)


def _status_text(ctx, row: Consultation) -> Text:
    if row.status == Status.REJECTED:
        return ctx.t("consult.status_rejected", reason=row.note or "-")
    return ctx.t(f"consult.status_{row.status}", label=row.label)


@command("status", scope="dm", catalogue_name="case status")
async def case_status(ctx, code: str) -> None:
    row, _ = await _case(ctx, code)
    await answer_and_forget(ctx, _forgotten(ctx, _status_text(ctx, row)))


@command("replies", aliases=("réponses", "reponses"), scope="dm")
async def replies(ctx, code: str) -> None:
    row, community = await _case(ctx, code)
    if row.event_id is None:
        await answer_and_forget(ctx, _forgotten(ctx, _status_text(ctx, row)))
        return
    found = ctx.services.replies.get(row.event_id)  # never fetched now: see bot.consult.replies
    if found is None:
        await ctx.reply("consult.replies_loading")
        return
    if not found:
        await answer_and_forget(ctx, _forgotten(ctx, ctx.t("consult.no_replies", label=row.label)))
        return
    items = [ctx.t("consult.reply_item", author=r.author, when=local(r.at, community.timezone),
                   body=r.body if len(r.body) <= MAX_REPLY_CHARS else r.body[:MAX_REPLY_CHARS] + "…")
             for r in found]
    await answer_and_forget(ctx, _forgotten(ctx, ctx.t("consult.replies", label=row.label, count=len(found))
                                            + Text.join(items)))


@command("close", scope="dm", catalogue_name="case close")
async def case_close(ctx, code: str) -> None:
    row, community = await _case(ctx, code)
    s = ctx.services
    if row.status in (Status.CLOSED, Status.REJECTED, Status.FAILED, Status.EXPIRED):
        raise CheckFailure("consult.already_closed")
    if row.status == Status.POSTING:
        raise CheckFailure("consult.posting_now")
    async with s.db() as session:
        fresh = await session.get(Consultation, row.id)
        if fresh.status != row.status:  # it moved on meanwhile (e.g. the post went out)
            raise CheckFailure("consult.posting_now")
        withdrawn = fresh.status in WITHDRAWABLE
        rules = await load_policy(session, community, s.config.consultations)
        # The day only, and the thread hears of it after the random delay, like every post: the
        # homeserver must not match the member's DM to the announcement by its time.
        move(fresh, Status.CLOSED, closed_at=day_of(s.clock.now()),
             due_at=None if withdrawn else s.clock.now() + timedelta(seconds=rules.delay.pick()))
        if withdrawn:  # never posted: nothing of it needs to stay
            fresh.text = None
        session.add(fresh)
        for update in await q.pending_followups(session, row.id):
            update.text, update.due_at = None, None  # updates not yet posted are dropped with the case
            session.add(update)
            s.scheduler.cancel(PROVIDER, f"f{update.id}")
        await session.commit()
    await flush_deleted(s.db)
    if withdrawn:
        s.scheduler.cancel(PROVIDER, f"c{row.id}")
        await ctx.reply("consult.withdrawn")
        return
    s.scheduler.at(PROVIDER, f"x{row.id}", fresh.due_at)
    await answer_and_forget(ctx, _forgotten(ctx, ctx.t("consult.closed", label=row.label)))
