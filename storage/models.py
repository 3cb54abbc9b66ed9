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


class Community(SQLModel, table=True):
    __tablename__ = "communities"
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True)
    name: str
    room_id: str = Field(unique=True)  # a group room, never a DM
    stage: str
    stage_since: datetime = Field(sa_type=AwareDateTime)
    timezone: str
    language: str
    created_at: datetime = Field(sa_type=AwareDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    closed_note: str | None = None


class CommunityRole(SQLModel, table=True):
    """Roles given explicitly (facilitators also come from power levels)."""

    __tablename__ = "community_roles"
    community_id: int = Field(foreign_key="communities.id", primary_key=True)
    user_id: str = Field(primary_key=True)
    role: str = Field(primary_key=True)


class StageChange(SQLModel, table=True):
    """Who changed the stage is kept as a role only, never a name."""

    __tablename__ = "stage_changes"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="communities.id", index=True)
    at: datetime = Field(sa_type=AwareDateTime)
    from_stage: str | None = None
    to_stage: str
    by_role: str
    note: str | None = None


class CommunityLink(SQLModel, table=True):
    __tablename__ = "community_links"
    child_id: int = Field(foreign_key="communities.id", primary_key=True)
    parent_id: int = Field(foreign_key="communities.id", primary_key=True)


class Poster(SQLModel, table=True):
    """Members who have posted, as keyed hashes: counts without identities."""

    __tablename__ = "posters"
    community_id: int = Field(foreign_key="communities.id", primary_key=True)
    member_key: str = Field(primary_key=True)
