"""Runs every detector and resolves their overlaps."""

from __future__ import annotations

import re

from domain.redact import names, patterns, places
from domain.redact.lexicon import lexicon
from domain.redact.places import phrase_regex
from domain.redact.spans import Span, merge
from domain.redact.tokens import fold_same_length, tokenize

# "1234 De Lorimier", "310 Sherbrooke Ouest": a house number, a particle, then the street's name
_NUMBER_BEFORE = re.compile(r"(?<![\w.,/-])\d{1,5}[A-Z]?,? (?:De |Des |Du |De La |De l'|La |Le |St-|Ste-)?$")
_UNIT_AFTER = re.compile(r"(?:\s(?:Est|Ouest|Nord|Sud|East|West|North|South|[EWNSO])\b\.?)?(?:" + patterns.UNIT + r"|\.\s*\d+\w*)?")


def find_all(text: str, lang: str = "en") -> list[Span]:
    lex = lexicon()
    folded = fold_same_length(text)
    tokens = tokenize(text)
    protected = [m.span() for m in phrase_regex(lex.keep).finditer(folded)]
    protected += [m.span() for p in lex.keep_patterns for m in p.finditer(text)]
    shaped = [s for s in patterns.shaped(text, lex.not_an_id) if not (s.kind == "date" and lex.law_date.search(text, 0, s.start))]
    # a platform's own product is no handle: "Facebook Marketplace", "Life360"
    shaped = [s for s in shaped if not (s.kind == "handle" and _inside(s, protected))]
    # nor does a kept number start an address: "call 911 then the Crisis Line", "a Motel 6 off the highway"
    shaped = [s for s in shaped if not (s.kind == "address" and any(a <= s.start < b for a, b in protected))]
    orgs = places.organizations(tokens, text, lex)
    where = places.places(tokens, text, folded, lex, lang)
    guessed = [s for s in orgs + where if not _inside(s, protected)]
    # a gazetteer town does not stop the name rules: "M. Duchesne", "5390 Stafford Drives" stay names
    taken = [(s.start, s.end) for s in shaped + guessed if s.rule != "place: GeoNames town"]
    people = [s for s in names.find(tokens, text, lex, protected, taken, lang) if not _inside(s, protected)]
    people += _particles(text, people)
    shaped += _lower_town_postals(text, lex)
    spans = merge(shaped + guessed + people + _house_numbers(text, people + guessed), text)
    spans = merge(spans + _services_of_places(spans, tokens, text, lex) + _possessive_places(spans, text), text)
    spans = [_branch_number(s, text) for s in spans]
    return _join_addresses(_abbreviation_joins(_leading_articles(spans, text), text), text)


# "Solidarité Femmes 93", "Maison des femmes 13": a local branch's number after an organisation
_BRANCH_NUMBER = re.compile(r" \d{1,3}\b(?![.,:/]\d|\s*(?:ans?|%|h\b|heures?|mois|jours?|years?|yo|days?|weeks?|months?|km|fois|times|kids|enfants))")


def _branch_number(s: Span, text: str) -> Span:
    m = _BRANCH_NUMBER.match(text, s.end) if s.kind == "organization" else None
    return Span(s.start, m.end(), s.kind, s.rule) if m else s


_OF = frozenset("de du des d of".split())
_INSIDE_NAME = frozenset("de du des la le l d of the and for et pour".split())


