"""The sector directory (issue 23): members opt in with their sectors, see who is there, and
may mute the mentions that consultations asking for their sector bring."""

from __future__ import annotations

from typing import Literal

from bot.framework import BadArgument, CheckFailure, command
from bot.roles import MEMBER, anyone_in_community, role
from bot.sectors.directory import directory_key, listed
from domain.sectors import BY_ID, SECTORS, coverage, find, names, parse_declaration
from storage import sectors as q
from storage.models import SectorEntry

# Joined to the room: the directory is the members' own, so coordinators outside the room neither
# join it nor read it (they see the counts of `sectors`).
members_only = role(MEMBER)


def _key(ctx) -> str:
    return directory_key(ctx.services.keyring, ctx.community.id, ctx.sender)


def _tags(tags) -> str:
    return " ".join(f"#{t}" for t in tags) or "-"


@command("sector", aliases=("secteur",), checks=[members_only], scope="room")
async def sector(ctx, *, text: str) -> None:
    declared = parse_declaration(text)
    now = ctx.services.clock.now()
    async with ctx.services.db() as session:
        row = await q.entry(session, ctx.community.id, _key(ctx))
        if row is None:
            row = SectorEntry(community_id=ctx.community.id, member_key=_key(ctx), sectors="", since=now)
        row.sectors, row.tags = ",".join(declared.sectors), ",".join(declared.tags)
        session.add(row)
        await session.commit()
        quiet = row.quiet
    await ctx.reply("sector.saved", community=ctx.community.name, sectors=names(declared.sectors, ctx.lang),
                    tags=_tags(declared.tags), n=ctx.services.config.consultations.mention_experts,
                    quiet=ctx.t("sector.is_quiet" if quiet else "sector.not_quiet", prefix=ctx.prefix).plain,
                    prefix=ctx.prefix)


@command("sector off", aliases=("secteur off", "secteur retirer"), checks=[members_only], scope="room")
async def sector_off(ctx) -> None:
    async with ctx.services.db() as session:
        gone = await q.remove(session, ctx.community.id, _key(ctx))
        await session.commit()
    await ctx.reply("sector.removed" if gone else "sector.not_in", prefix=ctx.prefix)


@command("sector quiet", aliases=("secteur discret",), checks=[members_only], scope="room")
async def sector_quiet(ctx, setting: Literal["on", "off"]) -> None:
    async with ctx.services.db() as session:
        row = await q.entry(session, ctx.community.id, _key(ctx))
        if row is None:
            raise CheckFailure("sector.not_in", prefix=ctx.prefix)
        row.quiet = setting == "on"
        session.add(row)
        await session.commit()
    await ctx.reply("sector.quiet_on" if setting == "on" else "sector.quiet_off", prefix=ctx.prefix)


@command("directory", aliases=("annuaire",), checks=[members_only], scope="room")
async def directory(ctx, *, sector: str = "") -> None:
    wanted = None
    if sector:
        wanted = find(sector.strip().lstrip("#"))
        if wanted is None:
            raise BadArgument("sector.unknown", word=sector[:40])
    async with ctx.services.db() as session:
        people = await listed(ctx.services, session, ctx.community)
    if wanted is not None:
        people = [p for p in people if wanted in p.sectors]
    if not people:
        key = "sector.directory_empty_sector" if wanted else "sector.directory_empty"
        await ctx.reply(key, sector=BY_ID[wanted].name(ctx.lang) if wanted else "", prefix=ctx.prefix)
        return
    lines = "\n".join(ctx.t("sector.directory_line", user=p.user_id, sectors=names(p.sectors, ctx.lang),
                            tags=_tags(p.tags)).plain for p in people)
    title = ctx.t("sector.directory_title_sector", sector=BY_ID[wanted].name(ctx.lang), count=len(people)) \
        if wanted else ctx.t("sector.directory_title", community=ctx.community.name, count=len(people))
    await ctx.send(title + ctx.t("sector.directory", lines=lines, prefix=ctx.prefix))


@command("sectors", aliases=("secteurs",), checks=[anyone_in_community], scope="room")
async def sectors(ctx) -> None:
    async with ctx.services.db() as session:
        people = await listed(ctx.services, session, ctx.community)
    counts = coverage(p.sectors for p in people)
    lines = "\n".join(ctx.t("sector.count_line", sector=s.name(ctx.lang), n=counts[s.id]).plain
                      for s in SECTORS if counts[s.id])
    missing = [s.id for s in SECTORS if not counts[s.id]]
    await ctx.reply("sector.counts", community=ctx.community.name, members=len(people), lines=lines or "-",
                    covered=len(SECTORS) - len(missing), total=len(SECTORS),
                    uncovered=names(missing, ctx.lang) if missing else ctx.t("sector.all_covered").plain,
                    prefix=ctx.prefix)
