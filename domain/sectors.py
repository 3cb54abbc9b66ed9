"""Sectors (issue 23): the fixed bilingual list, members' declarations, the expertise a
consultation wants, fair rotation of mentions, and the cross-sector figures.

Pure: no Matrix, no storage. A directory entry is seen here only as its pseudonym key, its
sectors and its rotation state; nothing here ever sees who asked or who replied.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from domain.errors import InputError
from domain.tags import is_tag, normalise, pull_hashtags

MAX_TAGS = 3
MAX_SECTORS = 5  # a member may work across a few sectors; more reads like "everything"


class SectorError(InputError):
    pass


@dataclass(frozen=True)
class Sector:
    id: str  # stable: stored in the directory and on consultations; typed after '#'
    en: str
    fr: str
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


# The list (domain.md §1 and §4), in this order everywhere it is shown.
SECTORS: tuple[Sector, ...] = (
    Sector("shelters", "violence against women and shelters", "violence faite aux femmes et maisons d'hébergement",
           ("shelter", "vaw", "women", "hebergement", "maison", "maisons", "vff", "femmes")),
    Sector("child-protection", "child protection", "protection de la jeunesse (DPJ)",
           ("cps", "dpj", "protection", "child", "jeunesse", "protection-jeunesse", "protection-enfance")),
    Sector("mental-health", "mental health", "santé mentale", ("mh", "sante-mentale", "mentalhealth")),
    Sector("addiction", "addiction", "dépendances", ("addictions", "dependance", "dependances", "substance-use")),
    Sector("mens-programs", "men's and accountability programs", "programmes pour hommes et responsabilisation",
           ("men", "mens", "hommes", "programmes-hommes", "accountability")),
    Sector("police", "police", "police", ("policing", "policiers")),
    Sector("justice", "justice and courts", "justice et tribunaux", ("courts", "court", "tribunaux", "tribunal")),
    Sector("health", "health", "santé", ("sante", "healthcare")),
    Sector("immigration", "immigration and settlement", "immigration et établissement",
           ("settlement", "etablissement", "newcomers")),
    Sector("housing", "housing", "logement", ("logement",)),
    Sector("indigenous", "Indigenous services", "services autochtones", ("autochtone", "autochtones", "first-nations")),
    Sector("community", "community organization", "organisme communautaire",
           ("communautaire", "community-organization", "organisme")),
    Sector("other", "other", "autre", ("autre", "autres")),
)
BY_ID = {s.id: s for s in SECTORS}


def _fold(word: str) -> str:
    """Lower case, accents off, apostrophes and underscores as nothing/hyphens: 'Dépendances' → 'dependances'."""
    word = unicodedata.normalize("NFKD", word.strip().lower())
    word = "".join(c for c in word if not unicodedata.combining(c))
    return word.replace("’", "").replace("'", "").replace("_", "-").strip(",;.")


_LOOKUP: dict[str, str] = {}
for _s in SECTORS:
    for _word in (_s.id, *_s.aliases):
        _LOOKUP.setdefault(_fold(_word), _s.id)
    _LOOKUP.setdefault(_fold(_s.fr.split(" (")[0]).replace(" ", "-"), _s.id)
    _LOOKUP.setdefault(_fold(_s.en).replace(" ", "-"), _s.id)


def find(word: str) -> str | None:
    """The sector id a word names (its id, an English or French alias, accents optional)."""
    return _LOOKUP.get(_fold(word))


def ordered(ids: Iterable[str]) -> tuple[str, ...]:
    """Known ids once each, in the list's order."""
    chosen = set(ids)
    return tuple(s.id for s in SECTORS if s.id in chosen)


def split(stored: str) -> tuple[str, ...]:
    return ordered(p for p in (stored or "").split(",") if p)


def names(ids: Iterable[str], lang: str) -> str:
    return ", ".join(BY_ID[i].name(lang) for i in ordered(ids))


@dataclass(frozen=True)
class Declaration:
    sectors: tuple[str, ...]
    tags: tuple[str, ...]


