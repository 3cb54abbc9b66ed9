"""The one place a feature plugs into the bot: its scheduled jobs, the reactions and thread
replies it reads, and what it does when a community closes, a member leaves its room or a
member asks to be forgotten.

The app, the test harness (tests/fakes.py), `!cop close` and `forget-me` loop over FEATURES;
a new feature is one more entry here, not edits in each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from bot.checkins.records import forget as forget_checkins
from bot.checkins.rounds import PROVIDER as CHECKIN, CheckinJobs, sync_rounds
from bot.consult.dialog import on_expired as consult_draft_expired
from bot.consult.posting import PROVIDER as CONSULT, ConsultJobs
from bot.dialogs import expire as expire_dialogs
from bot.consult.replies import REFRESH_S as REPLIES_REFRESH_S
from bot.keys import impact_key
from bot.prompts.posting import PROVIDER as PROMPT, PromptJobs, replan as replan_prompts
from bot.sectors import jobs as sectors
from bot.workshops.jobs import WorkshopJobs
from bot.workshops.reactions import on_reaction as rsvp_by_reaction, on_redaction as rsvp_withdrawn
from bot.workshops.series import PROVIDER as WORKSHOP, stop_reminders

if TYPE_CHECKING:
    from bot.services import Services
    from storage.models import Community


@dataclass(frozen=True)
class Feature:
    name: str  # its scheduler provider: the jobs object answers pending(), fire(key), maybe plan()
    jobs: Callable[["Services"], Any]
    every: tuple[tuple[str, float, str], ...] = ()  # (job name, seconds, method of the jobs object)
    # (services, community, sender, reacted-to event, key, reaction event) -> handled
    on_reaction: Callable[..., Awaitable[bool]] | None = None
    on_redaction: Callable[["Services", str], Awaitable[bool]] | None = None  # (services, redacted event)
    # after the community is stored as closed: stop what it would still do
    community_closed: Callable[["Services", int, datetime], Awaitable[None]] | None = None
    # (services, room, thread root, sender, when) -> handled; a message in a thread that is no command
    on_thread_reply: Callable[["Services", str, str, str, datetime], Awaitable[bool]] | None = None
    # (services, community, user id): the member left (or was removed from) the community's room
    member_left: Callable[["Services", "Community", str], Awaitable[int]] | None = None
    # (session, services, member's user id) -> how many entries went; inside forget-me's transaction.
    # Each feature makes its own pseudonym of the user id: they are kept apart on purpose.
    forget_member: Callable[[Any, "Services", str], Awaitable[int]] | None = None


async def _stop_reminders(services: "Services", community_id: int, now: datetime) -> None:
    async with services.db() as session:
        changes = await stop_reminders(session, community_id, now)
        await session.commit()
    changes.apply(services.scheduler)


async def _no_more_prompts(services: "Services", community_id: int, now: datetime) -> None:
    await replan_prompts(services, community_id)


async def _forget_checkins(session: Any, services: "Services", user_id: str) -> int:
    return await forget_checkins(session, impact_key(services.keyring, user_id))


async def _no_more_rounds(services: "Services", community_id: int, now: datetime) -> None:
    await sync_rounds(services, community_id)


class DialogJobs:
    """The DM dialogs' one timeout (bot/dialogs.py), swept every 30 s. They have no jobs in the
    database: nothing of an unfinished dialog is stored."""

    def __init__(self, services: "Services"):
        self.s = services

    async def pending(self) -> list:
        return []

    async def fire(self, key: str) -> None:
        raise KeyError(key)

    async def expire(self) -> None:
        await expire_dialogs(self.s, ((self.s.consult_desk, consult_draft_expired), (self.s.checkin_desk, None)))


FEATURES: tuple[Feature, ...] = (
    Feature("dialogs", DialogJobs, every=(("dialogs.expire", 30, "expire"),)),
    Feature(CONSULT, ConsultJobs, every=(
        ("consult.retention", 3600, "retention_sweep"),
        ("consult.dm_cleanup", 15, "clean_dms"),
        ("consult.replies", REPLIES_REFRESH_S, "refresh_replies"),
    )),
    Feature(WORKSHOP, WorkshopJobs, on_reaction=rsvp_by_reaction, on_redaction=rsvp_withdrawn,
            community_closed=_stop_reminders),
    Feature(PROMPT, PromptJobs, community_closed=_no_more_prompts),
    Feature(CHECKIN, CheckinJobs, community_closed=_no_more_rounds, forget_member=_forget_checkins),
    Feature(sectors.PROVIDER, sectors.SectorJobs, every=(("sectors.new_posts", sectors.NEW_POSTS_S, "schedule_new"),),
            on_thread_reply=sectors.thread_reply, member_left=sectors.member_left,
            forget_member=sectors.forget_member),
)


def start_jobs(services: "Services", scheduler: Any) -> dict[str, Any]:
    """Every feature's jobs object, its provider and its timers registered with `scheduler`."""
    made = {}
    for feature in FEATURES:
        jobs = made[feature.name] = feature.jobs(services)
        scheduler.provide(feature.name, jobs.pending, jobs.fire, getattr(jobs, "plan", None))
        for name, seconds, method in feature.every:
            scheduler.every(name, seconds, getattr(jobs, method))
    return made


async def community_closed(services: "Services", community_id: int, now: datetime) -> None:
    for feature in FEATURES:
        if feature.community_closed:
            await feature.community_closed(services, community_id, now)


async def reaction(services: "Services", community: "Community", sender: str, target: str, key: str,
                   reaction_id: str) -> None:
    for feature in FEATURES:
        if feature.on_reaction and await feature.on_reaction(services, community, sender, target, key, reaction_id):
            return


async def redaction(services: "Services", redacted: str) -> None:
    for feature in FEATURES:
        if feature.on_redaction and await feature.on_redaction(services, redacted):
            return


async def thread_reply(services: "Services", room_id: str, root: str, sender: str, at: datetime) -> None:
    for feature in FEATURES:
        if feature.on_thread_reply:
            await feature.on_thread_reply(services, room_id, root, sender, at)


async def member_left(services: "Services", community: "Community", user_id: str) -> None:
    for feature in FEATURES:
        if feature.member_left:
            await feature.member_left(services, community, user_id)


async def forget_member(session: Any, services: "Services", user_id: str) -> int:
    return sum([await f.forget_member(session, services, user_id) for f in FEATURES if f.forget_member])
