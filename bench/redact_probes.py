"""Dev-only: class probes for the scrubber, written for copbot (issue 22's classes of misses).

    python -m bench.redact_probes        # recall and keep per class, then every miss

Each probe marks identifiers as [[...]] and phrases that must be kept as {{...}}. The sentences,
people and places are invented for this file; they are a check of classes, not an evaluation set
(the independent set, bench/data/indep/, is the evaluation nobody tunes to).
"""

from __future__ import annotations

import re
import sys

from domain.redact import scrub

PROBES: dict[str, list[tuple[str, str]]] = {
    "lower_names": [
        ("en", "my client [[tommy]] says his dad still drives by the house"),
        ("en", "her son [[gazza]] won't go to school since the fight"),
        ("en", "she texted [[zoé]] at 2am asking for a ride"),
        ("en", "the ex, [[darnell]], keeps showing up at the daycare"),
        ("en", "mum's new bf [[shayne]] has a record apparently"),
        ("en", "spoke w/ [[lulu]] again today, she's scared of him"),
        ("en", "her daughter [[keisha]] (9) saw everything"),
        ("en", "i met with [[brayden]] and his mom on monday"),
        ("en", "partner is [[kyle]], he works nights at the plant"),
        ("en", "grandma [[bev]] takes the kids on weekends"),
        ("fr", "ma cliente [[maude]] a peur de retourner chez elle"),
        ("fr", "son fils [[ti-paul]] fait des crises à l'école"),
        ("fr", "elle a texté [[zoé]] hier soir en panique"),
        ("fr", "le chum de la mère, [[steeve]], consomme beaucoup"),
        ("fr", "j'ai parlé avec [[mélodie]] ce matin, elle hésite"),
        ("fr", "la petite [[rosalie]] dort chez sa grand-mère"),
        ("fr", "son ex [[jonathan]] la suit en auto"),
        ("en", "her son [[jaxon]] keeps asking when daddy comes back"),
    ],
    "short_names": [
        ("en", "Her partner [[Bo]] controls the money."),
        ("en", "The mother, [[Li]], speaks little English."),
        ("en", "Her son [[KJ]] is 7 and very quiet."),
        ("en", "[[Bo]] said he would take the kids."),
        ("fr", "Son conjoint [[JP]] refuse le suivi."),
        ("fr", "La fille, [[Lou]], a 4 ans."),
        ("en", "the client's brother [[AJ]] picked her up"),
    ],
    "han": [
        ("en", "The mother, [[王秀英]], asked for an interpreter."),
        ("en", "client [[李明]] says her husband took her passport"),
        ("fr", "La cliente [[陈静]] ne parle pas français."),
        ("en", "Her husband [[张伟]] monitors her WeChat."),
    ],
    "vietnamese": [
        ("en", "The mother, [[Nguyễn Thị Hoa]], works at a nail salon."),
        ("en", "Her partner [[Trần Văn Minh]] drinks every night."),
        ("fr", "Madame [[Phạm Thị Lan]] a deux enfants."),
        ("en", "client is [[Lê Thị Thu]], 41, newly arrived"),
        ("en", "[[Hoàng Minh Tuấn]] told the worker he would leave."),
        ("en", "her son [[Quang]] translates for her"),
    ],
    "arabic": [
        ("en", "[[Fatima Zahra El Idrissi]] came to the shelter last week."),
        ("en", "Her husband [[Abdelkader]] says she cannot go out."),
        ("fr", "La mère, [[Khadija Benali]], craint pour ses filles."),
        ("fr", "Son mari [[Mourad]] contrôle son téléphone."),
        ("en", "the client [[Yasmina]] is 28 and pregnant"),
        ("en", "[[Mohammed Al-Harbi]] refused to sign."),
        ("fr", "[[Nour El Houda]] a quitté le domicile."),
        ("en", "Her brother [[Hicham]] threatens her."),
    ],
    "sudanese_somali": [
        ("en", "Her husband [[Deng Garang]] took the children's papers."),
        ("en", "The mother, [[Nyakim]], has four kids."),
        ("en", "[[Achol Mabior]] said she wants to leave."),
        ("en", "Her partner [[Abdirahman Warsame]] works in Alberta."),
        ("en", "The client [[Hodan]] is 32."),
        ("fr", "La mère, [[Ayaan Farah]], a peur."),
        ("en", "[[Ladu]] told the teacher about the hitting."),
        ("en", "Her uncle [[Mayen Kuol]] is pressuring her."),
        ("fr", "Son conjoint [[Guled]] la menace."),
        ("en", "[[Nyaluak Gatluak]] asked about custody."),
    ],
    "particles": [
        ("en", "[[Joost van den Heuvel]] is the father."),
        ("en", "The mother, [[Anke de Vries]], works at a bank."),
        ("fr", "Le père, [[Klaus von Berg]], refuse la médiation."),
        ("en", "Her ex [[Pieter van der Berg]] calls daily."),
    ],
    "irish": [
        ("en", "[[Siobhan O'Sullivan]] is the neighbour who called."),
        ("en", "Her ex, [[Declan O’Rourke]], has a gun licence."),
        ("en", "the dad, [[o'brien]], missed the hearing"),
        ("en", "[[Niamh]] told us he choked her."),
        ("en", "The caseworker [[Aoife Ní Bhriain]] is off sick."),
        ("fr", "Le père, [[Seán Ó Briain]], est violent."),
    ],
    "handles": [
        ("en", "his snap is [[kev_rdl_99]] and he messages her all night"),
        ("en", "she found him on insta as [[big.mike.204]]"),
        ("en", "his tiktok [[dadbod_rage]] has videos of the kids"),
        ("en", "discord [[xXdarklordXx#4421]] keeps messaging her daughter"),
        ("en", "he posts on reddit as [[u/throwaway_dad88]]"),
        ("fr", "son snap c'est [[jess.lvsq]] et il la harcèle"),
        ("fr", "il l'écrit sur insta : [[mat_tremb_22]]"),
        ("en", "his gamertag is [[NightWolf_77]]"),
    ],
    "addresses": [
        ("en", "she lives at [[88 portage ave]] with her mom"),
        ("fr", "elle habite au [[310 rue sherbrooke ouest app 7]]"),
        ("fr", "l'adresse est [[2-905 boul. des forges]]"),
        ("en", "they moved to [[1420 main st]] last month"),
        ("en", "he's at [[unit 4, 55 elm crescent]]"),
        ("fr", "chez sa mère au [[45 chemin du lac-vert]]"),
        ("en", "address: [[12 Baker Rd, Apt 3]]"),
        ("fr", "au [[1200, rue de la Visitation]]"),
        ("en", "[[221 kingsway]] is where he stays"),
        ("fr", "elle loge au [[5-77 av. papineau]]"),
    ],
    "rural": [
        ("fr", "ils habitent sur le [[rang 4 nord]], très isolé"),
        ("en", "the farm is on [[RR 3]] outside town"),
        ("fr", "la maison du [[lieu-dit Les Granges]]"),
        ("fr", "elle vit au [[Bât. C, résidence Les Tilleuls]]"),
        ("en", "they rent at [[Site 5, Box 12, RR 2]]"),
        ("fr", "au [[125, rang Saint-Joseph]]"),
        ("en", "he lives at [[Concession 6]] near the quarry"),
    ],
    "postal": [
        ("en", "zip is [[90210]], she doesn't want it shared"),
        ("en", "they moved to [[48201]] last year"),
        ("fr", "code postal [[69003]]"),
        ("fr", "elle habite dans le [[75018]], près du métro"),
        ("fr", "ils sont dans le [[13]] depuis l'été"),
        ("en", "his postal code is [[h2x 1y4]]"),
        ("en", "near [[K1A0B1]] i think"),
    ],
    "places": [
        ("fr", "elle vit dans [[petite-patrie]] depuis deux ans"),
        ("en", "they live in the [[west end]] near the park"),
        ("en", "she's from [[NDG]] originally"),
        ("en", "he hangs out at [[jane & finch]] most nights"),
        ("en", "the family is from [[Kahnawake]]"),
        ("en", "she went back to [[Eskasoni]] to her aunt"),
        ("en", "they're on the [[Six Nations]] reserve"),
        ("en", "she moved to [[Mount Pearl]] for work"),
        ("en", "they rent a place in [[paradise]] now"),
        ("fr", "elle est retournée à [[Wendake]] chez sa mère"),
        ("fr", "ils habitent à [[Mashteuiatsh]]"),
        ("fr", "il traîne dans [[hochelag]] le soir"),
        ("en", "we're in [[kits]], near the beach"),
        ("fr", "la famille vit à [[st-lin]] depuis 2019"),
        ("en", "she grew up in [[Attawapiskat]]"),
        ("en", "corner of [[bathurst and eglinton]]"),
        ("fr", "au coin [[st-denis/mont-royal]]"),
        ("en", "they moved out to [[Fort Qu'Appelle]]"),
    ],
    "orgs": [
        ("fr", "elle est hébergée à la [[maison L'Escale]]"),
        ("fr", "suivie au [[CMP Les Oliviers]] depuis mai"),
        ("fr", "le [[poste de quartier 21]] a pris la plainte"),
        ("en", "she goes to [[New Hope Tabernacle]] on sundays"),
        ("en", "he's doing time at [[Millhaven]]"),
        ("en", "she's a student at [[Dalhousie]]"),
        ("en", "the boy attends [[Lord Byng Secondary]]"),
        ("fr", "elle étudie à l'[[UQAM]]"),
        ("en", "they go to [[St. Brigid's]] parish"),
        ("fr", "les enfants vont à l'[[école Saint-Arsène]]"),
        ("en", "he was held at [[Central East Correctional Centre]]"),
        ("en", "she's enrolled at [[Mohawk College]]"),
        ("fr", "elle fréquente le [[cégep de Rimouski]]"),
        ("fr", "la [[Maison d'Hébergement Le Prélude]] est pleine"),
        ("en", "referral from [[Harbour Light Mission]]"),
    ],
    "keep": [
        ("en", "{{the pain will pass}}, she keeps telling herself"),
        ("en", "{{her mood rose}} after the call"),
        ("fr", "{{mon chum}} dit que {{c'est juste}} une passe"),
        ("en", "{{call 911}} if he shows up"),
        ("fr", "elle peut appeler {{le 119}} ou {{le 911}}"),
        ("fr", "selon {{la loi du 9 juillet 2010}}"),
        ("en", "she lives in {{Ontario}}, near {{Toronto}}"),
        ("fr", "une famille de {{Montréal}} suivie par la {{DPJ}}"),
        ("en", "{{coercive control}} and {{strangulation}} reported"),
        ("en", "{{Bill C-75}} changed bail rules"),
        ("en", "she was {{sick}} and {{tired}} of it all"),
        ("en", "{{grace}} period for rent ends soon"),
        ("fr", "il a {{frappé}} la {{porte}}"),
        ("en", "the {{west}} side of the house"),
        ("fr", "le {{rang}} de la fratrie"),
        ("en", "section {{810}} peace bond"),
        ("fr", "l'article {{810}} du Code criminel"),
        ("en", "she has {{3}} kids under {{5}}"),
        ("en", "he got {{18 months}}"),
        ("fr", "à {{13 ans}} elle est partie"),
        ("en", "{{will}} he get custody?"),
        ("en", "the {{snap}} decision to leave"),
        ("en", "{{Ontario Works}} and {{ODSP}}"),
        ("fr", "{{Info-Social 811}} et {{SOS violence conjugale}}"),
        ("en", "{{Section 8}} housing"),
        ("fr", "le {{CLSC}} et le {{CIUSSS}}"),
        ("en", "{{Child Protective Services}} opened a file"),
        ("en", "{{mark}} the date on the calendar"),
        ("en", "{{sunny}} days help"),
        ("fr", "{{le rang}} et {{la route}} sont fermés l'hiver"),
        ("en", "a {{school}} and a {{shelter}} in the area"),
        ("fr", "{{code postal}} inconnu"),
        ("en", "{{my client}} {{is}} {{scared}}"),
    ],
}

