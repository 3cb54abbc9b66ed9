"""What commands may know about a Matrix room, without importing nio."""

from __future__ import annotations

from typing import Any, Protocol


class RoomView(Protocol):
    def power_level(self, user_id: str) -> int: ...
    def is_joined(self, user_id: str) -> bool: ...
    def joined_members(self) -> list[str]: ...
    def room_mention_level(self) -> int: ...
    def is_encrypted(self) -> bool: ...


CREATOR_LEVEL = 2**53 - 1


def creators_privileged(room_version: str) -> bool:
    """From room version 12, creators have unlimited power and are absent from m.room.power_levels."""
    try:
        return int(room_version) >= 12
    except ValueError:
        return False


class NioRoomView:
    """A RoomView over matrix-nio's MatrixRoom; the bot itself is never counted."""

    def __init__(self, room: Any, bot_id: str, creators: frozenset[str] = frozenset()):
        self.room, self.bot_id, self.creators = room, bot_id, creators

    def power_level(self, user_id: str) -> int:
        if user_id in self.creators and creators_privileged(self.room.room_version):
            return CREATOR_LEVEL  # nio does not know this rule yet
        return self.room.power_levels.get_user_level(user_id)

    def is_joined(self, user_id: str) -> bool:
        user = self.room.users.get(user_id)
        return user is not None and not user.invited

    def joined_members(self) -> list[str]:
        return sorted(u for u, m in self.room.users.items() if not m.invited and u != self.bot_id)

    def is_encrypted(self) -> bool:
        return bool(self.room.encrypted)

    def room_mention_level(self) -> int:
        """The power level `@room` needs (`notifications.room`): below it, the push rule ignores it."""
        return self.room.power_levels.get_notification_required_level("room")
