"""Practice-impact check-ins: the in-memory conversation, invitation rounds, and stored entries."""
