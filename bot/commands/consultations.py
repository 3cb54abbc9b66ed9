"""Anonymous case consultations, the facilitators' side: settings and the review queue."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from sqlmodel import select

from bot.consult.policy import Policy, describe_delay, load_policy, policy
from bot.consult.posting import PROVIDER, categories_text
from bot.framework import BadArgument, CheckFailure, command
from bot.consult.lifecycle import move
from bot.membership import community_rooms
from bot.roles import facilitator_only
from bot.text import Text
from domain.consult import parse_delay_minutes
from domain.consult_status import Status
from storage import consultations as q
from storage import settings
from storage.engine import flush_deleted
from storage.models import Community, CommunityConsultSettings, Consultation

MAX_RETENTION_DAYS = 3650


async def _policy(ctx) -> Policy:
    async with ctx.services.db() as session:
        return await load_policy(session, ctx.community, ctx.services.config.consultations)


async def _save(ctx, **values: object) -> Policy:
    async with ctx.services.db() as session:
        row = await settings.change(session, CommunityConsultSettings, ctx.community.id, **values)
        await session.commit()
        return policy(ctx.community, row, ctx.services.config.consultations)


def _on_off(ctx, value: bool) -> str:
    return ctx.t("consult.on" if value else "consult.off").plain


def _delay_text(ctx, rules: Policy) -> str:
    return describe_delay(ctx, rules.delay)


def _settings_text(ctx, rules: Policy, counts: dict[str, int]) -> Text:
    room = rules.room_id if rules.dedicated_room else ctx.t("consult.community_room").plain
    return ctx.t("consult.settings", room=room, delay=_delay_text(ctx, rules), review=_on_off(ctx, rules.review),
                 retention=rules.retention_days, redact=_on_off(ctx, rules.redact_on_expiry),
                 review_n=counts.get("review", 0), scheduled_n=counts.get("scheduled", 0),
                 posted_n=counts.get("posted", 0), closed_n=counts.get("closed", 0),
                 rejected_n=counts.get("rejected", 0))


@command("consultations", checks=[facilitator_only], scope="room")
async def show(ctx) -> None:
    async with ctx.services.db() as session:
        counts = await q.counts(session, ctx.community.id)
    await ctx.send(_settings_text(ctx, await _policy(ctx), counts))


@command("consultations room", checks=[facilitator_only], scope="room")
async def set_room(ctx, room: str) -> None:
    if room.lower() in ("default", "here", "ici"):
        await _save(ctx, room_id=None)
        await ctx.reply("consult.room_default")
        return
    room_id = await ctx.services.matrix.resolve_room(room)
    if room_id is None or not ctx.services.matrix.in_room(room_id):
        raise BadArgument("consult.bad_room")
    view = ctx.services.rooms(room_id)
    async with ctx.services.db() as session:
        other = (await session.exec(select(Community).where(Community.room_id == room_id))).first()
    # Never a DM or another community's room, and the facilitator must be in it too.
    if (other is not None and other.id != ctx.community.id) or view is None or \
            not view.is_joined(ctx.sender) or len(view.joined_members()) < 2:
        raise BadArgument("consult.room_not_suitable")
    await _save(ctx, room_id=room_id)
    await ctx.reply("consult.room_set", room=room)


@command("consultations delay", checks=[facilitator_only], scope="room")
async def set_delay(ctx, minutes: str, unit: Literal["minutes", "min"] = "minutes") -> None:
    if minutes.lower() in ("off", "0"):
        delay = parse_delay_minutes("0-0")
    else:
        delay = parse_delay_minutes(minutes)
    if delay is None:
        raise BadArgument("consult.bad_delay")
    rules = await _save(ctx, delay_min_s=delay.low_s, delay_max_s=delay.high_s)
    text = ctx.t("consult.delay_set", delay=_delay_text(ctx, rules))
    floor = ctx.services.config.consultations.min_delay_seconds
    if delay.low_s < floor:  # the operator's floor stays: the homeserver sees every post's time
        text += ctx.t("consult.delay_floor", floor=floor)
    await ctx.send(text)


@command("consultations review", checks=[facilitator_only], scope="room")
async def set_review(ctx, state: Literal["on", "off"]) -> None:
    await _save(ctx, review=state == "on")
    await ctx.reply("consult.review_on" if state == "on" else "consult.review_off", prefix=ctx.prefix)


@command("consultations retention", checks=[facilitator_only], scope="room")
async def set_retention(ctx, days: int) -> None:
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise BadArgument("consult.bad_retention", limit=MAX_RETENTION_DAYS)
    await _save(ctx, retention_days=days)
    await ctx.reply("consult.retention_set", days=days)


@command("consultations redact", checks=[facilitator_only], scope="room")
async def set_redact(ctx, state: Literal["on", "off"]) -> None:
    await _save(ctx, redact_on_expiry=state == "on")
    await ctx.reply("consult.redact_set", state=_on_off(ctx, state == "on"))


@command("queue", aliases=("file",), checks=[facilitator_only], scope="room")
async def queue(ctx) -> None:
    """The waiting texts go to the facilitator's DM: the community room must not see rejected ones."""
    async with ctx.services.db() as session:
        waiting = await q.in_review(session, ctx.community.id)
    if not waiting:
        await ctx.reply("consult.queue_empty")
        return
    items = [ctx.t("consult.queue_item", label=row.label, text=row.text or "",
                   categories=categories_text(ctx.services, ctx.lang, row.categories)) for row in waiting]
    try:
        dm = await ctx.services.matrix.dm_room(ctx.sender, exclude=await community_rooms(ctx.services))
    except RuntimeError:
        raise CheckFailure("consult.no_dm") from None
    await ctx.services.sender.send(dm, ctx.t("consult.queue", name=ctx.community.name, count=len(waiting),
                                             prefix=ctx.prefix) + Text.join(items))
    await ctx.reply("consult.queue_sent", count=len(waiting))


