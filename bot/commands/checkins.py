"""Practice-impact check-ins and impact reports, the member's side, in a DM.

Entries are stored under the member's keyed pseudonym (bot/keys.impact_key),
never the user id; free text is scrubbed before it is stored, and the member
sees the stored version.
"""

from __future__ import annotations

import asyncio

from bot import features
from bot.checkins import texts as ctexts
from bot.checkins.rounds import sync_rounds
from bot.checkins.records import answers_of, entries, for_period, period_now, save
from bot.framework import BadArgument, CheckFailure, command
from bot.keys import impact_key
from bot.membership import communities_of
from bot.roles import facilitator_only
from bot.scrubbing import scrubbed
from bot.dialogs import Entry, converse
from domain.checkins import CANCELLED, DONE, CheckinError, parse_tags, start, step, takes_text, trend
from domain.dialog import Reply
from domain.prompts import split_tags
from domain.timefmt import local
from storage import settings
from storage.engine import flush_deleted
from storage.models import Checkin, CheckinOptOut, CheckinSettings, Community, ImpactReport

MAX_IMPACT_CHARS = 2000


def _scrub(ctx):
    """The story or impact as stored: scrubbed, labels in the member's language."""
    catalogue, lang = ctx.services.catalogue, ctx.lang
    return lambda text: scrubbed(catalogue, lang, text)[0]


def _me(ctx) -> str:
    return impact_key(ctx.services.keyring, ctx.sender)


async def _pick(ctx, words: list[str]) -> tuple[Community, list[str]]:
    """The community a DM command is about: the only one, or the slug given first."""
    mine = await communities_of(ctx.services, ctx.sender)
    if not mine:
        raise CheckFailure("checkin.no_community")
    if words and (chosen := next((c for c in mine if c.slug == words[0].lower()), None)):
        return chosen, words[1:]
    if len(mine) == 1:
        return mine[0], words
    raise CheckFailure("checkin.which", slugs=", ".join(c.slug for c in mine), prefix=ctx.prefix)


async def _answer(ctx, key: str, params: dict) -> None:
    await ctx.send(ctexts.render(ctx.t, key, params))


@command("checkin", aliases=("bilan",), scope="dm")
async def checkin(ctx, *, rest: str = "") -> None:
    community, words = await _pick(ctx, rest.split())
    ctx.lang = community.language
    async with ctx.services.db() as session:
        period = await period_now(session, community.id, ctx.services.clock.now())
        earlier = await for_period(session, community.id, _me(ctx), period) if period else None
    try:
        draft, key, params = start(period, replacing=earlier is not None)
    except CheckinError as exc:
        raise CheckFailure(exc.key, **exc.params) from None
    desk = ctx.services.checkin_desk
    desk.drop(ctx.room_id, ctx.sender)
    desk.open(ctx.room_id, ctx.sender, draft, lang=community.language, community_id=community.id)
    if words and earlier is None:  # `checkin 4 3 3 1 n`: the answers came with the command
        await intercept(ctx, " ".join(words))
        return
    await _answer(ctx, key, params)


OWNS = frozenset({"cancel"})  # `cancel` stops the check-in, not a consultation draft


async def intercept(ctx, text: str) -> bool:
    """While a check-in is open in this DM, the member's messages are its answers."""
    return await converse(ctx, ctx.services.checkin_desk, text, owns=OWNS, takes_text=takes_text,
                          step=_step, act=_act)


async def _step(ctx, entry: Entry, text: str) -> Reply:
    return await asyncio.to_thread(step, entry.draft, text, scrub=_scrub(ctx))  # scrubbing: off the loop


async def _act(ctx, entry: Entry, reply: Reply) -> None:
    desk, draft = ctx.services.checkin_desk, reply.draft
    if draft.step == DONE:
        desk.drop(ctx.room_id, ctx.sender)
        async with ctx.services.db() as session:
            replaced = await for_period(session, entry.community_id, _me(ctx), draft.period)
            await save(session, entry.community_id, _me(ctx), draft, ctx.services.clock.now())
            await session.commit()
        if replaced is not None:  # the earlier answers and story must leave the files too
            await flush_deleted(ctx.services.db)
    elif draft.step == CANCELLED:
        desk.drop(ctx.room_id, ctx.sender)
    elif reply.understood:
        desk.answered(entry, draft)
    await _answer(ctx, reply.key, reply.params)


@command("checkins", aliases=("bilans",), scope="dm")
async def checkins_switch(ctx, state: str) -> None:
    value = {"on": True, "off": False, "oui": True, "non": False}.get(state.lower())
    if value is None:
        raise BadArgument("error.not_a_choice", name="state", choices="on | off")
    async with ctx.services.db() as session:
        row = await session.get(CheckinOptOut, _me(ctx))
        if value and row is not None:
            await session.delete(row)
        elif not value and row is None:
            session.add(CheckinOptOut(member_key=_me(ctx), at=ctx.services.clock.now()))
        await session.commit()
    await ctx.reply("checkin.opted_in" if value else "checkin.opted_out", prefix=ctx.prefix)


