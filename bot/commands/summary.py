"""Coordinator summaries: aggregates only, always delivered in the asker's DM."""

from __future__ import annotations

import asyncio
import logging

from sqlmodel import select

from bot.attachments import attach
from bot.framework import BadArgument, CheckFailure, command
from bot.logs import fields
from bot.membership import community_rooms
from bot.roles import COORDINATOR, FACILITATOR, facilitator_only, roles_in
from bot.summaries.gather import NothingSince, NotYet, StillOpen, gather, min_group
from bot.summaries.render import Renderer, csv_files, notes, render
from bot.workshops import texts
from domain.disclosure import MIN_GROUP_FLOOR
from bot.summaries.chart import chart_png
from domain.workshops import parse_date
from storage import settings
from storage.models import Community, SummarySettings

log = logging.getLogger(__name__)
ALLOWED = {COORDINATOR, FACILITATOR}


def _parse(args: str) -> dict:
    words, out = args.split(), {"scope": "series", "csv": False, "chart": False, "cop": None}
    it = iter(words)
    for word in it:
        w = word.lower()
        if w in ("series", "série", "serie"):
            out["scope"] = "series"
        elif w in ("workshop", "atelier"):
            number = next(it, "")
            if not number.isdigit() or len(number) > 4:
                raise BadArgument("summary.bad_workshop")
            out["scope"], out["workshop"] = "workshop", int(number)
        elif w in ("since", "depuis"):
            out["scope"], out["since"] = "since", parse_date(next(it, ""))
        elif w == "csv":
            out["csv"] = True
        elif w in ("chart", "graphique"):
            out["chart"] = True
        elif w == "--cop":
            out["cop"] = next(it, "").lower() or None
            if out["cop"] is None:
                raise BadArgument("error.missing_argument", name="--cop <slug>")
        else:
            raise BadArgument("summary.unknown_word", value=word[:30])
    return out


async def _community(ctx, slug: str | None) -> Community:
    """The community asked about: this room's, the one named, or the asker's only one."""
    if ctx.community is not None and slug is None:
        if not await roles_in(ctx.services, ctx.community, ctx.sender) & ALLOWED:
            raise CheckFailure("error.need_role", roles=_roles(ctx))
        return ctx.community
    async with ctx.services.db() as session:
        rows = (await session.exec(select(Community).order_by(Community.slug))).all()
    mine = [c for c in rows if await roles_in(ctx.services, c, ctx.sender) & ALLOWED]
    if slug is not None:
        chosen = next((c for c in mine if c.slug == slug), None)
        if chosen is None:  # unknown and not yours look the same
            raise CheckFailure("summary.not_yours", slug=slug[:40])
        return chosen
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise CheckFailure("error.need_role", roles=_roles(ctx))
    raise CheckFailure("summary.which", slugs=", ".join(c.slug for c in mine), prefix=ctx.prefix)


def _roles(ctx) -> str:
    return ", ".join(ctx.t(f"role.{r}").plain for r in (COORDINATOR, FACILITATOR))


@command("summary", aliases=("synthèse", "synthese"))
async def summary(ctx, *, args: str = "") -> None:
    request = _parse(args)
    community = await _community(ctx, request["cop"])
    ctx.lang = community.language
    k = await min_group(ctx.services, community.id)
    try:
        found = await gather(ctx.services, community, request["scope"], workshop=request.get("workshop"),
                             since=request.get("since"), k=k)
    except NotYet:
        raise BadArgument("summary.no_such_workshop", number=request["workshop"], prefix=ctx.prefix) from None
    except StillOpen as open_:
        raise CheckFailure("summary.still_open", number=open_.workshop.number,
                           when=texts.when(ctx.t, open_.workshop.starts_at, community.timezone)) from None
    except NothingSince as none:
        nxt = none.next_workshop
        raise CheckFailure("summary.nothing_since", since=request["since"].isoformat(),
                           next=ctx.t("summary.nothing_since_next", number=nxt.number,
                                      when=texts.when(ctx.t, nxt.starts_at, community.timezone)).plain
                           if nxt else "") from None
    columns, total = found.columns, found.total
    renderer = Renderer(ctx.t, community.timezone, k, found.disclosure)
    title = ctx.t(f"summary.title_{request['scope']}", name=community.name, number=request.get("workshop", ""),
                  since=request.get("since", ""))
    dm = ctx.room_id if ctx.is_dm else \
        await ctx.services.matrix.dm_room(ctx.sender, exclude=await community_rooms(ctx.services))
    thread = ctx.thread_root if ctx.is_dm else None  # a room's thread does not exist in the DM
    await ctx.services.sender.send(dm, render(renderer, title, columns, total, notes(renderer, found)), thread_root=thread)
    files = csv_files(renderer, columns, total) if request["csv"] else {}
    for name, data in files.items():
        await attach(ctx.services, dm, f"{community.slug}-{name}", data, "text/csv", thread_root=thread)
    if request["chart"]:
        png = await asyncio.to_thread(chart_png, renderer, columns, community.name)
        await attach(ctx.services, dm, f"{community.slug}-summary.png", png, "image/png", "m.image",
                     thread_root=thread)
    log.info("summary.sent", **fields(community=community.id, scope=request["scope"]))
    if not ctx.is_dm:
        await ctx.reply("summary.sent_to_dm")


@command("summary min-group", aliases=("synthèse min-group",), checks=[facilitator_only], scope="room")
async def set_min_group(ctx, size: int) -> None:
    floor = max(MIN_GROUP_FLOOR, ctx.services.config.summaries.min_group_size)
    if not floor <= size <= 100:
        raise BadArgument("summary.bad_min_group", floor=floor)
    async with ctx.services.db() as session:
        await settings.change(session, SummarySettings, ctx.community.id, min_group_size=size)
        await session.commit()
    await ctx.reply("summary.min_group_set", n=size)
