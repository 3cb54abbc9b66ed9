"""Dev-only: regenerate the vendored name lists in domain/redact/data/ from their sources.

    python -m bench.make_redact_lists /path/to/names-0.3.0.tar.gz /path/to/xkcdpass-static-dir

Sources:
- the `names` 0.3.0 sdist (MIT) ships the US Census 1990 name files, which are public domain;
- xkcdpass's `legacy` list (derived from 12Dicts, public domain dedication) and `fr-freelang`
  (public domain), with `fr-corrected.txt` (public domain) less every known name, give the everyday
  English and French words, vendored folded as words_en/fr.txt.gz.
The script never runs at bot run time.
"""

from __future__ import annotations

import gzip
import sys
import tarfile
from pathlib import Path

from domain.redact.lexicon import fold, read_words

DATA = Path(__file__).resolve().parents[1] / "domain" / "redact" / "data"
SURNAMES_KEPT = 20000  # the tail is rare names and noise; 20k covers about 85 % of people in 1990
HEADER = (
    "# Derived from the US Census 1990 name files (public domain), as shipped in the `names` 0.3.0\n"
    "# package (MIT). Regenerate with bench/make_redact_lists.py.\n"
)


def _census(tar_path: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with tarfile.open(tar_path) as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if name.startswith("dist."):
                text = tar.extractfile(member).read().decode()
                out[name] = [line.split()[0].lower() for line in text.splitlines() if line.strip()]
    return out


def _words(static: Path, fname: str) -> set[str]:
    words: set[str] = set()
    for line in (static / fname).read_text(encoding="utf-8-sig").splitlines():
        w = line.strip()
        if w and w[0].islower():
            words.add(fold(w))
    return words


def main(argv: list[str]) -> int:
    census = _census(argv[0])
    names = (set(census["dist.male.first"]) | set(census["dist.female.first"]) | read_words("first_names.txt")
             | read_words("surnames.txt") | read_words("name_words.txt"))
    # fr-corrected is larger but lists some first names as words: keep only what no name list knows
    french_forms = _words(Path(argv[1]), "fr-corrected.txt")
    french = _words(Path(argv[1]), "fr-freelang") | (french_forms - names)
    by_lang = {"en": _words(Path(argv[1]), "legacy"), "fr": french}
    words = by_lang["en"] | by_lang["fr"]
    common = read_words("common.txt") | read_words("name_words.txt")
    first = sorted(set(census["dist.male.first"]) | set(census["dist.female.first"]))
    surnames = [s for s in census["dist.all.last"] if s not in words and s not in common][:SURNAMES_KEPT]
    (DATA / "census_first.txt").write_text(HEADER + "\n".join(first) + "\n")
    (DATA / "census_surnames.txt").write_text(HEADER + "\n".join(sorted(surnames)) + "\n")
    curated = read_words("first_names.txt")
    # a name that is any French word form ("lien", "marie") is not safe to remove without context
    plain = sorted(n for n in set(first) | curated
                   if n not in words and n not in french_forms and n not in common and len(n) >= 4)
    (DATA / "plain_first.txt").write_text(
        "# First names that are not everyday English or French words, so they are removed even in\n"
        "# lower case without other context. Derived by bench/make_redact_lists.py from census_first.txt\n"
        "# and first_names.txt minus public-domain word lists (12Dicts via xkcdpass, fr-freelang).\n"
        + "\n".join(plain) + "\n"
    )
    for lang, lang_words in by_lang.items():
        listing = "\n".join(sorted(w for w in lang_words if len(w) > 1 and "'" not in w)) + "\n"
        (DATA / f"words_{lang}.txt.gz").write_bytes(gzip.compress(listing.encode(), compresslevel=9, mtime=0))
    print(f"{len(first)} first names, {len(surnames)} surnames, {len(plain)} plain first names")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
