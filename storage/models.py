"""Tables. Each change here needs a migration in storage/migrations/.

Room ids and event ids are stored as keyed hashes (HMAC with the bot's
secret), never in clear: the table of rooms the bot is in would otherwise
list every member's DM room.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import AwareDateTime


class BotState(SQLModel, table=True):
    __tablename__ = "bot_state"
    key: str = Field(primary_key=True)
    value: str


class HandledEvent(SQLModel, table=True):
    """Events already acted on, so a replayed sync never acts twice."""

    __tablename__ = "handled_events"
    event_key: str = Field(primary_key=True)
    handled_at: datetime = Field(sa_type=AwareDateTime, index=True)


class JoinedRoom(SQLModel, table=True):
    """When the bot joined each room: older events there are history."""

    __tablename__ = "joined_rooms"
    room_key: str = Field(primary_key=True)
    joined_at: datetime = Field(sa_type=AwareDateTime)
