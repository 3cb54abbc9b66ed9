"""Anonymous consultations: categories, labels, secret case codes, delays.

Nothing here knows about Matrix or about who asked. A case code is the only
thing that ties a member to their case, and only its slow keyed hash is
stored; the label is public and drawn independently of the code.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from domain.tags import pull_hashtags

# Co-occurrence categories from domain.md §4; the key is what members type after '#'.
CATEGORIES = ("IPV", "MT", "MHP", "AP", "immigration", "custody", "housing", "poverty", "disability")
_BY_LOWER = {c.lower(): c for c in CATEGORIES}
_TAG = re.compile(r"(?<![\w#])#([A-Za-z]+)\b")

CODE_WORDS = 4  # 4 words from 7,772 give 51.7 bits, above the 50 bits asked for
MAX_REQUEST_CHARS = 6_000
MAX_DELAY_MINUTES = 24 * 60


@lru_cache(maxsize=1)
def _code_words() -> tuple[str, ...]:
    text = resources.files("domain").joinpath("data/eff_large_wordlist.txt").read_text("utf-8")
    # Hyphenated entries (t-shirt) would be ambiguous, as words are joined by hyphens.
    return tuple(w for w in (line.strip() for line in text.splitlines())
                 if w and not w.startswith("#") and w.isalpha())


@lru_cache(maxsize=1)
def _label_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    text = resources.files("domain").joinpath("data/label_words.txt").read_text("utf-8")
    groups: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = groups.setdefault(line.strip("[]"), [])
        else:
            current.extend(line.split())
    return tuple(groups["adjectives"]), tuple(groups["nouns"])


def code_entropy_bits() -> float:
    import math
    return CODE_WORDS * math.log2(len(_code_words()))


def new_code() -> str:
    words = _code_words()
    return "-".join(secrets.choice(words) for _ in range(CODE_WORDS))


def normalize_code(text: str) -> str | None:
    """'Acorn Tidal-bravado  sprout' -> 'acorn-tidal-bravado-sprout', or None if it cannot be a code."""
    words = re.findall(r"[a-z]+", text.lower())
    if len(words) != CODE_WORDS or any(len(w) > 12 for w in words):
        return None
    return "-".join(words)


_CODE_SHAPED = re.compile(r"\b[a-z]+(?:-[a-z]+){3}\b", re.IGNORECASE)


def code_shaped(text: str) -> bool:
    """Four hyphenated words, listed or not: a case code, perhaps mistyped."""
    return _CODE_SHAPED.search(text) is not None


def contains_code(text: str) -> bool:
    """True when the text holds something shaped like a case code (four list words, hyphenated)."""
    words = set(_code_words())
    return any(all(w in words for w in m.group(0).lower().split("-")) for m in _CODE_SHAPED.finditer(text))


def hash_code(code: str, pepper: bytes) -> str:
    """A slow keyed hash (scrypt); the pepper is the server-side secret, never in the database.

    The salt is derived from the pepper, not stored per row, so a code can be
    looked up directly; codes are random, so no two members share one.
    """
    salt = hashlib.sha256(b"copbot case code salt\0" + pepper).digest()
    return hashlib.scrypt(code.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32).hex()


def new_label(taken: set[str]) -> str:
    adjectives, nouns = _label_words()
    for _ in range(50):
        label = f"{secrets.choice(adjectives)}-{secrets.choice(nouns)}"
        if label not in taken:
            return label
    while True:  # thousands of labels in use: add a number rather than loop forever
        label = f"{secrets.choice(adjectives)}-{secrets.choice(nouns)}-{secrets.randbelow(1000)}"
        if label not in taken:
            return label


def extract_categories(text: str) -> tuple[str, tuple[str, ...]]:
    """Take known #tags out of the text; unknown #words stay as they were written."""
    cleaned, found = pull_hashtags(text, _TAG, lambda m: _BY_LOWER.get(m.group(1).lower()))
    return cleaned, tuple(found)


@dataclass(frozen=True)
class DelayRange:
    low_s: int
    high_s: int

    def pick(self) -> int:
        if self.high_s <= self.low_s:
            return self.low_s
        return self.low_s + secrets.randbelow(self.high_s - self.low_s + 1)


_DELAY = re.compile(r"^(\d{1,4})\s*-\s*(\d{1,4})$")


def parse_delay_minutes(text: str) -> DelayRange | None:
    """'2-15' (minutes) -> DelayRange(120, 900); None when it is not a sensible range."""
    match = _DELAY.match(text.strip())
    if not match:
        return None
    low, high = int(match.group(1)), int(match.group(2))
    if low > high or high > MAX_DELAY_MINUTES:
        return None
    return DelayRange(low * 60, high * 60)
