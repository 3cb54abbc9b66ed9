"""Named organisations (shelters, schools, agencies) and places (towns, neighbourhoods)."""

from __future__ import annotations

import re
from functools import lru_cache

from domain.redact.lexicon import Lexicon
from domain.redact.spans import Span
from domain.redact.tokens import Token, fold_same_length

# A head word followed by a proper name: "Maison Marie-Rollet", "CLSC Ahuntsic", "École Sainte-Anne"
ORG_HEADS = frozenset("""
maison pavillon ecole auberge centre center clinique hopital college cegep polyvalente residence refuge foyer clsc
ciusss cisss chsld gmf paroisse eglise mosquee organisme carrefour regroupement havre academie garderie cpe villa
manoir institut fondation hospital clinic academy church mosque camp fort
cmp cmpp chrs cada ehpad ccas universite university penitencier prison tabernacle synagogue temple
ywca ymca commission  css cssd regie cje comptoir halte halte-garderie calacs cab
lycee commissariat gendarmerie brigade tribunal association collectif secours
""".split())
# Descriptors allowed between the head and the name: "École secondaire Jean-Jacques-Bertrand"
ORG_DESCRIPTORS = frozenset("""
secondaire primaire publique communautaire regional regionale d'hebergement hebergement jeunesse famille familles
femmes universitaire general generale de la du des d' l' of the for st saint sainte ste elementary secondary
high middle primary public memorial community women's
scolaire familial familiale femmes hommes jeunes d'entraide entraide aide for
social sociale populaire maternelle elementaire
les le police services jeunesse-emploi coeur cœur petite enfance d'amitie amitie autochtone alimentaire d'aide aux
victimes d'actes criminels quartier
""".split())
# A proper name followed by one of these: "Horizon House", "St. Mary's Elementary", "Gander Detachment"
ORG_TAILS = frozenset("""
house shelter centre center elementary school academy hospital clinic lodge haven home society services church
mosque temple college high secondary middle primary detachment station refuge manor villa residence hall club
institute foundation outreach ministries collective network secondaire primaire team program programme
project projet
tabernacle chapel cathedral parish assembly fellowship gurdwara synagogue masjid mission penitentiary
institution jail prison correctional university campus
police service department force
board authority dsb cdsb
""".split())
# "hôpital ste-justine", "école st-jean", "paroisse saint-michel": a head word before a lower-case Saint-X
HEAD_SAINT = re.compile(r"(?i)\b(?:hôpital|hopital|école|ecole|polyvalente|paroisse|église|eglise|cégep|cegep|collège|college|maison|"
                        r"centre|pavillon|résidence|residence|clsc|chsld|cpe|hospital|school|church|parish)\s+"
                        r"(?:(?:st|ste|saint|sainte)-[a-zà-ÿ]{2,}(?:-[a-zà-ÿ]+)*|(?:st|ste)\.?\s[a-zà-ÿ]{3,})")
# Services known by an acronym that, before a town, name that town's branch: "clsc ahuntsic", "cavac de laval"
SERVICE_ACRONYMS = frozenset("clsc cisss ciusss cavac cpe crc crd cj cjm chu chum chsld sq grc spvm dpj cssd css cs ywca ymca cegep "
                             "cas cfs rcmp opp".split())
# Tails that make a lower-case name before them an organisation ("riverview secondary", "lord roberts
# elementary", "brandon correctional centre") when that name is a person's, a place's or no word at all
LOWER_NAME_TAILS = frozenset("house shelter school elementary secondary collegiate academy hospital clinic centre center church "
                             "mosque temple society lodge manor correctional college university institute penitentiary jail "
                             "lutheran baptist anglican pentecostal catholic united presbyterian mission tabernacle".split())
WEAK_TAILS = frozenset("police service services department force".split())
# School boards and health authorities: "Peel District School Board", "Fraser Valley Health Authority", "Kawartha
# Pine Ridge DSB" need one word before the tail that is no sector word ("the Catholic District School Board" stays)
BOARD_TAILS = frozenset("board authority dsb cdsb".split())
BOARD_GENERIC = frozenset("""catholic district school public separate regional provincial health french english francophone
anglophone conseil scolaire board authority the of de des du and services family children's child youth education
community mental national federal local area""".split())
# These tails also count in lower case after a capitalised name: "St. Brigid's parish", "Hope church"
LOWER_TAILS = frozenset("parish church mosque temple tabernacle chapel mission shelter school academy house lodge jail prison penitentiary".split())
# Police stations known by their number: "poste de quartier 21", "PDQ 38", "41 Division", "precinct 9"
STATIONS = re.compile(r"(?i)\b(?:poste\s+de\s+quartier|pdq|precinct|poste\s+de\s+police|detachment|détachement)\s*(?:no\.?\s*|n°\s*|#\s*)?\d{1,3}\b"
                      r"|\b\d{1,3}\s+(?:Division|division|Precinct|precinct)\b")
