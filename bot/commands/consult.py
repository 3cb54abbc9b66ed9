"""Anonymous case consultations, the member's side. Everything happens in a DM.

The flow: `consult` → the request → a scrubbed preview → `send`, `edit` or
`cancel`: a dialog (domain/consult_dialog.py, run by bot/consult/dialog.py) whose draft lives
in memory only. On `send` the member gets a secret case code once; only its slow keyed hash is
stored, and nothing stored links the member to the case. With the code they can post a
follow-up, read the replies, see the status, or close the case.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.consult.dialog import begin, cleanup_minutes, code_hash, day_of, place_of
from bot.consult.janitor import answer_and_forget, redact_member_message
from bot.consult.lifecycle import move
from bot.consult.policy import load_policy
from bot.consult.posting import PROVIDER
from bot.framework import CheckFailure, command
from bot.logs import fields
from bot.membership import communities_of, community_rooms
from bot.text import Text
from domain.consult import code_shaped, normalize_code
from domain.consult_dialog import start_followup, start_request
from domain.consult_status import WITHDRAWABLE, Status
from domain.timefmt import local
from storage import consultations as q
from storage.engine import flush_deleted
from storage.models import Community, Consultation

log = logging.getLogger(__name__)
MAX_REPLY_CHARS = 1_500


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
    mine = await communities_of(ctx.services, ctx.sender)  # open communities whose room the member joined
    if not mine:
        raise CheckFailure("consult.no_community")
    if not ctx.services.limits.may_submit(ctx.sender):
        raise CheckFailure("consult.daily_limit", limit=ctx.services.config.consultations.max_per_day)
    places = tuple(place_of(c) for c in mine)
    await begin(ctx, lambda scrub: start_request(places, text, lang=ctx.lang, scrub=scrub))


# Words that start a case command. `status` and `close` are community commands in a room too, so
# they count only with something shaped like a case code.
_CASE_WORDS = {"consult", "consulter", "followup", "suivi", "replies", "réponses", "reponses"}
_CODE_WORDS = {"status", "close", "fermer", "statut"}


async def refuse_attachment(ctx) -> bool:
    """A file, image, emote or notice sent while a request is written (or just after its draft
    expired) may carry the case: it is redacted, and the member told why. True when it was."""
    desk = ctx.services.consult_desk
    entry = desk.get(ctx.room_id, ctx.sender)
    if entry is None and not desk.just_expired(ctx.room_id, ctx.sender):
        return False
    if entry is not None:
        ctx.lang = entry.lang
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


# While a request is written these words are the dialog's own (bot.consult.dialog.OWNS); the
# commands answer only when no draft is open.
@command("send", aliases=("envoyer",), scope="dm")
async def send(ctx) -> None:
    raise CheckFailure("consult.nothing_to_send", minutes=ctx.services.config.consultations.draft_minutes)


@command("edit", aliases=("modifier",), scope="dm")
async def edit(ctx, *, text: str) -> None:
    raise CheckFailure("consult.nothing_to_edit")


@command("cancel", aliases=("annuler",), scope="dm")
async def cancel(ctx) -> None:
    raise CheckFailure("consult.nothing_to_cancel")


def _forgotten(ctx, text: Text) -> Text:
    """An answer that names the case, with the notice that it will be deleted."""
    return text + ctx.t("consult.disappears", minutes=cleanup_minutes(ctx))


async def _case(ctx, code: str) -> tuple[Consultation, Community]:
    """The case a code opens. A wrong code, and a case that does not exist, get the same answer."""
    s = ctx.services
    await redact_member_message(ctx)  # it holds a code, right or wrong
    if s.limits.locked_out(ctx.sender):
        raise CheckFailure("consult.too_many_attempts")
    hashed = await code_hash(ctx, normalize_code(code) or code.lower())
    async with s.db() as session:
        row = await q.by_code_hash(session, hashed)
        community = await session.get(Community, row.community_id) if row else None
    if row is None:
        s.limits.failed_attempt(ctx.sender)
        raise CheckFailure("consult.no_such_code")
    ctx.lang = community.language
    return row, community


@command("followup", aliases=("suivi",), scope="dm")
async def followup(ctx, code: str, *, text: str) -> None:
    await _require_encryption(ctx)
    row, community = await _case(ctx, code)
    if row.status != Status.POSTED:
        raise CheckFailure("consult.not_open")
    place = place_of(community)
    await begin(ctx, lambda scrub: start_followup(place, row.id, text, scrub=scrub))


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
