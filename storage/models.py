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
    status: str  # a domain.consult_status.Status: review, scheduled, posting, posted, closed, ...
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
    queued_on: datetime | None = Field(default=None, sa_type=AwareDateTime)  # review: the day (00:00 UTC)
    wanted: str = ""  # comma-separated domain.sectors ids: the expertise asked for (migration v0011)


class ConsultationFollowup(SQLModel, table=True):
    __tablename__ = "consultation_followups"
    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultations.id", index=True)
    text: str | None = None
    txn: str
    due_at: datetime | None = Field(default=None, sa_type=AwareDateTime, index=True)
    event_id: str | None = None
    posted_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class WorkshopSettings(SQLModel, table=True):
    """Per-community reminder settings; NULL means the [workshops] config default."""

    __tablename__ = "workshop_settings"
    community_id: int = Field(foreign_key="communities.id", primary_key=True)
    offsets_s: str | None = None  # comma-separated seconds before the start, e.g. "604800,86400,3600"
    grace_s: int | None = None
    mention_room: bool | None = None


class Workshop(SQLModel, table=True):
    """One workshop. `number` never changes once given, so "workshop 3" stays workshop 3.

    `uid` and `sequence` make calendar files update events instead of duplicating them.
    """

    __tablename__ = "workshops"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="communities.id", index=True)
    number: int
    starts_at: datetime = Field(sa_type=AwareDateTime)
    duration_min: int
    stage: str  # the stage it is planned for
    state: str  # planned or cancelled ("upcoming"/"done" follow from the clock)
    topic: str | None = None
    link: str | None = None
    cancel_reason: str | None = None
    uid: str = Field(unique=True)
    sequence: int = 0
    created_at: datetime = Field(sa_type=AwareDateTime)
    updated_at: datetime = Field(sa_type=AwareDateTime)


class WorkshopAction(SQLModel, table=True):
    """A reminder due before a workshop: pending, sending, sent, missed (to report), reporting, skipped or cancelled."""

    __tablename__ = "workshop_actions"
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshops.id", index=True)
    kind: str  # "reminder"
    offset_s: int
    due_at: datetime = Field(sa_type=AwareDateTime)
    state: str = Field(index=True)
    txn: str  # the Matrix transaction id, so a retry after a crash cannot send twice
    event_id: str | None = None
    done_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    delayed: bool = False


class WorkshopPost(SQLModel, table=True):
    """The bot's announcements and reminders of a workshop (hashed ids): reactions there are RSVPs."""

    __tablename__ = "workshop_posts"
    event_key: str = Field(primary_key=True)
    workshop_id: int = Field(foreign_key="workshops.id")


class Rsvp(SQLModel, table=True):
    __tablename__ = "workshop_rsvps"
    workshop_id: int = Field(foreign_key="workshops.id", primary_key=True)
    member_key: str = Field(primary_key=True)  # HMAC of the user id, per community
    answer: str  # yes, no, maybe
    reaction_key: str | None = None  # the reaction that gave it (hashed), so removing it withdraws the RSVP
    at: datetime = Field(sa_type=AwareDateTime)


class Attendance(SQLModel, table=True):
    __tablename__ = "workshop_attendance"
    workshop_id: int = Field(foreign_key="workshops.id", primary_key=True)
    member_key: str = Field(primary_key=True)
    source: str  # "here" (the member) or "facilitator"
    at: datetime = Field(sa_type=AwareDateTime)


class PromptSettings(SQLModel, table=True):
    """How prompts are scheduled in one community; NULL mode = the default after-workshop rule."""

    __tablename__ = "prompt_settings"
    community_id: int = Field(foreign_key="communities.id", primary_key=True)
    mode: str | None = None  # None (default rule), "every" or "off"
    every_days: int | None = None
    at_time: str | None = None  # "HH:MM", or NULL for the start of posting hours
    anchor: str | None = None  # the date the cadence counts from, YYYY-MM-DD
    hours: str | None = None  # posting hours as domain.prompts.PostingHours prints them; NULL = default


class CustomPrompt(SQLModel, table=True):
    __tablename__ = "custom_prompts"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="communities.id")
    code: str  # X1, X2…: never reused within a community
    stage: str
    text: str
    lang: str  # the language it was written in; posted as written
    tags: str = ""  # comma-separated
    created_at: datetime = Field(sa_type=AwareDateTime)
    removed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class PromptPost(SQLModel, table=True):
    """A prompt posted (or scheduled) in a community, with its thread's reply counts only."""

    __tablename__ = "prompt_posts"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="communities.id", index=True)
    prompt_id: str | None = None  # chosen when posted
    stage: str | None = None
    tags: str = ""
    source: str  # "command" or "schedule"
    state: str = Field(index=True)  # pending, sending, posted, skipped, cancelled
    due_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    txn: str
    event_key: str | None = Field(default=None, unique=True)  # keyed hash of the post's event id
    posted_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    replies: int = 0
    repliers: int = 0
    last_reply_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class PromptReplier(SQLModel, table=True):
    __tablename__ = "prompt_repliers"
    post_id: int = Field(foreign_key="prompt_posts.id", primary_key=True)
    member_key: str = Field(primary_key=True)