def _services_of_places(spans: list[Span], tokens, text: str, lex) -> list[Span]:
    """"CAVAC de Laval", "Children's Aid Society of Hamilton", "la Maison de la famille de Granby": a
    service named by capitals (an acronym, a capitalised name, or a head word) before "de/of" and a
    removed place is that town's branch, one organisation."""
    out = []
    starts = {t.start: n for n, t in enumerate(tokens)}
    for s in spans:
        n = starts.get(s.start)
        if s.kind not in ("place", "name") or n is None or n < 1:
            continue
        # in lower case too, a head word or a service's acronym right before the town or name:
        # "clsc ahuntsic", "maison flora tristan", "le cisss de laval", "la sq de rimouski"
        h = n - 1 if tokens[n - 1].key not in _OF else n - 2
        if h >= 0 and (tokens[h].key in places.ORG_HEADS or tokens[h].key in places.SERVICE_ACRONYMS) \
                and re.fullmatch(r"\s|\s(?:de|du|des|d['’]|de la|of)\s?|\s(?:d['’])", text[tokens[h].end:s.start]):
            out.append(Span(tokens[h].start, s.end, "organization", "organization: a head word and a town or name"))
            continue
        if n < 2 or tokens[n - 1].key not in _OF:
            continue
        if not re.fullmatch(r"\s|['’]", text[tokens[n - 1].end:s.start]):
            continue
        k = n - 2
        before = tokens[k]
        if not (before.upper or before.cap and not before.sent_start or before.key in places.ORG_DESCRIPTORS):
            continue
        if before.key in lex.common and not before.upper and before.key not in places.ORG_DESCRIPTORS:
            continue
        start = None
        for m in range(k, max(-1, k - 6), -1):
            t = tokens[m]
            if t.upper or t.cap:
                if t.sent_start and t.key in lex.common or t.key in ("the", "la", "le", "les"):
                    break  # "Elle va au CLSC de…", "The …": the sentence's own words
                start = m
                if t.sent_start or t.upper and m == k:
                    break
            elif t.key not in _INSIDE_NAME and t.key not in places.ORG_DESCRIPTORS:
                break
        if start is not None and (tokens[start].key in places.ORG_HEADS or tokens[start].upper or start < k or before.cap):
            out.append(Span(tokens[start].start, s.end, "organization", "organization: a service and its town"))
    return out


# "she stays at Nellie's.": a possessive that ends the phrase names the place ("Nellie's shelter")
_POSSESSIVE_END = re.compile(r"['’]s(?=\s*(?:[.,;:!?)]|$|\s(?:on|in|at|for|since|last|now|tonight|again|with|and|or|but|depuis)\b))")


def _possessive_places(spans: list[Span], text: str) -> list[Span]:
    out = []
    for s in spans:
        m = _POSSESSIVE_END.match(text, s.end) if s.kind in _PROPER else None
        if m and re.search(r"\b(?:at|to|from|in|chez|à)\s+$", text[max(0, s.start - 6):s.start]):
            out.append(Span(s.start, m.end(), s.kind, s.rule))
    return out


