"""Reacting ✅ ❌ 🤔 to a workshop's announcement or reminder is an RSVP; removing the reaction withdraws it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.keys import member_key
from bot.logs import fields
from bot.workshops.jobs import post_key
from bot.workshops.series import set_rsvp, state_of
from storage import workshops as q
from storage.models import Community

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
EMOJI = {"✅": "yes", "✔": "yes", "👍": "yes", "❌": "no", "✖": "no", "👎": "no", "🤔": "maybe"}


def answer_of(key: str) -> str | None:
    return EMOJI.get(key.replace("\ufe0f", "").strip())


async def on_reaction(services: "Services", community: Community, sender: str, target: str, key: str,
                      reaction_id: str) -> bool:
    """Record an RSVP if `target` is a workshop post and `key` an RSVP emoji; True if recorded."""
    answer = answer_of(key)
    if answer is None:
        return False
    now = services.clock.now()
    async with services.db() as session:
        workshop = await q.for_post(session, post_key(services.keyring, target))
        if workshop is None or workshop.community_id != community.id or state_of(workshop, now) in ("cancelled", "done"):
            return False
        await set_rsvp(session, workshop.id, member_key(services.keyring, community.id, sender), answer, now,
                       reaction_key=services.keyring.key("reaction", reaction_id))
        await session.commit()
    log.info("workshop.rsvp_by_reaction", **fields(community=community.id))
    return True


async def on_redaction(services: "Services", redacted: str) -> bool:
    """A removed reaction withdraws the RSVP it gave (a later `rsvp` command has replaced the key)."""
    async with services.db() as session:
        row = await q.rsvp_by_reaction(session, services.keyring.key("reaction", redacted))
        if row is None:
            return False
        await session.delete(row)
        await session.commit()
    return True
