"""The workshop series: planning, editing, listing, reminders and the calendar file."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.framework import BadArgument, CheckFailure, command
from bot.roles import anyone_in_community, facilitator_only
from bot.attachments import attach
from bot.checkins.rounds import sync_rounds
from bot.prompts.posting import replan as replan_prompts
from bot.text import Text
from bot.workshops import texts
from bot.workshops.jobs import mention_shortfall, post_key
from bot.workshops.rules import Rules, load_rules
from bot.workshops.series import Changes, new_uid, remember_post, replan, state_of, sync_reminders
from domain.calendar import CalendarEvent, build
from domain.stages import STAGES
from domain.workshops import (MAX_WORKSHOPS, Occurrence, check_ahead, localize, parse_date, parse_offsets,
                              parse_plan, parse_time, plan)
from storage import settings
from storage import workshops as q
from storage.models import Community, Workshop, WorkshopSettings

URL = re.compile(r"^https?://[^\s<>\"]{3,500}$")
NO_LINK = ("none", "off", "aucun", "aucune")
MAX_TOPIC, MAX_REASON = 200, 300


def _dst_notes(ctx, occurrences: list[Occurrence]) -> Text:
    notes = [ctx.t(f"workshop.dst_{o.note}", when=texts.when(ctx.t, o.start, ctx.community.timezone))
             for o in occurrences if o.note]
    return Text.join(notes)


async def _announce(ctx, text: Text, workshop: Workshop) -> None:
    """Changes are news for the whole room (m.text, outside any thread); reacting to them is an RSVP.

    Prompts and check-in invitations follow the workshops first, so a failed send cannot leave
    them on the old dates."""
    await replan_prompts(ctx.services, ctx.community.id)
    await sync_rounds(ctx.services, ctx.community.id)
    event_ids = await ctx.send(text, msgtype="m.text", thread_root=None)
    async with ctx.services.db() as session:
        await remember_post(session, post_key(ctx.services.keyring, event_ids[0]), workshop.id)
        await session.commit()


async def _rules(ctx) -> Rules:
    async with ctx.services.db() as session:
        return await load_rules(session, ctx.community.id, ctx.services.config.workshops)


def _future_start(ctx, day: str, at: str) -> Occurrence:
    """A single new start; a PlanError reaches the framework, which answers with the usage line."""
    occurrence = localize(datetime.combine(parse_date(day), parse_time(at)), ZoneInfo(ctx.community.timezone))
    if occurrence.start <= ctx.services.clock.now():
        raise BadArgument("workshop.in_the_past", value=f"{day} {at}")
    check_ahead(occurrence.start, ctx.services.clock.now())
    return occurrence


@command("workshops plan", aliases=("ateliers planifier",), checks=[facilitator_only], scope="room")
async def plan_series(ctx, *, args: str = "") -> None:
    now = ctx.services.clock.now()
    request = parse_plan(args.split())
    occurrences = plan(request.first_day, request.at, ZoneInfo(ctx.community.timezone), now,
                       every_weeks=request.every_weeks, rule=request.rule, count=request.count)
    rules = await _rules(ctx)
    async with ctx.services.db() as session:
        future = [w for w in await q.series(session, ctx.community.id) if w.starts_at > now and w.state == "planned"]
        if future and not request.confirm:
            raise CheckFailure("workshop.replan_confirm", count=len(future), prefix=ctx.prefix, args=args.strip())
        planned, changes = await replan(session, ctx.community.id, occurrences,
                                        request.duration_min or rules.duration_min, rules, now)
        await session.commit()
    changes.apply(ctx.services.scheduler)
    items = [ctx.t("workshop.planned_item", number=w.number, when=texts.when(ctx.t, w.starts_at, ctx.community.timezone),
                   stage=texts.stage(ctx.t, w.stage)) for w in planned]
    text = ctx.t("workshop.planned", count=len(planned), name=ctx.community.name) + Text.join(items) + \
        _dst_notes(ctx, occurrences) + ctx.t("workshop.planned_next", first=planned[0].number, prefix=ctx.prefix)
    await _announce(ctx, text, planned[0])


@command("workshops", aliases=("ateliers",), checks=[anyone_in_community], scope="room")
async def list_series(ctx) -> None:
    now = ctx.services.clock.now()
    async with ctx.services.db() as session:
        found = await q.series(session, ctx.community.id)
        counts = await q.counts(session, [w.id for w in found])
    if not found:
        await ctx.reply("workshop.none_planned", prefix=ctx.prefix)
        return
    lines = [texts.line(ctx.t, w, counts[w.id], ctx.community, state_of(w, now)) for w in found]
    await ctx.send(ctx.t("workshop.list", name=ctx.community.name) + Text.join(lines))


async def find_workshop(ctx, session, number: int) -> Workshop:
    """Workshop `number` of this community, or a BadArgument listing the numbers there are."""
    row = await q.by_number(session, ctx.community.id, number)
    if row is None:
        known = sorted(w.number for w in await q.series(session, ctx.community.id))
        raise BadArgument("workshop.unknown_number", number=number,
                          known=", ".join(map(str, known)) or "-", prefix=ctx.prefix)
    return row


def _changeable(ctx, row: Workshop) -> None:
    if row.state == "cancelled":
        raise CheckFailure("workshop.is_cancelled", number=row.number, prefix=ctx.prefix)
    if row.starts_at <= ctx.services.clock.now():
        raise CheckFailure("workshop.already_held", number=row.number)


async def _stage_name(ctx, word: str) -> str:
    wanted = word.lower()
    for stage in STAGES:
        names = {stage} | {ctx.services.catalogue.plain(lang, f"stage.{stage}.name").lower() for lang in ("en", "fr")}
        if wanted in names:
            return stage
    raise BadArgument("workshop.bad_stage", stages=", ".join(texts.stage(ctx.t, s) for s in STAGES))


@command("workshop", aliases=("atelier",), checks=[anyone_in_community], scope="room")
async def workshop(ctx, number: int, action: str = "", *, rest: str = "") -> None:
    """`workshop <n>` shows one; `workshop <n> move|cancel|topic|link|stage …` changes it."""
    verb = {"move": "move", "déplacer": "move", "deplacer": "move", "cancel": "cancel", "annuler": "cancel",
            "topic": "topic", "sujet": "topic", "link": "link", "lien": "link", "stage": "stage",
            "étape": "stage", "etape": "stage"}.get(action.lower()) if action else None
    if action and verb is None:
        raise BadArgument("workshop.unknown_action", action=action[:20])
    if verb is None:
        now = ctx.services.clock.now()
        async with ctx.services.db() as session:
            row = await find_workshop(ctx, session, number)
            counts = (await q.counts(session, [row.id]))[row.id]
        await ctx.send(texts.details(ctx.t, row, counts, ctx.community, state_of(row, now), ctx.prefix))
        return
    await facilitator_only.passes(ctx)  # raises the refusal for anyone else
    await _EDITS[verb](ctx, number, rest.strip())


async def _edit(ctx, number: int, change, announcement: str, **params) -> None:
    """Apply `change(row)` to one workshop, keep its reminders in step, and announce it."""
    now = ctx.services.clock.now()
    rules = await _rules(ctx)
    async with ctx.services.db() as session:
        row = await find_workshop(ctx, session, number)
        notes = change(row)
        row.sequence, row.updated_at = row.sequence + 1, now
        session.add(row)
        changes = await sync_reminders(session, row, rules, now)
        await session.commit()
    changes.apply(ctx.services.scheduler)
    text = ctx.t(announcement, number=row.number, name=ctx.community.name,
                 when=texts.when(ctx.t, row.starts_at, ctx.community.timezone), topic=texts.topic(ctx.t, row),
                 link=texts.link(ctx.t, row), stage=texts.stage(ctx.t, row.stage),
                 reason=row.cancel_reason or "-", prefix=ctx.prefix, **params)
    await _announce(ctx, text + (notes or Text(())), row)


async def _move(ctx, number: int, rest: str) -> None:
    words = rest.split()
    if len(words) != 2:
        raise BadArgument("workshop.move_usage", prefix=ctx.prefix)
    occurrence = _future_start(ctx, *words)

    def change(row: Workshop) -> Text:
        _changeable(ctx, row)
        row.starts_at = occurrence.start
        return _dst_notes(ctx, [occurrence])

    await _edit(ctx, number, change, "workshop.moved")


async def _cancel(ctx, number: int, rest: str) -> None:
    if len(rest) > MAX_REASON:
        raise BadArgument("workshop.reason_too_long", limit=MAX_REASON)

    def change(row: Workshop) -> None:
        _changeable(ctx, row)
        row.state, row.cancel_reason = "cancelled", rest or None

    await _edit(ctx, number, change, "workshop.cancelled")


async def _topic(ctx, number: int, rest: str) -> None:
    if not rest or len(rest) > MAX_TOPIC:
        raise BadArgument("workshop.bad_topic", limit=MAX_TOPIC)

    def change(row: Workshop) -> None:
        row.topic = rest

    await _edit(ctx, number, change, "workshop.topic_set")


async def _link(ctx, number: int, rest: str) -> None:
    if rest.lower() not in NO_LINK and not URL.match(rest):
        raise BadArgument("workshop.bad_link")

    def change(row: Workshop) -> None:
        row.link = None if rest.lower() in NO_LINK else rest

    await _edit(ctx, number, change, "workshop.link_set")


async def _stage(ctx, number: int, rest: str) -> None:
    stage = await _stage_name(ctx, rest)

    def change(row: Workshop) -> None:
        row.stage = stage

    await _edit(ctx, number, change, "workshop.stage_set")


_EDITS = {"move": _move, "cancel": _cancel, "topic": _topic, "link": _link, "stage": _stage}


@command("workshop add", aliases=("atelier ajouter",), checks=[facilitator_only], scope="room")
async def add(ctx, day: str, at: str, duration_word: str = "", minutes: int = 0) -> None:
    if duration_word and duration_word.lower() not in ("duration", "durée", "duree"):
        raise BadArgument("error.extra_arguments")
    if duration_word and not 15 <= minutes <= 600:
        raise BadArgument("workshop.bad_duration")
    occurrence = _future_start(ctx, day, at)
    now = ctx.services.clock.now()
    rules = await _rules(ctx)
    async with ctx.services.db() as session:
        existing = await q.series(session, ctx.community.id)
        if len(existing) >= MAX_WORKSHOPS * 2:
            raise CheckFailure("workshop.too_many", limit=MAX_WORKSHOPS * 2)
        before = [w for w in existing if w.starts_at < occurrence.start and w.state == "planned"]
        row = Workshop(community_id=ctx.community.id, number=max((w.number for w in existing), default=0) + 1,
                       starts_at=occurrence.start, duration_min=minutes or rules.duration_min,
                       stage=before[-1].stage if before else ctx.community.stage, state="planned",
                       link=next((w.link for w in reversed(existing) if w.link), None),
                       uid=new_uid(), sequence=0, created_at=now, updated_at=now)
        session.add(row)
        await session.flush()
        changes = await sync_reminders(session, row, rules, now)
        await session.commit()
    changes.apply(ctx.services.scheduler)
    text = ctx.t("workshop.added", number=row.number, name=ctx.community.name,
                 when=texts.when(ctx.t, row.starts_at, ctx.community.timezone),
                 stage=texts.stage(ctx.t, row.stage), prefix=ctx.prefix)
    await _announce(ctx, text + _dst_notes(ctx, [occurrence]), row)


@command("workshops ics", aliases=("ateliers ics", "calendar", "calendrier"), checks=[anyone_in_community],
         scope="room")
async def calendar(ctx) -> None:
    community: Community = ctx.community
    async with ctx.services.db() as session:
        found = await q.series(session, community.id)
    if not found:
        await ctx.reply("workshop.none_planned", prefix=ctx.prefix)
        return
    events = [CalendarEvent(
        uid=w.uid, sequence=w.sequence, start=w.starts_at, duration=timedelta(minutes=w.duration_min),
        title=ctx.t("workshop.ics_title", name=community.name, number=w.number,
                    topic=f" — {w.topic}" if w.topic else "").plain,
        description=ctx.t("workshop.ics_description", stage=texts.stage(ctx.t, w.stage),
                          reason=w.cancel_reason or "").plain.strip(),
        link=w.link, cancelled=w.state == "cancelled", updated=w.updated_at) for w in found]
    data = build(community.name, community.timezone, events, ctx.services.clock.now())
    filename = f"{community.slug}-workshops.ics"
    await attach(ctx.services, ctx.room_id, filename, data, "text/calendar", thread_root=ctx.thread_root)
    await ctx.reply("workshop.ics_sent", count=len(events), filename=filename)


def _offsets_text(ctx, rules: Rules) -> str:
    return ", ".join(texts.span(ctx.t, o) for o in rules.offsets)


async def _save_settings(ctx, **values: object) -> Rules:
    async with ctx.services.db() as session:
        await settings.change(session, WorkshopSettings, ctx.community.id, **values)
        await session.commit()
        return await load_rules(session, ctx.community.id, ctx.services.config.workshops)


@command("reminders", aliases=("rappels",), checks=[anyone_in_community], scope="room")
async def reminders_cmd(ctx, *, offsets: str = "") -> None:
    if not offsets:
        rules = await _rules(ctx)
        await ctx.reply("workshop.reminders", offsets=_offsets_text(ctx, rules),
                        mention=ctx.t("consult.on" if rules.mention_room else "consult.off").plain,
                        prefix=ctx.prefix)
        return
    await facilitator_only.passes(ctx)
    parsed = parse_offsets(offsets.split(), ctx.services.config.workshops.allow_seconds_offsets)
    now, changes = ctx.services.clock.now(), Changes()
    async with ctx.services.db() as session:  # the offsets and the reminders they imply: one commit
        await settings.change(session, WorkshopSettings, ctx.community.id,
                              offsets_s=",".join(str(int(o.total_seconds())) for o in parsed))
        rules = await load_rules(session, ctx.community.id, ctx.services.config.workshops)
        upcoming = [w for w in await q.series(session, ctx.community.id) if w.starts_at > now]
        for workshop_row in upcoming:
            changes += await sync_reminders(session, workshop_row, rules, now)
        await session.commit()
    changes.apply(ctx.services.scheduler)
    await ctx.reply("workshop.reminders_set", offsets=_offsets_text(ctx, rules), count=len(upcoming))


@command("reminders mention", aliases=("rappels mention",), checks=[facilitator_only], scope="room")
async def reminders_mention(ctx, state: str) -> None:
    value = {"on": True, "off": False, "oui": True, "non": False}.get(state.lower())
    if value is None:
        raise BadArgument("error.not_a_choice", name="state", choices="on | off")
    await _save_settings(ctx, mention_room=value)
    text = ctx.t("workshop.mention_on" if value else "workshop.mention_off")
    short = mention_shortfall(ctx.services, ctx.room_id) if value else None
    await ctx.send(text + texts.mention_power(ctx.t, *short) if short else text)

