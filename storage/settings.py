"""Per-community settings rows: one helper to change some columns, creating the row if needed."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

Row = TypeVar("Row", bound=SQLModel)


async def change(session: AsyncSession, model: type[Row], community_id: int, **values: object) -> Row:
    """Set `values` on the community's `model` row (made if missing); the caller commits."""
    row = await session.get(model, community_id) or model(community_id=community_id, **values)
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    await session.flush()
    return row
