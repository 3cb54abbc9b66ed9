"""Schema migrations, applied in order by storage.migrate."""
