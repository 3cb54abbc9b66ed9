"""What the DM dialogs (the consultation request, the check-in) have in common, free of Matrix.

Each dialog is a pure state machine: `step(draft, text, ...)` returns a Reply, the next draft
and a catalogue key with its params. The bot renders the key, keeps the draft in memory
(bot/dialogs.py) and acts when the draft is finished. A Reply also says whether the dialog
understood the message: the bot's one rule for leaving a dialog (bot.dialogs.route) runs a
command the dialog did not understand instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reply:
    draft: Any
    key: str
    params: dict = field(default_factory=dict)
    understood: bool = True  # False: a correction; the draft is unchanged

    def _triple(self) -> tuple:
        return self.draft, self.key, self.params

    def __iter__(self):  # unpacks, and indexes, as (draft, key, params)
        return iter(self._triple())

    def __getitem__(self, index):
        return self._triple()[index]


def correction(draft: Any, key: str, params: dict | None = None) -> Reply:
    """The message could not be used: the same draft, and what to write instead."""
    return Reply(draft, key, dict(params or {}), understood=False)


def word_of(text: str) -> str:
    """A short answer as a word: lower case, spaces collapsed, no backticks or final stop."""
    return " ".join(text.strip().strip("`").lower().split()).rstrip(".!")