# A police force named with its town is a detachment: "SQ de Mont-Laurier", "RCMP detachment in
# Thompson", "la GRC de Chibougamau", "Thompson RCMP"; the force alone (SQ, RCMP) is kept.
_FORCE = r"(?:SQ|SPVM|SPVQ|SPL|SPAL|SPVG|SPVS|SPS|SPB|GRC|RCMP|OPP|SPO|TPS|VPD|EPS|CPS|WPS|SPVL|Sûreté\s+du\s+Québec)"
_TOWN = r"(?:(?:St|Ste|Saint|Sainte|Mont|Fort|Port|Lac)[-.\s]\s?)?[A-ZÀ-Þ][\w'’]+(?:[-\s](?:(?:de|du|des|sur|la|le|à|en)[-\s])?[A-ZÀ-Þ][\w'’]+){0,3}"
POLICE_OF = re.compile(rf"\b{_FORCE}(?:\s+(?i:detachment|détachement|poste|station|office|bureau))?\s+(?:de\s+|du\s+|d'|d’|des\s+|of\s+|in\s+|at\s+|à\s+)(?:la\s+|l'|l’)?(?P<town>{_TOWN})"
                       rf"|(?<![\w-])(?!(?:The|La|Le|Les|In|At|To|By|From|And|Et|Ontario|Quebec|Québec|Alberta|Manitoba|Nova|New|British|Canada|Saskatchewan)\b)"
                       rf"(?P<town2>[A-ZÀ-Þ][\w'’]+(?:[-\s][A-ZÀ-Þ][\w'’]+)?)\s+(?:RCMP|OPP|GRC|SQ)(?:\s+(?i:detachment|détachement))?\b")
PLACE_PARTICLES = frozenset("la le les sur aux en on upon".split())
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
        if tok.key in ORG_HEADS:
            j = i + 1
            while j < n and tokens[j].key in ORG_DESCRIPTORS and j - i <= 7 and _gap_ok(text, tokens[j - 1], tokens[j], elision=True):
                j += 1
            k = j
            while k < n and (tokens[k].cap or tokens[k].upper or tokens[k].key in ("de", "du", "des", "en", "pour", "et", "aux", "au") and k > j) \
                    and _gap_ok(text, tokens[k - 1], tokens[k], elision=True) and not tokens[k].sent_start and k - j < 4 \
                    and tokens[k].key not in lex.keep:
                k += 1
            while k > j and not (tokens[k - 1].cap or tokens[k - 1].upper):
                k -= 1
            # a lower-case head ("maison L'Escale", "maison d'hébergement La Passerelle") needs a name that is
            # no everyday word, or one that opens with a capitalised article
            if k > j and (tok.cap or tok.upper or any(not lex.is_word(t.key) or t.key in lex.places or t.key in lex.first
                                                       or _elided(text, tokens[j]) for t in tokens[j:k])
                          or tokens[j - 1].text in ("La", "Le", "Les") and j - 1 > i
                          or tokens[j].text in ("La", "Le", "Les") and k - j > 1
                          # "l'école des Cèdres", "cpe la Ribambelle", "centre de services scolaire des Hautes-Rivières":
                          # a lower-case head, an article, then a capitalised name
                          or j - 1 > i and tokens[j - 1].key in ("des", "du", "de", "la", "le", "les") and tokens[j].cap
                          or k - j >= 2 and sum(t.cap for t in tokens[j:k]) >= 2):  # "association Solidarité Femmes"
                out.append(Span(tok.start, tokens[k - 1].end, "organization", "organization: head word and name"))
        if (tok.cap or tok.upper or tok.key in LOWER_TAILS) and tok.key in ORG_TAILS and i > 0:
            j = i
            while j > 0 and _gap_ok(text, tokens[j - 1], tokens[j]) and (
                (tokens[j - 1].cap or tokens[j - 1].upper) and tokens[j - 1].key not in ("the", "a", "an", "our", "my", "her", "his")
                or tokens[j - 1].key in ("of", "de", "du", "des")
                # "Sagkeeng Child and Family Services": "and" between two capitalised words
                or tokens[j - 1].key in ("and", "et") and j > 1 and tokens[j - 2].cap and tokens[j].cap
                and _gap_ok(text, tokens[j - 2], tokens[j - 1])
            ):
                j -= 1
                if tokens[j].sent_start:
                    break
            while j < i and tokens[j].key in ("of", "the", "de", "du", "des"):
                j += 1
            # weak tails ("Fire Department", "Victim Services") need a proper name before them: a place,
            # a person's name or a word no dictionary knows ("Kingston Police", "Sagkeeng … Services")
            # ("Wellspring Family Services": two capitalised words before the tail are a name too)
            if j < i and all(t.key in BOARD_GENERIC for t in tokens[j:i]):
                continue  # "the District School Board", "a Catholic School": sector words only
            if tok.key in BOARD_TAILS:
                # a big city's board is named in full ("Toronto Catholic District School Board"): three words at least
                caps = len([t for t in tokens[j:i] if t.cap or t.upper])
                named = [t for t in tokens[j:i] if t.key not in BOARD_GENERIC and (t.key not in lex.keep or caps >= 3)]
                if not named or not (caps >= 2 or any(
                        t.key in lex.places or t.key in lex.towns or t.key in lex.surnames or not lex.is_word(t.key) for t in named)):
                    continue
            weak = tok.key in WEAK_TAILS and not any(
                t.key not in lex.keep and (t.key in lex.places or t.key in lex.first or t.key in lex.surnames or not lex.is_word(t.key))
                for t in tokens[j:i]) and not (i - j >= 2 and all(t.cap for t in tokens[j:i]))
            if j < i and not weak and not " ".join(t.key for t in tokens[j:i]) in lex.keep and not all(t.key in lex.keep for t in tokens[j:i]) \
                    and (tok.cap or tok.upper or not tokens[i - 1].sent_start) \
                    and (tok.cap or tok.upper or not tokens[i - 1].possessive or tokens[j].key in ("st", "ste", "saint", "sainte")):
                # "Samira Haddad's shelter worker" is a person's shelter; "St. Brigid's parish" is a parish
                out.append(Span(tokens[j].start, tok.end, "organization", "organization: name and tail word"))
    out += _lower_names_with_tails(tokens, text, lex)
    out += cued_organizations(tokens, text, lex)
    out += [Span(*m.span(), "organization", "organization: head word and Saint-X in lower case") for m in HEAD_SAINT.finditer(text)]
    out += [Span(*m.span(), "organization", "organization: police station number") for m in STATIONS.finditer(text)]
    for m in POLICE_OF.finditer(text):
        town = fold_same_length(m.group("town") or m.group("town2"))
        if town not in lex.keep and town not in lex.common:  # "SQ de Montréal": a big city's force stays
            out.append(Span(*m.span(), "organization", "organization: police force and its town"))
    for m in phrase_regex(lex.organizations).finditer(fold_same_length(text)):
        if text[m.start()].isupper() or m.group() in lex.org_acronyms:
            out.append(Span(m.start(), m.end(), "organization", "organization: list of institutions"))
    return out


