"""The reflective-prompt library, kept as data: one TOML file per stage.

The rules (format, validation, selection) live in domain/prompts.py; this
package only ships the files, so facilitators' editors can change wording
without touching code.
"""

from __future__ import annotations

from importlib.resources import files

FOLDER = files(__name__)  # where the shipped *.toml files are, installed or not


def load():
    """The shipped library, validated (domain.prompts.load_library)."""
    from domain.prompts import load_library  # late: domain.prompts imports this package

    return load_library(FOLDER)
