"""The message catalogue: every user-facing string, in English and French.

Entries live in bot/locales/<lang>.toml as nested tables; a key is the
dotted path ("ping.pong"). Both languages must have the same keys and the
same placeholders, which the test suite checks.
"""

from __future__ import annotations

import string
import tomllib
from importlib import resources

from typing import Any, Callable

from bot.text import Text, render, render_plain

LANGUAGES = ("en", "fr")


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def placeholders(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


class Catalogue:
    def __init__(self, entries: dict[str, dict[str, str]]):
        self.entries = entries
        self._built: dict[Any, Text] = {}

    @classmethod
    def load(cls) -> "Catalogue":
        entries = {}
        for lang in LANGUAGES:
            data = resources.files("bot").joinpath(f"locales/{lang}.toml").read_text("utf-8")
            entries[lang] = _flatten(tomllib.loads(data))
        return cls(entries)

    def has(self, key: str) -> bool:
        return key in self.entries["en"]

    def raw(self, lang: str, key: str) -> str:
        return self.entries.get(lang, self.entries["en"])[key]

    def render(self, lang: str, key: str, **params: object) -> Text:
        return render(self.raw(lang, key), params)

    def plain(self, lang: str, key: str, **params: object) -> str:
        return render_plain(self.raw(lang, key), params)

    def built(self, key: Any, build: Callable[[], Text]) -> Text:
        """A text made from catalogue entries alone (never user values), built once per `key`;
        the keys a caller uses must be few (help: language, room or DM, the commands shown)."""
        if key not in self._built:
            self._built[key] = build()
        return self._built[key]