_NAME_PREFIXES = frozenset("lord sir saint st ste mount mt port fort lake new north south east west upper lower grand little big "
                           "holy sacred our".split())


def _lower_names_with_tails(tokens: list[Token], text: str, lex: Lexicon) -> list[Span]:
    """"lord roberts elementary", "the john howard society", "riverview secondary school" in lower case:
    one to three lower-case words before a tail, the last a person's or place's name or no word at all."""
    from domain.redact.names import ROLES
    out = []
    for i, tok in enumerate(tokens):
        if tok.key not in LOWER_NAME_TAILS or tok.cap or i == 0:
            continue
        def proper(t: Token) -> bool:
            k = t.key
            return (k in lex.places or k in lex.surnames or k in lex.first and k not in lex.name_words or not lex.is_word(k)) \
                and k not in lex.common and k not in ROLES and k not in lex.keep and k not in lex.not_a_name
        j = i
        while j > 0 and i - j < 3 and not tokens[j - 1].cap and not tokens[j - 1].possessive \
                and text[tokens[j - 1].end:tokens[j].start] == " " and tokens[j - 1].key not in LOWER_NAME_TAILS \
                and (proper(tokens[j - 1]) or tokens[j - 1].key in _NAME_PREFIXES and j < i):
            j -= 1
        if j == i or not proper(tokens[i - 1]):
            continue
        if True:
            end = tok.end
            if i + 1 < len(tokens) and tokens[i + 1].key in ("school", "centre", "center", "church", "high") and text[tok.end:tokens[i + 1].start] == " ":
                end = tokens[i + 1].end  # "riverview secondary school", "grace lutheran church"
            out.append(Span(tokens[j].start, end, "organization", "organization: lower-case name and tail word"))
    return out


