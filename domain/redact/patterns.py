"""Identifiers with a shape: contacts, postal codes, addresses, exact dates and id numbers.

Every repetition that can run along a long word or a run like `a.a.a.a…` is bounded (a domain
label is at most 63 characters, an id a few dozen): an unbounded one is tried again from every
start position, which made scrubbing quadratic (6,000 characters of `a.a.` took about a second).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from domain.redact.spans import Span

_L = r"A-Za-zÀ-ÖØ-öø-ÿ"  # letters, accented included
_CAP = r"[A-ZÀ-ÖØ-Þ]"

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"]+"
    r"|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,8}\.(?:com|ca|org|net|info|io|fr|uk|au|us|gov|edu|co|me|ly|app|quebec|xyz|online|biz|blog|shop|store)"
    r"\b(?:/[^\s<>\"]*)?"
    # short country and vanity domains that are also words or typos ("said.be careful") need a path
    r"|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,8}\.(?:ee|be|gg|tv|ch|de|nz|ie|link|page|live|site)/[^\s<>\"]+"
)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,40}[A-Za-z0-9_])?(?::[\w.-]+)?")
_PLATFORM = r"(?:Instagram|Insta|IG|TikTok|Snapchat|Snap|Facebook|FB|Twitter|X|Telegram|WhatsApp|Discord|Reddit|YouTube|Threads|Kik|Tinder|Messenger|Signal|WeChat|Viber|Skype|Twitch|Steam|PSN|Xbox|Roblox|Fortnite|OnlyFans|LinkedIn|Pinterest|BeReal|VSCO|Tumblr|Grindr|Bumble|Hinge|Venmo|Cash\s*App|gamertag|gamer\s+tag)"
HANDLE_CONTEXT = re.compile(
    rf"(?i:\b{_PLATFORM}\b(?:\s+(?:account|profile|handle|username|page|compte|profil))?"
    r"(?:\s*(?:as|under|sous(?:\s+le\s+(?:nom|pseudo))?|comme|named|nommé|appelé|is|est|c'est|c’est|it's|handle|:|-|=|\()\s*|\s+)"
    r"|\b(?:username|user\s*name|handle|pseudo|nom\s+d'utilisateur|alias\s+en\s+ligne)\b\s*(?:is|est|c'est|c’est|it's|:|=)?\s*)"
    r"(@?[A-Za-z0-9_][A-Za-z0-9_.]{1,40}[A-Za-z0-9_](?:#\d{4})?)"
)
# Platform-shaped handles without a platform named: Discord's name#1234, reddit's u/name.
HANDLE_SHAPED = re.compile(r"(?<![\w#])[A-Za-z0-9_.]{2,32}#\d{4}\b|(?<![\w/])u/[A-Za-z0-9_-]{3,20}\b")
# A user name by its shape alone: letters joined by an underscore ("throwaway_kev", "kev_22"), or
# three letters or more then two digits or more ("darkangel77", "kev22"); never a word.
HANDLE_BARE = re.compile(r"(?<![\w@.#/-])(?=[A-Za-z0-9_.]*[A-Za-z]{2})(?:[A-Za-z0-9.]*[A-Za-z0-9]_[A-Za-z0-9_.]*[A-Za-z0-9]|[A-Za-z]{3,}[A-Za-z.]*\d{2,4})(?![\w@/-]|\.\w)")
_NOT_HANDLES = re.compile(r"(?i)(?:grade|year|level|room|page|sec|niveau|classe|step|phase|week|day|jour|semaine|bill|loi|article|section|apt|unit|app)\d+|covid\d+|mp\d|h\d+n\d+|[a-z]+20\d\d|[a-z]+19\d\d|sha\d+|utf\d+|ipv\d|dsm\d|[a-z]+_?id|icd\d+")

_MONTHS_EN = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_MONTHS_FR = r"(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|janv|févr|fevr|avr|juil|sept|oct|nov|déc|dec)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_ORD = r"(?:st|nd|rd|th|er|e|re)?"
_YEAR = r"(?:19|20)\d\d"
DATES = tuple(re.compile(p) for p in (
    rf"\b{_YEAR}[-/.](?:0?[1-9]|1[0-2])[-/.]{_DAY}\b",
    rf"\b{_DAY}[-/.](?:0?[1-9]|1[0-2])[-/.](?:{_YEAR}|\d\d)\b",
    rf"\b(?:0?[1-9]|1[0-2])[-/.]{_DAY}[-/.](?:{_YEAR}|\d\d)\b",
    rf"\b(?:0?[1-9]|1[0-2])/{_DAY}\b",
    rf"(?i:\b{_MONTHS_EN})\s+{_DAY}{_ORD}\b(?:\s?[-–]\s?{_DAY}{_ORD}\b)?(?:,?\s+{_YEAR}\b)?",
    # "hearing on the 3rd.", "until the 22nd at noon": a day alone once it closes the phrase
    rf"(?i:\b(?:on|by|until|till|before|after|since)\s+)((?i:the\s+){_DAY}(?:st|nd|rd|th))\b(?=\s*(?:[.,;!?)]|$|\s(?:at|in\s+the|of\s+(?:this|next|last)\s+month)\b))",
    rf"(?i:\bthe\s+)?\b{_DAY}{_ORD}\s+(?i:of\s+)?(?:May|(?!(?i:may)\b)(?i:{_MONTHS_EN}))(?:,?\s+{_YEAR}\b)?",
    rf"(?i)\b(?:1er|premier|{_DAY}(?:e|er|re)?)\s+{_MONTHS_FR}(?:\s+{_YEAR})?\b",
    rf"(?i)\b{_DAY}[-/. ](?:{_MONTHS_EN}|{_MONTHS_FR})[-/. ](?:{_YEAR}|\d\d)\b",
    rf"(?i)\b(?:le|du|au)\s+(?:1er|{_DAY})(?=\s*(?:,|\.|$|\s+(?:à|a|au|prochain|dernier)\b))",
))

_CA_POSTAL = r"[ABCEGHJ-NPRSTVXYabceghj-nprstvxy]\d[ABCEGHJ-NPRSTV-Zabceghj-nprstv-z][ -]?\d[ABCEGHJ-NPRSTV-Zabceghj-nprstv-z]\d"
_STATES = r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)"
POSTAL = tuple(re.compile(p) for p in (
    rf"(?<![\w-]){_CA_POSTAL}(?![\w-])",
    rf"\b{_STATES},?\s+\d{{5}}(?:-\d{{4}})?\b",
    r"\b\d{5}-\d{4}\b",
    r"(?i:\b(?:zip|zip\s+code|code\s+postal|postcode|postal\s+code)\b:?\s*)\d{4,5}\b",
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b",
    r"\b(?:NSW|VIC|Vic|QLD|Qld|SA|WA|TAS|Tas|NT|ACT),?\s+\d{4}\b",
    rf"\b\d{{5}}(?=\s+{_CAP}[a-zà-ÿ])",
))

_STREET_FR = r"(?:rue|avenue|av\.|boulevard|boul\.|bd|blvd|chemin|ch\.|rang|route|rte|place|montée|montee|côte|cote|allée|allee|allé|impasse|promenade|croissant|terrasse|carré|square|ruelle|sentier|voie)"
_STREET_EN = (r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Crescent|Cres|Court|Ct|Lane|Ln|Way|Place|Pl|"
              r"Terrace|Tce|Parade|Pde|Highway|Hwy|Circle|Cir|Trail|Row|Close|Grove|Gardens|Square|Sq|Parkway|Pkwy|"
              r"Line|Concession|Sideroad|Esplanade|Mews|Quay|Wharf)")
_UNIT = r"(?:,?\s*(?i:apt|apartment|app|appartement|unit|unité|suite|bureau|flat|logement|#)\.?\s*[\w-]+)"
UNIT = _UNIT
_NAMEWORD = rf"(?:{_CAP}[{_L}'’.-]*|\d+(?:e|th|st|nd|rd|er|re|ère|ème)?)"
ADDRESSES = tuple(re.compile(p) for p in (
    rf"(?:(?i:unit|apt|flat|suite|app\.?)\s*\w+[/,]?\s*)?\b\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?(?:\s(?:bis|ter))?,?\s+(?i:{_STREET_FR})\s+"
    rf"(?:(?:de\s+la|de\s+l'|du|des|de|d'|l'|la|le|saint|sainte|st|ste)\s*)?{_NAMEWORD}(?:[\s-]+{_NAMEWORD}){{0,3}}{_UNIT}?",
    rf"(?:(?i:unit|apt|flat|suite)\s*\w+[/,]?\s*)?\b\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?,?\s+(?:{_NAMEWORD}\s+){{1,4}}"
    rf"{_STREET_EN}\b\.?(?:\s+(?:North|South|East|West|N|S|E|W|Est|Ouest|Nord|Sud)\b)?{_UNIT}?",
    rf"\b(?i:{_STREET_FR})\s+(?:(?:de\s+la|de\s+l'|du|des|de|d'|l')\s*)?(?:Saint|Sainte|St|Ste)?-?{_CAP}[{_L}'’-]+(?:[\s-]+{_CAP}[{_L}'’-]+){{0,2}}",
    rf"\b(?:{_CAP}[{_L}'’-]{{1,40}}\s+){{1,3}}{_STREET_EN}\b(?!\s+(?:[a-z]))",
    r"(?i)\b(?:PO|P\.O\.|C\.P\.|CP|case\s+postale)\s*(?:Box\s*)?\d+\b",
    r"\b(?:Box|BOX|box)\s+\d{1,5}\b(?=\s*,\s*[A-ZÀ-Þ])",
))

# Addresses as chat writes them: lower case, units before the number ("2-905"), abbreviations.
# Only street types that are not also everyday words after a number ("3 places", "2 courts") count.
_LOWER_STREET_FR = r"(?:rue|avenue|av|ave|boulevard|boul|bd|blvd|chemin|ch|rang|route|rte|montée|montee|allée|allee|impasse|promenade|croissant|ruelle)"
_LOWER_STREET_EN = r"(?:street|st|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|crescent|cres|cr|lane|ln|highway|hwy|parkway|pkwy|trail|terrace|sideroad|concession)"
_LWORD = r"(?:(?!(?:and|et|with|avec|for|pour|since|depuis|near|pres|près|where|oû|ou|to|at|in|on)\b)[a-zà-ÿA-ZÀ-Þ][\w'’.-]*)"
_DIRECTION = r"(?:\s+(?i:north|south|east|west|nord|sud|est|ouest|nw|ne|sw|se|n|s|e|w|o)\b\.?)"
_HOUSE = r"\b\d{1,6}[A-Za-z]?(?:[-/]\d{1,6}[A-Za-z]?)?(?:\s(?:bis|ter))?,?"
LOWER_ADDRESSES = tuple(re.compile(p) for p in (
    rf"(?:(?i:unit|apt|app|flat|suite|#)\.?\s*\w+[/,]?\s*)?{_HOUSE}\s+(?i:{_LOWER_STREET_FR})\.?\s+"
    rf"(?:(?i:de\s+la|de\s+l'|du|des|de|d'|l'|la|le|saint|sainte|st|ste)\s*)?{_LWORD}(?:[\s-]+(?!(?:app|apt|unit|suite)\b){_LWORD}){{0,2}}?"
    rf"{_DIRECTION}?(?={_UNIT}|[\s,.;:!?)]|$){_UNIT}?",
    rf"(?:(?i:unit|apt|app|flat|suite|#)\.?\s*\w+[/,]?\s*)?{_HOUSE}\s+(?:{_LWORD}\s+){{1,3}}?(?i:{_LOWER_STREET_EN})\b\.?"
    rf"{_DIRECTION}?{_UNIT}?(?![\w'-])",
    # "221 kingsway", "1200 broadway": a house number before a …way street with no street type
    rf"{_HOUSE}\s+(?i:[a-z]{{3,}}way)\b{_DIRECTION}?{_UNIT}?",
    # numbered streets: "10234 104 st", "4521-50 ave", "au 4521, 4e avenue", "88 3rd street"
    rf"\b\d{{1,6}}[A-Za-z]?(?:-\d{{1,6}}[A-Za-z]?)?,?\s+\d{{1,3}}(?:st|nd|rd|th|e|re|ère|ème|er)?\s+"
    rf"(?i:street|st|avenue|ave|av|road|rd|rue|rang|boulevard|blvd|boul)\b\.?{_DIRECTION}?{_UNIT}?(?![\w'-])",
    rf"\b\d{{1,6}}-\d{{1,3}}(?:st|nd|rd|th|e)?\s+(?i:street|st|avenue|ave|av)\b\.?{_DIRECTION}?{_UNIT}?(?![\w'-])",
))
# A street named without a number, after on/off/along or sur la: "he lives on Jarvis St near the
# school", "they live on maple drive", "his place on 5th ave", "sur la 3e avenue", "sur la rue principale".
_ON_STREET_EN = r"(?:street|st|avenue|ave|road|rd|drive|dr|crescent|cres|boulevard|blvd|lane|ln|way|trail|terrace|highway|hwy|quay|parkway|pkwy)"
STREETS_NAMED = tuple(re.compile(p) for p in (
    rf"(?i:\b(?:on|off|along|down|up|onto)\s+)((?!(?:the|my|his|her|their|our|a|an|this|that|your|its|one|same|other|main\s+road)\b)"
    rf"(?:[A-Za-zÀ-ÿ][\w'’-]*|\d{{1,3}}(?:st|nd|rd|th))(?:\s+[A-Za-zÀ-ÿ][\w'’-]*)?\s+(?i:{_ON_STREET_EN})\b\.?(?:\s+(?i:north|south|east|west|[NSEW])\b)?)",
    rf"(?i:\bsur\s+(?:la\s+|le\s+|l'|l’)?)((?:\d{{1,3}}(?:e|re|ère|ème)\s+(?:avenue|rue|rang)|(?:rue|avenue|boulevard|boul\.|chemin|rang|route|montée)\s+"
    rf"(?:(?:de\s+la|du|des|de|d'|l')\s*)?[a-zà-ÿA-ZÀ-Þ][\w'’-]+(?:\s+(?:est|ouest|nord|sud))?))",
    rf"(?i:\b(?:on|at|off)\s+(?:the\s+)?)(\d{{1,3}}(?:st|nd|rd|th)\s+(?i:{_ON_STREET_EN}|line|concession|sideroad))\b",
))

# Rural addresses: "rang 4 nord", "RR 3", "Site 5, Box 12", "Concession 6", "lieu-dit Les Granges",
# "Bât. C", "résidence Les Tilleuls" (a named building is the address of the people in it).
RURAL = tuple(re.compile(p) for p in (
    rf"(?i:\brang)\s+\d{{1,3}}(?:e|ième)?{_DIRECTION}?",
    r"\b(?:RR|R\.R\.|rr)\s*#?\s*\d{1,3}\b",
    r"(?i)\b(?:rural\s+route|route\s+rurale)\s*#?\s*\d{1,3}\b",
    r"(?i)\bsite\s+\d{1,3},?\s+(?:box|comp|compartment)\s+\d{1,4}\b",
    r"(?i)\b(?:lot|concession|conc\.)\s+\d{1,3}\b(?:,?\s+(?i:lot|concession|conc\.)\s+\d{1,3})?",
    rf"(?i:\blieu-?dit)\s+(?:(?:les|le|la|l'|du|des)\s*)?{_CAP}[{_L}'’-]+(?:\s+{_CAP}[{_L}'’-]+)?",
    r"(?:\b(?i:bât|bat|bâtiment|batiment|bldg|building|bloc|block|tour|tower|entrée|escalier)\.?\s+[A-Z0-9]{1,2}\b)(?![\w'])",
    rf"(?i:\brésidence|\bresidence|\bdomaine|\bcité|\bhameau|\bferme)\s+(?:(?:les|le|la|l'|du|des)\s*)?{_CAP}[{_L}'’-]+(?:\s+{_CAP}[{_L}'’-]+)?",
))
# Postal codes written alone: a US ZIP or a French code once the context says it is one.
POSTAL_ALONE = tuple(re.compile(p) for p in (
    r"(?i:\b(?:zip|zipcode|postal|postcode|code|cp|c\.p\.)\b[^\d\n]{0,14}?)(\d{5})(?!\d|[.,]\d)",
    # "secteur 75011", "arrondissement 75018": a code where the phrase ends or a town follows
    r"(?i:\b(?:secteur|arrondissement)\s+)(\d{5})(?=\s*(?:[.,;!?)]|$)|\s+[A-ZÀ-Þ]|\s+(?:depuis|avec|chez|et|où|ou)\b)",
    r"(?i:\b(?:in|to|from|near|around|dans\s+le|du|vers|au|à|a)\s+)(\d{5})(?!\d|[.,:/-]\d|\s*(?i:\$|€|dollars?|euros?|km|kms|people|personnes|habitants|ans|years|fois|times|hours|heures|mg|ml|m²|pieds|feet|\w*%))",
    r"(?<![\w-])[a-zA-Z]\d[a-zA-Z][ -]?\d[a-zA-Z]\d(?![\w-])",
    # a French département by its number: "ils vivent dans le 93", "elle vient du 13"
    r"(?i:\bdans\s+le\s+|\b(?:vient|viennent|venue?s?|originaires?|sont|est)\s+du\s+)(\d{2}|2[AB]|97[1-6])(?![\d.,:/%-]|\s*(?:ans?\b|%|h\b|heures?|mois|jours?|minutes?|km|fois|e\b|ème|er\b|au\b))",
    # "dans le 9-3", "dans le 13e (arrondissement)": a département in slang, a city's district
    r"(?i:\b(?:dans\s+le|du)\s+)(9-3|\d{1,2}(?:e|ème|eme)(?:\s+arrondissement)?)(?=\s*(?:[.,;!?)]|$|\s(?:depuis|avec|chez|près|pres|et|où|ou)\b))",
    # a code in brackets after a town: "Villeurbanne (69100)"
    r"(?<=[^\W\d_] )\(\d{5}\)",
    # a Canadian forward sortation area alone ("secteur H2X", "code qui commence par G5L")
    r"(?<![\w-])(?!A1C\b|B2B\b|P2P\b|B2C\b|C2C\b)[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z](?![\w-])",
    r"(?i:\b(?:code\s+postal|postal\s+code|fsa|secteur|zone)\b[^\d\n]{0,20}?)\b([a-zA-Z]\d[a-zA-Z])(?![\w-])",
))

_ID_KEY = (r"(?:file|case|dossier|docket|court\s+file|claim|report|incident|occurrence|événement|evenement|référence|"
           r"reference|ref|matricule|client|member|membre|card|carte|health\s+card|NAS|SIN|SSN|NHS|Medicare|RAMQ|OHIP|"
           r"permis|licen[cs]e|plate|plaque|immatriculation|numéro|numero|number|badge|patient|MRN|chart|IRCC|UCI|"
           r"passport|passeport|FPS|CPIC|inmate|offender|détenu|detenu|sécu|secu|CAF|PHN|HCN|order|ordonnance|plainte|complaint)")
IDS = tuple(re.compile(p) for p in (
    rf"(?i:\b{_ID_KEY}\b)\.?\s*(?i:(?:no|n°|nº|number|numéro|numero|#|num|id)\.?\s*)?(?::\s*)?(?i:(?:is|est|was|c'est|:)\s+(?:le\s+|the\s+)?)?(?:[:#]\s*)?"
    r"([A-Za-z]{0,4}[-\s]?\d[\w]*(?:[-/.\s]\d[\w]*){0,4})",
    r"\b[A-Z]{4}\s?\d{4}\s?\d{4}\b",                        # RAMQ
    r"\b\d{3}-\d{2}-\d{5,6}-\d{2,3}\b",                      # Québec court file
    r"\b\d{3}[-\s]\d{3}[-\s]\d{3}\b",                        # SIN / NAS
    r"\b\d{3}-\d{2}-\d{4}\b",                                # SSN
    r"\b\d{4}[-\s]\d{3}[-\s]\d{3}(?:[-\s]?[A-Z]{2})?\b",     # Ontario health card
    r"\b\d{4}\s?\d{5}\s?\d(?:[\s/-]\d)?\b",                   # Medicare AU
    r"\b\d{3}\s\d{3}\s\d{4}\b",                              # NHS
    r"\b(?=[\w-]{0,60}\d)(?=[\w-]{0,60}[A-Za-z])[A-Z0-9]{2,20}(?:-[A-Z0-9]{1,20}){1,4}\b",  # QC-2024-0012, A-123-B
    r"(?<!\w)(?:No|N°|Nº|no\.|#)\s?\d{3,}\b",
    r"(?<!\w)#\s?[A-Z]{1,4}-?\d{3,}\b",                     # #RO-55123
    r"\b[12]\s?\d{2}\s?(?:0[1-9]|1[0-2])\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}(?:\s?\d{2})?\b",  # French NIR (sécu)
    r"\b\d[\d-]{5,}\d\b",
    r"\b[A-Z]{3}[\s-]?\d{3,4}\b",                            # plates ABC 123
    r"\b[A-Z]\d{2}[\s-]?[A-Z]{3}\b",
    r"\b\d{3}[\s-]?[A-Z]{3}\b",
    r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b",                         # UK plate
))

PHONE_EXT = re.compile(r"\s*,?\s*(?i:ext\.?|extension|x|poste|p\.|#)\s*\d{1,6}\b")
PHONE_LOOSE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(0?\d{1,4}\)[\s.-]?)?\d{1,8}(?:[\s.-]\d{1,8}){0,5}(?!\d)(?![^\W\dx])")


# "on my way", "on the road", "on track": words before a street type that make no street's name
_NOT_STREET_NAMES = frozenset("wrong right long same whole entire high open main back side dead one two this that memory easy "
                              "test fast slow short scenic".split())


def _everyday(word: str) -> bool:
    from domain.redact.lexicon import fold, lexicon
    return lexicon().is_word(fold(word))


def _finditer(patterns: tuple[re.Pattern[str], ...], text: str, kind: str, rule: str = "") -> Iterator[Span]:
    for pat in patterns:
        for m in pat.finditer(text):
            start, end = (m.start(1), m.end(1)) if pat.groups else m.span()
            if start >= 0 and end > start:
                yield Span(start, end, kind, f"{kind}: {rule}")


def _words_joined(piece: str) -> bool:
    """"too_long", "core.gender_power": everyday words joined by underscores and dots, no digit,
    are a key or a tag, not a user name (names are no everyday word: "throwaway_kev", "big_mike")."""
    if any(c.isdigit() for c in piece):
        return False
    if "." in piece:
        return True  # "cmd.case_close", "collab.roles_resources": a dotted key without digits is code
    from domain.redact.lexicon import fold, lexicon
    lex = lexicon()
    return all(lex.is_word(fold(w)) or len(w) < 3 for w in re.split(r"[_.]", piece) if w)


_FUNCTION_WORDS = frozenset("sur on de du des le la les est is was c'est sous under as the a an in at to of et and ou or".split())


def contacts(text: str) -> list[Span]:
    out = [Span(*m.span(), "email", "email: shape") for m in EMAIL.finditer(text)]
    for m in URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?)":
            end -= 1
        out.append(Span(m.start(), end, "url", "url: shape"))
    out += [Span(*m.span(), "handle", "handle: @name") for m in HANDLE.finditer(text)]
    out += [Span(*m.span(), "handle", "handle: name#1234 or u/name") for m in HANDLE_SHAPED.finditer(text)]
    out += [Span(*m.span(), "handle", "handle: user-name shape (name_22, darkangel77)") for m in HANDLE_BARE.finditer(text)
            if not _NOT_HANDLES.fullmatch(m.group()) and not _words_joined(m.group())]
    for m in HANDLE_CONTEXT.finditer(text):
        handle = m.group(1)
        explicit = m.group(0)[: m.start(1) - m.start()].strip().lower().endswith(("as", "under", "nom", "pseudo", ":", "=", "is", "est", "it's", "username", "(", "gamertag", "tag"))
        if handle.lower() in _FUNCTION_WORDS:
            continue  # "son pseudo sur Discord", "his snap is on…"
        if explicit or not handle.isalpha() or not handle.islower():
            out.append(Span(*m.span(1), "handle", "handle: named by its platform"))
    return out


# The library parses North American numbers and any "+" international number; local UK, AU and FR
# formats (07700 900123, 04 12 345 678, 06 12 34 56 78) are left to PHONE_LOOSE, which is much faster
# than running the matcher once per region.
PHONE_REGION = "CA"


_LOCAL_7 = re.compile(r"[2-9]\d\d[-.\s]\d{4}")
_NOT_PHONE = re.compile(r"(?:19|20)\d\d\s*[-/–]\s*(?:(?:19|20)\d\d|\d\d?[-/.]\d\d?)")


def _phone_like(piece: str) -> bool:
    digits = sum(c.isdigit() for c in piece)
    if _NOT_PHONE.fullmatch(piece.strip()):
        return False
    return 8 <= digits <= 15 or bool(_LOCAL_7.fullmatch(piece.strip()))


def phones(text: str) -> list[Span]:
    out: list[Span] = []
    if sum(c.isdigit() for c in text) >= 7:
        for m in phonenumbers.PhoneNumberMatcher(text, PHONE_REGION, leniency=phonenumbers.Leniency.POSSIBLE):
            if _phone_like(m.raw_string):
                out.append(Span(m.start, m.end, "phone", "phone: phonenumbers"))
    for m in PHONE_LOOSE.finditer(text):
        if _phone_like(m.group()):
            out.append(Span(*m.span(), "phone", "phone: digit groups"))
    extended = []
    for s in out:
        ext = PHONE_EXT.match(text, s.end)
        extended.append(Span(s.start, ext.end(), "phone", s.rule) if ext else s)
    return extended


# A weekday before a date is part of it: "lundi 14 avril", "Sat Oct 12", "Monday, March 3"
_WEEKDAY_BEFORE = re.compile(r"(?i)\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|"
                             r"friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s{1,2}$")


def _with_weekday(s: Span, text: str) -> Span:
    m = _WEEKDAY_BEFORE.search(text, max(0, s.start - 12), s.start)
    return Span(m.start(), s.end, s.kind, s.rule) if m else s


def shaped(text: str, not_an_id: re.Pattern[str] | None = None) -> list[Span]:
    """Every identifier found by its shape alone. `not_an_id`: the number shapes the keep policy
    (data/keep.txt, [not-an-id]) says are not ids."""
    if not_an_id is None:
        from domain.redact.lexicon import lexicon
        not_an_id = lexicon().not_an_id
    dates = [_with_weekday(s, text) for s in _finditer(DATES, text, "date", "day and month")]
    out = contacts(text) + dates
    out += [p for p in phones(text) if not any(d.start <= p.start and p.end <= d.end for d in dates)]
    out += _finditer(POSTAL, text, "postal", "shape")
    out += _finditer(ADDRESSES, text, "address", "number and street")
    out += _finditer(LOWER_ADDRESSES, text, "address", "number and street, lower case")
    out += _finditer(RURAL, text, "address", "rural route, range or building")
    for s in _finditer(STREETS_NAMED, text, "address", "street named without a number"):
        piece = text[s.start:s.end]
        words = piece.lower().split()
        if len(words) == 2 and words[0] in _NOT_STREET_NAMES:
            continue
        last = re.findall(r"[^\W\d_][\w'’-]*", piece)[-1]
        if re.match(r"(?i)rue|avenue|boulevard|boul|chemin|rang|route|montée", piece) and last.islower() and _everyday(last):
            continue  # "sur le chemin du retour": a French street in lower case needs a name no word has
        out.append(s)
    out += _finditer(POSTAL_ALONE, text, "postal", "code named by its context")
    phone_spans = [s for s in out if s.kind == "phone"]
    for n, pat in enumerate(IDS):
        for s in _finditer((pat,), text, "id", "after a keyword" if n == 0 else "shape"):
            piece = text[s.start:s.end].strip()
            if not_an_id.fullmatch(piece) or sum(c.isdigit() for c in piece) < 2:
                continue
            if n == 0:
                lead = re.match(r"[A-Za-zÀ-ÿ]+", piece)
                if lead and lead.group().islower() and len(lead.group()) > 1:
                    continue  # "plainte du 12 mars", "order due 2025-03-01": a word, then a date or a count
                if sum(c.isdigit() for c in piece) < 3 and not re.search(r"[A-Za-z]", piece):
                    continue  # "the order is 12 months": an id has three digits or letters and digits
            # a bare digit run inside a phone number is the phone number
            if n > 2 and any(p.start <= s.start and s.end <= p.end for p in phone_spans + dates):
                continue
            out.append(s)
    return out
