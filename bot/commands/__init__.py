"""One module per command group; each command is one decorated function."""