def _lower_place_ok(m: re.Match[str], text: str, lex: Lexicon, lang: str = "fr") -> bool:
    """A place written in lower case: removed when it is no everyday word ("hochelag", "mashteuiatsh"),
    or when a place word leads into a compound one ("dans petite-patrie", "in little burgundy")."""
    phrase = m.group()
    if " " not in phrase and "-" not in phrase:
        return not lex.is_word(phrase) and phrase not in lex.common and len(phrase) > 3
    before = text[max(0, m.start() - 12):m.start()].lower()
    # "a" without its accent is "à" only in French: in English it is the article ("a little italy trip")
    cue = re.search(r"\b(?:in|from|near|to|at|dans|à|a|de|du|vers|quartier|secteur|the|la|le)\s+$", before)
    return bool(cue) and not (lang == "en" and cue.group().strip() == "a")


def _word_like_place(phrase: str, lex: Lexicon) -> bool:
    """A listed place made only of everyday words ("the annex", "kits", "the junction", "mount pleasant")."""
    words = [w for w in re.split(r"[\s.'’-]+", " ".join(phrase.split())) if w]
    return bool(words) and all(w == "the" or lex.is_word(w) or w in lex.common for w in words) and words != ["the"]


# ...which then needs a place word before ("lives in", "moved to", "from", "over in", "she's in") and the
# end of the phrase after ("in the annex now", "moved to kits last year", not "the junction of two risks")
_WORD_PLACE_CUE = re.compile(r"(?i)\b(?:in|from|near|to|around|dans|à|vers)\s+$")
_WORD_PLACE_END = re.compile(r"\s*(?:[.,;!?)]|$|\s(?:now|with|since|for|area|neighbourhood|neighborhood|and|last|near|again|then|but|"
                             r"or|at|on|until|where|because|lol|these|this|when|too|already|still|downtown|originally|"
                             r"anymore|these\s+days|right\s+now|today|yesterday|tonight|a\s+lot|depuis|avec|maintenant|chez|et|pour|près|pres)\b)")


def _word_place_ok(m: re.Match[str], text: str) -> bool:
    return bool(_WORD_PLACE_CUE.search(text, max(0, m.start() - 10), m.start())) and bool(_WORD_PLACE_END.match(text, m.end()))


def _elided(text: str, tok: Token) -> bool:
    return text[max(0, tok.start - 2):tok.start].lower() in ("l'", "d'", "l\u2019", "d\u2019")


def _gap_ok(text: str, a: Token, b: Token, elision: bool = False) -> bool:
    """Two tokens belong to one proper name when only spaces, a period or 's separates them
    (with `elision`, also an article: "maison L'Escale", "Maison d'Hébergement")."""
    gap = text[a.end:b.start]
    if elision and re.fullmatch(r"\s{1,2}[LlDd]['\u2019]|[Dd]['\u2019]", gap):
        return True
    if "." in gap and not (len(a.text) == 1 or a.key in ("st", "ste", "mt", "ft")):
        return False
    return bool(re.fullmatch(r"(?:['\u2019]s)?\.?\s{1,2}|['\u2019]|-", gap))


# "in the west end", "du côté du north end": a city's quarter named by its direction
QUARTERS = re.compile(r"(?i)\b(?:in|from|near|around|to|dans|du|de|au|vers)\s+((?:the\s+|le\s+)?(?:west|east|north|south)\s+end)\b(?!\s+of\b)")
# Street corners: "jane & finch", "corner of bathurst and eglinton", "au coin st-denis/mont-royal"
_STREET_WORD = r"(?:(?:st|ste|saint|sainte|mont|mt)[-.\s]?)?[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*"
CORNERS = re.compile(
    rf"(?i)(?:\b(?:corner\s+of|coin(?:\s+de)?|intersection\s+(?:of|de)|at\s+the\s+corner\s+of|angle)\s+)"
    rf"({_STREET_WORD}(?:\s+{_STREET_WORD})?\s*(?:&|/|@|\band\b|\bet\b)\s*{_STREET_WORD})"
    rf"|(?i:\b(?:at|near|around|on|by|off|from|à|au|près\s+de|pres\s+de|vers)\s+)([^\W\d_][\w'’-]{{2,}}\s*(?:&|/)\s*[^\W\d_][\w'’-]{{2,}})(?=\s|[.,;!?)]|$)")
# Saint-X written in lower case after a place word: "à st-lin", "from ste-julie"
LOWER_SAINT = re.compile(r"(?i)\b(?:in|from|near|to|à|a|de|dans|vers|at)\s+((?:st|ste|saint|sainte)-[a-zà-ÿ]{2,}(?:-[a-zà-ÿ]+)*)")
# "the Six Nations reserve", "Onion Lake Cree Nation", "la réserve de Kahnawake"
# Words are bounded and start at a word's start: "A-A-A-…" made the unbounded form quadratic.
RESERVE = re.compile(r"(?<![\w'’-])(?:[A-Z][\w'’-]{1,40}\s+){1,3}(?:(?:Cree|First)\s+)?(?:Nation|Reserve|reserve|First Nation|rez)\b"
                     r"|(?i:\b(?:réserve|reserve|communauté|community)\s+(?:de|d'|of)\s*)[A-Z][\w'’-]{1,40}(?:\s+[A-Z][\w'’-]{1,40})?")


