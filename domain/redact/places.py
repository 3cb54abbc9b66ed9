"""Named organisations (shelters, schools, agencies) and places (towns, neighbourhoods)."""

from __future__ import annotations

import re
from functools import lru_cache

from domain.redact.lexicon import Lexicon
from domain.redact.spans import Span
from domain.redact.tokens import Token

# A head word followed by a proper name: "Maison Marie-Rollet", "CLSC Ahuntsic", "École Sainte-Anne"
ORG_HEADS = frozenset("""
maison pavillon ecole auberge centre center clinique hopital college cegep polyvalente residence refuge foyer clsc
ciusss cisss chsld gmf paroisse eglise mosquee organisme carrefour regroupement havre academie garderie cpe villa
manoir institut fondation hospital clinic academy church mosque camp fort
""".split())
# Descriptors allowed between the head and the name: "École secondaire Jean-Jacques-Bertrand"
ORG_DESCRIPTORS = frozenset("""
secondaire primaire publique communautaire regional regionale d'hebergement hebergement jeunesse famille familles
femmes universitaire general generale de la du des d' l' of the for st saint sainte ste elementary secondary
high middle primary public memorial community women's
""".split())
# A proper name followed by one of these: "Horizon House", "St. Mary's Elementary", "Gander Detachment"
ORG_TAILS = frozenset("""
house shelter centre center elementary school academy hospital clinic lodge haven home society services church
mosque temple college high secondary middle primary detachment station refuge manor villa residence hall club
institute foundation outreach ministries collective network secondaire primaire team program programme
project projet
""".split())
LOCATIVES = frozenset("in from near outside around to towards a au aux en dans pres proche banlieue quartier secteur arrondissement village town city ville municipalite region reserve originaire".split())
_ST = re.compile(r"(?:St|Ste|Saint|Sainte)\.?$")


@lru_cache(maxsize=4)
def phrase_regex(phrases: frozenset[str]) -> re.Pattern[str]:
    alts = sorted(phrases, key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in alts)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


def _name_like(tok: Token, lex: Lexicon) -> bool:
    return (tok.cap or tok.upper) and tok.key not in lex.common and tok.key not in lex.months


def organizations(tokens: list[Token], text: str, lex: Lexicon) -> list[Span]:
    out = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if (tok.cap or tok.upper) and tok.key in ORG_HEADS:
            j = i + 1
            while j < n and tokens[j].key in ORG_DESCRIPTORS and j - i <= 3 and _gap_ok(text, tokens[j - 1], tokens[j]):
                j += 1
            k = j
            while k < n and (tokens[k].cap or tokens[k].upper or tokens[k].key in ("de", "du", "des") and k > j) \
                    and _gap_ok(text, tokens[k - 1], tokens[k]) and not tokens[k].sent_start and k - j < 4:
                k += 1
            while k > j and not (tokens[k - 1].cap or tokens[k - 1].upper):
                k -= 1
            if k > j:
                out.append(Span(tok.start, tokens[k - 1].end, "organization"))
        if (tok.cap or tok.upper) and tok.key in ORG_TAILS and i > 0:
            j = i
            while j > 0 and _gap_ok(text, tokens[j - 1], tokens[j]) and (
                (tokens[j - 1].cap or tokens[j - 1].upper) and tokens[j - 1].key not in ("the", "a", "an", "our", "my", "her", "his")
                or tokens[j - 1].key in ("of", "de", "du", "des")
            ):
                j -= 1
                if tokens[j].sent_start:
                    break
            while j < i and tokens[j].key in ("of", "the", "de", "du", "des"):
                j += 1
            if j < i:
                out.append(Span(tokens[j].start, tok.end, "organization"))
    return out


def _gap_ok(text: str, a: Token, b: Token) -> bool:
    """Two tokens belong to one proper name when only spaces, a period or 's separates them."""
    gap = text[a.end:b.start]
    if "." in gap and not (len(a.text) == 1 or a.key in ("st", "ste", "mt", "ft")):
        return False
    return bool(re.fullmatch(r"(?:['\u2019]s)?\.?\s{1,2}|['\u2019]|-", gap))


def places(tokens: list[Token], text: str, folded: str, lex: Lexicon) -> list[Span]:
    out = []
    for m in phrase_regex(lex.places).finditer(folded):
        if text[m.start()].isupper():
            out.append(Span(m.start(), m.end(), "place"))
    for i, tok in enumerate(tokens):
        if not _name_like(tok, lex) or tok.upper:
            continue
        prev = tokens[i - 1] if i else None
        if prev and prev.key in LOCATIVES and text[prev.end:tok.start] in (" ", " de ", " d'"):
            if tok.key in lex.first and tok.key not in lex.places:
                continue
            j = i
            while j + 1 < len(tokens) and _name_like(tokens[j + 1], lex) and _gap_ok(text, tokens[j], tokens[j + 1]):
                j += 1
            out.append(Span(tok.start, tokens[j].end, "place"))
        elif re.match(r"(?:Saint|Sainte|St|Ste)-[A-ZÀ-Þ]", tok.text) and not (prev and prev.cap and not prev.sent_start):
            out.append(Span(tok.start, tok.end, "place"))
    return out
