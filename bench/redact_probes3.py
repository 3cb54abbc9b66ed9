"""Dev-only: the third round's probes (issue 22): named organisations and English places as
practitioners write them, written before the fixes they check.

    python -m bench.redact_probes3       # recall and keep per class, then every miss

Same marks as bench/redact_probes.py: identifiers [[...]], phrases to keep {{...}}. Every
organisation, place and person here is invented or a public name used as a shape; nothing comes
from the independent set (bench/data/indep/ is never read).
"""

from __future__ import annotations

import sys

from bench import redact_probes

PROBES: dict[str, list[tuple[str, str]]] = {
    "orgs_after_cue": [
        ("en", "she's staying at [[New Beginnings]] until the end of the month"),
        ("en", "referred to [[Harbour Light]] for the men's group"),
        ("en", "we called [[Safe Haven]] but they were full"),
        ("en", "she went to [[Bright Futures]] for counselling"),
        ("en", "the kids go to [[Little Acorns]] daycare"),
        ("en", "referred to [[interval house]] last night"),
        ("en", "staying at [[new hope]] for now"),
        ("en", "she's been going to [[Open Doors]] every week"),
        ("en", "he's in the program at [[Turning Point]]"),
        ("en", "the worker from [[Family Compass]] called me"),
        ("en", "we work closely with [[Harmony Place]] on these"),
        ("en", "she was housed through [[Second Chance]] in the spring"),
        ("en", "the counsellor at [[Pathways]] thinks she's ready"),
        ("en", "got her a bed at [[Marguerite's Place]]"),
        ("en", "intake at [[Anduhyaun]] is on monday"),
        ("fr", "elle est hébergée à [[La Clé des Champs]] depuis mardi"),
        ("fr", "on l'a référée à [[L'Escale]] pour un suivi"),
        ("fr", "elle va chez [[Halte-Femmes]] deux fois par semaine"),
        ("fr", "suivie par [[Le Phare]] pour la dépendance"),
        ("fr", "hébergée au [[Refuge des Rives]] avec les enfants"),
        ("fr", "elle va à [[la Bonne Étoile]] pour les ateliers"),
        ("fr", "référée à [[Trêve pour Elles]] par la TS"),
        ("fr", "le père est suivi à [[Pro-Gam]] depuis l'été"),
        ("fr", "on a appelé [[Le Havre]] mais c'était plein"),
        ("fr", "elle est hébergée à [[l'Arc-en-ciel]] pour l'instant"),
        ("fr", "elle fréquente [[Entre-Nous]] le jeudi"),
        ("fr", "l'intervenante de [[Passages]] est super"),
    ],
    "orgs_heads_tails": [
        ("en", "the [[Riverside Women's Shelter]] has a bed"),
        ("en", "[[Northview Community Church]] helps with food"),
        ("en", "the [[Eastside Family Resource Centre]] runs a group"),
        ("en", "he was at [[Saint Joseph's Secondary]] until grade 10"),
        ("en", "the [[Lakeshore Police Service]] took the call"),
        ("en", "[[Greenfield Public School]] called about bruises"),
        ("en", "she works at [[Maple Leaf Foods]]"),
        ("en", "the [[Hamilton Wentworth Catholic District School Board]] has a social worker"),
        ("en", "the kids go to [[oakwood elementary]]"),
        ("en", "the [[Willow Creek Health Centre]] nurse"),
        ("en", "[[Mountainview Correctional Centre]] released him"),
        ("en", "the [[Bridges Foundation]] funds the program"),
        ("fr", "l'[[école des Cèdres]] a fait un signalement"),
        ("fr", "la [[Maison Oxygène]] accueille les pères"),
        ("fr", "le [[Centre de femmes du Haut-Richelieu]] offre des ateliers"),
        ("fr", "la [[Polyvalente des Baies]] a appelé"),
        ("fr", "le [[CPE les Petits Pas]] signale des marques"),
        ("fr", "la [[Maison de la famille des Érables]] a une halte"),
        ("fr", "la [[Paroisse Sainte-Famille]] aide avec la nourriture"),
        ("fr", "l'[[organisme Regard en Elle]] l'accompagne"),
        ("fr", "la [[Régie de police du Lac-des-Deux-Montagnes]] est intervenue"),
        ("fr", "le [[Collège Notre-Dame-des-Neiges]] a un psychologue"),
    ],
    "places_en": [
        ("en", "they rent a place in [[the Glebe]] now"),
        ("en", "she moved to [[kits]] last year"),
        ("en", "he lives over in [[the annex]]"),
        ("en", "she's from [[Sandy Hook]] originally"),
        ("en", "they moved out to [[Stony Plain]] in the fall"),
        ("en", "he's in [[little italy]] with his mom"),
        ("en", "she grew up in [[corner brook]]"),
        ("en", "her sister lives in [[Bonavista]]"),
        ("en", "they're in [[the beaches]] area"),
        ("en", "he works out in [[fort mac]]"),
        ("en", "the family lives in [[Riverdale]]"),
        ("en", "she's staying with her aunt in [[Portage]]"),
        ("en", "dad moved to [[grande prairie]]"),
        ("en", "they live on the reserve near [[Sioux Lookout]]"),
        ("en", "she drives in from [[Orangeville]] every day"),
        ("en", "a small town near [[Kenora]]"),
        ("en", "they're from [[scarborough]], near the mall"),
        ("en", "he hangs out in [[the junction]] a lot"),
        ("en", "she lives in {{the city}} now, close to {{the hospital}}"),
        ("en", "they moved {{out west}} last year"),
    ],
    "keep_round3": [
        ("en", "{{the pain will pass}}, she says"),
        ("en", "{{her mood rose}} after the meds"),
        ("en", "{{call 911}} if he shows up"),
        ("fr", "{{mon chum}} dit que {{c'est juste}} une passe"),
        ("fr", "appelle {{le 119}} si tu t'inquiètes"),
        ("en", "she went to {{the shelter}} last night"),
        ("en", "referred to {{the men's program}}"),
        ("en", "she's staying at {{her sister's}} for now"),
        ("en", "we called {{the police}} and {{child protection}}"),
        ("en", "she went to {{the hospital}} then {{the clinic}}"),
        ("en", "staying at {{a friend's}} place"),
        ("fr", "elle est hébergée à {{la maison d'hébergement}}"),
        ("fr", "référée au {{CLSC}} pour un suivi"),
        ("fr", "elle va chez {{sa mère}} ce soir"),
        ("fr", "suivie par {{la DPJ}} depuis l'an passé"),
        ("en", "she went to {{Walmart}} to buy diapers"),
        ("en", "referred to {{Legal Aid}}"),
        ("en", "staying at {{the Y}} until monday"),
        ("en", "he went to {{detox}} again"),
        ("en", "called {{Victim Services}} this morning"),
        ("fr", "elle est allée à {{l'urgence}}"),
        ("fr", "on a appelé {{SOS violence conjugale}}"),
        ("en", "she went to {{New Brunswick}} to see family"),
        ("en", "referred to {{Ontario Works}}"),
    ],
}


if __name__ == "__main__":
    sys.exit(redact_probes.main(PROBES))