# Where someone lives, in lower case: "they rent a place in paradise now", "elle habite à beaupré"
RESIDENCE = re.compile(
    r"(?i)\b(?:lives?|lived|living|moved|moving|move|grew\s+up|rents?|rented|renting|stays?|stayed|staying|"
    r"(?:a|the)\s+(?:place|house|apartment|trailer|room)|habite|habitent|vit|vivent|demeure|déménagée?s?|demenagee?s?|installée?s?)"
    r"\s+(?:(?:out|up|down|back)\s+)?(?:in|to|at|à|a|au|near)\s+([a-zà-ÿ][\w'’-]{3,})"
    r"(?=\s*(?:[.,;!?)]|$|\s(?:now|with|since|for|near|and|et|avec|depuis|maintenant|près|pres|chez)\b))")
# Lower-case towns count only after one of these: "she moved to steinbach", "il habite à amqui"
_LOWER_TOWN_AFTER = frozenset("in from to near around outside at a au en dans de vers pres proche".split())


def _gazetteer(tokens: list[Token], text: str, lex: Lexicon) -> list[Span]:
    """Towns of GeoNames (data/geonames_towns.txt), one to four words: capitalised anywhere, in lower
    case after a place word."""
    out = []
    n = len(tokens)
    i = 0
    while i < n:
        found = 0
        for size in (4, 3, 2, 1):
            if i + size > n:
                continue
            if any(not re.fullmatch(r" |-|\. ?|['’]s ", text[tokens[j].end:tokens[j + 1].start]) for j in range(i, i + size - 1)):
                continue
            key = " ".join(t.key for t in tokens[i:i + size])
            if key in lex.towns:
                found = size
                break
        if found:
            first = tokens[i]
            prev = tokens[i - 1] if i else None
            lower_ok = prev is not None and prev.key in _LOWER_TOWN_AFTER and text[prev.end:first.start] == " " \
                and (found > 1 or not lex.is_word(first.key))
            if (first.cap and not first.upper or lower_ok) and first.key not in lex.common:
                out.append(Span(first.start, tokens[i + found - 1].end, "place", "place: GeoNames town"))
            i += found
        else:
            i += 1
    return out


def _corner_ok(piece: str, explicit: bool, lex: Lexicon) -> bool:
    words = [w for w in re.split(r"\s*(?:&|/|@|\band\b|\bet\b)\s*", fold_same_length(piece)) if w]
    if len(words) != 2:
        return False
    if explicit:
        return True
    # a bare "x & y" or "x/y" is a corner only when neither side is an everyday word or a role
    # ("mom & dad", "drugs & alcohol", "and/or"): street names are proper names
    from domain.redact.names import ROLES
    return all(w not in ROLES and w not in lex.common and w not in lex.keep and (not lex.is_word(w) or w in lex.places
               or w in lex.first or w in lex.surnames) for w in words) and any(not lex.is_word(w) for w in words)


