"""copbot: a Matrix bot for communities of practice on family violence."""

__version__ = "0.1.0"
