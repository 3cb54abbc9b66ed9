"""Short, unique, readable slugs for community names."""

from __future__ import annotations

import re
import unicodedata

MAX_LEN = 24
# A slug alone must not be a word that starts a sentence: `consult the mother…` would send the
# request to a community called "The". Such a slug gets "-cop" added.
COMMON_WORDS = frozenset("""
a an the my our your his her its their this that these those i we you he she it they me us them
hi hello hey ok okay yes no please thanks so and but or if when what who how why is are was
le la les l un une des du de mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs
ce cet cette ces je tu il elle on nous vous ils elles bonjour salut allo oui non merci et ou mais
si quand quoi qui comment pourquoi est sont
help cancel send edit consult followup replies status close aide annuler envoyer modifier
""".split())


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
    if base in COMMON_WORDS:
        base = f"{base}-cop"
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[:MAX_LEN - len(suffix)] + suffix
        n += 1
    return slug
