"""RSVPs and attendance. Both are stored under a per-community pseudonym, never a user id."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.commands.workshops import find_workshop
from bot.framework import BadArgument, CheckFailure, Converter, command
from bot.keys import member_key
from bot.roles import anyone_in_community, facilitator_only
from bot.workshops import texts
from bot.workshops.series import mark_attended, set_rsvp, state_of
from domain.workshops import attendance_open
from storage import workshops as q

USER_ID = re.compile(r"^@[^\s:]+:\S+$")
ANSWERS = {"yes": "yes", "no": "no", "maybe": "maybe", "oui": "yes", "non": "no",
           "peut-être": "maybe", "peut-etre": "maybe", "✅": "yes", "❌": "no", "🤔": "maybe"}


class Answer(Converter):
    def convert(self, token: str) -> str:
        answer = ANSWERS.get(token.lower())
        if answer is None:
            raise BadArgument("workshop.bad_answer")
        return answer


@command("rsvp", checks=[anyone_in_community], scope="room")
async def rsvp(ctx, number: int, answer: str = Answer()) -> None:
    now = ctx.services.clock.now()
    async with ctx.services.db() as session:
        row = await find_workshop(ctx, session, number)
        state = state_of(row, now)
        if state == "cancelled":
            raise CheckFailure("workshop.is_cancelled", number=number, prefix=ctx.prefix)
        if state == "done":
            raise CheckFailure("workshop.rsvp_closed", number=number)
        await set_rsvp(session, row.id, member_key(ctx.services.keyring, ctx.community.id, ctx.sender), answer, now)
        await session.commit()
        counts = (await q.counts(session, [row.id]))[row.id]
    await ctx.reply(f"workshop.rsvp_{answer}", number=number,
                    when=texts.when(ctx.t, row.starts_at, ctx.community.timezone), **counts)


@command("here", aliases=("présent", "présente", "present", "ici"), checks=[anyone_in_community], scope="room")
async def here(ctx) -> None:
    now = ctx.services.clock.now()
    async with ctx.services.db() as session:
        found = [w for w in await q.series(session, ctx.community.id) if w.state == "planned"]
        current = [w for w in found if attendance_open(w.starts_at, timedelta(minutes=w.duration_min), now)]
        if not current:
            upcoming = [w for w in found if w.starts_at > now]
            nxt = ctx.t("workshop.here_next", number=upcoming[0].number,
                        when=texts.when(ctx.t, upcoming[0].starts_at, ctx.community.timezone)).plain \
                if upcoming else ctx.t("workshop.here_none").plain
            raise CheckFailure("workshop.here_outside", next=nxt)
        row = current[0]
        fresh = await mark_attended(session, row.id, member_key(ctx.services.keyring, ctx.community.id, ctx.sender),
                                    "here", now)
        await session.commit()
    await ctx.reply("workshop.here_recorded" if fresh else "workshop.here_already", number=row.number)


@command("attended", aliases=("présents", "presents"), checks=[facilitator_only], scope="room")
async def attended(ctx, number: int, *, people: str) -> None:
    users = people.split()
    if len(users) > 200 or not all(USER_ID.match(u) for u in users):
        raise BadArgument("error.bad_user_id")
    room = ctx.services.rooms(ctx.community.room_id)
    now = ctx.services.clock.now()
    async with ctx.services.db() as session:
        row = await find_workshop(ctx, session, number)
        if row.state == "cancelled":
            raise CheckFailure("workshop.is_cancelled", number=number, prefix=ctx.prefix)
        if row.starts_at - timedelta(minutes=15) > now:
            raise CheckFailure("workshop.not_yet", number=number)
        unknown = [u for u in dict.fromkeys(users) if room is None or not room.is_joined(u)]
        added = 0
        for user in dict.fromkeys(users):
            if user not in unknown:
                added += await mark_attended(session, row.id, member_key(ctx.services.keyring, ctx.community.id, user),
                                             "facilitator", now)
        await session.commit()
        total = (await q.counts(session, [row.id]))[row.id]["here"]
    text = ctx.t("workshop.attended", number=number, added=added, total=total)
    if unknown:
        text += ctx.t("workshop.attended_unknown", users=", ".join(unknown))
    await ctx.send(text)
