"""Dev-only: held-out fragments, pools and hand-written requests, written after the scrubber was tuned
on bench/redact_fragments.py. They reuse no sentence and few values from the tuning set, so the
held-out score says how the scrubber does on wording it was not tuned on.
"""

from __future__ import annotations

import random
from dataclasses import replace

from bench import redact_fragments as base


def _d(rng: random.Random, a: int, b: int) -> int:
    return rng.randint(a, b)


def pools() -> base.Pools:
    p = base.pools()
    return replace(
        p,
        word_names_f=["Faith", "Joy", "Dawn", "Grace", "Ivy", "Honey", "Sky", "Mercedes", "Candy", "Precious", "Violette",
                      "Clémence", "Fleur", "Océane", "Marine", "Belle", "Prudence", "Liberty", "Sunny", "April"],
        word_names_m=["Bill", "Mark", "Will", "Guy", "Lance", "Chance", "Grant", "Royal", "Noble", "Fidèle",
                      "Espoir", "Constant", "Clément", "Sylvain", "Jean-Marie", "Pierre-Yves", "Baptiste", "Hunter"],
        diverse_f=["Nkechi", "Amal", "Suvi", "Tayanita", "Noor", "Bich Ngoc", "Mei-Ling", "Rukhsana", "Oyelola",
                   "Aponi", "Tahmina", "Guerline", "Adjoa", "Yesenia", "Hyun-jung", "Kalinda", "Shilpa"],
        diverse_m=["Babatunde", "Oksana", "Wahid", "Nanook", "Kunal", "Quoc", "Jean-Wilfrid", "Thandeka", "Ikenna",
                   "Dorje", "Eyota", "Samson", "Mwangi", "Hakim", "Ezequiel", "Taro", "Vusi"],
        surnames=["Lachapelle", "Akinyemi", "Tsosie", "Vuong", "Kerouac", "Beauchesne", "Qureshi", "Etienne",
                  "Makwa", "Fontaine-Lussier", "Bergeron", "Obasanjo", "Kaur", "Delacroix", "Abernathy", "Zielinski"],
        towns=["Fermont", "Schefferville", "Nain", "Baie-Comeau", "Témiscaming", "Saint-Ours", "Ferme-Neuve",
               "Mont-Joli", "Yellowknife", "Hay River", "Gjoa Haven", "Smithers", "Lac La Biche", "Attawapiskat",
               "Moose Factory", "Twillingate", "Cheticamp", "Pictou", "Inuvik", "Kirkland Lake", "Longreach",
               "Tennant Creek", "Stornoway", "Oban"],
        hoods=["Saint-Roch", "Vieux-Limoilou", "Little Burgundy", "Mercier-Est", "Lebreton Flats", "Downtown Eastside",
               "Kensington Market", "Bridgeland", "Saint-Sauveur", "Sainte-Marie", "Rivière-des-Prairies"],
    )


