"""What commands may know about a Matrix room, without importing nio."""

from __future__ import annotations

from typing import Any, Protocol


class RoomView(Protocol):
    def power_level(self, user_id: str) -> int: ...
    def is_joined(self, user_id: str) -> bool: ...
    def joined_members(self) -> list[str]: ...


class NioRoomView:
    """A RoomView over matrix-nio's MatrixRoom; the bot itself is never counted."""

    def __init__(self, room: Any, bot_id: str):
        self.room, self.bot_id = room, bot_id

    def power_level(self, user_id: str) -> int:
        return self.room.power_levels.get_user_level(user_id)

    def is_joined(self, user_id: str) -> bool:
        user = self.room.users.get(user_id)
        return user is not None and not user.invited

    def joined_members(self) -> list[str]:
        return sorted(u for u, m in self.room.users.items() if not m.invited and u != self.bot_id)