_MARK = re.compile(r"\[\[(.+?)\]\]|\{\{(.+?)\}\}")


def parse(marked: str) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    text, idents, keeps, pos = "", [], [], 0
    for m in _MARK.finditer(marked):
        text += marked[pos:m.start()]
        piece = m.group(1) or m.group(2)
        (idents if m.group(1) else keeps).append((len(text), len(text) + len(piece)))
        text += piece
        pos = m.end()
    return text + marked[pos:], idents, keeps


Probes = dict[str, list[tuple[str, str]]]


def run(probes: Probes = PROBES) -> dict[str, tuple[int, int, int, int, list[str]]]:
    out = {}
    for cls, rows in probes.items():
        hit = total = kept = nkeep = 0
        notes = []
        for lang, marked in rows:
            text, idents, keeps = parse(marked)
            res = scrub(text, lang)
            spans = [(r.start, r.end) for r in res.replacements]
            for a, b in idents:
                total += 1
                ok = all(text[i].isspace() or any(s <= i < e for s, e in spans) for i in range(a, b))
                hit += ok
                if not ok:
                    notes.append(f"MISS {text[a:b]!r}: {res.text}")
            for a, b in keeps:
                nkeep += 1
                ok = not any(s < b and a < e for s, e in spans)
                kept += ok
                if not ok:
                    notes.append(f"LOST {text[a:b]!r}: {res.text}")
            for r in res.replacements:
                if not any(s < r.end and r.start < e for s, e in idents):
                    notes.append(f"OVER {r.original!r} ({r.kind}): {res.text}")
        out[cls] = (hit, total, kept, nkeep, notes)
    return out


def main(probes: Probes = PROBES) -> int:
    """Recall and keep per class, then every miss; the later rounds' probe files pass theirs."""
    res = run(probes)
    for cls, (hit, total, kept, nkeep, _) in res.items():
        print(f"{cls:<16} recall {hit}/{total}  keep {kept}/{nkeep}")
    for cls, (*_, notes) in res.items():
        for n in notes:
            print(f"[{cls}] {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
