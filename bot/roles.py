"""The one mechanism for roles: every privileged command checks through here.

A member is anyone joined to the community room; a facilitator is whoever is
joined and was given the role (setup gives it) or holds a power level at or
above the configured threshold; a coordinator is given the role and need not be in
the room.

Facilitation needs membership, whichever way it was given: a facilitator who leaves
(or is removed from) the room can no longer run it, read its review queue or be
mentioned as one, and gets it all back on rejoining. A coordinator keeps the role
after leaving, since coordinators are outside the room by design and see aggregates
only; a facilitator withdraws it with `role <user> member`.
"""

from __future__ import annotations

from bot.framework import Check, CheckFailure
from storage import communities as q

FACILITATOR, COORDINATOR, MEMBER = "facilitator", "coordinator", "member"


async def roles_of(ctx) -> set[str]:
    """The sender's roles in the room's community, read once per message."""
    if ctx.community is None:
        return set()
    if ctx.sender_roles is None:
        ctx.sender_roles = await roles_in(ctx.services, ctx.community, ctx.sender)
    return ctx.sender_roles


async def roles_in(services, community, user_id: str) -> set[str]:
    """A person's roles in one community, wherever they ask from (a DM too)."""
    roles = set(await services.reads.granted(services.db, community.id, user_id))
    room = services.rooms(community.room_id)
    # Power counts only for people in the room: Matrix keeps a level after its holder leaves,
    # and `users_default` gives one to everybody, so alone it would make strangers facilitators.
    # A granted facilitator role needs the room too (see above).
    if room is not None and room.is_joined(user_id):
        roles.add(MEMBER)
        if room.power_level(user_id) >= services.config.bot.facilitator_power_level:
            roles.add(FACILITATOR)
    else:
        roles.discard(FACILITATOR)
    return roles


def role(*allowed: str, closed_ok: bool = False) -> Check:
    """Pass when the caller has one of `allowed` roles in this room's community."""

    async def predicate(ctx) -> bool:
        if ctx.community is None:  # a DM belongs to no community: say where the command works
            raise CheckFailure("error.room_only" if ctx.is_dm else "error.not_a_community", prefix=ctx.prefix)
        if ctx.community.closed_at is not None and not closed_ok:
            raise CheckFailure("error.community_closed", name=ctx.community.name)
        if not (await roles_of(ctx)) & set(allowed):
            raise CheckFailure("error.need_role", roles=", ".join(ctx.t(f"role.{r}").plain for r in allowed))
        return True

    return Check(f"role:{'|'.join(allowed)}", predicate, "error.need_role")


facilitator_only = role(FACILITATOR)
anyone_in_community = role(MEMBER, FACILITATOR, COORDINATOR, closed_ok=True)


async def facilitators(services, community) -> list[str]:
    """Who facilitates a community: given the role, or holding the power level in its room."""
    async with services.db() as session:
        granted = {g.user_id for g in await q.grants(session, community.id) if g.role == FACILITATOR}
    room = services.rooms(community.room_id)
    if room is None:
        return []
    threshold = services.config.bot.facilitator_power_level
    return sorted(u for u in room.joined_members()
                  if u != services.user_id and (u in granted or room.power_level(u) >= threshold))
