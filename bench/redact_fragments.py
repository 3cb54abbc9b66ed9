"""Dev-only: the hand-written fragments and value pools behind bench/make_redact_eval.py.

Every person, number and place here is fictional; phone numbers use the reserved fictional ranges
(555-01xx, Ofcom drama numbers, ACMA 04 12 345 678 style) where those exist.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# ----------------------------------------------------------------------------- value pools


def _d(rng: random.Random, a: int, b: int) -> int:
    return rng.randint(a, b)


MONTHS_EN = "January February March April May June July August September October November December".split()
MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


@dataclass(frozen=True)
class Pools:
    word_names_f: list[str]
    word_names_m: list[str]
    diverse_f: list[str]
    diverse_m: list[str]
    surnames: list[str]
    hyphen_surnames: list[str]
    initials: list[str]
    phones: dict
    urls: list
    addresses: dict
    postals: list
    dates: dict
    ids: list
    plates: list
    orgs: dict
    schools: dict
    towns: list[str]
    hoods: list[str]


def pools() -> Pools:
    return Pools(
        word_names_f=["Hope", "Grace", "Faith", "Joy", "Dawn", "Rose", "Summer", "Constance", "Victoire", "Claire",
                      "Blanche", "Aimée", "Ruby", "Holly", "Iris", "Pearl", "Marie-Ève", "Marie-Soleil", "Ève",
                      "Océane", "Héloïse", "Chanel", "Destiny", "Patience", "Mercy", "Precious", "Autumn"],
        word_names_m=["Will", "Mark", "Bill", "Pierre", "Guy", "Frank", "Rich", "Jean-François", "Jean-Sébastien",
                      "Marc-André", "Rusty", "Chase", "Hunter", "Miles", "Victor", "Dominique", "René", "Aimé",
                      "Désiré", "Ange", "Innocent", "Parfait", "Modeste", "Prosper"],
        diverse_f=["Fatoumata", "Oluwaseun", "Nguyen Thi Lan", "Harpreet", "Wapun", "Aïcha", "Mirlande", "Yetunde",
                   "Ngozi", "Shirin", "Parisa", "Zahra", "Soo-ah", "Xiomara", "Anuradha", "Ketsia", "Tsering",
                   "Ayasha", "Kiona", "Siqiniq", "Malalai", "Hadiza", "Nokuthula", "Thandiwe", "Eyerusalem"],
        diverse_m=["Kwabena", "Mamadou", "Oumar", "Jaskaran", "Tenzin", "Wilner", "Djibril", "Abdirahman", "Thanh",
                   "Jun-seo", "Chidi", "Yaw", "Nnamdi", "Kamau", "Tshiuetin", "Ashkii", "Rahim", "Faraz", "Gurdeep",
                   "Ruslan", "Mykola", "Eliécer", "Yoandri", "Bao", "Sokha"],
        surnames=["Tremblay", "Gagnon", "Côté", "Bouchard", "Lévesque", "Pelletier", "Bélanger", "Ouellet", "Diallo",
                  "Nguyen", "Okafor", "Singh", "Haddad", "Jean-Baptiste", "Saint-Fleur", "Wapachee", "Kanatewat",
                  "Mukendi", "Ramírez", "O'Sullivan", "MacIsaac", "Bérubé", "Thériault", "Desrosiers", "Hogue",
                  "Labrecque", "Mbeki", "Achterberg", "Kowalczyk", "Papadopoulos", "Nakamura", "Sandhu"],
        hyphen_surnames=["Côté-Lévesque", "Roy-Gagnon", "Tremblay-Diallo", "Bouchard-Saint-Pierre", "Leblanc-Okafor",
                         "Martin-Pelletier", "Dubois-Nguyen", "Smith-Jones", "Hughes-Whitfield"],
        initials=["J.", "M.T.", "J-F", "S.", "A.-M.", "K.", "R. L.", "P.-O.", "E.", "D.B."],
        phones={
            "en": [
                lambda r, f: f"({_d(r, 204, 905)}) 555-01{_d(r, 10, 99)}",
                lambda r, f: f"({_d(r, 204, 905)}) 555-01{_d(r, 10, 99)} ext. {_d(r, 1, 999)}",
                lambda r, f: f"{_d(r, 204, 905)}-555-01{_d(r, 10, 99)}",
                lambda r, f: f"+1 {_d(r, 204, 905)} 555 01{_d(r, 10, 99)}",
                lambda r, f: f"+44 20 7946 0{_d(r, 100, 999)}",
                lambda r, f: f"07700 900{_d(r, 100, 999)}",
                lambda r, f: f"04{_d(r, 10, 99)} {_d(r, 100, 999)} {_d(r, 100, 999)}",
                lambda r, f: f"(02) 5550 {_d(r, 1000, 9999)}",
                lambda r, f: f"{_d(r, 204, 905)}.555.01{_d(r, 10, 99)} x{_d(r, 10, 99)}",
                lambda r, f: f.phone_number(),
            ],
            "fr": [
                lambda r, f: f"514 555-01{_d(r, 10, 99)}",
                lambda r, f: f"514 555-01{_d(r, 10, 99)} poste {_d(r, 1, 999)}",
                lambda r, f: f"(819) 555-01{_d(r, 10, 99)}",
                lambda r, f: f"418-555-01{_d(r, 10, 99)}, poste {_d(r, 10, 99)}",
                lambda r, f: f"06 {_d(r, 10, 99)} {_d(r, 10, 99)} {_d(r, 10, 99)} {_d(r, 10, 99)}",
                lambda r, f: f"+33 6 {_d(r, 10, 99)} {_d(r, 10, 99)} {_d(r, 10, 99)} {_d(r, 10, 99)}",
                lambda r, f: f"450.555.01{_d(r, 10, 99)}",
                lambda r, f: f"1 800 555-01{_d(r, 10, 99)}",
                lambda r, f: f.phone_number(),
            ],
        },
        urls=[
            lambda r, f: f.url(),
            lambda r, f: f"www.{f.domain_word()}.ca",
            lambda r, f: f"https://www.facebook.com/{f.user_name()}",
            lambda r, f: f"{f.domain_word()}.org/aide",
            lambda r, f: f"gofundme.com/f/{f.user_name()}",
        ],
        addresses={
            "en": [
                lambda r, f: f"{_d(r, 2, 9999)} {r.choice(['Maple', 'Oak', 'Birch', 'Kingston', 'Wellington', 'Victoria', 'Lakeshore', 'Portage'])} {r.choice(['Ave', 'Avenue', 'St', 'Street', 'Rd', 'Road', 'Crescent', 'Drive', 'Blvd'])}",
                lambda r, f: f"{_d(r, 2, 999)} {r.choice(['Maple', 'Elm', 'Cedar', 'Churchill', 'Park'])} {r.choice(['Ave', 'St', 'Dr'])} Apt {_d(r, 1, 40)}",
                lambda r, f: f"Unit {_d(r, 1, 20)}/{_d(r, 2, 99)} {r.choice(['Smith', 'Bridge', 'George', 'Beach'])} {r.choice(['St', 'Rd', 'Pde', 'Tce'])}",
                lambda r, f: f"Flat {_d(r, 1, 9)}, {_d(r, 2, 199)} {r.choice(['Church', 'Station', 'Mill'])} Lane",
                lambda r, f: f"{_d(r, 2, 999)} {f.last_name()} Street",
                lambda r, f: f.street_address(),
            ],
            "fr": [
                lambda r, f: f"{_d(r, 2, 9999)} rue {r.choice(['Saint-Denis', 'Sainte-Catherine', 'Principale', 'des Érables', 'de la Montagne', 'Jarry', 'Bélanger', 'Notre-Dame'])}",
                lambda r, f: f"{_d(r, 2, 999)}, boulevard {r.choice(['des Laurentides', 'Saint-Laurent', 'Pie-IX', 'René-Lévesque', 'Taschereau'])}",
                lambda r, f: f"{_d(r, 2, 999)}, {r.choice(['avenue', 'chemin', 'rang', 'montée'])} {r.choice(['du Parc', 'Sainte-Croix', 'Saint-Charles', 'des Pins', 'Lapointe'])}, app. {_d(r, 1, 30)}",
                lambda r, f: f"{_d(r, 2, 9999)} {r.choice(['rue', 'avenue'])} {f.last_name()}",
                lambda r, f: f.street_address() if f.locales[0] == "fr_CA" else f"{_d(r, 2, 999)} rue {f.last_name()}",
            ],
        },
        postals=[
            lambda r, fk: fk["en_CA"].postalcode(),
            lambda r, fk: fk["fr_CA"].postalcode().lower() if r.random() < 0.2 else fk["fr_CA"].postalcode(),
            lambda r, fk: f"{fk['en_AU'].state_abbr()} {fk['en_AU'].postcode()}",
            lambda r, fk: fk["en_GB"].postcode(),
            lambda r, fk: f"{fk['en_US'].zipcode()}-{r.randint(1000, 9999)}",
        ],
        dates={
            "en": [
                lambda r: f"{_d(r, 2019, 2025)}-{_d(r, 1, 12):02d}-{_d(r, 1, 28):02d}",
                lambda r: f"{_d(r, 1, 28):02d}/{_d(r, 1, 12):02d}/{_d(r, 2015, 2025)}",
                lambda r: f"{r.choice(MONTHS_EN)} {_d(r, 1, 28)}",
                lambda r: f"{r.choice(MONTHS_EN)} {_d(r, 1, 28)}, {_d(r, 2010, 2025)}",
                lambda r: f"{_d(r, 1, 28)} {r.choice(MONTHS_EN)} {_d(r, 2010, 2025)}",
                lambda r: f"the {r.choice(['4th', '21st', '2nd', '13th'])} of {r.choice(MONTHS_EN)}",
                lambda r: f"{r.choice(MONTHS_EN)[:3]}. {_d(r, 1, 28)}",
            ],
            "fr": [
                lambda r: f"{_d(r, 1, 28)} {r.choice(MONTHS_FR)}",
                lambda r: f"{_d(r, 1, 28)} {r.choice(MONTHS_FR)} {_d(r, 2010, 2025)}",
                lambda r: f"1er {r.choice(MONTHS_FR)}",
                lambda r: f"{_d(r, 1, 28):02d}/{_d(r, 1, 12):02d}/{_d(r, 2015, 2025)}",
                lambda r: f"{_d(r, 2019, 2025)}-{_d(r, 1, 12):02d}-{_d(r, 1, 28):02d}",
                lambda r: f"{_d(r, 1, 28)}-{_d(r, 1, 12):02d}-{_d(r, 2015, 2025)}",
            ],
        },
        ids=[
            lambda r: f"{''.join(r.choice('ABCDEFGHLMPRST') for _ in range(4))} {_d(r, 4000, 9999)} {_d(r, 1000, 9999)}",
            lambda r: f"{_d(r, 1000, 9999)}-{_d(r, 100, 999)}-{_d(r, 100, 999)}-{r.choice(['AB', 'KM', 'XT'])}",
            lambda r: f"{_d(r, 2000, 6999)} {_d(r, 10000, 99999)} {_d(r, 1, 9)}",
            lambda r: f"{_d(r, 100, 999)} {_d(r, 100, 999)} {_d(r, 1000, 9999)}",
            lambda r: f"{_d(r, 100, 999)} {_d(r, 100, 999)} {_d(r, 100, 999)}",
            lambda r: f"{_d(r, 100, 899)}-{_d(r, 10, 99)}-{_d(r, 1000, 9999)}",
            lambda r: f"{r.choice(['500', '200', '450', '700'])}-{r.choice(['04', '12', '41'])}-0{_d(r, 10000, 99999)}-{_d(r, 180, 259)}",
            lambda r: f"{_d(r, 2018, 2025)}-{_d(r, 1000, 99999)}",
            lambda r: f"QC-{_d(r, 2018, 2025)}-{_d(r, 1000, 9999)}",
            lambda r: f"#{_d(r, 100000, 999999)}",
        ],
        plates=[
            lambda r: f"{''.join(r.choice('ABCDEFGHJKLMNPRSTVWXYZ') for _ in range(3))} {_d(r, 100, 999)}",
            lambda r: f"{r.choice('ABCDEFGHJKL')}{_d(r, 10, 99)} {''.join(r.choice('ABCDEFGHJKLMNPRSTVWXYZ') for _ in range(3))}",
            lambda r: f"{_d(r, 100, 999)} {''.join(r.choice('ABCDEFGHJKLMNPRSTVWXYZ') for _ in range(3))}",
        ],
        orgs={
            "en": [
                lambda r, f: f"{r.choice(['Horizon', 'Harbour', 'Northern Lights', 'Willow', 'Evergreen', 'Beacon', 'Cedar Grove'])} {r.choice(['House', 'Shelter', 'Place', 'Centre'])}",
                lambda r, f: f"{f.last_name()} House",
                lambda r, f: f"CLSC {r.choice(['Ahuntsic', 'Rosemont', 'Verdun', 'Saint-Michel', 'de la Petite-Patrie'])}",
                lambda r, f: f"{f.city()} Women's Centre",
                lambda r, f: f"{r.choice(['Maison', 'Pavillon'])} {r.choice(['Marie-Rollet', 'Hélène-Lacroix', 'Le Prélude', 'Flora-Tristan', 'Bonnes-Mères'])}",
                lambda r, f: f"Hope Haven",
            ],
            "fr": [
                lambda r, f: f"{r.choice(['Maison', 'Pavillon', 'Auberge'])} {r.choice(['Marie-Rollet', 'Hélène-Lacroix', 'Le Prélude', 'Flora-Tristan', 'Simonne-Monet', 'La Traverse', 'Kinsman'])}",
                lambda r, f: f"CLSC {r.choice(['Ahuntsic', 'de Rosemont', 'Verdun', 'Saint-Michel', 'des Faubourgs', 'de Chibougamau'])}",
                lambda r, f: f"CIUSSS du {r.choice(['Nord-de-l’Île-de-Montréal', 'Saguenay', 'Centre-Sud'])}",
                lambda r, f: f"Centre {r.choice(['Dollard-Cormier', 'Le Portage', 'Jean-Patrice-Chiasson'])}",
                lambda r, f: f"Maison {f.last_name()}",
            ],
        },
        schools={
            "en": [
                lambda r, f: f"St. {r.choice(['Mary', 'Patrick', 'Bernadette', 'Joseph'])}'s Elementary",
                lambda r, f: f"{f.last_name()} Public School",
                lambda r, f: f"{r.choice(['Westwood', 'Riverside', 'Glenbrook', 'Lakeview'])} High School",
                lambda r, f: f"{f.last_name()} Academy",
            ],
            "fr": [
                lambda r, f: f"École {r.choice(['Sainte-Anne', 'Saint-Jean-Baptiste', 'des Explorateurs', 'Marguerite-Bourgeoys', 'du Boisé'])}",
                lambda r, f: f"École secondaire {r.choice(['Jean-Jacques-Bertrand', 'Pierre-Laporte', 'Louis-Riel', 'des Sources'])}",
                lambda r, f: f"Polyvalente {r.choice(['Hyacinthe-Delorme', 'de la Forêt', 'Le Carrefour'])}",
                lambda r, f: f"CPE {r.choice(['Les Petits Pas', 'La Ribambelle', 'Bout de Chou'])}",
            ],
        },
        towns=["Gander", "Chibougamau", "Saint-Lin–Laurentides", "Kuujjuaq", "Mistissini", "Val-d'Or", "Amqui",
               "Sioux Lookout", "Happy Valley-Goose Bay", "Moosonee", "La Tuque", "Matane", "Dolbeau-Mistassini",
               "Wemindji", "Rimouski", "Thetford Mines", "Notre-Dame-du-Laus", "Saint-Zénon", "Lac-Mégantic",
               "Tofino", "Flin Flon", "Wawa", "Kapuskasing", "Dryden", "Baie-Johan-Beetz", "Port-Cartier",
               "Broken Hill", "Bourke", "Whyalla", "Kendal", "Penrith", "Sainte-Anne-des-Monts"],
        hoods=["Rosemont", "Hochelaga", "Ahuntsic", "Villeray", "Parc-Extension", "Montréal-Nord", "Saint-Henri",
               "Limoilou", "Vanier", "Jane and Finch", "Regent Park", "Côte-des-Neiges", "Pointe-Saint-Charles",
               "Verdun", "Saint-Sauveur", "Fleurimont", "Chomedey", "Petite-Bourgogne"],
    )


# ----------------------------------------------------------------------------- fragments


@dataclass(frozen=True)
class Fragments:
    situation: dict
    problems: dict
    details: dict
    services: dict
    safety: dict
    question: dict


def tuning() -> Fragments:
    return Fragments(
        situation={
            "en": [
                "I'm consulting about [[the mother]], {M} {MS}, [[34]], and her two children, {C} ([[a 6-year-old]]) and {C2} ([[9]]).",
                "Family: [[the mother]] {M}, [[her ex-partner]] {P} {PS}, and [[a toddler]] named {C}.",
                "This is about a woman ({M}, [[age 41]]) living with her partner {P} and [[their three children]].",
                "Situation: {Mlow} {MS} is [[a 28-year-old mother]]; her boyfriend {Plow} {PSlow} moved back in last month.",
                "My client {M} (not her real name would be better, sorry) has [[a 3-year-old daughter]], {C}.",
                "Hi all, I work with [[a family]] where [[the father]], {P}, has [[recently separated]] from {M}.",
                "Context: [[the mother]] is [[in her 30s]], {C} is [[12]] and [[in grade 7]]. Her partner is {P} {PS}.",
                "{M} {MS} came to see me with her son {C}, [[aged 8]], after a night at the hospital.",
            ],
            "fr": [
                "Je consulte pour [[la mère]], {M} {MS}, [[âgée de 34 ans]], et ses deux enfants, {C} ([[6 ans]]) et {C2} ([[9 ans]]).",
                "Famille : [[la mère]] {M}, [[l'ex-conjoint]] {P} {PS} et [[un bambin de 2 ans]] prénommé {C}.",
                "Il s'agit d'une femme ({M}, [[41 ans]]) qui vit avec son conjoint {P} et [[leurs trois enfants]].",
                "Situation : {Mlow} {MS} est [[une mère de 28 ans]]; son chum {Plow} {PSlow} est revenu vivre avec elle le mois dernier.",
                "Ma cliente {M} a [[une fille de 3 ans]], {C}, et [[un bébé]].",
                "Bonjour, j'accompagne [[une famille]] où [[le père]], {P}, s'est [[séparé récemment]] de {M}.",
                "Contexte : [[la mère]] est [[dans la trentaine]], {C} a [[12 ans]] et est [[en 6e année]]. Son conjoint s'appelle {P} {PS}.",
                "{M} {MS} est venue me voir avec son fils {C}, [[8 ans]], après une nuit à l'urgence.",
            ],
        },
        problems={
            "en": [
                "There is [[IPV]] with [[coercive control]] and [[substance use]] (alcohol, [[cocaine]]) on his side.",
                "She has [[PTSD]] and [[bipolar disorder]]; he has a history of [[strangulation]].",
                "Co-occurring problems: [[IPV]], [[child maltreatment]], [[mental health problems]] and [[addiction]].",
                "{P} has [[depression]] and drinks heavily; there is [[financial abuse]] and [[isolation]].",
                "The kids witnessed [[physical violence]]; {C} shows [[anxiety]] and [[bedwetting]].",
            ],
            "fr": [
                "Il y a de la [[violence conjugale]], du [[contrôle coercitif]] et de la [[consommation]] (alcool, [[cocaïne]]) chez lui.",
                "Elle vit avec un [[TSPT]] et un [[trouble bipolaire]]; il a déjà fait une [[tentative de strangulation]].",
                "Problématiques concomitantes : [[violence conjugale]], [[maltraitance]], [[santé mentale]] et [[dépendance]].",
                "{P} a une [[dépression]] et boit beaucoup; il y a de la [[violence économique]] et de l'[[isolement]].",
                "Les enfants ont été [[exposés à la violence]]; {C} présente de l'[[anxiété]] et de l'[[énurésie]].",
            ],
        },
        details={
            "en": [
                "{M} said {P} texted her 40 times from {phone}.",
                "She can be reached at {phone} or {email}, but he may read her messages.",
                "He posts about her on Instagram as {handle}.",
                "She has been staying at {org} since {date}.",
                "They lived at {address}, {town} {postal}, until the move.",
                "{C} attends {school} and the principal, Mrs {O}, called me.",
                "His court file is {id} and the hearing is on {date2}.",
                "Her health card number ({id2}) was taken by {Plow}.",
                "He drives a grey pickup, plate {plate}.",
                "My colleague {W} at the shelter knows the family.",
                "The worker from [[Youth Protection]], {WF} {WL}, opened a file last week.",
                "{P}'s mother lives in {town} and babysits {C} on weekends.",
                "They moved from {hood} to {town} after {M}'s eviction.",
                "Sgt {WL} from the police told {M} to get a [[peace bond]].",
                "{I} (the grandmother) is the only safe adult for the kids.",
                "{M} and {P} share [[custody]]; [[custody exchanges]] happen at a Tim Hortons.",
                "{P} also sends messages through {url}.",
                "Dr {O} at the clinic prescribed [[Suboxone]] to {Plow}.",
                "{C} told her teacher that daddy hurt {Mlow}.",
                "When I spoke to {M} on {date}, she said {P} had a gun at home.",
                "His probation officer, {WF}, can be reached at {phone2}.",
                "{M}'s sister {C2} offered to host them.",
            ],
            "fr": [
                "{M} m'a dit que {P} lui a envoyé 40 textos du {phone}.",
                "On peut la joindre au {phone} ou à {email}, mais il lit peut-être ses messages.",
                "Il publie des choses sur elle sur Instagram sous le nom {handle}.",
                "Elle est hébergée à la {org} depuis le {date}.",
                "Ils habitaient au {address}, à {town}, {postal}, jusqu'au déménagement.",
                "{C} fréquente l'{school} et la directrice, Mme {O}, m'a appelée.",
                "Son dossier à la cour porte le numéro {id} et l'audience est le {date2}.",
                "Son numéro d'assurance maladie ({id2}) a été pris par {Plow}.",
                "Il conduit une camionnette grise, plaque {plate}.",
                "Ma collègue {W} à la maison d'hébergement connaît la famille.",
                "L'intervenante de la [[DPJ]], {WF} {WL}, a ouvert un dossier la semaine dernière.",
                "La mère de {P} habite à {town} et garde {C} les fins de semaine.",
                "Ils ont déménagé de {hood} à {town} après l'éviction de {M}.",
                "Le sergent {WL} de la police a parlé d'un [[810]] à {M}.",
                "{I} (la grand-mère) est la seule adulte sécuritaire pour les enfants.",
                "{M} et {P} ont la [[garde partagée]]; les [[échanges de garde]] se font au dépanneur.",
                "{P} envoie aussi des messages par {url}.",
                "La Dre {O} de la clinique a prescrit de la [[méthadone]] à {Plow}.",
                "{C} a dit à son enseignante que papa a fait mal à {Mlow}.",
                "Quand j'ai parlé à {M} le {date}, elle a dit que {P} avait une arme à la maison.",
                "Son agent de probation, {WF}, est joignable au {phone2}.",
                "La sœur de {M}, {C2}, a offert de les héberger.",
            ],
        },
        services={
            "en": [
                "Involved: [[child protection]], [[a women's shelter]], and [[the men's program]].",
                "Already involved: [[CPS]], [[a CLSC]] social worker and [[the police]].",
                "[[Youth Protection]] is involved under the [[Mental Health Act]] assessment too.",
                "She has a lawyer through [[legal aid]]; [[family court]] is involved.",
                "Services: [[addiction services]], [[mental health team]], [[the school]].",
            ],
            "fr": [
                "Impliqués : la [[DPJ]], [[une maison d'hébergement]] et [[un organisme pour conjoints]].",
                "Déjà impliqués : [[le CLSC]], [[la police]] et [[un centre de réadaptation en dépendance]].",
                "Un signalement a été fait en vertu de la [[Loi sur la protection de la jeunesse]].",
                "Elle a une avocate de l'[[aide juridique]]; la [[Cour supérieure]] est saisie.",
                "Services : [[santé mentale]], [[dépendance]], [[milieu scolaire]].",
            ],
        },
        safety={
            "en": [
                "Safety concern: [[a court date is coming up]] and he has [[access to weapons]].",
                "I'm worried because of the [[recent separation]] and his [[threats to kill]].",
                "The [[risk is escalating]]: [[strangulation]] twice this month and [[stalking]].",
                "My main worry is the [[custody exchange]] next Tuesday.",
            ],
            "fr": [
                "Enjeu de sécurité : [[une date de cour approche]] et il a [[accès à des armes]].",
                "Je suis inquiète à cause de la [[séparation récente]] et de ses [[menaces de mort]].",
                "Le [[risque augmente]] : deux [[étranglements]] ce mois-ci et du [[harcèlement]].",
                "Ma principale inquiétude est l'[[échange de garde]] de mardi prochain.",
            ],
        },
        question={
            "en": [
                "Question: how do we plan [[safety]] for the kids without alerting him? Expertise wanted: [[addiction]], [[CPS]].",
                "What would you do about [[information sharing]] here? I'd love input from [[the men's program]].",
                "How can we support her [[as a mother]] while [[CPS]] is involved?",
                "Has anyone dealt with [[immigration status]] issues in a case like this?",
            ],
            "fr": [
                "Question : comment planifier la [[sécurité]] des enfants sans l'alerter? Expertise souhaitée : [[dépendance]], [[DPJ]].",
                "Que feriez-vous pour le [[partage d'information]]? J'aimerais l'avis d'un [[organisme pour conjoints]].",
                "Comment la soutenir [[comme mère]] pendant l'intervention de la [[DPJ]]?",
                "Quelqu'un a-t-il déjà vécu une situation de [[précarité migratoire]] comme celle-ci?",
            ],
        },
    )


# ----------------------------------------------------------------------------- hand-written requests

_MARK = re.compile(r"<(\w+)\|(.+?)>|\[\[(.+?)\]\]")

HANDWRITTEN = {
    "en": [
        "Hi everyone. <name|Grace> (mom, [[29]]) and her son <name|Will> ([[4]]) are staying with her aunt in <place|Corner Brook>. "
        "<name|Grace> says her ex, <name|Darnell> <name|Whitcombe>, showed up at daycare twice. [[There is hope]]: she wants to "
        "file for [[custody]]. He's on Snapchat as <handle|dwhit_88>. Her number is <phone|709-555-0134>. Question: "
        "how do we keep the daycare in the loop without breaching [[confidentiality]]?",
        "Request from a [[men's program]] facilitator. Participant <name|mark> (lower case in my notes, sorry) <name|O'Hanlon> "
        "admits [[coercive control]] but minimizes. His partner <name|Faith> was seen at <organization|Northern Lights Shelter>. "
        "His [[PTSD]] from military service is untreated. Next [[court date]] is <date|June 3>. He lives at <address|18 Birchwood Crescent>, "
        "<postal|K7L 3N6>. Is it appropriate to tell [[CPS]] about the [[firearm]]?",
        "Case for consultation: <name|Hope> <name|Aleksandrova> ([[she/her]], [[36]]), newcomer from [[Ukraine]], "
        "[[precarious immigration status]]. Partner <name|Ruslan> controls her documents. Kids: <name|Sofiia> ([[7]]) "
        "and <name|Dmytro> ([[a 2-year-old]]). <name|Ruslan> told the interpreter she is 'crazy'. Born <date|12 March 2017> (oldest). "
        "We need advice on [[safety planning]] with [[language barriers]].",
        "Quick one: Dr. <name|Amara> <name|Obi> from the <organization|Riverside Family Health Team> referred <name|J.> to us. "
        "<name|J.> reports [[strangulation]] and [[threats with a knife]]; her partner <name|Kevin> is on [[bail conditions]]. "
        "<name|Kevin>'s file no. <id|2024-0871> at the courthouse. She lives near <place|Thunder Bay> and has no car. "
        "What [[risk assessment]] tools do you use for rural women?",
        "My colleague <name|Bernadette> <name|Nakamura> asked me to post this. [[The mother]], <name|Summer> <name|Redsky>, is "
        "[[Indigenous]] and wants services led by her community in <place|Sioux Lookout>. [[Child and Family Services]] "
        "have been involved since <date|2023-10-02>. <name|Summer>'s email is <email|summer.redsky@outlook.com>. "
        "How do we support [[cultural safety]] and [[decolonize]] our approach?",
    ],
    "fr": [
        "Bonjour à toutes. <name|Pierre> (le conjoint) a [[menacé]] <name|Rose> de partir avec les enfants au [[Liban]]. "
        "<name|Rose> <name|Haddad>, [[31 ans]], vit à <place|Saint-Léonard>. [[La DPJ]] n'est pas encore impliquée. "
        "Elle a peur depuis le <date|14 février>. Son cellulaire : <phone|514 555-0176>. Question : faut-il faire un "
        "[[signalement]] maintenant?",
        "Demande d'une intervenante du <organization|CLSC de Chibougamau>. Madame <name|Constance> <name|Bosum>, [[Crie]], "
        "[[47 ans]], [[consommation d'alcool]], [[violence conjugale]] depuis 20 ans. Son conjoint <name|victor> <name|petawabano> "
        "(sic, minuscules dans la note) l'a [[étranglée]] le <date|2 novembre 2024>. Son NAS <id|046 454 286> a été utilisé "
        "par lui. Comment travailler avec le [[conseil de bande]] sans briser la [[confidentialité]]?",
        "Consultation : [[la mère]], <name|Marie-Ève> <name|Côté-Lévesque>, [[27 ans]], [[trouble de personnalité limite]], "
        "[[deux enfants de 4 et 6 ans]]. Son ex, <name|J-F>, [[harcèlement]] sur Facebook (<url|facebook.com/jf.cote.lev>). "
        "Me <name|Gauthier> la représente. L'<organization|École Marguerite-Bourgeoys> a remarqué des [[ecchymoses]]. "
        "Que pensez-vous d'une [[rencontre de concertation]]?",
        "Je suis travailleuse sociale à <place|Rouyn-Noranda>. <name|Victoire> <name|Lapointe> ([[la grand-mère]]) a la "
        "garde de <name|Léo>, [[5 ans]]. Le père, <name|Steve> <name|Cloutier>, [[sort de prison]] le <date|1er avril>. "
        "Il a une [[arme]] chez son frère, <name|Dany>, au <address|412, rang 7>. Sa plaque : <id|K45 RTW>. "
        "Expertise souhaitée : [[services correctionnels]], [[DPJ]].",
        "<name|Aminata> <name|Diallo>, [[34 ans]], [[demandeuse d'asile]], hébergée à la <organization|Maison Flora-Tristan>. "
        "Son mari <name|Oumar> la cherche; il a appelé la maison depuis le <phone|+1 438 555 0191>. "
        "<name|Aminata> dit qu'il a des contacts à l'<organization|Église Saint-Jean-Bosco>. Ses enfants ([[3 ans]] et "
        "[[10 mois]]) ont un dossier <id|QC-2024-5521>. Comment assurer la [[sécurité]] sans compromettre sa [[demande d'asile]]?",
    ],
}


def handwritten(lang: str, prefix: str = "hand", texts: dict | None = None) -> list[dict]:
    rows = []
    for k, src in enumerate((texts or HANDWRITTEN)[lang]):
        out, ids, keep, pos, length = [], [], [], 0, 0
        for m in _MARK.finditer(src):
            lit = src[pos:m.start()]
            out.append(lit)
            length += len(lit)
            value = m.group(2) or m.group(3)
            if m.group(1):
                ids.append({"text": value, "kind": m.group(1), "start": length})
            else:
                keep.append({"text": value, "start": length})
            out.append(value)
            length += len(value)
            pos = m.end()
        out.append(src[pos:])
        rows.append({"id": f"{prefix}-{lang}-{k + 1:03d}", "lang": lang, "text": "".join(out), "identifiers": ids, "keep": keep})
    return rows
