"""Fourth round of the identifier scrubber (issue 22): French organisations by head word, school
boards and health authorities, neighbourhoods named like words, unknown lower-case places."""

from domain.redact import scrub


def removed(text: str, lang: str = "en") -> list[str]:
    return [r.original for r in scrub(text, lang).replacements]


def test_french_head_words_with_an_article_and_a_name():
    assert removed("l'école des Cèdres a fait un signalement", "fr") == ["école des Cèdres"]
    assert removed("le CPE les Petits Pas signale des marques", "fr") == ["CPE les Petits Pas"]
    assert removed("la Régie de police du Val-Joli a pris la plainte", "fr") == ["Régie de police du Val-Joli"]
    assert removed("l'école du quartier a appelé", "fr") == []
    assert removed("le CPE le matin, la maison d'hébergement le soir", "fr") == []


def test_school_boards_need_a_word_that_is_no_sector_word():
    assert removed("the Peel District School Board put in a report") == ["Peel District School Board"]
    assert removed("the District School Board called; the Public Health Authority too") == []


def test_neighbourhoods_named_like_words_need_a_place_word_and_the_phrase_end():
    assert removed("he lives over in the annex now") == ["the annex"]
    assert removed("she moved to kits last year") == ["kits"]
    assert removed("from the junction of two risk factors") == []
    assert removed("she moved to paris with him") == []


def test_unknown_lower_case_place_after_where_someone_comes_from():
    assert removed("her family is from mogadishu") == ["mogadishu"]
    assert removed("the baby was in utero when it started; a letter from dcfs today") == []


def test_explain_names_the_rule():
    rules = [r.rule for r in scrub("she grew up in muskoka, now in the annex", "en").replacements]
    assert all(rule.startswith("place:") for rule in rules) and len(rules) == 2


def test_names_after_naming_words_and_verbs_of_contact():
    assert removed("bro named tank, real name unknown") == ["tank"]
    assert removed('she calls him "bear"') == ["bear"]
    assert removed("ask rach if she can cover; cc'd nat and steph") == ["rach", "nat", "steph"]
    assert removed("she was named in the protection order; small towns and named shelters") == []
    assert removed("where have you met pushback? ask ircc about adhd and ptsd") == []
