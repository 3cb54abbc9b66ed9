"""Dev-only: the second round's class probes (issue 22), written before the fixes they check.

    python -m bench.redact_probes2       # recall and keep per class, then every miss

Same marks as bench/redact_probes.py: identifiers [[...]], phrases to keep {{...}}. People,
places and organisations are invented or public names used as shapes; no probe comes from the
independent set (bench/data/indep/ is never read).
"""

from __future__ import annotations

import sys

from bench import redact_probes

PROBES: dict[str, list[tuple[str, str]]] = {
    "names_broad": [
        ("en", "[[Otieno]] says the landlord is threatening to evict them."),
        ("en", "mom is [[Adebisi Okafor]], dad is [[Chinedu]]"),
        ("fr", "[[Wouter Jansen]] a appelé la ligne deux fois."),
        ("en", "The father ([[Yusuf Demir]]) refuses the interpreter."),
        ("fr", "[[Giulia Esposito]] est hébergée depuis lundi."),
        ("en", "[[Aarav]] and [[Ishaan]] are the two boys."),
        ("en", "spoke to [[Mwangi]] this morning about the order"),
        ("fr", "Selon [[Joaquín Herrera]], le père boit tous les soirs."),
        ("en", "[[Thanh Huong]] is worried about her visa."),
        ("en", "The client [[Xiu Ying Zhou]] works two jobs."),
        ("fr", "[[Abderrahmane]] nie tout."),
        ("en", "[[Siobhán Ní Dhomhnaill]] from the school called."),
        ("en", "Her ex, [[Bartosz Wiśniewski]], has a no-contact order."),
        ("fr", "[[Thijs]] garde les enfants la fin de semaine."),
        ("en", "Worker [[Kwabena Asante]] did the home visit."),
        ("en", "[[Dilnoza]] left with the baby."),
        ("fr", "Mme [[Gonçalves]] a annulé le rendez-vous."),
        ("en", "[[Fionnuala]] doesn't want police involved."),
        ("en", "[[Hamza Qureshi]] called the worker again"),
        ("fr", "[[Rahma]] et [[Ilyes]] sont à l'école."),
    ],
    "orgs_chat": [
        ("fr", "elle a été référée par le [[CLSC Lac-Saint-Louis]]"),
        ("fr", "suivie au [[CIUSSS de la Capitale-Nationale]] depuis l'an passé"),
        ("en", "the [[Brandon Police Service]] took the report"),
        ("en", "[[Thunder Bay Police]] were called twice"),
        ("fr", "la [[SQ de Mont-Laurier]] est intervenue"),
        ("en", "she's staying at [[Interval House]] for now"),
        ("en", "they go to [[Grace Baptist Church]]"),
        ("fr", "les enfants vont à l'école [[Marie-Victorin]]"),
        ("en", "her son is at [[Westdale Secondary]]"),
        ("en", "referred by [[Ka Ni Kanichihk]]"),
        ("fr", "hébergée à [[La Dauphinelle]]"),
        ("en", "he goes to the [[Mississauga Islamic Centre]]"),
        ("en", "she volunteers at [[St. Vincent de Paul]]"),
        ("fr", "le [[Carrefour familial des Moulins]] offre du répit"),
        ("en", "she's on the waitlist at [[YWCA Halifax]]"),
        ("fr", "l'[[Université Laval]] lui offre un suivi"),
        ("en", "the [[Sagkeeng Child and Family Services]] worker"),
        ("fr", "au [[Centre de femmes l'Héritage]]"),
        ("en", "the [[Edmonton John Howard Society]] runs the program"),
        ("fr", "il suit le programme à [[Option]] depuis mars"),
        ("fr", "la [[Commission scolaire des Patriotes]] a appelé"),
        ("en", "she was at [[Toronto East Detention Centre]]"),
        ("en", "the [[RCMP detachment in Thompson]] has the file"),
    ],
    "postal_fr": [
        ("fr", "ils vivent dans le [[93]] depuis deux ans"),
        ("fr", "elle est partie dans le [[59]] chez sa sœur"),
        ("fr", "CP [[13008]]"),
        ("fr", "adresse : 4 rue des Lilas, [[31000]]"),
        ("fr", "il habite à [[Villeurbanne (69100)]]"),
        ("fr", "Code postal: [[44300]]"),
        ("en", "ZIP [[60614]]"),
        ("en", "they're in [[Detroit, MI 48207]]"),
    ],
    "dates": [
        ("en", "hearing is on [[march 3rd]]"),
        ("en", "DOB [[04/11/2016]]"),
        ("fr", "audience le [[3 mars]] au palais"),
        ("fr", "née le [[12/03/2015]]"),
        ("en", "born [[Feb. 2, 2019]]"),
        ("en", "court date [[2025-02-14]]"),
        ("fr", "le [[lundi 14 avril]] à 9h"),
        ("en", "she was born on the [[9th of june 2017]]"),
        ("fr", "date de naissance : [[1985.07.22]]"),
        ("en", "incident happened [[Sat Oct 12]]"),
        ("fr", "le [[premier mai]] prochain"),
        ("en", "dob [[12-jan-2014]]"),
    ],
    "ids": [
        ("en", "file # [[2024-001873]]"),
        ("fr", "no de dossier [[500-04-078123-241]]"),
        ("en", "health card [[1234 567 890 AB]]"),
        ("fr", "NAM [[TREM 8501 1234]]"),
        ("en", "case number is [[CAS-88213]]"),
        ("fr", "son NAS est le [[123 456 789]]"),
        ("en", "his plate is [[CKTB 492]]"),
        ("fr", "plaque [[H45 KLM]]"),
        ("en", "occurrence [[GO 2024-118842]]"),
        ("en", "SIN [[046 454 286]]"),
        ("fr", "dossier DPJ [[QC-552-887]]"),
        ("en", "UCI [[1234-5678]]"),
    ],
    "places_en": [
        ("en", "she moved back to [[Dartmouth]] with the kids"),
        ("en", "he's out in [[Cole Harbour]] now"),
        ("en", "they live out past [[Selkirk]]"),
        ("en", "family is in [[Red Deer]]"),
        ("en", "she grew up on [[Manitoulin]]"),
        ("en", "he works up in [[Fort Mac]]"),
        ("en", "living with her aunt in [[Flin Flon]]"),
        ("en", "they're in [[Scarborough]] near the mall"),
        ("en", "originally from [[Sault Ste. Marie]]"),
        ("en", "he drives to [[Moncton]] every weekend"),
    ],
    "keep2": [
        ("en", "she has {{faith}} it will work out"),
        ("en", "the {{court}} {{date}} is coming up"),
        ("en", "{{Ontario}} has a {{family court}}"),
        ("fr", "elle a {{peur}} de sa {{réaction}}"),
        ("en", "{{custody exchange}} at the {{police station}}"),
        ("en", "he {{said}} {{sorry}} again"),
        ("fr", "{{la DPJ}} a retenu le {{signalement}}"),
        ("en", "{{recent separation}} and {{weapons}} in the home"),
        ("en", "the {{kids}} {{stay}} with {{grandma}}"),
        ("fr", "une {{femme}} {{enceinte}} de {{7 mois}}"),
        ("en", "{{Quebec}} and {{Ontario}} rules differ"),
        ("fr", "{{Montréal}}, {{Québec}} et [[Gatineau]]"),
        # chains and big brands are kept (data/keep.txt): hundreds of branches name no one
        ("fr", "elle travaille chez {{Provigo}} le soir"),
        ("en", "he works at {{Tim Hortons}} on main"),
        ("en", "she {{will}} {{grant}} him access"),
        ("en", "he is {{frank}} about his drinking"),
        ("en", "{{Mercy}}, she said, was all she wanted"),
        ("fr", "c'est {{juste}} trop pour elle"),
        ("en", "{{Dawn}} shift at the plant"),
        ("en", "{{Victoria Day}} weekend"),
        ("fr", "la {{Saint-Jean}} et la {{fête du Travail}}"),
        ("en", "{{Bell Let's Talk}} day"),
        ("en", "{{Kids Help Phone}} and {{211}}"),
        ("fr", "{{Tel-Jeunes}} et {{Info-Santé}}"),
        ("en", "{{Christmas}} was hard"),
        ("en", "she {{uses}} {{Tinder}} and {{Facebook}}"),
        ("fr", "{{aide sociale}} et {{allocations familiales}}"),
    ],
}


def main() -> int:
    redact_probes.PROBES = PROBES
    return redact_probes.main()


if __name__ == "__main__":
    sys.exit(main())