def fragments() -> base.Fragments:
    return base.Fragments(
        situation={
            "en": [
                "Looking for input on a case: {M} {MS}, [[mother of three]], [[early 40s]]; youngest is {C}, [[18 months]].",
                "I'm a [[child protection]] worker. The parents are {M} and {P} {PS}; their son {C} is [[11]].",
                "New consult. {P} {PS} ([[52]]) is in our [[men's group]]; his [[ex-wife]] {M} has a [[restraining order]].",
                "I've been seeing {Mlow} for about [[two months]]; she has [[a newborn]] and [[a 5-year-old]] named {C}.",
                "A [[grandmother]], {M} {MS}, is raising {C} ([[14]]) because [[the mother]] is in [[residential treatment]].",
                "Background: {M} (she asked that I not share her last name) left {P} [[three weeks ago]].",
            ],
            "fr": [
                "Je cherche des idées pour une situation : {M} {MS}, [[mère de trois enfants]], [[début quarantaine]]; le plus jeune, {C}, a [[18 mois]].",
                "Je travaille en [[protection de la jeunesse]]. Les parents sont {M} et {P} {PS}; leur fils {C} a [[11 ans]].",
                "Nouvelle consultation. {P} {PS} ([[52 ans]]) participe à notre [[groupe pour hommes]]; son [[ex-épouse]] {M} a une [[ordonnance de protection]].",
                "Je suis {Mlow} depuis [[deux mois]]; elle a [[un nouveau-né]] et [[une fillette de 5 ans]] prénommée {C}.",
                "Une [[grand-mère]], {M} {MS}, s'occupe de {C} ([[14 ans]]) parce que [[la mère]] est en [[thérapie fermée]].",
                "Mise en contexte : {M} a quitté {P} il y a [[trois semaines]].",
            ],
        },
        problems={
            "en": [
                "He uses [[methamphetamine]] and has [[paranoid thoughts]]; she has [[postpartum depression]].",
                "[[Intimate partner violence]] plus [[neglect]]; the oldest has [[ADHD]] and [[self-harm]].",
                "There's [[gambling]], [[debt]], and [[reproductive coercion]] in the history.",
                "{Mlow} drinks to cope; {P} has [[borderline traits]] and a history of [[assault]].",
            ],
            "fr": [
                "Il consomme des [[méthamphétamines]] et a des [[idées paranoïdes]]; elle vit une [[dépression post-partum]].",
                "[[Violence conjugale]] et [[négligence]]; l'aîné a un [[TDAH]] et de l'[[automutilation]].",
                "Il y a du [[jeu pathologique]], des [[dettes]] et du [[contrôle reproductif]] dans l'historique.",
                "{Mlow} boit pour tenir le coup; {P} a des [[traits limites]] et des antécédents de [[voies de fait]].",
            ],
        },
        details={
            "en": [
                "Last night {P} called the house from a new number, {phone}.",
                "Her cousin {C2} drove her to {town} on {date}.",
                "The kids' school is {school}; their teacher Mr. {O} noticed bruises.",
                "{M} uses the email {email} which {P} set up for her.",
                "His TikTok ({handle}) has videos filmed outside her place.",
                "Her new apartment is at {address} ({postal}).",
                "Officer {WL} said the occurrence number is {id}.",
                "{C} was born on {date2} and has no health card yet.",
                "The car {P} follows her in has plate {plate}.",
                "Please don't share this with anyone at {org}; {M} knows people there.",
                "{W} ([[probation]]) can be reached at {phone2}.",
                "{P} and his brother {O} run a garage in {hood}.",
                "{I} from the [[addiction]] team thinks {Plow} is using again.",
                "I told {M}: \"{C} is safe at school.\"",
                "{M}'s lawyer, Ms. {O}, filed on {date}.",
                "They have a fundraising page at {url}.",
            ],
            "fr": [
                "Hier soir, {P} a appelé à la maison d'un nouveau numéro, le {phone}.",
                "Sa cousine {C2} l'a conduite à {town} le {date}.",
                "Les enfants vont à l'{school}; leur enseignant, M. {O}, a vu des bleus.",
                "{M} utilise l'adresse {email}, que {P} a créée pour elle.",
                "Son TikTok ({handle}) contient des vidéos tournées devant chez elle.",
                "Son nouvel appartement est au {address} ({postal}).",
                "L'agent {WL} a dit que le numéro d'événement est {id}.",
                "{C} est né le {date2} et n'a pas encore de carte d'assurance maladie.",
                "La voiture avec laquelle {P} la suit a la plaque {plate}.",
                "Svp ne pas en parler à la {org}; {M} y connaît du monde.",
                "{W} ([[probation]]) est joignable au {phone2}.",
                "{P} et son frère {O} tiennent un garage dans {hood}.",
                "{I} de l'équipe [[dépendance]] pense que {Plow} consomme encore.",
                "J'ai dit à {M} : « {C} est en sécurité à l'école. »",
                "L'avocate de {M}, Me {O}, a déposé la requête le {date}.",
                "Il y a une page de collecte de fonds : {url}.",
            ],
        },
        services={
            "en": [
                "Around the table: [[public health nurse]], [[Children's Aid]], [[victim services]].",
                "We have [[housing support]] and a [[family doctor]], nothing else.",
            ],
            "fr": [
                "Autour de la table : [[infirmière en périnatalité]], [[DPJ]], [[CAVAC]].",
                "Elle a du [[soutien au logement]] et un [[médecin de famille]], rien d'autre.",
            ],
        },
        safety={
            "en": [
                "He [[threatened suicide]] if she leaves and [[owns a rifle]].",
                "[[Custody]] is being decided and [[the hearing is soon]]; I fear [[escalation]].",
            ],
            "fr": [
                "Il a [[menacé de se suicider]] si elle part et [[possède une carabine]].",
                "La [[garde]] est en cours de décision et [[l'audience approche]]; je crains une [[escalade]].",
            ],
        },
        question={
            "en": [
                "How would you balance her [[autonomy]] with the kids' [[safety]]? Looking for [[mental health]] and [[police]] perspectives.",
                "Is this a situation for a [[high-risk table]]?",
            ],
            "fr": [
                "Comment concilier son [[autonomie]] et la [[sécurité]] des enfants? J'aimerais l'avis de la [[santé mentale]] et de la [[police]].",
                "Est-ce une situation pour une [[cellule d'intervention rapide]]?",
            ],
        },
    )