async def _waiting(ctx, label: str) -> Consultation:
    async with ctx.services.db() as session:
        row = await q.by_label(session, ctx.community.id, label)
    if row is None or row.status != Status.REVIEW:
        raise BadArgument("consult.not_in_queue", label=label[:40], prefix=ctx.prefix)
    return row


@command("approve", aliases=("approuver",), checks=[facilitator_only], scope="room")
async def approve(ctx, label: str) -> None:
    row = await _waiting(ctx, label)
    rules = await _policy(ctx)
    now = ctx.services.clock.now()
    async with ctx.services.db() as session:
        row = await session.get(Consultation, row.id)
        if row.status != Status.REVIEW:  # withdrawn by the member meanwhile
            raise BadArgument("consult.not_in_queue", label=label[:40], prefix=ctx.prefix)
        move(row, Status.SCHEDULED, decided_at=now)
        row.due_at = now + timedelta(seconds=rules.delay.pick())
        session.add(row)
        await session.commit()
    ctx.services.scheduler.at(PROVIDER, f"c{row.id}", row.due_at)
    await ctx.reply("consult.approved", label=row.label, delay=_delay_text(ctx, rules))


@command("reject", aliases=("rejeter",), checks=[facilitator_only], scope="room")
async def reject(ctx, label: str, *, reason: str) -> None:
    row = await _waiting(ctx, label)
    if len(reason) > 500:
        raise BadArgument("consult.reason_too_long", limit=500)
    async with ctx.services.db() as session:
        row = await session.get(Consultation, row.id)
        if row.status != Status.REVIEW:
            raise BadArgument("consult.not_in_queue", label=label[:40], prefix=ctx.prefix)
        # The text is deleted at once; only the reason stays, for the member's `status <code>`.
        move(row, Status.REJECTED, note=reason, decided_at=ctx.services.clock.now())
        session.add(row)
        await session.commit()
    await flush_deleted(ctx.services.db)
    await ctx.reply("consult.rejected", label=row.label)
