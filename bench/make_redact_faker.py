"""Dev-only: extract broad per-locale name lists from Faker into domain/redact/data/.

    make redact-data          # installs the pinned Faker into .venv, then runs this
    python -m bench.make_redact_faker

Faker (MIT, Copyright (c) 2012 Daniele Faraglia) ships first and last names per locale. This
script reads them once, keeps the Latin-script entries, folds them, and drops every entry that is
an everyday English or French word (inflections included), a function word, a protected term, a
place or a month, so "the pain will pass" and "c'est juste" keep their words. The output is
committed: the bot never imports Faker. Deterministic: sorted, no randomness used.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

from domain.redact.lexicon import fold, lexicon

DATA = Path(__file__).resolve().parents[1] / "domain" / "redact" / "data"
FAKER_VERSION = "40.63.0"
# The origins issue 22 lists (Arabic via the Maghreb and Pakistan, Vietnamese, Chinese and Japanese
# romanised, Dutch/German, Irish) and the caseloads' other origins (West and East Africa, South
# Asia, Latin America, Southern Europe, Turkey, Central Asia), besides English and French.
LOCALES = ("en en_US en_GB en_IE en_NZ en_IN en_PK en_KE en_NG fr_CA fr_QC fr_FR fr_BE fr_CH fr_DZ "
           "vi_VN zh_CN zh_TW ja_JP nl_NL nl_BE de_DE de_AT de_CH ga_IE es_ES es_MX es_CO es_AR pt_BR pt_PT "
           "it_IT pl_PL ro_RO tr_TR ha_NG yo_NG ig_NG sw tw_GH zu_ZA id_ID uz_UZ").split()
FIRST_ATTRS = re.compile(r"^(?:first_names|first_names_(?:female|male|unisex|nonbinary)|middle_names|first_romanized_names(?:_female|_male)?)$")
LAST_ATTRS = re.compile(r"^(?:last_names|last_names_(?:female|male)|last_romanized_names)$")
# Romanised Chinese, Vietnamese and Japanese names can be two letters (Li, Wu, Xu, An)
SHORT_OK = ("zh_", "vi_", "ja_")
LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ſƠơƯưȘșȚțḀ-ỿ'’-]+$")
# Words that are everyday chat or clinical words the dictionaries miss, or too risky as names
EXTRA_WORDS = frozenset("""
chum ben bin tsé pis faque icitte ok okay lol mom dad mum bro sis bae hun babe kid kiddo dude guy gal
tho yeah yep nope nah wow hey hi hello bye thx pls plz omg btw idk imo smh wtf
ado bff cpe dpj ivac cavac ts tes inter etc aka via vs re
che eco edu del von van der den ibn bin und uit het het asm irs isn dif exa pla fem hoz geo sem til gro neo bos
dev sim tex lex tod lem uc ko gu ku hu vi orr ott ima ide ine ene ona una ora sla rop len lang elif wal abb
""".split())


def _entries(provider, attrs: re.Pattern[str]) -> set[str]:
    out: set[str] = set()
    for attr in dir(provider):
        if attrs.match(attr):
            values = getattr(provider, attr)
            for v in (values.keys() if isinstance(values, dict) else values):
                out.update(str(v).replace("’", "'").split())
    return out


def collect() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    first: dict[str, set[str]] = {}
    last: dict[str, set[str]] = {}
    for loc in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        for raw in _entries(provider, FIRST_ATTRS):
            first.setdefault(raw, set()).add(loc)
        for raw in _entries(provider, LAST_ATTRS):
            last.setdefault(raw, set()).add(loc)
    return first, last


def keep_entry(raw: str, locs: set[str], lex) -> str | None:
    if not LATIN.match(raw) or raw.startswith(("'", "-")) or raw.endswith(("'", "-")):
        return None
    k = fold(raw)
    if not re.fullmatch(r"[a-z][a-z'-]*", k):
        return None
    short_ok = any(loc.startswith(SHORT_OK) for loc in locs)
    if len(k) < 3 and not (len(k) == 2 and short_ok):
        return None
    if raw.isupper() and len(raw) > 1 and not any(loc.startswith("zh_") for loc in locs):
        return None  # acronyms are not names
    if (lex.is_word(k) or k in lex.common or k in lex.keep or k in lex.places or k in lex.months
            or k in lex.name_words or k in EXTRA_WORDS or any(p in lex.common for p in k.split("-"))):
        return None
    from domain.redact.names import NAMING, ROLES, TITLES
    if k in ROLES or k in TITLES or k in lex.not_a_name or k in NAMING:
        return None
    return k


HEADER = ("# {what}, from Faker {version}'s per-locale name lists (MIT, Copyright (c) 2012 Daniele\n"
          "# Faraglia), Latin-script entries folded, minus everyday English and French words.\n"
          "# Regenerate with `make redact-data` (bench/make_redact_faker.py); never edit by hand.\n")


def main(argv: list[str]) -> int:
    import faker
    if faker.VERSION != FAKER_VERSION:
        print(f"warning: Faker {faker.VERSION}, the committed lists come from {FAKER_VERSION}", file=sys.stderr)
    lex = lexicon()
    first_raw, last_raw = collect()
    first = sorted({k for raw, locs in first_raw.items() if (k := keep_entry(raw, locs, lex))})
    last = sorted({k for raw, locs in last_raw.items() if (k := keep_entry(raw, locs, lex))})
    (DATA / "faker_first.txt").write_text(HEADER.format(what="First names", version=FAKER_VERSION) + "\n".join(first) + "\n")
    (DATA / "faker_surnames.txt").write_text(HEADER.format(what="Surnames", version=FAKER_VERSION) + "\n".join(last) + "\n")
    print(f"{len(first)} first names, {len(last)} surnames")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