HANDWRITTEN = {
    "en": [
        "Hey team, tricky one. <name|Joy> and <name|Dawn> are sisters; <name|Dawn>'s partner <name|Kurt> <name|Lindqvist> "
        "has [[choked]] her twice. There is [[hope]]: she wants out, but she drinks too. <name|Kurt> works at the mill in "
        "<place|Kapuskasing>. Text me at <phone|705 555 0163>. Should [[the police]] be called even if <name|Dawn> says no?",
        "Follow-up on <name|M.K.>: she moved in with her mom on <address|7 Cedar Lane> in <place|Smithers>, BC. "
        "Her ex <name|tyler> <name|brandt> keeps messaging on Facebook as <handle|@tbrandt.v2>. [[The 4-year-old]] "
        "is in [[play therapy]]. Court date: <date|November 18>. Is a [[peace bond]] worth it?",
        "From a nurse: [[the mother]] (<name|Precious> <name|Mahlangu>) came into the ER with a [[fractured wrist]]. "
        "Partner <name|Sipho> answered every question for her. Her OHIP is <id|5584-271-903-XT>. "
        "She goes to <organization|Grace Fellowship Church>. What are [[safe ways to follow up]]?",
        "I'm the [[school social worker]] at <organization|Lakeview Secondary>. <name|Liam> ([[15]]) told me his stepdad "
        "<name|Rob> <name|Haney> hits his mom. <name|Liam> asked me not to tell [[CAS]]. [[Duty to report]] applies, I know; "
        "how do I keep his trust?",
    ],
    "fr": [
        "Bonjour, situation délicate. <name|Fleur> et <name|Joëlle> sont sœurs; le chum de <name|Joëlle>, <name|Kevin> "
        "<name|Beaulieu-Hamel>, l'a [[étranglée]] deux fois. Il travaille au moulin de <place|Lebel-sur-Quévillon>. "
        "Texto au <phone|819 555-0188>. Faut-il appeler la [[police]] si <name|Joëlle> refuse?",
        "Suivi pour <name|M.-C.> : elle habite chez sa mère au <address|22, rue des Bouleaux> à <place|Ferme-Neuve>. "
        "Son ex, <name|yannick> <name|dumont>, lui écrit sur Facebook (<handle|@yan.dumont.88>). [[L'enfant de 4 ans]] "
        "est suivie en [[thérapie par le jeu]]. Cour : le <date|18 novembre>. Un [[810]] vaut-il la peine?",
        "D'une infirmière : [[la mère]] (<name|Clémence> <name|Ntumba>) est arrivée à l'urgence avec une [[fracture du poignet]]. "
        "Son conjoint <name|Patrick> répondait à sa place. Sa carte RAMQ : <id|NTUC 8861 1523>. Elle fréquente "
        "l'<organization|Église Sainte-Famille>. Comment [[faire un suivi sécuritaire]]?",
        "Je suis [[travailleuse sociale scolaire]] à la <organization|Polyvalente Des Monts>. <name|Zacharie> ([[15 ans]]) "
        "m'a dit que son beau-père <name|Éric> <name|Sirois> frappe sa mère. Il m'a demandé de ne pas appeler la [[DPJ]]. "
        "Le [[signalement obligatoire]] s'applique; comment garder son lien de confiance?",
    ],
}
