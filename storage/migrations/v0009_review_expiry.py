"""A request waiting for review expires with the community's retention too.

`queued_on` is the day it entered the queue (midnight UTC), never the instant of the DM.
"""

STATEMENTS = [
    "ALTER TABLE consultations ADD COLUMN queued_on TIMESTAMP WITH TIME ZONE",
]
