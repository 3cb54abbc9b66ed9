"""Matrix operations commands need beyond sending, behind a small interface.

Commands use `services.matrix` and never import nio, so the fast tests can
swap in a fake; bot/nio_ops.py is the real one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class ThreadReply:
    author: str  # display name, as the room shows it
    body: str
    at: datetime
    event_id: str = ""  # to tell a reply fetched from one seen in the sync


class MatrixOps(Protocol):
    async def thread_replies(self, room_id: str, root_id: str, limit: int = 100) -> list[ThreadReply]: ...
    async def redact(self, room_id: str, event_id: str) -> bool: ...
    async def enable_encryption(self, room_id: str) -> bool: ...
    async def resolve_room(self, room: str) -> str | None: ...
    def in_room(self, room_id: str) -> bool: ...
    async def dm_room(self, user_id: str, exclude: frozenset[str] = frozenset()) -> str: ...
    async def upload(self, room_id: str, data: bytes, filename: str, mimetype: str) -> dict: ...
