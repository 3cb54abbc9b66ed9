"""The sector directory and the cross-sector reach of consultations (issue 23).

`sector_directory` is a separate opt-in store: a member's sectors under a keyed hash of its
own purpose, no user id, and no column shared with the consultation tables.
`consultation_reach` holds, per consultation, the sectors its repliers came from (never who
replied) and the state of the mention and nudge the bot posts in its thread.
"""

STATEMENTS = [
    "ALTER TABLE consultations ADD COLUMN wanted VARCHAR NOT NULL DEFAULT ''",
    "CREATE TABLE sector_directory ("
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " member_key VARCHAR NOT NULL,"
    " sectors VARCHAR NOT NULL,"
    " tags VARCHAR NOT NULL DEFAULT '',"
    " quiet BOOLEAN NOT NULL DEFAULT FALSE,"
    " since TIMESTAMP WITH TIME ZONE NOT NULL,"
    " asked_at TIMESTAMP WITH TIME ZONE,"
    " PRIMARY KEY (community_id, member_key))",
    "CREATE TABLE consultation_reach ("
    " consultation_id INTEGER NOT NULL PRIMARY KEY REFERENCES consultations(id),"
    " reached VARCHAR NOT NULL DEFAULT '',"
    " reached_count INTEGER NOT NULL DEFAULT 0,"
    " answered BOOLEAN NOT NULL DEFAULT FALSE,"
    " mention VARCHAR NOT NULL,"
    " txn VARCHAR NOT NULL,"
    " nudge_due TIMESTAMP WITH TIME ZONE,"
    " nudge VARCHAR NOT NULL DEFAULT 'none')",
    "CREATE INDEX ix_consultation_reach_nudge_due ON consultation_reach (nudge_due)",
]
