"""Words with their offsets, case and position in the sentence."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Apostrophes join only before a letter (O'Brien, aujourd'hui); hyphens and en dashes join compounds
WORD = re.compile(r"[^\W\d_]+(?:(?:[-\u2013]|['\u2019](?=[^\W\d_]))[^\W\d_]+)*")
ELISION = re.compile(r"(?i)(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['\u2019](?=[^\W\d_])")
POSSESSIVE = re.compile(r"['\u2019]s?(?![^\W\d_])")
SENTENCE_END = set(".!?:;\n•*–—-|>")


@dataclass(frozen=True)
class Token:
    start: int
    end: int      # excludes a possessive 's
    text: str
    key: str      # folded
    cap: bool     # starts with a capital
    upper: bool   # all capitals, two letters or more
    sent_start: bool
    possessive: bool


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    f = unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode().lower()
    return f if len(f) == 1 else c.lower()


def fold_same_length(text: str) -> str:
    """Folded like lexicon.fold but keeping every offset, so matches map back to the original."""
    return "".join(_fold_char(c) if c not in "\u2013\u2019" else ("-" if c == "\u2013" else "'") for c in text)


def _is_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'«»“”‘(*[":
        i -= 1
    if i < 0:
        return True
    if text[i] in SENTENCE_END:
        # "M. Tremblay", "Dr. Smith", "St. Mary's": a title's period does not end a sentence
        if text[i] == "." and re.search(r"(?:\b(?:M|Dr|Mr|Mrs|Ms|Mme|Mlle|St|Ste|Me|Sgt|Cst|Det|Lt|Pr|Prof|Jr|Sr)|\b[A-Z])\.$", text[max(0, i - 5):i + 1]):
            return False
        return True
    return bool(re.search(r"\n\s*\d+[.)]\s*$", text[max(0, i - 6):start]))


def tokenize(text: str) -> list[Token]:
    folded = fold_same_length(text)
    out = []
    for m in WORD.finditer(text):
        start, end = m.span()
        el = ELISION.match(text, start, end)
        if el and el.end() < end and (text[el.end()].isupper() or el.end() - start > 1):
            start = el.end()
        word = text[start:end]
        possessive = False
        pm = re.search(r"['\u2019]s$", word)
        if pm and len(word) > 2:
            end -= 2
            word = word[:-2]
            possessive = True
        elif end < len(text) and POSSESSIVE.match(text, end) and word[-1:] in "sS" and text[end:end + 1] in "'\u2019":
            possessive = True
        out.append(Token(
            start=start, end=end, text=word, key=folded[start:end],
            cap=word[:1].isupper(), upper=len(word) > 1 and word.isupper(),
            sent_start=_is_sentence_start(text, start), possessive=possessive,
        ))
    return out
