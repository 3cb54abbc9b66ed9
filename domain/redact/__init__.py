"""The identifier scrubber: removes names, contacts, addresses, dates and id numbers from a request.

Must never import nio or anything from bot/: it runs on plain text only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

KINDS = ("name", "phone", "email", "url", "handle", "address", "postal", "date", "id", "organization", "place")


@dataclass(frozen=True)
class Replacement:
    kind: str      # one of KINDS
    start: int     # offsets into the original text
    end: int
    original: str  # the removed text: never log it


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


def scrub(text: str, lang: str = "en") -> Scrubbed:
    """Find every identifier in `text`. `lang` is "en" or "fr"; both languages' rules always run,
    so mixed requests are covered."""
    from domain.redact.engine import find_all

    if lang not in ("en", "fr"):
        raise ValueError(f"unsupported language: {lang!r}")
    spans = find_all(text, lang)
    return Scrubbed(text, tuple(Replacement(s.kind, s.start, s.end, text[s.start:s.end]) for s in spans))
