"""Runs every detector and resolves their overlaps."""

from __future__ import annotations

import re

from domain.redact import names, patterns, places
from domain.redact.lexicon import lexicon
from domain.redact.places import phrase_regex
from domain.redact.spans import Span, merge
from domain.redact.tokens import fold_same_length, tokenize

_NUMBER_BEFORE = re.compile(r"(?<![\w.,/-])\d{1,5}[A-Z]? $")
_UNIT_AFTER = re.compile(patterns.UNIT + r"|\.\s*\d+\w*")


def find_all(text: str, lang: str = "en") -> list[Span]:
    lex = lexicon()
    folded = fold_same_length(text)
    tokens = tokenize(text)
    protected = [m.span() for m in phrase_regex(lex.keep).finditer(folded)]
    shaped = patterns.shaped(text)
    orgs = places.organizations(tokens, text, lex)
    where = places.places(tokens, text, folded, lex)
    guessed = [s for s in orgs + where if not _inside(s, protected)]
    taken = [(s.start, s.end) for s in shaped + guessed]
    people = [s for s in names.find(tokens, text, lex, protected, taken, lang) if not _inside(s, protected)]
    people += _particles(text, people)
    return merge(shaped + guessed + people + _house_numbers(text, people + guessed), text)


# Name particles (Dutch, German, French, Spanish, Portuguese, Italian, Arabic): between two parts
# of a name they are part of it. "Joost van den Heuvel" is one name, not "[name] van den [name]".
_PARTICLE_GAP = re.compile(r"\s+(?:(?:van|von|der|den|de|del|della|di|da|das|dos|du|ter|ten|zu|zum|vom|le|la|"
                           r"al|el|bin|ibn|bint|abu|ben|ould|mac)\s+){1,3}", re.IGNORECASE)


def _particles(text: str, people: list[Span]) -> list[Span]:
    ordered = sorted(people, key=lambda s: s.start)
    out = []
    for a, b in zip(ordered, ordered[1:]):
        gap = _PARTICLE_GAP.fullmatch(text, a.end, b.start)
        if gap:
            out.append(Span(a.start, b.end, "name"))
    return out


def _house_numbers(text: str, spans: list[Span]) -> list[Span]:
    """"5390 Stafford Drives": a house number right before a proper name makes it a street address."""
    out = []
    for s in spans:
        m = _NUMBER_BEFORE.search(text, max(0, s.start - 8), s.start)
        if m and m.end() == s.start:
            unit = _UNIT_AFTER.match(text, s.end)
            out.append(Span(m.start(), unit.end() if unit else s.end, "address"))
    return out


def _inside(span: Span, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= span.start and span.end <= b for a, b in ranges if a <= span.start)
