"""Short, unique, readable slugs for community names."""

from __future__ import annotations

import re
import unicodedata

MAX_LEN = 24


def slugify(name: str, taken: set[str]) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    base = ""
    for word in words:
        candidate = f"{base}-{word}" if base else word
        if len(candidate) > MAX_LEN:
            break
        base = candidate
    base = base or (words[0][:MAX_LEN] if words else "cop")
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[:MAX_LEN - len(suffix)] + suffix
        n += 1
    return slug
