"""SQL that must say the same thing on SQLite and PostgreSQL but is spelled per dialect."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


async def insert_new(session: AsyncSession, model, **values) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: add the row unless its key is taken; True if added.

    Unlike get-then-add, two tasks (or two transactions on PostgreSQL) adding the same key at
    once cannot both think they added it, and the loser gets False rather than an IntegrityError.
    """
    insert = _INSERTS[session.bind.dialect.name]
    result = await session.exec(insert(model).values(**values).on_conflict_do_nothing())
    return result.rowcount == 1