def parse_declaration(text: str) -> Declaration:
    """'addiction mental-health #risk.assess' → the sectors and up to three practice tags.
    Raises SectorError with a catalogue key; nothing is half-read."""
    sectors: list[str] = []
    tags: list[str] = []
    for word in text.split():
        if word.startswith("#"):
            tag = normalise(word)
            if not is_tag(tag):
                raise SectorError("sector.unknown_tag", tag=word[:40])
            if tag not in tags:
                tags.append(tag)
            continue
        found = find(word)
        if found is None:
            raise SectorError("sector.unknown", word=word[:40])
        if found not in sectors:
            sectors.append(found)
    if not sectors:
        raise SectorError("sector.none")
    if len(sectors) > MAX_SECTORS:
        raise SectorError("sector.too_many", limit=MAX_SECTORS)
    if len(tags) > MAX_TAGS:
        raise SectorError("sector.too_many_tags", limit=MAX_TAGS)
    return Declaration(ordered(sectors), tuple(tags))


# '#addiction', '#child-protection', '#dépendances', '#sector:housing', '#secteur:logement'
_WANTED = re.compile(r"(?<![\w#])#(?:(sector|secteur|secteurs|sectors):)?([^\W\d_][\w'’-]*)", re.UNICODE)


def extract_wanted(text: str, reserved: Iterable[str] = ()) -> tuple[str, tuple[str, ...]]:
    """Take the wanted sectors' tags out of a consultation's text. A bare '#word' that is in
    `reserved` (the consultation categories, e.g. #housing) stays for them; '#sector:housing'
    always names the sector. Unknown '#words' stay as they were written."""
    taken = {_fold(r) for r in reserved}

    def sector_of(match: re.Match) -> str | None:
        prefixed, word = match.group(1), match.group(2)
        return None if not prefixed and _fold(word) in taken else find(word)

    cleaned, found = pull_hashtags(text, _WANTED, sector_of)
    return cleaned, ordered(found)


# --- who is mentioned ---------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """A directory entry as rotation sees it."""

    key: str
    sectors: tuple[str, ...]
    quiet: bool = False
    asked_at: datetime | None = None  # last mentioned for a consultation; None = never
    since: datetime | None = None  # when they opted in: ties go to the earlier


_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


def pick(entries: Sequence[Entry], wanted: Sequence[str], n: int, *,
         asked_since: datetime | None = None) -> list[Entry]:
    """Up to `n` entries to mention for the wanted sectors: never a muted one; least recently
    mentioned first, and one per wanted sector in turn, so each sector is asked before any gets
    a second person. With `asked_since` (a nudge), those mentioned at or after it are left out:
    they were asked for this consultation, or since."""
    def never_first(e: Entry) -> tuple:
        return (e.asked_at is not None, e.asked_at or _EARLIEST, e.since or _EARLIEST, e.key)

    pools = []
    for sector in ordered(wanted):
        pool = [e for e in entries if sector in e.sectors and not e.quiet
                and (asked_since is None or e.asked_at is None or e.asked_at < asked_since)]
        pools.append(sorted(pool, key=never_first))
    chosen: list[Entry] = []
    while len(chosen) < n and any(pools):
        for pool in pools:
            while pool and pool[0] in chosen:
                pool.pop(0)
            if pool and len(chosen) < n:
                chosen.append(pool.pop(0))
    return chosen


# --- the directory's counts ---------------------------------------------------------

def coverage(declared: Iterable[Sequence[str]]) -> dict[str, int]:
    """Opted-in members per sector (a member in two sectors counts in both), every sector listed."""
    counts = Counter(s for sectors in declared for s in set(sectors))
    return {s.id: counts.get(s.id, 0) for s in SECTORS}


def present(declared: Iterable[Sequence[str]]) -> int:
    """How many sectors of the list have at least one opted-in member."""
    return sum(1 for n in coverage(declared).values() if n)


# --- the cross-sector measure -------------------------------------------------------

BUCKETS = ("0", "1", "2", "3+")


def bucket(reached: int) -> str:
    return BUCKETS[min(reached, 3)]


def answered(wanted: Iterable[str], reached: Iterable[str]) -> bool:
    """A reply came from one of the sectors the consultation asked for."""
    return bool(set(wanted) & set(reached))


def merge(stored: str, more: Iterable[str]) -> tuple[str, ...]:
    """The sectors reached so far, with more: only ever grows, so a re-read changes nothing."""
    return ordered([*split(stored), *more])
