"""Setting up a community, its roles, settings, status and closing it."""

from __future__ import annotations

import difflib
import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot import features
from bot.checks import room_only
from bot.framework import BadArgument, CheckFailure, command
from bot.roles import FACILITATOR, MEMBER, anyone_in_community, facilitator_only, roles_in
from bot.text import Text
from domain.slugs import slugify
from domain.timefmt import local
from bot.workshops import texts
from bot.workshops.series import next_workshop
from storage import communities as q
from storage.models import Community, CommunityLink, CommunityRole, StageChange

USER_ID = re.compile(r"^@[^\s:]+:\S+$")
MAX_NAME = 80


def _split_setup(args: str) -> tuple[str, list[str]]:
    """`name words --from a --from b` -> ("name words", ["a", "b"])."""
    words, parents, it = [], [], iter(args.split())
    for word in it:
        if word == "--from":
            slug = next(it, None)
            if slug is None:
                raise BadArgument("error.missing_argument", name="--from <slug>")
            parents.append(slug.lower())
        else:
            words.append(word)
    return " ".join(words), parents


@command("setup", checks=[room_only])
async def setup(ctx, *, args: str) -> None:
    name, parent_slugs = _split_setup(args)
    if not name or len(name) > MAX_NAME:
        raise BadArgument("error.bad_name", limit=MAX_NAME)
    if ctx.community is not None:
        raise CheckFailure("community.already", name=ctx.community.name, slug=ctx.community.slug)
    threshold = ctx.services.config.bot.facilitator_power_level
    room = ctx.services.rooms(ctx.room_id)
    if room is None or room.power_level(ctx.sender) < threshold:
        raise CheckFailure("community.setup_power", level=threshold)
    now = ctx.services.clock.now()
    async with ctx.services.db() as session:
        parents = []
        for slug in parent_slugs:
            parent = await q.by_slug(session, slug)
            if parent is None:
                raise BadArgument("community.unknown_parent", slug=slug)
            if FACILITATOR not in await roles_in(ctx.services, parent, ctx.sender):
                raise CheckFailure("community.parent_not_yours", slug=slug)
            parents.append(parent)
        community = Community(
            slug=slugify(name, await q.slugs(session)), name=name, room_id=ctx.room_id,
            stage="potential", stage_since=now, timezone=ctx.services.config.bot.timezone,
            language=ctx.lang, created_at=now)
        session.add(community)
        await session.flush()
        session.add(CommunityRole(community_id=community.id, user_id=ctx.sender, role=FACILITATOR))
        session.add(StageChange(community_id=community.id, at=now, from_stage=None, to_stage="potential",
                                by_role=FACILITATOR, note=None))
        for parent in parents:
            session.add(CommunityLink(child_id=community.id, parent_id=parent.id))
        await session.commit()
    ctx.community = community
    lineage = ""
    if parents:
        lineage = ctx.t("community.lineage_from", parents=", ".join(p.slug for p in parents)).plain
    await ctx.send(ctx.t("community.welcome", name=name, slug=community.slug, prefix=ctx.prefix,
                         lineage=lineage,
                         stage=ctx.t(f"stage.{community.stage}.name").plain))


@command("role", checks=[facilitator_only])
async def set_role(ctx, user: str, role: Literal["facilitator", "coordinator", "member"]) -> None:
    if not USER_ID.match(user):
        raise BadArgument("error.bad_user_id")
    async with ctx.services.db() as session:
        for row in await q.grants(session, ctx.community.id):
            if row.user_id == user:
                await session.delete(row)
        if role != MEMBER:
            session.add(CommunityRole(community_id=ctx.community.id, user_id=user, role=role))
        await session.commit()
    await ctx.reply("community.role_set", user=user, role=ctx.t(f"role.{role}").plain)