_PROPER = ("name", "place", "organization")
# A capitalised article mid-sentence belongs to the proper name after it: "hébergée à La Dauphinelle",
# "à La Tuque", "at The Haven"
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’])(?:La|Le|Les|L['’]|The)\s?$")
# After à/de a lower-case article or a Saint's abbreviation is part of a town's name too:
# "à la Pocatière", "à l'Assomption", "in st. albert", "à Ste-Julie"
_PREFIX_BEFORE = re.compile(r"(?i)(?:(?<=\bà )|(?<=\ba )|(?<=\bde )|(?<=\bd')|(?<=\bd’))(?:la|le|les|l['’])\s?$"
                            r"|(?<![\w'’])(?i:st|ste|mt|ft|pt)\.\s?$")
# A province or state abbreviation after a removed town is part of the town's address: "Dauphin, MB"
_PROVINCE_AFTER = re.compile(r",?\s(?:ON|QC|MB|SK|AB|BC|NS|NB|NL|PE|PEI|YT|NT|NU|Ont\.|Qc|Man\.|Sask\.|Alta\.)(?![\w])")


def _leading_articles(spans: list[Span], text: str) -> list[Span]:
    out = []
    for s in spans:
        m = _ARTICLE_BEFORE.search(text, max(0, s.start - 5), s.start) if s.kind in _PROPER else None
        if m and (m.group().endswith(("'", "’")) or text[m.end() - 1:m.end()] == " ") and not _sentence_start(text, m.start()) \
                and not (out and out[-1].end > m.start()):
            s = Span(m.start(), s.end, s.kind, s.rule)
        m = _PREFIX_BEFORE.search(text, max(0, s.start - 5), s.start) if s.kind in ("place", "name") else None
        if m and not (out and out[-1].end > m.start()):
            s = Span(m.start(), s.end, s.kind, s.rule)
        m = _PROVINCE_AFTER.match(text, s.end) if s.kind == "place" else None
        if m:
            s = Span(s.start, m.end(), s.kind, s.rule)
        out.append(s)
    return out


def _sentence_start(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t\"'«»“”(":
        j -= 1
    return j < 0 or text[j] in ".!?:;\n•*–—-|>"


_ABBREVIATION_GAP = re.compile(r"(?:St|Ste|Mt|Ft|Pt)\.\s?$")


def _abbreviation_joins(spans: list[Span], text: str) -> list[Span]:
    """"St. Vincent de Paul", "Mt. Pearl": an abbreviation's period does not split the name."""
    out: list[Span] = []
    for s in spans:
        if out and out[-1].kind in _PROPER and s.kind in _PROPER and s.start - out[-1].end <= 2 \
                and _ABBREVIATION_GAP.search(text, max(0, out[-1].end - 3), s.start):
            out[-1] = Span(out[-1].start, s.end, out[-1].kind, out[-1].rule)
        else:
            out.append(s)
    return out


# Legal references and law dates are kept: see the [patterns] and [law-date] sections of data/keep.txt.
_POSTAL_TOWN = re.compile(r"(?<![\d$€.,])\b(\d{5})(?:\s+cedex)?,?\s+([a-zà-ÿ][\w'’-]+)")


def _lower_town_postals(text: str, lex) -> list[Span]:
    """"75011 paris", "69100 villeurbanne": a French code before a town written in lower case. The
    word must be a known place or no everyday word, so "20000 dollars" and "15000 personnes" stay."""
    out = []
    for m in _POSTAL_TOWN.finditer(text):
        word = m.group(2).lower()
        folded = fold_same_length(word)
        if folded in lex.places or not lex.is_word(folded) and folded not in lex.common:
            out.append(Span(m.start(1), m.end(2), "postal", "postal: French code before a town"))
    return out


_ADDRESS_GAP = re.compile(r"[,;]?\s{1,2}(?:[-–]\s)?")


def _join_addresses(spans: list[Span], text: str) -> list[Span]:
    """"Bât. C, résidence Les Tilleuls", "Site 5, Box 12, RR 2", "88 portage ave, R3C 0A1": parts of one
    address next to each other are one replacement, the comma between them included."""
    out: list[Span] = []
    for s in spans:
        # a town next to its postal code is one address: "Detroit, MI 48207", "Villeurbanne (69100)"
        pair = out and (out[-1].kind in ("address", "postal") and s.kind in ("address", "postal")
                        or {out[-1].kind, s.kind} == {"place", "postal"}
                        or out[-1].kind == "address" and s.kind in ("place", "name") and text[out[-1].end:s.start] == ", ")
        if pair and _ADDRESS_GAP.fullmatch(text, out[-1].end, s.start):
            out[-1] = Span(out[-1].start, s.end, "address", out[-1].rule if s.rule in out[-1].rule else out[-1].rule + " + " + s.rule)
        else:
            out.append(s)
    for n, s in enumerate(out):
        # "4 rue des Lilas, 31000": a five-digit code right after a street address
        m = _CODE_AFTER.match(text, s.end) if s.kind == "address" else None
        if m and not (n + 1 < len(out) and out[n + 1].start < m.end()):
            out[n] = Span(s.start, m.end(), "address", s.rule + " + postal: code after the address")
    return out


_CODE_AFTER = re.compile(r",?\s{1,2}\d{5}(?:-\d{4})?(?![\d.,:/-]\d|\d)")


# Name particles (Dutch, German, French, Spanish, Portuguese, Italian, Arabic): between two parts
# of a name they are part of it. "Joost van den Heuvel" is one name, not "[name] van den [name]".
_PARTICLE_GAP = re.compile(r"\s+(?:(?:van|von|der|den|de|del|della|di|da|das|dos|du|ter|ten|zu|zum|vom|le|la|"
                           r"al|el|bin|ibn|bint|abu|ben|ould|mac|mc|n[ií]|nic|[oó]|u[ií]|ap|ter)\s+){1,3}", re.IGNORECASE)


def _particles(text: str, people: list[Span]) -> list[Span]:
    ordered = sorted(people, key=lambda s: s.start)
    out = []
    for a, b in zip(ordered, ordered[1:]):
        gap = _PARTICLE_GAP.fullmatch(text, a.end, b.start)
        if gap:
            out.append(Span(a.start, b.end, "name", "name: particle between two names"))
    return out


def _house_numbers(text: str, spans: list[Span]) -> list[Span]:
    """"5390 Stafford Drives": a house number right before a proper name makes it a street address."""
    out = []
    for s in spans:
        m = _NUMBER_BEFORE.search(text, max(0, s.start - 8), s.start)
        if m and m.end() == s.start:
            unit = _UNIT_AFTER.match(text, s.end)
            out.append(Span(m.start(), unit.end() if unit and unit.end() > s.end else s.end, "address", "address: house number before a name"))
    return out


def _inside(span: Span, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= span.start and span.end <= b for a, b in ranges if a <= span.start)