class CheckinSettings(SQLModel, table=True):
    __tablename__ = "checkin_settings"
    community_id: int = Field(foreign_key="communities.id", primary_key=True)
    invite_after_s: int | None = None  # NULL = [checkins].invite_after


class CheckinOptOut(SQLModel, table=True):
    __tablename__ = "checkin_optouts"
    member_key: str = Field(primary_key=True)  # the member's impact pseudonym
    at: datetime = Field(sa_type=AwareDateTime)


class CheckinRound(SQLModel, table=True):
    """The invitations after one workshop: pending -> inviting -> invited -> reminding -> done."""

    __tablename__ = "checkin_rounds"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="communities.id")
    workshop_id: int = Field(foreign_key="workshops.id", unique=True)
    state: str = Field(index=True)  # also skipped (the next workshop came first) or cancelled
    invite_due: datetime | None = Field(default=None, sa_type=AwareDateTime)
    remind_due: datetime | None = Field(default=None, sa_type=AwareDateTime)
    invited_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class CheckinInvite(SQLModel, table=True):
    """One member's invitation in a round, so nobody is invited or reminded twice."""

    __tablename__ = "checkin_invites"
    round_id: int = Field(foreign_key="checkin_rounds.id", primary_key=True)
    member_key: str = Field(primary_key=True)
    state: str  # pending, sent, reminded
    txn: str  # base of the Matrix transaction ids of the invitation and the reminder


class Checkin(SQLModel, table=True):
    """One member's check-in for one period between workshops. No user id: a keyed pseudonym."""

    __tablename__ = "checkins"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="communities.id", index=True)
    member_key: str = Field(index=True)
    period: int
    answers: str  # ITEMS order, comma-separated 1-4 or "n" (not applicable)
    text: str | None = None  # scrubbed before it was stored
    tags: str = ""
    consent: bool = False  # may be quoted, anonymously, in coordinators' summaries
    created_at: datetime = Field(sa_type=AwareDateTime)


class ImpactReport(SQLModel, table=True):
    __tablename__ = "impact_reports"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="communities.id", index=True)
    member_key: str = Field(index=True)
    period: int
    text: str  # scrubbed before it was stored
    tags: str = ""
    created_at: datetime = Field(sa_type=AwareDateTime)


class SummarySnapshot(SQLModel, table=True):
    """The counts of a closed summary period, frozen the first time they are released (migration v0010)."""

    __tablename__ = "summary_snapshots"
    community_id: int = Field(foreign_key="communities.id", primary_key=True)
    workshop: int = Field(primary_key=True)
    period_start: datetime = Field(sa_type=AwareDateTime)
    period_end: datetime = Field(sa_type=AwareDateTime)
    counts: str  # JSON: aggregates only
    made_at: datetime = Field(sa_type=AwareDateTime)


class SummarySettings(SQLModel, table=True):
    __tablename__ = "summary_settings"
    community_id: int = Field(foreign_key="communities.id", primary_key=True)
    min_group_size: int  # never below [summaries].min_group_size


class SectorEntry(SQLModel, table=True):
    """One member's opt-in to a community's sector directory (issue 23, migration v0011).

    Kept apart from everything about consultations: the member is a keyed hash of its own
    purpose (bot.sectors.directory), matching nothing else in the database; the bot finds the
    member's user id again among the room's members. `asked_at` is the rotation of mentions.
    """

    __tablename__ = "sector_directory"
    community_id: int = Field(foreign_key="communities.id", primary_key=True)
    member_key: str = Field(primary_key=True)
    sectors: str  # comma-separated domain.sectors ids
    tags: str = ""  # up to three practice-domain tags, comma-separated
    quiet: bool = False  # no mentions for consultations
    since: datetime = Field(sa_type=AwareDateTime)
    asked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)  # last mentioned for one


class ConsultationReach(SQLModel, table=True):
    """What crossed sectors in one consultation's thread (issue 23, migration v0011): the sectors
    of those who replied, never who replied; and the mention and nudge posted in the thread."""

    __tablename__ = "consultation_reach"
    consultation_id: int = Field(foreign_key="consultations.id", primary_key=True)
    reached: str = ""  # comma-separated sector ids of the repliers, only ever growing
    reached_count: int = 0
    answered: bool = False  # a reply came from a wanted sector
    mention: str  # a bot.sectors.jobs.Step: pending, sent, none (nobody to mention)
    txn: str  # base of the Matrix transaction ids of the mention and the nudge
    nudge_due: datetime | None = Field(default=None, sa_type=AwareDateTime, index=True)
    nudge: str = "none"  # a Step: waiting, sent, none
