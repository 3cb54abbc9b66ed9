"""The sector directory (issue 23): opt-in entries, mentions in consultation threads, nudges,
and the sectors consultations reached."""
