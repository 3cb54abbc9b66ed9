"""What every message needs from the database, kept in memory: the room's community and the
sender's granted roles (bench: two queries of about 1.3 ms each on the way to every answer).

The bot is the only writer, so a cached row can only go stale through one of its own commits;
every commit that changed a watched table empties that table's cache (`committed`, called by the
session factory, storage/engine.py). A read that overlapped such a commit is not kept, so it cannot
put an old row back.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from storage import communities as q
from storage import workshops
from storage.models import Community, CommunityLink, CommunityRole, Workshop


class _Cache:
    def __init__(self, *models: type):
        self.models = set(models)
        self.values: dict[Any, Any] = {}
        self.version = 0

    def clear(self) -> None:
        self.values.clear()
        self.version += 1

    async def get(self, key: Any, load: Callable[[], Awaitable[Any]]) -> Any:
        if key in self.values:
            return self.values[key]
        version = self.version
        value = await load()
        if version == self.version:  # no commit to this table meanwhile
            self.values[key] = value
        return value


class Reads:
    def __init__(self) -> None:
        self._communities = _Cache(Community)
        self._roles = _Cache(CommunityRole)
        self._status = _Cache(Community, CommunityLink, Workshop)  # what `!cop status` shows

    def committed(self, models: set[type]) -> None:
        for cache in (self._communities, self._roles, self._status):
            if cache.models & models:
                cache.clear()

    async def community_of(self, db: Any, room_id: str) -> Community | None:
        """The room's community, as a copy the caller may change."""
        async def load() -> Community | None:
            async with db() as session:
                return await q.by_room(session, room_id)

        row = await self._communities.get(room_id, load)
        return Community.model_validate(row.model_dump()) if row is not None else None

    async def granted(self, db: Any, community_id: int, user_id: str) -> frozenset[str]:
        async def load() -> frozenset[str]:
            async with db() as session:
                return frozenset(await q.roles_granted(session, community_id, user_id))

        return await self._roles.get((community_id, user_id), load)


    async def status_parts(self, db: Any, community_id: int) -> tuple[tuple[str, ...], tuple[str, ...],
                                                                      list[Workshop]]:
        """`!cop status`'s facts: the parents' and children's slugs, and the workshops (copies).
        The command then needs no query (bench: it was the slowest answer)."""
        async def load():
            async with db() as session:
                parents, children = await q.links(session, community_id)
                series = await workshops.series(session, community_id)
            return (tuple(p.slug for p in parents), tuple(c.slug for c in children),
                    tuple(w.model_dump() for w in series))

        parents, children, series = await self._status.get(community_id, load)
        return parents, children, [Workshop.model_validate(w) for w in series]
