"""The vendored word lists, loaded once on first use and kept as frozensets."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def fold(word: str) -> str:
    """Lower case without accents, en dash as hyphen, curly apostrophe as straight."""
    ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return ascii_word.lower().replace("\u2013", "-").replace("\u2019", "'")


def _lines(fname: str) -> list[str]:
    text = resources.files("domain.redact").joinpath("data", fname).read_text(encoding="utf-8")
    # en dashes vanish in the ASCII fold, so turn them into hyphens before folding
    text = text.replace("\u2013", "-")
    return [line.split("#", 1)[0].strip() for line in text.splitlines()]


@lru_cache(maxsize=None)
def read_words(fname: str) -> frozenset[str]:
    return frozenset(fold(w) for line in _lines(fname) for w in line.split())


@lru_cache(maxsize=None)
def read_phrases(fname: str) -> frozenset[str]:
    return frozenset(fold(" ".join(line.split())) for line in _lines(fname) if line)


@dataclass(frozen=True)
class Lexicon:
    first: frozenset[str]        # known first names (folded)
    surnames: frozenset[str]
    plain_first: frozenset[str]  # first names safe to remove even in lower case
    name_words: frozenset[str]   # names that are also everyday words: need context
    months: frozenset[str]
    common: frozenset[str]       # sentence openers and function words: never names alone
    keep: frozenset[str]         # protected clinical, legal, sector and geography terms
    places: frozenset[str]
    keep_max_words: int
    places_max_words: int

    def is_first(self, w: str) -> bool:
        return w in self.first or all(p in self.first for p in w.split("-")) and "-" in w

    def is_surname(self, w: str) -> bool:
        return w in self.surnames or ("-" in w and all(p in self.surnames for p in w.split("-")))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    keep = read_phrases("keep.txt")
    places = read_phrases("places.txt")
    name_words = read_words("name_words.txt")
    return Lexicon(
        first=read_words("first_names.txt") | read_words("census_first.txt"),
        surnames=read_words("surnames.txt") | read_words("census_surnames.txt"),
        plain_first=read_words("plain_first.txt") - name_words,
        name_words=name_words,
        months=read_words("months.txt"),
        common=read_words("common.txt"),
        keep=keep,
        places=places,
        keep_max_words=max(len(k.split()) for k in keep),
        places_max_words=max(len(p.split()) for p in places),
    )
