"""Per-community summary settings: a community may raise the small-group threshold."""

STATEMENTS = [
    "CREATE TABLE summary_settings ("
    " community_id INTEGER PRIMARY KEY REFERENCES communities(id),"
    " min_group_size INTEGER NOT NULL)",
]
