"""Communities, roles, stage history, lineage and anonymous poster counts."""

STATEMENTS = [
    "CREATE TABLE communities ("
    " id INTEGER PRIMARY KEY,"
    " slug VARCHAR NOT NULL UNIQUE,"
    " name VARCHAR NOT NULL,"
    " room_id VARCHAR NOT NULL UNIQUE,"
    " stage VARCHAR NOT NULL,"
    " stage_since TIMESTAMP WITH TIME ZONE NOT NULL,"
    " timezone VARCHAR NOT NULL,"
    " language VARCHAR NOT NULL,"
    " created_at TIMESTAMP WITH TIME ZONE NOT NULL,"
    " closed_at TIMESTAMP WITH TIME ZONE,"
    " closed_note VARCHAR)",
    "CREATE TABLE community_roles ("
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " user_id VARCHAR NOT NULL,"
    " role VARCHAR NOT NULL,"
    " PRIMARY KEY (community_id, user_id, role))",
    "CREATE TABLE stage_changes ("
    " id INTEGER PRIMARY KEY,"
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " at TIMESTAMP WITH TIME ZONE NOT NULL,"
    " from_stage VARCHAR,"
    " to_stage VARCHAR NOT NULL,"
    " by_role VARCHAR NOT NULL,"
    " note VARCHAR)",
    "CREATE INDEX ix_stage_changes_community_id ON stage_changes (community_id)",
    "CREATE TABLE community_links ("
    " child_id INTEGER NOT NULL REFERENCES communities(id),"
    " parent_id INTEGER NOT NULL REFERENCES communities(id),"
    " PRIMARY KEY (child_id, parent_id))",
    "CREATE TABLE posters ("
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " member_key VARCHAR NOT NULL,"
    " PRIMARY KEY (community_id, member_key))",
]