def places(tokens: list[Token], text: str, folded: str, lex: Lexicon, lang: str = "fr") -> list[Span]:
    out = []
    for m in phrase_regex(lex.places).finditer(folded):
        # capitalised ("Saint-Michel", "Trois-Rivières") or compound in lower case ("dans petite-patrie"): the older rules;
        # "the annex" and one lower-case word ("kits") made of everyday words: the stricter one below
        start_the = m.group().startswith("the ")
        single = " " not in m.group() and "-" not in m.group()
        if (start_the or single and not text[m.start()].isupper()) and _word_like_place(m.group(), lex):
            phrase = " ".join(m.group().split())
            # one lower-case word that is also French ("moved to paris", "à tours") keeps the older, stricter rule
            if " " not in phrase and "-" not in phrase and not text[m.start()].isupper() and phrase in lex.words_fr \
                    and phrase not in lex.words_en and phrase[:-1] not in lex.words_en:  # "kits" is English too
                continue
            if _word_place_ok(m, text) and phrase not in lex.keep:
                out.append(Span(m.start(), m.end(), "place", "place: place named like everyday words (the annex, kits), after a place word"))
        elif text[m.start()].isupper() or _lower_place_ok(m, text, lex, lang):
            out.append(Span(m.start(), m.end(), "place", "place: list of places"))
    out += [Span(*m.span(1), "place", "place: city quarter") for m in QUARTERS.finditer(text)]
    out += [Span(*m.span(1), "place", "place: Saint-X in lower case") for m in LOWER_SAINT.finditer(text)]
    for m in CORNERS.finditer(text):
        g = 1 if m.group(1) else 2
        if _corner_ok(m.group(g), g == 1, lex):
            out.append(Span(m.start(g), m.end(g), "place", "place: street corner"))
    for m in RESERVE.finditer(text):
        head = fold_same_length(m.group()).split()
        if head and head[0] not in lex.not_a_place and not all(w in lex.not_a_place or w in ("nation", "reserve", "rez") for w in head):
            out.append(Span(m.start(), m.end(), "place", "place: reserve or First Nation"))
    out += _gazetteer(tokens, text, lex)
    out += the_places(tokens, text, lex)
    out += _lower_origins(text, lex, lang)
    for m in RESIDENCE.finditer(text):
        if fold_same_length(m.group(1)) in lex.word_towns:
            out.append(Span(*m.span(1), "place", "place: town named like a word, after 'lives in'"))
    for i, tok in enumerate(tokens):
        if not _name_like(tok, lex) or tok.upper:
            continue
        prev = tokens[i - 1] if i else None
        # "a" without its accent is "à" only in French: in English it is the article ("a Form 8")
        if prev and prev.key in LOCATIVES and text[prev.end:tok.start] in (" ", " de ", " d'") \
                and not (prev.text.lower() == "a" and lang == "en"):
            if tok.key in lex.first and tok.key not in lex.places:
                continue
            j = i
            while True:
                if j + 1 < len(tokens) and _name_like(tokens[j + 1], lex) and _gap_ok(text, tokens[j], tokens[j + 1]):
                    j += 1
                # "Portage la Prairie", "Grand-Mère de Shawinigan", "Niagara-on-the-Lake": a particle between capitals
                elif j + 2 < len(tokens) and tokens[j + 1].key in PLACE_PARTICLES and _name_like(tokens[j + 2], lex) \
                        and not tokens[j + 2].upper and text[tokens[j].end:tokens[j + 1].start] == " " \
                        and text[tokens[j + 1].end:tokens[j + 2].start] == " ":
                    j += 2
                else:
                    break
            if all(t.key in GENERIC_SERVICE or t.key in lex.keep for t in tokens[i:j + 1]):
                continue  # "went to Court", "referred to Public Health", "à Pâques": no place
            out.append(Span(tok.start, tokens[j].end, "place", "place: after a place word"))
        elif re.match(r"(?:Saint|Sainte|St|Ste)-[A-ZÀ-Þ]", tok.text) and not (prev and prev.cap and not prev.sent_start):
            out.append(Span(tok.start, tok.end, "place", "place: Saint-X"))
    return out


# --- organisations named by context (issue 22, third round) ---------------------------------
# Practitioners name a shelter or a programme by its bare name, often made of everyday words
# ("staying at New Beginnings", "hébergée à La Clé des Champs", "suivie par Le Phare"). After one
# of these cues a capitalised phrase is the organisation's name. Strong cues take one word
# ("the counsellor at Pathways"); "at", "from", "to", "with" alone need two capitalised words.
_STRONG_CUE = re.compile(
    r"(?i)(?:\b(?:stay(?:s|ing|ed)?|housed|sheltered|a\s+bed|intake|placed|admitted|enrolled|volunteers?|volunteering|"
    r"counsell?or|counsell?ing|worker|workers|staff|folks|people|program|programme|group|waitlist|wait\s+list|advocate|"
    r"outreach|services?|therapist|coordinator|facilitator|intervenor)\s+(?:at|from|with|through|of)"
    r"|\b(?:referr(?:ed|al|als|ing)?|refer|sent|went|goes|going|go|brought|took\s+her|drove\s+her|walked\s+her)\s+(?:her\s+|him\s+|them\s+|the\s+kids\s+)?(?:to|by|over\s+to)"
    r"|\b(?:attends?|attending|attended|housed\s+through|called|calling|phoned|contacted|joined|through)"
    r"|\b(?:hébergée?s?|hebergee?s?|logée?s?|référée?s?|referee?s?|suivie?s?|inscrite?s?|accompagnée?s?|accompagnee?s?|"
    r"va|vont|allée?s?|allee?s?|aller|retournée?|retourne|envoyée?)\s+(?:à|a|au|aux|chez|par|vers|dans)"
    r"|\b(?:fréquente(?:nt)?|frequente(?:nt)?|appelé|appele|contacté|contacte|rejoint|chez)"
    r"|\b(?:intervenante?s?|ts|travailleuse|travailleur|éducatrice|educatrice|équipe|equipe|membre|bénévole|benevole|"
    r"programme|ateliers?|groupe|suivi|hébergement|hebergement)\s+(?:de|du|d['’]|à|au|chez))"
    r"\s+$")
