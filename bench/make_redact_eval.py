"""Dev-only: generate the labelled evaluation sets for the identifier scrubber.

    pip install faker   # generation only; the committed JSONL files are the data
    python -m bench.make_redact_eval

Each request is assembled from hand-written fragments (situation, co-occurring problems, services,
safety concern, details, question) whose slots are filled with fictional identifiers: names from
faker locales mixed with hand-picked ones (common-word names, hyphenated, accented, lower case,
initials), phone numbers, addresses, dates and id numbers. `{slot}` marks an identifier and
`[[phrase]]` a clinical phrase that must survive. Offsets are recorded at generation time.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from faker import Faker

from bench import redact_fragments as frag
from bench import redact_fragments_heldout as heldout

OUT = Path(__file__).resolve().parent / "data"
LOCALES = {"en": ["en_CA", "en_GB", "en_AU", "en_US"], "fr": ["fr_CA", "fr_CA", "fr_FR"]}
SLOT = re.compile(r"\{(\w+)\}|\[\[(.+?)\]\]")


class Case:
    """The fictional family and practitioners of one request: every slot value, with its kind."""

    def __init__(self, lang: str, rng: random.Random, fakers: dict[str, Faker], pools: frag.Pools):
        self.rng, self.lang = rng, lang
        fk = fakers[rng.choice(LOCALES[lang])]
        fk2 = fakers[rng.choice(LOCALES[lang])]
        p = pools
        mother = self._first(fk.first_name_female, p.word_names_f, p.diverse_f)
        partner = self._first(fk2.first_name_male, p.word_names_m, p.diverse_m)
        child = self._first(fk.first_name, p.word_names_f + p.word_names_m, p.diverse_f + p.diverse_m)
        child2 = fk2.first_name()
        mother_last = rng.choice([fk.last_name(), fk.last_name(), rng.choice(p.surnames), rng.choice(p.hyphen_surnames)])
        partner_last = rng.choice([fk2.last_name(), rng.choice(p.surnames)])
        worker_first, worker_last = fk2.first_name(), fk2.last_name()
        other_last = fk.last_name()
        self.v: dict[str, tuple[str, str]] = {
            "M": (mother, "name"), "MS": (mother_last, "name"), "Mlow": (mother.lower(), "name"),
            "P": (partner, "name"), "PS": (partner_last, "name"), "Plow": (partner.lower(), "name"),
            "PSlow": (partner_last.lower(), "name"),
            "C": (child, "name"), "Clow": (child.lower(), "name"), "C2": (child2, "name"),
            "W": (f"{worker_first} {worker_last}", "name"), "WF": (worker_first, "name"), "WL": (worker_last, "name"),
            "O": (other_last, "name"), "I": (rng.choice(p.initials), "name"), "I2": (rng.choice(p.initials), "name"),
            "phone": (rng.choice(p.phones[lang])(rng, fk), "phone"),
            "phone2": (rng.choice(p.phones[lang])(rng, fk2), "phone"),
            "email": (self._email(fk, mother, mother_last), "email"),
            "url": (rng.choice(p.urls)(rng, fk), "url"),
            "handle": (rng.choice(["@", ""]) + fk.user_name() + rng.choice(["", "_", str(rng.randint(1, 99))]), "handle"),
            "address": (rng.choice(p.addresses[lang])(rng, fk), "address"),
            "postal": (rng.choice(p.postals)(rng, fakers), "postal"),
            "date": (rng.choice(p.dates[lang])(rng), "date"), "date2": (rng.choice(p.dates[lang])(rng), "date"),
            "id": (rng.choice(p.ids)(rng), "id"), "id2": (rng.choice(p.ids)(rng), "id"),
            "plate": (rng.choice(p.plates)(rng), "id"),
            "org": (rng.choice(p.orgs[lang])(rng, fk), "organization"),
            "school": (rng.choice(p.schools[lang])(rng, fk), "organization"),
            "town": (rng.choice(p.towns + [f.city() for f in (fk, fk2) if f.locales[0] != "fr_CA"]), "place"),
            "hood": (rng.choice(p.hoods), "place"),
        }

    def _first(self, gen, word_names: list[str], diverse: list[str]) -> str:
        roll = self.rng.random()
        if roll < 0.2:
            return self.rng.choice(word_names)
        if roll < 0.4:
            return self.rng.choice(diverse)
        return gen()

    def _email(self, fk: Faker, first: str, last: str) -> str:
        if self.rng.random() < 0.5:
            return fk.email()
        local = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower().replace(" ", "."))
        return f"{local or 'x'}@{self.rng.choice(['gmail.com', 'hotmail.ca', 'videotron.ca', 'outlook.com', 'yahoo.fr'])}"


def render(template: str, case: Case) -> tuple[str, list[dict], list[dict]]:
    out, ids, keep, pos = [], [], [], 0
    length = 0
    for m in SLOT.finditer(template):
        lit = template[pos:m.start()]
        out.append(lit)
        length += len(lit)
        if m.group(1):
            value, kind = case.v[m.group(1)]
            ids.append({"text": value, "kind": kind, "start": length})
        else:
            value = m.group(2)
            keep.append({"text": value, "start": length})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), ids, keep


def build(lang: str, n: int, seed: int, fragments: frag.Fragments, prefix: str, pools: frag.Pools) -> list[dict]:
    rng = random.Random(seed)
    fakers = {loc: Faker(loc) for loc in {l for ls in LOCALES.values() for l in ls}}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(seed + i)
    rows = []
    for k in range(n):
        case = Case(lang, rng, fakers, pools)
        parts = [rng.choice(fragments.situation[lang]), rng.choice(fragments.problems[lang])]
        parts += rng.sample(fragments.details[lang], rng.randint(2, 4))
        parts += [rng.choice(fragments.services[lang]), rng.choice(fragments.safety[lang]), rng.choice(fragments.question[lang])]
        template = " ".join(parts)
        if rng.random() < 0.3:
            template = template.replace(". ", ".\n", rng.randint(1, 3))
        text, ids, keep = render(template, case)
        rows.append({"id": f"{prefix}-{lang}-{k + 1:03d}", "lang": lang, "text": text, "identifiers": ids, "keep": keep})
    return rows


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> int:
    for lang in ("en", "fr"):
        write(OUT / f"redact_eval_{lang}.jsonl", build(lang, 60, 1000 + len(lang), frag.tuning(), "dev", frag.pools())
              + frag.handwritten(lang))
        write(OUT / f"redact_heldout_{lang}.jsonl", build(lang, 40, 7000 + len(lang), heldout.fragments(), "held", heldout.pools())
              + frag.handwritten(lang, "heldhand", heldout.HANDWRITTEN))
    print("wrote", *sorted(p.name for p in OUT.glob("redact_*.jsonl")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
