"""Candidate spans from every detector, merged into sorted, non-overlapping replacements."""

from __future__ import annotations

from dataclasses import dataclass

# When detectors overlap the merged span keeps the kind that is most specific
PRIORITY = ("email", "url", "handle", "id", "phone", "postal", "address", "date", "organization", "name", "place")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    rule: str = ""  # which detector found it, shown by `copbot redact --explain`


def merge(spans: list[Span], text: str) -> list[Span]:
    """Union overlapping spans; trim spaces and stray punctuation at the edges."""
    cleaned = []
    for s in spans:
        start, end = s.start, s.end
        while start < end and text[start] in " \t\n,;:\"'":
            start += 1
        while end > start and text[end - 1] in " \t\n,;:\"'":
            end -= 1
        if end > start:
            cleaned.append(Span(start, end, s.kind, s.rule))
    cleaned.sort(key=lambda s: (s.start, -s.end))
    out: list[Span] = []
    for s in cleaned:
        if out and s.start < out[-1].end:
            last = out[-1]
            winner = min(last, s, key=lambda x: PRIORITY.index(x.kind))
            out[-1] = Span(last.start, max(last.end, s.end), winner.kind, winner.rule)
        else:
            out.append(s)
    return out