_WEAK_CUE = re.compile(r"(?i)\b(?:at|from|to|with|à|au|de|du)\s+$")
# Words of a sector or a service type: a phrase made only of these is no organisation's name
# ("referred to Legal Aid", "went to Family Court", "called Victim Services")
GENERIC_SERVICE = frozenset("""
family court legal aid services service social mental health public child children's children youth protection victim victims
emergency emerg er room crisis line housing income assistance works police school board hospital clinic shelter program
programme group detox rehab treatment addiction addictions care daycare welfare department office unit team community centre
center justice crown probation parole immigration settlement newcomer newcomers women's men's women men home work church mass
grade therapy intake counselling counseling court's aid de du des la le les l d of the and for et pour mom dad mum ma
maman papa protection jeunesse santé sante services sociaux urgence cour tribunal police sûreté aide juridique hôpital hopital
école ecole garderie travail église eglise messe dpj clsc cisss ciusss cavac ivac
authority board district clinique palais urgent urgence control ministry ministère ministere supreme grand-maman grand-papa grandma grandpa granny nana gran public
""".split())
_ARTICLE = re.compile(r"(?:the|The|La|Le|Les|la|le|les)\s|[Ll]['’]")
_INNER = frozenset("de du des d of the and for et pour en on by aux au a sur".split())


def cued_organizations(tokens: list[Token], text: str, lex: Lexicon) -> list[Span]:
    from domain.redact.names import ROLES, TITLES
    out = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if not (tok.cap or tok.upper) or tok.sent_start:
            continue
        lead = text[max(0, tok.start - 4):tok.start]
        art = _ARTICLE.search(lead)
        art_start = tok.start - (len(lead) - art.start()) if art and art.end() == len(lead) else tok.start
        before = text[max(0, art_start - 60):art_start]
        strong = bool(_STRONG_CUE.search(before))
        if not strong and not _WEAK_CUE.search(before):
            continue
        if i > 0 and (tokens[i - 1].cap or tokens[i - 1].upper) and tokens[i - 1].end >= art_start - 1 and not tokens[i - 1].sent_start:
            continue  # inside a longer capitalised phrase: its own start decides
        j = i
        while j + 1 < n and j - i < 5:
            gap = text[tokens[j].end:tokens[j + 1].start]
            nxt = tokens[j + 1]
            if tokens[j].possessive:
                break
            if (nxt.cap or nxt.upper) and re.fullmatch(r" |-|\s?[Ll]['’]|\s?[Dd]['’]", gap) and not nxt.sent_start:
                j += 1
            elif nxt.key in _INNER and gap == " " and j + 2 < n and (tokens[j + 2].cap or tokens[j + 2].upper) \
                    and re.fullmatch(r" |\s?[Ll]['’]|['’]", text[nxt.end:tokens[j + 2].start]) and j + 1 - i < 5:
                j += 2
            else:
                break
        words = tokens[i:j + 1]
        caps = [t for t in words if t.cap or t.upper]
        phrase = fold_same_length(text[art_start:words[-1].end])
        bare = " ".join(t.key for t in words)
        if phrase in lex.keep or bare in lex.keep or all(t.key in lex.keep or t.key in GENERIC_SERVICE for t in words):
            continue
        first = words[0]
        if first.key in lex.months or first.key in ROLES or first.key in TITLES or first.key in lex.common and len(caps) == 1:
            continue
        if any(t.key in lex.keep for t in caps) and len(caps) == 1:
            continue
        # names of people and towns are the other rules' business ("called Marie", "went to Rimouski")
        if all((lex.is_first(t.key) or lex.is_surname(t.key) or t.key in lex.places or t.key in lex.towns)
               for t in caps):
            continue
        if len(caps) == 1 and not strong:
            continue
        if len(caps) == 1 and len(first.text) == 1:
            continue  # "staying at the Y": a letter alone
        if len(caps) == 1 and first.upper:
            continue  # an acronym alone: a sector or a service type as often as a name
        out.append(Span(art_start, words[-1].end, "organization", "organization: a name after an organisation cue (staying at, hébergée à)"))
    return out


# "in the Glebe", "from the Annex", "out in the Beaches": a neighbourhood named by a capitalised
# word after a place word and "the". Regions too big to identify and service words are no place.
_THE_PLACE_CUE = re.compile(r"(?i)\b(?:lives?|lived|living|moved?|moving|grew\s+up|rents?|rented|renting|stays?|stayed|staying|"
                            r"house|apartment|place|room|from|over|out|up|down|back|works?|hangs?\s+out)"
                            r"\s+(?:\w+\s+)?(?:in|to|from|near|around)\s+the\s+$")
# ...and the name ends the phrase: "in the Glebe now", not "in the Safety Plan we wrote", "the Trans-Canada highway"
_THE_PLACE_END = re.compile(r"\s*(?:[.,;!?)]|$|\s(?:now|with|since|for|area|neighbourhood|neighborhood|and|last|near|again|then|but|"
                            r"or|at|on|until|where|because|a|lol|these|this|that|when|too|already|still)\b)")
