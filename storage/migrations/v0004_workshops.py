"""Workshops, their reminders, RSVPs and attendance.

RSVPs and attendance are keyed by a per-community HMAC of the member's user
id (see bot/keys.py), so they count people without naming them.
"""

STATEMENTS = [
    "CREATE TABLE workshop_settings ("
    " community_id INTEGER PRIMARY KEY REFERENCES communities(id),"
    " offsets_s VARCHAR,"
    " grace_s INTEGER,"
    " mention_room BOOLEAN)",
    "CREATE TABLE workshops ("
    " id INTEGER PRIMARY KEY,"
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " number INTEGER NOT NULL,"
    " starts_at TIMESTAMP WITH TIME ZONE NOT NULL,"
    " duration_min INTEGER NOT NULL,"
    " stage VARCHAR NOT NULL,"
    " state VARCHAR NOT NULL,"
    " topic VARCHAR,"
    " link VARCHAR,"
    " cancel_reason VARCHAR,"
    " uid VARCHAR NOT NULL UNIQUE,"
    " sequence INTEGER NOT NULL,"
    " created_at TIMESTAMP WITH TIME ZONE NOT NULL,"
    " updated_at TIMESTAMP WITH TIME ZONE NOT NULL,"
    " UNIQUE (community_id, number))",
    "CREATE INDEX ix_workshops_community_id ON workshops (community_id)",
    "CREATE TABLE workshop_actions ("
    " id INTEGER PRIMARY KEY,"
    " workshop_id INTEGER NOT NULL REFERENCES workshops(id),"
    " kind VARCHAR NOT NULL,"
    " offset_s INTEGER NOT NULL,"
    " due_at TIMESTAMP WITH TIME ZONE NOT NULL,"
    " state VARCHAR NOT NULL,"
    " txn VARCHAR NOT NULL,"
    " event_id VARCHAR,"
    " done_at TIMESTAMP WITH TIME ZONE,"
    " delayed BOOLEAN NOT NULL)",
    "CREATE INDEX ix_workshop_actions_workshop_id ON workshop_actions (workshop_id)",
    "CREATE INDEX ix_workshop_actions_state ON workshop_actions (state)",
    "CREATE TABLE workshop_posts ("
    " event_key VARCHAR PRIMARY KEY,"
    " workshop_id INTEGER NOT NULL REFERENCES workshops(id))",
    "CREATE TABLE workshop_rsvps ("
    " workshop_id INTEGER NOT NULL REFERENCES workshops(id),"
    " member_key VARCHAR NOT NULL,"
    " answer VARCHAR NOT NULL,"
    " reaction_key VARCHAR,"
    " at TIMESTAMP WITH TIME ZONE NOT NULL,"
    " PRIMARY KEY (workshop_id, member_key))",
    "CREATE TABLE workshop_attendance ("
    " workshop_id INTEGER NOT NULL REFERENCES workshops(id),"
    " member_key VARCHAR NOT NULL,"
    " source VARCHAR NOT NULL,"
    " at TIMESTAMP WITH TIME ZONE NOT NULL,"
    " PRIMARY KEY (workshop_id, member_key))",
]
