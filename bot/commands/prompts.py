"""Reflective prompts: post one now, list them, add custom ones, and set the cadence."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.framework import BadArgument, command
from bot.prompts.library import all_prompts, find, history, hours_of
from bot.prompts.posting import next_due, post, replan
from bot.roles import anyone_in_community, facilitator_only
from bot.text import Text
from bot.workshops import texts
from domain.prompts import (MAX_CUSTOM_LENGTH, choose, custom_prompt, is_custom_id, last_posted,
                            next_custom_id, parse_cadence, parse_hours, split_tags)
from domain.stages import STAGES
from storage import prompts as q
from storage import settings
from storage.models import CustomPrompt, PromptSettings


@command("prompt", aliases=("question",), checks=[facilitator_only], scope="room")
async def prompt_now(ctx, prompt_id: str = "") -> None:
    """`prompt` posts the next one for the current stage; `prompt C4` posts that one."""
    async with ctx.services.db() as session:
        if prompt_id:
            chosen = await find(session, ctx.services.library, ctx.community.id, prompt_id)
            if chosen is None:
                raise BadArgument("prompt.unknown", id=prompt_id[:12], prefix=ctx.prefix)
        else:
            stage_prompts = [p for p in await all_prompts(session, ctx.services.library, ctx.community.id)
                             if p.stage == ctx.community.stage]
            chosen = choose(stage_prompts, await history(session, ctx.community.id))
            if chosen is None:
                raise BadArgument("prompt.none_for_stage", prefix=ctx.prefix)
    await post(ctx.services, ctx.community, chosen, "command")


async def _settings_text(ctx) -> Text:
    async with ctx.services.db() as session:
        row = await q.settings(session, ctx.community.id)
        due = await next_due(session, ctx.community, ctx.services.clock.now())
    if row.mode == "off":
        cadence = ctx.t("prompt.cadence_off").plain
    elif row.mode == "every":
        cadence = ctx.t("prompt.cadence_every", days=row.every_days, at=row.at_time or "-").plain
    else:
        cadence = ctx.t("prompt.cadence_default").plain
    nxt = texts.when(ctx.t, due, ctx.community.timezone) if due else "-"
    return ctx.t("prompt.settings", cadence=cadence, hours=str(hours_of(row)), next=nxt, prefix=ctx.prefix)


@command("prompts", aliases=("questions",), checks=[anyone_in_community], scope="room")
async def list_prompts(ctx) -> None:
    async with ctx.services.db() as session:
        prompts = await all_prompts(session, ctx.services.library, ctx.community.id)
        last = last_posted(await history(session, ctx.community.id))
    blocks = []
    for stage in STAGES:
        items = []
        for p in (p for p in prompts if p.stage == stage):
            when = texts.when(ctx.t, last[p.id], ctx.community.timezone) if p.id in last else \
                ctx.t("prompt.never").plain
            items.append(ctx.t("prompt.list_item", id=p.id, tags=", ".join(p.tags) or "-", last=when).plain)
        blocks.append(ctx.t("prompt.list_stage", stage=texts.stage(ctx.t, stage), items="\n".join(items) or "-",
                            current=ctx.t("prompt.current").plain if stage == ctx.community.stage else ""))
    await ctx.send(ctx.t("prompt.list", name=ctx.community.name) + Text.join(blocks) + await _settings_text(ctx))


@command("prompt add", aliases=("question ajouter",), checks=[facilitator_only], scope="room")
async def add(ctx, stage: str, *, text: str) -> None:
    stage = stage.lower()
    body, tags = split_tags(text)
    if len(body) > MAX_CUSTOM_LENGTH:
        raise BadArgument("prompt.too_long", limit=MAX_CUSTOM_LENGTH)
    async with ctx.services.db() as session:
        codes = [r.code for r in await q.customs(session, ctx.community.id, removed=True)]
        code = next_custom_id(codes)
        made = custom_prompt(code, stage, body, tags, lang=ctx.lang)  # a PromptError is answered with the usage
        session.add(CustomPrompt(community_id=ctx.community.id, code=code, stage=stage, text=made.text(ctx.lang),
                                 lang=ctx.lang, tags=",".join(made.tags), created_at=ctx.services.clock.now()))
        await session.commit()
    await ctx.reply("prompt.added", id=code, stage=texts.stage(ctx.t, stage), prefix=ctx.prefix)


@command("prompt remove", aliases=("question retirer",), checks=[facilitator_only], scope="room")
async def remove(ctx, prompt_id: str) -> None:
    wanted = prompt_id.upper()
    if not is_custom_id(wanted):
        raise BadArgument("prompt.not_custom", id=prompt_id[:12])
    async with ctx.services.db() as session:
        row = (await session.exec(select(CustomPrompt).where(
            CustomPrompt.community_id == ctx.community.id, CustomPrompt.code == wanted,
            CustomPrompt.removed_at.is_(None)))).first()
        if row is None:
            raise BadArgument("prompt.unknown", id=prompt_id[:12], prefix=ctx.prefix)
        row.removed_at = ctx.services.clock.now()
        session.add(row)
        await session.commit()
    await ctx.reply("prompt.removed", id=wanted)


async def _save(ctx, **values: object) -> None:
    async with ctx.services.db() as session:
        await settings.change(session, PromptSettings, ctx.community.id, **values)
        await session.commit()
    await replan(ctx.services, ctx.community.id)


@command("prompts every", aliases=("questions chaque",), checks=[facilitator_only], scope="room")
async def every(ctx, *, cadence: str) -> None:
    parsed = parse_cadence("every " + cadence)
    today = ctx.services.clock.now().astimezone(ZoneInfo(ctx.community.timezone)).date()
    await _save(ctx, mode="every", every_days=parsed.every_days, anchor=today.isoformat(),
                at_time=parsed.at.strftime("%H:%M") if parsed.at else None)
    await ctx.send(ctx.t("prompt.cadence_set") + await _settings_text(ctx))


@command("prompts off", aliases=("questions off",), checks=[facilitator_only], scope="room")
async def off(ctx) -> None:
    await _save(ctx, mode="off")
    await ctx.send(ctx.t("prompt.cadence_stopped") + await _settings_text(ctx))


@command("prompts auto", aliases=("questions auto",), checks=[facilitator_only], scope="room")
async def auto(ctx) -> None:
    await _save(ctx, mode=None, every_days=None, at_time=None, anchor=None)
    await ctx.send(ctx.t("prompt.cadence_set") + await _settings_text(ctx))


@command("prompts hours", aliases=("questions heures",), checks=[facilitator_only], scope="room")
async def hours(ctx, *, spec: str) -> None:
    parsed = parse_hours(spec)
    await _save(ctx, hours=str(parsed))
    await ctx.send(ctx.t("prompt.hours_set") + await _settings_text(ctx))