_NOT_THE_PLACE = frozenset("""
states us uk north south east west northwest northeast southwest southeast maritimes prairies arctic territories gta
interior island mainland coast valley bible quran koran gospel lord internet news media ministry government system
military army navy forces province city country world philippines caribbean bahamas netherlands congo gambia
middle far near end fall spring summer winter weekend morning evening night
""".split())


def the_places(tokens: list[Token], text: str, lex: Lexicon) -> list[Span]:
    from domain.redact.names import ROLES
    out = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if not tok.cap or tok.upper or tok.sent_start or i == 0 or tokens[i - 1].key != "the":
            continue
        if not _THE_PLACE_CUE.search(text, max(0, tokens[i - 1].start - 16), tokens[i - 1].end + 1):
            continue
        j = i
        while j + 1 < n and j - i < 2 and tokens[j + 1].cap and not tokens[j + 1].sent_start \
                and text[tokens[j].end:tokens[j + 1].start] in (" ", "-"):
            j += 1
        words = tokens[i:j + 1]
        if tokens[j].possessive or any(t.key in ORG_TAILS or t.key in ORG_HEADS for t in words):
            continue  # "the Salvation Army's…", "the Horizon House": the organisation rules decide
        if all(t.key in GENERIC_SERVICE or t.key in lex.keep or t.key in _NOT_THE_PLACE or t.key in ROLES
               or t.key in lex.months for t in words):
            continue
        phrase = " ".join(t.key for t in words)
        if phrase in lex.keep or "the " + phrase in lex.keep or not _THE_PLACE_END.match(text, words[-1].end):
            continue
        out.append(Span(tokens[i - 1].start, words[-1].end, "place", "place: 'the' and a capitalised name after a place word (in the Glebe)"))
    return out


# A place no list knows, in lower case, after where someone lives or comes from: "her family is from
# mogadishu", "she grew up in muskoka", "they moved to the kootenays", "elle est née à ouagadougou".
# The word is no everyday word, name, kept term or chat shorthand, and the phrase ends after it.
_ORIGIN_CUE = re.compile(
    r"(?i)(?:\b(?:from|born\s+in|grew\s+up\s+in|raised\s+in|lives?\s+in|living\s+in|live\s+in|moved\s+(?:back\s+|out\s+|up\s+|down\s+)?(?:to|from)|"
    r"back\s+home\s+in|back\s+in|fled\s+(?:from|to)|up\s+in|out\s+in|down\s+in|over\s+in|(?:'s|'re|is|are|was|were)\s+in|stays?\s+in|staying\s+in|"
    r"née?s?\s+(?:à|a|au)|originaire\s+(?:de|d['’]|du)|vient\s+(?:de|d['’]|du)|viennent\s+(?:de|d['’]|du)|habite\s+(?:à|a|au)|"
    r"habitent\s+(?:à|a|au)|vit\s+(?:à|a|au)|vivent\s+(?:à|a|au)|déménagée?s?\s+(?:à|a|au)|demenagee?s?\s+(?:à|a|au)|"
    r"arrivée?s?\s+(?:de|d['’]|du))\s+)(?P<place>(?:the\s+)?[a-zà-ÿ][a-zà-ÿ'’-]{3,})")
_ORIGIN_END = re.compile(r"\s*(?:[.,;!?)]|$|\s(?:now|with|since|for|area|and|last|near|again|then|but|or|at|on|until|where|because|"
                         r"lol|when|too|already|still|originally|somewhere|in\s+\d{4}|her|his|their|depuis|avec|maintenant|chez|et|pour|"
                         r"quand|il\s+y\s+a|en\s+\d{4})\b)")


_LATIN = frozenset("utero situ vitro vivo absentia loco camera extremis toto".split())


def _lower_origins(text: str, lex: Lexicon, lang: str) -> list[Span]:
    from domain.redact.names import ROLES
    out = []
    for m in _ORIGIN_CUE.finditer(text):
        place = m.group("place")
        word = fold_same_length(place.split()[-1]).strip("'’-")
        if lex.is_word(word) or word in lex.keep or word in lex.common or word in ROLES or word in lex.not_a_name \
                or word in lex.not_a_place or lex.is_first(word) or word in lex.months or len(word) < 4 \
                or not re.search(r"[aeiouyà-ÿ]", word) or word in _LATIN:  # "from dcfs", "in utero"
            continue
        if not _ORIGIN_END.match(text, m.end("place")):
            continue
        out.append(Span(m.start("place"), m.end("place"), "place", "place: unknown lower-case word after where someone lives or comes from"))
    return out
