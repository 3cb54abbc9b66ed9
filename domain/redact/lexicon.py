"""The vendored word lists, loaded once on first use and kept as frozensets."""

from __future__ import annotations

import gzip
import re
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
def keep_policy() -> dict[str, list[str]]:
    """data/keep.txt, the one file of what is kept and why, by section: "[terms] …" sections are
    phrases (a trailing "# …" is a comment), the other sections ("[patterns]", "[law-date]",
    "[not-an-id]", "[not-initials]", "[not-a-name]", "[not-a-name-in-capitals]", "[not-a-place]") are read whole-line."""
    text = resources.files("domain.redact").joinpath("data", "keep.txt").read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current = None
    for raw in text.replace("\u2013", "-").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head = re.match(r"\[([a-z-]+)\]", line)
        if head:
            current = sections.setdefault(head.group(1), [])
            continue
        if current is None:
            raise ValueError("keep.txt: a line before the first [section]")
        current.append(line.split("#", 1)[0].strip() if current is sections.get("terms") else line)
    return sections


@lru_cache(maxsize=None)
def read_words(fname: str) -> frozenset[str]:
    return frozenset(fold(w) for line in _lines(fname) for w in line.split())


@lru_cache(maxsize=None)
def read_phrases(fname: str) -> frozenset[str]:
    return frozenset(fold(" ".join(line.split())) for line in _lines(fname) if line)


@lru_cache(maxsize=2)
def _dictionary(lang: str) -> frozenset[str]:
    raw = resources.files("domain.redact").joinpath("data", f"words_{lang}.txt.gz").read_bytes()
    return frozenset(gzip.decompress(raw).decode("utf-8").split())


_PREFIXES = frozenset("co ex re non pre post anti self semi mi demi sous sur auto bi multi inter pseudo mini micro".split())
_SUFFIXES = tuple((s, tuple(r.split("|"))) for s, r in (
    ("ies", "y"), ("es", "|e"), ("s", ""), ("x", ""), ("ed", "|e"), ("ing", "|e"), ("ly", ""), ("ers", "|e"),
    ("er", "|e"), ("ees", "e|er"), ("ee", "e|er"), ("es", "er"), ("e", "|er"), ("ements", "er|e"), ("ement", "er|e"),
    ("euses", "eux|er"), ("euse", "eux|er"), ("ives", "if"), ("ive", "if"), ("iques", "ique"), ("aux", "al"),
    ("trices", "teur"), ("trice", "teur"), ("nnes", "n"), ("nne", "n"), ("elles", "el"), ("elle", "el"),
))


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
    organizations: frozenset[str]  # institutions known by one word or an acronym (folded)
    org_acronyms: frozenset[str]   # those written in capitals: matched in any case
    words_en: frozenset[str]
    words_fr: frozenset[str]
    keep_patterns: tuple[re.Pattern[str], ...]  # text that is kept (legal references)
    law_date: re.Pattern[str]    # a date right after this is a law's name
    not_an_id: re.Pattern[str]   # number shapes that are not ids
    not_initials: frozenset[str]  # U.S., P.S.: not initials
    not_a_name: frozenset[str]   # chat shorthand (folded)
    not_a_name_in_capitals: frozenset[str]  # names of id numbers: NAS, DOB (folded)
    not_a_place: frozenset[str]  # peoples and nations before "Nation" or "reserve"
    towns: frozenset[str]        # the GeoNames gazetteer, normalised by town_key
    word_towns: frozenset[str]   # towns named like a word ("hope", "paradise"): strong context only
    keep_max_words: int
    places_max_words: int

    def _word(self, w: str) -> bool:
        # two lookups rather than a union of both dictionaries: the union alone took about 15 MB
        return w in self.words_en or w in self.words_fr

    def is_word(self, w: str) -> bool:
        """An everyday word, inflections and compounds included ("problématiques", "co-occurring")."""
        if self._word(w) or w in self.common or "'" in w:
            return True
        if "-" in w:
            return all(p in _PREFIXES or self.is_word(p) for p in w.split("-") if p)
        for suffix, repl in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                stem = w[: len(w) - len(suffix)]
                if any(self._word(stem + r) for r in repl):
                    return True
                if len(stem) > 3 and stem[-1] == stem[-2] and self._word(stem[:-1]):
                    return True  # occurring, stopped
        return False

    def ambiguous(self, w: str, lang: str) -> bool:
        """A name that is also a word of the request's language: Hope in English, Pierre in French."""
        if w not in self.name_words:
            return False
        other = self.words_fr if lang == "en" else self.words_en
        own = self.words_en if lang == "en" else self.words_fr
        return w in own or w in self.common or w not in other

    def is_first(self, w: str) -> bool:
        return w in self.first or all(p in self.first for p in w.split("-")) and "-" in w

    def is_surname(self, w: str) -> bool:
        return w in self.surnames or ("-" in w and all(p in self.surnames for p in w.split("-")))


def town_key(phrase: str) -> str:
    """A town's name as token keys joined by spaces: no periods, no possessive ("St. John's" → "st john")."""
    return " ".join(w[:-2] if w.endswith("'s") else w for w in phrase.replace(".", " ").split())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    policy = keep_policy()
    keep = frozenset(fold(" ".join(line.split())) for line in policy["terms"] if line)
    places = read_phrases("places.txt")
    name_words = read_words("name_words.txt")
    # particles of multi-word surnames (De Leon, Le Gall) are function words, not names by themselves
    common = read_words("common.txt")
    lex = Lexicon(
        first=(read_words("first_names.txt") | read_words("census_first.txt") | read_words("faker_first.txt")) - common,
        surnames=(read_words("surnames.txt") | read_words("census_surnames.txt") | read_words("faker_surnames.txt")) - common,
        # Faker's first names of five letters or more are no everyday word (the script filtered them)
        plain_first=(read_words("plain_first.txt") | {n for n in read_words("faker_first.txt") if len(n) >= 5}) - name_words,
        name_words=name_words,
        months=read_words("months.txt"),
        common=common,
        keep=keep,
        places=places,
        organizations=read_phrases("organizations.txt"),
        org_acronyms=frozenset(fold(w) for w in _lines("organizations.txt") if w and w.isupper() and " " not in w),
        words_en=_dictionary("en"),
        words_fr=_dictionary("fr"),
        keep_patterns=tuple(re.compile(p) for p in policy["patterns"]),
        law_date=re.compile("|".join(policy["law-date"])),
        not_an_id=re.compile("|".join(policy["not-an-id"])),
        not_initials=frozenset(w.rstrip(".") for line in policy["not-initials"] for w in line.split()),
        not_a_name=frozenset(fold(w) for line in policy["not-a-name"] for w in line.split()),
        not_a_name_in_capitals=frozenset(fold(w) for line in policy["not-a-name-in-capitals"] for w in line.split()),
        not_a_place=frozenset(fold(w) for line in policy["not-a-place"] for w in line.split()),
        towns=frozenset(town_key(t) for t in read_phrases("geonames_towns.txt") if t),
        word_towns=read_words("geonames_word_towns.txt"),
        keep_max_words=max(len(k.split()) for k in keep),
        places_max_words=max(len(p.split()) for p in places),
    )
    # the unions above hold every word: the per-file sets would only double the memory
    read_words.cache_clear()
    read_phrases.cache_clear()
    keep_policy.cache_clear()
    return lex
