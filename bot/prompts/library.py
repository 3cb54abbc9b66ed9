"""A community's prompts: the shipped library plus its own custom ones, and its posting history."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.prompts import Library, Posted, Prompt, PostingHours, DEFAULT_HOURS, parse_hours
from storage import prompts as q
from storage.models import CustomPrompt, PromptSettings


def as_prompt(row: CustomPrompt) -> Prompt:
    tags = tuple(t for t in row.tags.split(",") if t)
    return Prompt(row.code, row.stage, tags, {row.lang: row.text}, custom=True)


async def all_prompts(session: AsyncSession, library: Library, community_id: int) -> list[Prompt]:
    return [*library, *(as_prompt(r) for r in await q.customs(session, community_id))]


async def find(session: AsyncSession, library: Library, community_id: int, prompt_id: str) -> Prompt | None:
    wanted = prompt_id.upper()
    return next((p for p in await all_prompts(session, library, community_id) if p.id == wanted), None)


async def history(session: AsyncSession, community_id: int) -> list[Posted]:
    return [Posted(p.prompt_id, p.posted_at, tuple(t for t in p.tags.split(",") if t))
            for p in await q.posts(session, community_id, ("posted",)) if p.prompt_id and p.posted_at]


def hours_of(row: PromptSettings) -> PostingHours:
    return parse_hours(row.hours) if row.hours else DEFAULT_HOURS
