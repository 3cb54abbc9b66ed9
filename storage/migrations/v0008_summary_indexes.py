"""Indexes for coordinator summaries: each query reads one community's time range from an index.

Measured with bench/summary_bench.py (1x: 20,000 check-ins, 2,000 consultations): the series
summary went from about 1.5 s (filtering on community only) to well under the 300 ms target.
Story text is kept out of the indexes so it is not stored twice.
"""

STATEMENTS = [
    "CREATE INDEX ix_checkins_community_created ON checkins (community_id, created_at, answers, tags, consent)",
    "CREATE INDEX ix_checkins_community_stories ON checkins (community_id, created_at, consent)"
    " WHERE text IS NOT NULL",
    "CREATE INDEX ix_consultations_community_posted ON consultations (community_id, posted_at, categories)",
    "CREATE INDEX ix_consultations_community_closed ON consultations (community_id, closed_at, posted_at)",
    "CREATE INDEX ix_impact_reports_community_created ON impact_reports (community_id, created_at, tags)",
]
