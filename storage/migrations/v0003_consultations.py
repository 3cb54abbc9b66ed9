"""Anonymous consultations: per-community settings, requests and follow-ups.

No column can hold a requester's user id or DM room (see models.Consultation).
"""

STATEMENTS = [
    "CREATE TABLE consult_settings ("
    " community_id INTEGER PRIMARY KEY REFERENCES communities(id),"
    " room_id VARCHAR,"
    " delay_min_s INTEGER,"
    " delay_max_s INTEGER,"
    " review BOOLEAN,"
    " retention_days INTEGER,"
    " redact_on_expiry BOOLEAN)",
    "CREATE TABLE consultations ("
    " id INTEGER PRIMARY KEY,"
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " label VARCHAR NOT NULL UNIQUE,"
    " code_hash VARCHAR NOT NULL UNIQUE,"
    " status VARCHAR NOT NULL,"
    " categories VARCHAR NOT NULL,"
    " text VARCHAR,"
    " note VARCHAR,"
    " txn VARCHAR NOT NULL,"
    " due_at TIMESTAMP WITH TIME ZONE,"
    " room_id VARCHAR,"
    " event_id VARCHAR,"
    " posted_at TIMESTAMP WITH TIME ZONE,"
    " closed_at TIMESTAMP WITH TIME ZONE,"
    " decided_at TIMESTAMP WITH TIME ZONE,"
    " purged_at TIMESTAMP WITH TIME ZONE)",
    "CREATE INDEX ix_consultations_community_id ON consultations (community_id)",
    "CREATE INDEX ix_consultations_due_at ON consultations (due_at)",
    "CREATE TABLE consultation_followups ("
    " id INTEGER PRIMARY KEY,"
    " consultation_id INTEGER NOT NULL REFERENCES consultations(id),"
    " text VARCHAR,"
    " txn VARCHAR NOT NULL,"
    " due_at TIMESTAMP WITH TIME ZONE,"
    " event_id VARCHAR,"
    " posted_at TIMESTAMP WITH TIME ZONE)",
    "CREATE INDEX ix_consultation_followups_consultation_id ON consultation_followups (consultation_id)",
    "CREATE INDEX ix_consultation_followups_due_at ON consultation_followups (due_at)",
]
