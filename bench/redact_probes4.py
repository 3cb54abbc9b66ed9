"""Dev-only: the fourth round's probes (issue 22): French organisations by head word, long English
board names, English neighbourhoods in lower case, written before the fixes they check.

    python -m bench.redact_probes4       # recall and keep per class, then every miss

Same marks as bench/redact_probes.py: identifiers [[...]], phrases to keep {{...}}. Every
organisation, place and person here is invented or a public name used as a shape; nothing comes
from the independent set (bench/data/indep/ is never read).
"""

from __future__ import annotations

import sys

from bench import redact_probes

PROBES: dict[str, list[tuple[str, str]]] = {
    "orgs_fr_heads": [
        ("fr", "l'[[école des Pins]] nous a appelées ce matin"),
        ("fr", "la petite va à l'[[école des Bouleaux]] depuis septembre"),
        ("fr", "le [[CPE les Petits Bonheurs]] a remarqué des bleus"),
        ("fr", "elle fréquente le [[cpe la Ribambelle]]"),
        ("fr", "la [[Maison de la famille des Moulins]] offre du répit"),
        ("fr", "la [[maison des jeunes de Lorrainville]] a appelé"),
        ("fr", "l'[[organisme Entre Elles]] fait l'accompagnement à la cour"),
        ("fr", "la [[Régie de police du Val-Joli]] a pris la plainte"),
        ("fr", "le [[centre de services scolaire des Hautes-Rivières]] a une TS"),
        ("fr", "le [[CSS des Bois-Francs]] refuse de transférer l'enfant"),
        ("fr", "elle est à la [[maison d'hébergement Le Prélude]] depuis lundi"),
        ("fr", "le [[CJE de Rivière-du-Nord]] l'aide à trouver un emploi"),
        ("fr", "l'équipe du [[CLSC de Saint-Léonard-d'Aston]] fait le suivi"),
        ("fr", "l'[[école primaire des Trois-Soleils]] a fait un signalement"),
        ("fr", "la [[polyvalente de Normandin]] a appelé la mère"),
        ("fr", "le [[Centre jeunesse de la Montérégie]] est impliqué"),
        ("fr", "la [[Maison Halte-Secours]] a une place"),
        ("fr", "la [[maison de la famille de Saint-Ours]] est fermée l'été"),
        ("fr", "l'[[école secondaire du Triolet]] a une intervenante"),
        ("fr", "elle travaille au [[Carrefour jeunesse-emploi de Matane]]"),
        ("fr", "l'[[Auberge du cœur Le Baluchon]] l'héberge"),
        ("fr", "la [[Résidence Les Jardins du Lac]] a appelé"),
    ],
    "orgs_en_boards": [
        ("en", "the [[Waterloo Region District School Board]] has a protocol"),
        ("en", "the [[Halton Catholic District School Board]] called"),
        ("en", "she works for [[Fraser Valley Health Authority]]"),
        ("en", "[[Upper Grand District School Board]] social worker"),
        ("en", "the [[Northern Health Authority]] nurse saw her"),
        ("en", "the [[Peel District School Board]] put in a report"),
        ("en", "[[Kawartha Pine Ridge DSB]] has a policy"),
        ("en", "the [[Toronto Catholic District School Board]] attendance counsellor"),
    ],
    "places_en_neigh": [
        ("en", "she's in [[kits]] now"),
        ("en", "they got a place in [[the annex]] near the school"),
        ("en", "he's from [[little italy]]"),
        ("en", "they live in [[the plateau]]"),
        ("en", "she's couch surfing in [[downtown eastside]]"),
        ("en", "lives in [[north end]] with her mom"),
        ("en", "he moved to [[the junction]] last month"),
        ("en", "they're in [[the beaches]] area"),
        ("en", "he works out in [[fort mac]]"),
        ("en", "mom lives over in [[east van]]"),
        ("en", "they're in [[leslieville]] now"),
        ("en", "moved to [[parkdale]] with her cousin"),
        ("en", "she's renting near [[commercial drive]]"),
        ("en", "over in [[the glebe]] with her new partner"),
        ("en", "lives in [[st. henri]]"),
        ("en", "they're from [[mill woods]]"),
        ("en", "he hangs around [[the exchange]] downtown"),
        ("en", "she's in [[osborne village]] now"),
        ("en", "staying in [[chinatown]] with an aunt"),
        ("en", "they moved to [[the byward market]]"),
        ("en", "he grew up in [[jane and finch]]"),
        ("en", "they live in [[regent park]]"),
    ],
    "names_en": [
        ("en", "talked to [[kayla]] today, she's scared"),
        ("en", "[[jaden]] is 4 and [[brody]] is 7"),
        ("en", "her ex [[dwayne]] keeps texting"),
        ("en", "client ([[shawna]]) says he took the phone"),
        ("en", "spoke with [[Tyson]] about the order"),
        ("en", "the bf, [[marcus]], showed up again"),
    ],
    "orgs_fr_more": [
        ("fr", "le [[centre de la petite enfance Les Bambins]] a appelé"),
        ("fr", "le [[comptoir alimentaire de Limoilou]] l'aide"),
        ("fr", "le [[centre d'amitié autochtone de Val-d'Or]] l'accompagne"),
        ("fr", "la [[polyvalente Le Carrefour]] a appelé"),
        ("fr", "le [[centre de femmes L'Éclaircie]] offre des ateliers"),
        ("fr", "l'[[organisme communautaire La Mèreveille]] l'aide"),
        ("fr", "la [[commission scolaire des Draveurs]] a un protocole"),
        ("fr", "la [[Maison Secours aux Femmes]] est pleine"),
        ("fr", "elle va à l'école {{du quartier}} depuis lundi"),
        ("fr", "{{le centre de Montréal}} est plein"),
        ("fr", "la {{Régie du logement}} a tranché"),
        ("en", "{{the District School Board}} called"),
        ("en", "she called {{the Public Health Authority}}"),
        ("en", "{{the Board of Directors}} met"),
    ],
    "places_en_nicknames": [
        ("en", "she's up in [[the soo]] with her dad"),
        ("en", "he moved back to [[t-bay]]"),
        ("en", "they live out in [[the hat]] now"),
        ("en", "he's from [[the sault]]"),
        ("en", "she wears {{the hat}} every day"),
    ],
    "places_lower_unknown": [
        ("en", "her family is from [[mogadishu]]"),
        ("en", "she grew up in [[muskoka]]"),
        ("en", "they moved to [[the kootenays]]"),
        ("en", "she fled from [[aleppo]] in 2016"),
        ("en", "she was born in [[kandahar]]"),
        ("fr", "elle vient de [[ouagadougou]]"),
        ("en", "the baby was {{in utero}} when it started"),
        ("en", "a letter {{from dcfs}} today"),
        ("en", "she's {{in remission}}"),
        ("fr", "elle vient {{de partir}}"),
    ],
    "names_en_more": [
        ("en", "bro named [[tank]], real name unknown"),
        ("en", "she calls him \"[[bear]]\""),
        ("en", "ask [[rach]] if she can cover"),
        ("en", "cc'd [[nat]] and [[steph]] on the email"),
        ("en", "she was {{named in the protection order}}"),
        ("en", "small towns and {{named shelters}}"),
        ("en", "where have you {{met pushback}}"),
        ("en", "{{ask ircc}} about the permit"),
        ("en", "we talked about {{adhd and ptsd}}"),
    ],
    "addresses_numbered": [
        ("en", "she's at the blue house on [[5th line]]"),
        ("en", "he lives at [[4521-50 ave]]"),
        ("fr", "elle habite au [[4521, 4e avenue]]"),
        ("en", "he lives at [[10234 104 st nw]]"),
        ("en", "she has 3 kids in grade 2, {{5 dr appointments}}"),
        ("en", "she got {{2 3rd place}} ribbons"),
    ],
    "postal_fr_context": [
        ("fr", "elle habite le secteur [[75011]]"),
        ("fr", "arrondissement [[75018]] depuis mai"),
        ("fr", "{{le secteur 12000 employés}}"),
    ],
    "keep4": [
        ("en", "she lives in {{the city}} now, close to {{the hospital}}"),
        ("en", "he moved to {{the north}} for work"),
        ("en", "they live in {{the country}} now"),
        ("en", "in {{the end}} she went back"),
        ("en", "she's in {{the system}} already"),
        ("en", "from {{the junction}} of two risk factors"),
        ("en", "the {{downtown}} shelter is full"),
        ("en", "she moved to {{the east end}} of the building"),
        ("en", "we're {{in the village}} meeting at noon"),
        ("en", "kids' {{school board}} policy"),
        ("en", "the {{district school board}} has a protocol"),
        ("en", "our {{health authority}} funds this"),
        ("fr", "l'{{école}} a fait un signalement"),
        ("fr", "la {{maison d'hébergement}} est pleine"),
        ("fr", "le {{CPE}} a appelé"),
        ("fr", "l'{{organisme}} nous a référé"),
        ("fr", "le {{centre de services scolaire}} refuse"),
        ("fr", "la {{maison de la famille}} offre du répit"),
        ("fr", "l'{{école des parents}} commence en janvier"),
        ("fr", "l'équipe du {{CLSC}} fait le suivi"),
        ("fr", "la {{régie de police}} est intervenue"),
        ("fr", "elle est au {{CPE le matin}}"),
        ("en", "{{the plateau}} in her progress worries me"),
        ("en", "a {{little}} {{italy}} trip"),
    ],
}


def main() -> int:
    redact_probes.PROBES = PROBES
    return redact_probes.main()


if __name__ == "__main__":
    sys.exit(main())