@command("roles", checks=[facilitator_only])
async def list_roles(ctx) -> None:
    async with ctx.services.db() as session:
        rows = await q.grants(session, ctx.community.id)
    room = ctx.services.rooms(ctx.room_id)
    threshold = ctx.services.config.bot.facilitator_power_level
    by_power = [u for u in (room.joined_members() if room else []) if room.power_level(u) >= threshold]
    away = ctx.t("community.not_in_room").plain
    lines = [f"{r.user_id}: {ctx.t(f'role.{r.role}').plain}"
             + (f" ({away})" if r.role == FACILITATOR and not (room and room.is_joined(r.user_id)) else "")
             for r in rows]
    lines += [f"{u}: {ctx.t('role.facilitator').plain} ({ctx.t('community.by_power').plain})"
              for u in by_power if not any(r.user_id == u and r.role == FACILITATOR for r in rows)]
    await ctx.send(ctx.t("community.roles", listing="\n".join(lines) or "-"))


@command("status", checks=[anyone_in_community], scope="room")
async def status(ctx) -> None:
    c = ctx.community
    parents, children, series = await ctx.services.reads.status_parts(ctx.services.db, c.id)
    upcoming = next_workshop(series, ctx.services.clock.now())
    room = ctx.services.rooms(ctx.room_id)
    state = ctx.t("community.closed_on", when=local(c.closed_at, c.timezone)).plain if c.closed_at else \
        ctx.t("community.open").plain
    await ctx.send(ctx.t(
        "community.status", name=c.name, slug=c.slug, state=state,
        stage=ctx.t(f"stage.{c.stage}.name").plain, since=local(c.stage_since, c.timezone),
        members=len(room.joined_members()) if room else 0,
        parents=", ".join(parents) or "-",
        children=", ".join(children) or "-",
        next=ctx.t("community.next_workshop", number=upcoming.number,
                   when=texts.when(ctx.t, upcoming.starts_at, c.timezone)).plain if upcoming and not c.closed_at
        else ctx.t("community.nothing_scheduled").plain,
    ) + _settings_text(ctx))


async def _update(ctx, **values: object) -> None:
    """Change this community's row and the copy the command holds, in one commit."""
    async with ctx.services.db() as session:
        row = await session.get(Community, ctx.community.id)
        for name, value in values.items():
            setattr(row, name, value)
            setattr(ctx.community, name, value)
        await session.commit()


def _settings_text(ctx) -> Text:
    c = ctx.community
    return ctx.t("community.settings", timezone=c.timezone, language=c.language)


@command("settings", checks=[facilitator_only])
async def settings(ctx) -> None:
    await ctx.send(_settings_text(ctx))


@command("timezone", checks=[facilitator_only])
async def set_timezone(ctx, name: str) -> None:
    try:
        ZoneInfo(name)
        valid = "/" in name or name == "UTC"
    except (ZoneInfoNotFoundError, ValueError):
        valid = False
    if not valid:
        close = difflib.get_close_matches(name, sorted(available_timezones()), n=1, cutoff=0.5)
        raise BadArgument("community.bad_timezone", suggestion=close[0] if close else "America/Toronto")
    await _update(ctx, timezone=name)
    await ctx.reply("community.timezone_set", timezone=name)


@command("language", aliases=("langue",), checks=[facilitator_only])
async def set_language(ctx, language: Literal["en", "fr"]) -> None:
    await _update(ctx, language=language)
    ctx.lang = language
    await ctx.reply("community.language_set")


@command("close", checks=[facilitator_only], scope="room")
async def close(ctx, *, note: str = "") -> None:
    now = ctx.services.clock.now()
    async with ctx.services.db() as session:
        row = await session.get(Community, ctx.community.id)
        row.closed_at, row.closed_note = now, note or None
        await session.commit()
    ctx.community.closed_at, ctx.community.closed_note = now, note or None
    # Each feature stops what it would still do (reminders, prompts, check-ins). Should the bot
    # stop in between, what is left finds the community closed when it falls due, and does nothing.
    await features.community_closed(ctx.services, ctx.community.id, now)
    await ctx.send(ctx.t("community.closed", name=ctx.community.name, note=note or "-"), msgtype="m.text")
