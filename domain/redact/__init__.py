"""The identifier scrubber: removes names, contacts, addresses, dates and id numbers from a request.

Must never import nio or anything from bot/: it runs on plain text only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

KINDS = ("name", "phone", "email", "url", "handle", "address", "postal", "date", "id", "organization", "place")


@dataclass(frozen=True)
class Replacement:
    kind: str      # one of KINDS
    start: int     # offsets into the original text
    end: int
    original: str  # the removed text: never log it
    rule: str = ""  # the detector that found it (for the operator's --explain)


@dataclass(frozen=True)
class Scrubbed:
    original: str
    replacements: tuple[Replacement, ...]  # sorted, non-overlapping

    def render(self, label: Callable[[str], str] = lambda kind: f"[{kind}]") -> str:
        parts, pos = [], 0
        for r in self.replacements:
            parts += [self.original[pos:r.start], label(r.kind)]
            pos = r.end
        parts.append(self.original[pos:])
        return "".join(parts)

    @property
    def text(self) -> str:
        return self.render()


# Shows nothing but is not a format character: the combining grapheme joiner.
_INVISIBLE = frozenset({"\u034f"})


def normalise(text: str) -> str:
    """The text without the characters that show nothing: format characters (zero-width spaces
    and joiners, soft hyphens, the byte-order mark, direction marks and overrides) and the
    combining grapheme joiner. Inside a name (`Sam\u200bira`), a postal code or an email they
    hide it from every rule while the reader still sees it whole; overrides make a text display
    other than it reads. So what is scrubbed, stored and posted is the text without them."""
    return "".join(c for c in text if c not in _INVISIBLE and unicodedata.category(c) != "Cf")


def scrub(text: str, lang: str = "en") -> Scrubbed:
    """Find every identifier in `text`. `lang` is "en" or "fr"; both languages' rules always run,
    so mixed requests are covered. The text is normalised first (see `normalise`): offsets and
    `original` are those of the normalised text."""
    from domain.redact.engine import find_all

    if lang not in ("en", "fr"):
        raise ValueError(f"unsupported language: {lang!r}")
    text = normalise(text)
    spans = find_all(text, lang)
    return Scrubbed(text, tuple(Replacement(s.kind, s.start, s.end, text[s.start:s.end], s.rule) for s in spans))
