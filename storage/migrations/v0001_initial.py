"""Bot bookkeeping: sync token, handled events, joined rooms."""

STATEMENTS = [
    "CREATE TABLE bot_state (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    "CREATE TABLE handled_events ("
    " event_key VARCHAR PRIMARY KEY,"
    " handled_at TIMESTAMP WITH TIME ZONE NOT NULL)",
    "CREATE INDEX ix_handled_events_handled_at ON handled_events (handled_at)",
    "CREATE TABLE joined_rooms ("
    " room_key VARCHAR PRIMARY KEY,"
    " joined_at TIMESTAMP WITH TIME ZONE NOT NULL)",
]
