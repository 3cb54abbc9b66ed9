"""Practice-impact check-ins and quick impact reports.

Members appear only as a keyed pseudonym (HMAC of the user id with the bot's
secret, which lives outside the database), never as a user id.
"""

STATEMENTS = [
    "CREATE TABLE checkin_settings ("
    " community_id INTEGER PRIMARY KEY REFERENCES communities(id),"
    " invite_after_s INTEGER)",
    "CREATE TABLE checkin_optouts ("
    " member_key VARCHAR PRIMARY KEY,"
    " at TIMESTAMP WITH TIME ZONE NOT NULL)",
    "CREATE TABLE checkin_rounds ("
    " id INTEGER PRIMARY KEY,"
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " workshop_id INTEGER NOT NULL UNIQUE REFERENCES workshops(id),"
    " state VARCHAR NOT NULL,"
    " invite_due TIMESTAMP WITH TIME ZONE,"
    " remind_due TIMESTAMP WITH TIME ZONE,"
    " invited_at TIMESTAMP WITH TIME ZONE)",
    "CREATE INDEX ix_checkin_rounds_state ON checkin_rounds (state)",
    "CREATE TABLE checkin_invites ("
    " round_id INTEGER NOT NULL REFERENCES checkin_rounds(id),"
    " member_key VARCHAR NOT NULL,"
    " state VARCHAR NOT NULL,"
    " txn VARCHAR NOT NULL,"
    " PRIMARY KEY (round_id, member_key))",
    "CREATE TABLE checkins ("
    " id INTEGER PRIMARY KEY,"
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " member_key VARCHAR NOT NULL,"
    " period INTEGER NOT NULL,"
    " answers VARCHAR NOT NULL,"
    " text VARCHAR,"
    " tags VARCHAR NOT NULL,"
    " consent BOOLEAN NOT NULL,"
    " created_at TIMESTAMP WITH TIME ZONE NOT NULL)",
    "CREATE INDEX ix_checkins_member_key ON checkins (member_key)",
    "CREATE INDEX ix_checkins_community_id ON checkins (community_id)",
    "CREATE TABLE impact_reports ("
    " id INTEGER PRIMARY KEY,"
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " member_key VARCHAR NOT NULL,"
    " period INTEGER NOT NULL,"
    " text VARCHAR NOT NULL,"
    " tags VARCHAR NOT NULL,"
    " created_at TIMESTAMP WITH TIME ZONE NOT NULL)",
    "CREATE INDEX ix_impact_reports_member_key ON impact_reports (member_key)",
    "CREATE INDEX ix_impact_reports_community_id ON impact_reports (community_id)",
]