@command("impact", scope="dm")
async def impact(ctx, *, text: str) -> None:
    community, words = await _pick(ctx, text.split())
    ctx.lang = community.language
    body, tag_words = split_tags(" ".join(words))  # trailing #tags, as in `prompt add`
    tags = parse_tags(" ".join(tag_words))
    if not body:
        raise BadArgument("checkin.impact_empty")
    if len(body) > MAX_IMPACT_CHARS:
        raise BadArgument("checkin.text_too_long", limit=MAX_IMPACT_CHARS, length=len(body))
    stored = await asyncio.to_thread(_scrub(ctx), body)  # scrubbing stays off the event loop
    now = ctx.services.clock.now()
    async with ctx.services.db() as session:
        period = await period_now(session, community.id, now)
        row = ImpactReport(community_id=community.id, member_key=_me(ctx), period=period, text=stored,
                           tags=",".join(tags), created_at=now)
        session.add(row)
        await session.commit()
    await ctx.reply("checkin.impact_saved", id=f"i{row.id}", text=stored, tags=", ".join(tags) or "-",
                    prefix=ctx.prefix)


def _short(row) -> str:
    return f"c{row.id}" if isinstance(row, Checkin) else f"i{row.id}"


@command("myimpacts", aliases=("mesimpacts", "my impacts"), scope="dm")
async def myimpacts(ctx) -> None:
    async with ctx.services.db() as session:
        checkins, impacts = await entries(session, _me(ctx))
    if not checkins and not impacts:
        await ctx.reply("checkin.mine_empty", prefix=ctx.prefix)
        return
    tz = ctx.services.config.bot.timezone
    lines = [ctx.t("checkin.mine_checkin", id=_short(c), period=c.period, when=local(c.created_at, tz),
                   answers=" ".join("n" if a is None else str(a) for a in answers_of(c.answers)),
                   text=c.text or "-").plain for c in checkins]
    lines += [ctx.t("checkin.mine_impact", id=_short(i), period=i.period, when=local(i.created_at, tz),
                    text=i.text).plain for i in impacts]
    result = trend((c.period, answers_of(c.answers)) for c in checkins)
    points = ", ".join(ctx.t("checkin.trend_point", period=p.period,
                             mean="-" if p.mean is None else f"{p.mean:.1f}").plain for p in result.points)
    direction = ctx.t(f"checkin.trend.{result.direction or 'none'}").plain
    await ctx.send(ctx.t("checkin.mine", entries="\n".join(lines), points=points or "-", direction=direction,
                         prefix=ctx.prefix))


@command("impact delete", aliases=("impact supprimer",), scope="dm")
async def impact_delete(ctx, entry_id: str) -> None:
    kind, number = entry_id[:1].lower(), entry_id[1:]
    model = {"c": Checkin, "i": ImpactReport}.get(kind)
    if model is None or not number.isdigit() or len(number) > 9:
        raise BadArgument("checkin.bad_entry", id=entry_id[:12], prefix=ctx.prefix)
    async with ctx.services.db() as session:
        row = await session.get(model, int(number))
        if row is None or row.member_key != _me(ctx):  # someone else's entry looks just like a missing one
            raise BadArgument("checkin.bad_entry", id=entry_id[:12], prefix=ctx.prefix)
        await session.delete(row)
        await session.commit()
    await flush_deleted(ctx.services.db)
    await ctx.reply("checkin.deleted", id=entry_id.lower())


@command("forget-me", aliases=("oubliez-moi", "forget me"), scope="dm")
async def forget_me(ctx, confirm: str = "") -> None:
    async with ctx.services.db() as session:
        checkins, impacts = await entries(session, _me(ctx))
        if confirm.lower() not in ("confirm", "confirmer"):
            await ctx.reply("checkin.forget_ask", count=len(checkins) + len(impacts), prefix=ctx.prefix)
            return
        count = await features.forget_member(session, ctx.services, ctx.sender)
        await session.commit()
    await flush_deleted(ctx.services.db)
    ctx.services.checkin_desk.drop(ctx.room_id, ctx.sender)
    await ctx.reply("checkin.forgotten", count=count)


@command("checkins after", aliases=("bilans après",), checks=[facilitator_only], scope="room")
async def checkins_after(ctx, days: int, unit: str = "days") -> None:
    if unit.lower() not in ("days", "day", "jours", "jour") or not 1 <= days <= 60:
        raise BadArgument("checkin.bad_days")
    async with ctx.services.db() as session:
        await settings.change(session, CheckinSettings, ctx.community.id, invite_after_s=days * 86400)
        await session.commit()
    await sync_rounds(ctx.services, ctx.community.id)
    await ctx.reply("checkin.days_set", days=days)
