"""The five-stage lifecycle: show, move on, set, history."""

from __future__ import annotations

from typing import Literal

from bot.framework import CheckFailure, command
from bot.roles import FACILITATOR, anyone_in_community, facilitator_only
from bot.text import Text
from domain.stages import STAGES, Signals, next_stage, suggest
from domain.timefmt import local
from bot.checkins.records import impact_count
from bot.sectors.directory import listed
from domain.sectors import SECTORS, present
from storage import communities as q
from storage import consultations as consult_q
from storage import prompts as prompt_q
from storage.models import Community

StageName = Literal["potential", "coalescing", "maturing", "stewardship", "transformation"]
assert set(StageName.__args__) == set(STAGES)


async def signals_of(ctx, community: Community) -> Signals:
    room = ctx.services.rooms(community.room_id)
    async with ctx.services.db() as session:
        posters = await q.poster_count(session, community.id)
        consultations = await consult_q.posted_count(session, community.id)
        replies = await prompt_q.reply_total(session, community.id)
        impacts = await impact_count(session, community.id)
        people = await listed(ctx.services, session, community)
    return Signals(members=len(room.joined_members()) if room else 0, posters=posters,
                   prompt_replies=replies, consultations=consultations, impacts=impacts,
                   in_stage=ctx.services.clock.now() - community.stage_since,
                   sectors=present(p.sectors for p in people))


@command("stage", checks=[anyone_in_community])
async def stage(ctx) -> None:
    c = ctx.community
    s = await signals_of(ctx, c)
    advice = suggest(c.stage, s)
    nxt = next_stage(c.stage)
    await ctx.send(ctx.t(
        "stage.show", name=ctx.t(f"stage.{c.stage}.name").plain,
        meaning=ctx.t(f"stage.{c.stage}.meaning").plain, aim=ctx.t(f"stage.{c.stage}.aim").plain,
        since=local(c.stage_since, c.timezone), members=s.members, posters=s.posters,
        replies=s.prompt_replies, consultations=s.consultations, impacts=s.impacts,
        sectors=s.sectors, sectors_total=len(SECTORS),
        suggestion=ctx.t(f"stage.suggest.{advice.reason}",
                         next=ctx.t(f"stage.{nxt}.name").plain if nxt else "").plain,
        prefix=ctx.prefix))


async def _move(ctx, to: str, note: str) -> None:
    c = ctx.community
    if to == c.stage:
        raise CheckFailure("stage.already", name=ctx.t(f"stage.{to}.name").plain)
    now = ctx.services.clock.now()
    async with ctx.services.db() as session:
        row = await session.get(Community, c.id)
        before = row.stage
        q.change_stage(session, row, to, now, FACILITATOR, note)
        await session.commit()  # the stage and its history row together
    c.stage, c.stage_since = to, now
    await ctx.send(ctx.t("stage.announce", before=ctx.t(f"stage.{before}.name").plain,
                         name=ctx.t(f"stage.{to}.name").plain,
                         meaning=ctx.t(f"stage.{to}.meaning").plain,
                         aim=ctx.t(f"stage.{to}.aim").plain,
                         note=note or "-"), msgtype="m.text")


@command("stage next", checks=[facilitator_only])
async def stage_next(ctx, *, note: str = "") -> None:
    nxt = next_stage(ctx.community.stage)
    if nxt is None:
        raise CheckFailure("stage.last", prefix=ctx.prefix)
    await _move(ctx, nxt, note)


@command("stage set", checks=[facilitator_only])
async def stage_set(ctx, stage: StageName, *, note: str = "") -> None:
    await _move(ctx, stage, note)


@command("stage history", checks=[anyone_in_community])
async def stage_history(ctx) -> None:
    c = ctx.community
    async with ctx.services.db() as session:
        rows = await q.history(session, c.id)
    lines = []
    for r in rows:
        before = ctx.t(f"stage.{r.from_stage}.name").plain if r.from_stage else "-"
        lines.append(ctx.t("stage.history_line", when=local(r.at, c.timezone), before=before,
                           after=ctx.t(f"stage.{r.to_stage}.name").plain,
                           role=ctx.t(f"role.{r.by_role}").plain, note=r.note or "-").plain)
    await ctx.send(ctx.t("stage.history", listing=Text.escaped("\n".join(lines))))
