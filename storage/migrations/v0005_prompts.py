"""Reflective prompts: per-community cadence, custom prompts, posts and reply counts.

Replies are counted, never stored: a post keeps how many replies and distinct
repliers its thread has, and the repliers only as per-community keyed hashes.
"""

STATEMENTS = [
    "CREATE TABLE prompt_settings ("
    " community_id INTEGER PRIMARY KEY REFERENCES communities(id),"
    " mode VARCHAR,"
    " every_days INTEGER,"
    " at_time VARCHAR,"
    " anchor VARCHAR,"
    " hours VARCHAR)",
    "CREATE TABLE custom_prompts ("
    " id INTEGER PRIMARY KEY,"
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " code VARCHAR NOT NULL,"
    " stage VARCHAR NOT NULL,"
    " text VARCHAR NOT NULL,"
    " lang VARCHAR NOT NULL,"
    " tags VARCHAR NOT NULL,"
    " created_at TIMESTAMP WITH TIME ZONE NOT NULL,"
    " removed_at TIMESTAMP WITH TIME ZONE,"
    " UNIQUE (community_id, code))",
    "CREATE TABLE prompt_posts ("
    " id INTEGER PRIMARY KEY,"
    " community_id INTEGER NOT NULL REFERENCES communities(id),"
    " prompt_id VARCHAR,"
    " stage VARCHAR,"
    " tags VARCHAR NOT NULL,"
    " source VARCHAR NOT NULL,"
    " state VARCHAR NOT NULL,"
    " due_at TIMESTAMP WITH TIME ZONE,"
    " txn VARCHAR NOT NULL,"
    " event_key VARCHAR UNIQUE,"
    " posted_at TIMESTAMP WITH TIME ZONE,"
    " replies INTEGER NOT NULL,"
    " repliers INTEGER NOT NULL,"
    " last_reply_at TIMESTAMP WITH TIME ZONE)",
    "CREATE INDEX ix_prompt_posts_community_id ON prompt_posts (community_id)",
    "CREATE INDEX ix_prompt_posts_state ON prompt_posts (state)",
    "CREATE TABLE prompt_repliers ("
    " post_id INTEGER NOT NULL REFERENCES prompt_posts(id),"
    " member_key VARCHAR NOT NULL,"
    " PRIMARY KEY (post_id, member_key))",
]
