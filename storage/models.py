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


class CommunityConsultSettings(SQLModel, table=True):
    """Per-community overrides of the [consultations] config; NULL means the config default."""

    __tablename__ = "consult_settings"
    community_id: int = Field(foreign_key="communities.id", primary_key=True)
    room_id: str | None = None  # a dedicated consultation room; NULL = the community room
    delay_min_s: int | None = None
    delay_max_s: int | None = None
    review: bool | None = None
    retention_days: int | None = None
    redact_on_expiry: bool | None = None


class Consultation(SQLModel, table=True):
    """One anonymous request. Deliberately no column for who asked or where they asked.

    `code_hash` is a slow keyed hash of the case code the member holds. `due_at`
    is cleared once posted so the database keeps no trace of when the DM was sent.
    """

    __tablename__ = "consultations"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="communities.id", index=True)
    label: str = Field(unique=True)
    code_hash: str = Field(unique=True)
    status: str  # review, scheduled, posted, closed, rejected
    categories: str = ""  # comma-separated CATEGORIES
    text: str | None = None  # the scrubbed text; NULL once rejected or past retention
    note: str | None = None  # a facilitator's reason for rejecting
    txn: str  # random; the Matrix transaction id of the post, so a retry cannot post twice
    due_at: datetime | None = Field(default=None, sa_type=AwareDateTime, index=True)
    room_id: str | None = None  # where it was posted (a community room, never a DM)
    event_id: str | None = None
    posted_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=AwareDateTime)  # review outcome
    purged_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class ConsultationFollowup(SQLModel, table=True):
    __tablename__ = "consultation_followups"
    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultations.id", index=True)
    text: str | None = None
    txn: str
    due_at: datetime | None = Field(default=None, sa_type=AwareDateTime, index=True)
    event_id: str | None = None
    posted_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
