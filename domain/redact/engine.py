"""Runs every detector and resolves their overlaps."""

from __future__ import annotations

from domain.redact import names, patterns, places
from domain.redact.lexicon import lexicon
from domain.redact.places import phrase_regex
from domain.redact.spans import Span, merge
from domain.redact.tokens import fold_same_length, tokenize

_GUESSED = ("name", "organization", "place")


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
    people = names.find(tokens, text, lex, protected, taken, lang)
    return merge(shaped + guessed + [s for s in people if not _inside(s, protected)], text)


def _inside(span: Span, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= span.start and span.end <= b for a, b in ranges)
