"""A community's consultation settings: its own overrides over the config defaults."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import ConsultationsConfig
from domain.consult import DelayRange
from storage import consultations as q
from storage.models import Community, CommunityConsultSettings


@dataclass(frozen=True)
class Policy:
    room_id: str  # where requests are posted
    dedicated_room: bool
    delay: DelayRange
    review: bool
    retention_days: int
    redact_on_expiry: bool


def policy(community: Community, row: CommunityConsultSettings, defaults: ConsultationsConfig) -> Policy:
    low, high = defaults.posting_delay_seconds
    if row.delay_min_s is not None and row.delay_max_s is not None:
        low, high = row.delay_min_s, row.delay_max_s
    floor = defaults.min_delay_seconds  # the operator's: a facilitator's setting never goes below
    return Policy(
        room_id=row.room_id or community.room_id,
        dedicated_room=row.room_id is not None,
        delay=DelayRange(max(low, floor), max(high, floor)),
        review=defaults.review if row.review is None else row.review,
        retention_days=row.retention_days or defaults.retention_days,
        redact_on_expiry=defaults.redact_on_expiry if row.redact_on_expiry is None else row.redact_on_expiry,
    )


async def load_policy(session: AsyncSession, community: Community, defaults: ConsultationsConfig) -> Policy:
    """The community's policy, from its stored overrides."""
    return policy(community, await q.settings(session, community.id), defaults)


def describe_delay(ctx, delay: DelayRange) -> str:
    """'2 to 15 minutes', or seconds for the short delays used in demos and tests."""
    if delay.high_s == 0:
        return ctx.t("consult.delay_off").plain
    if delay.high_s < 120:
        return ctx.t("consult.delay_seconds", low=delay.low_s, high=delay.high_s).plain
    return ctx.t("consult.delay_range", low=delay.low_s // 60, high=-(-delay.high_s // 60)).plain
