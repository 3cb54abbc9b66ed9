"""Frozen counts of closed summary periods (issue 21 §3).

Once a workshop is over, its column's counts are stored here the first time a summary needs
them and read from here ever after, so a released figure never changes: a member's
`forget-me`, a deleted impact, a late attendance mark or a late reply would otherwise change
a closed column by one person, and the column before and after would tell that person's
answers. Aggregates only (counts per measure, as JSON), no rows, no pseudonyms.
"""

STATEMENTS = [
    "CREATE TABLE summary_snapshots ("
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " workshop INTEGER NOT NULL,"
    " period_start TIMESTAMP WITH TIME ZONE NOT NULL,"
    " period_end TIMESTAMP WITH TIME ZONE NOT NULL,"
    " counts TEXT NOT NULL,"
    " made_at TIMESTAMP WITH TIME ZONE NOT NULL,"
    " PRIMARY KEY (community_id, workshop))",
]
