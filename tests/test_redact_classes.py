"""The classes of identifiers issue 22 found missed, on sentences written for these tests, and
the ordinary words and references that must stay."""

from __future__ import annotations

import pytest

from bench.redact_probes import PROBES, parse, run
from domain.redact import scrub


def removed(text: str, lang: str = "en") -> list[str]:
    return [r.original for r in scrub(text, lang).replacements]


@pytest.mark.parametrize("text,lang,expected", [
    ("my client tommy says his dad drives by", "en", ["tommy"]),
    ("her son gazza won't go to school", "en", ["gazza"]),
    ("she texted zoé at 2am", "en", ["zoé"]),
    ("The mother, 王秀英, asked for an interpreter.", "en", ["王秀英"]),
    ("client is Lê Thị Thu, 41, newly arrived", "en", ["Lê Thị Thu"]),
    ("The caseworker Aoife Ní Bhriain is off sick.", "en", ["Aoife Ní Bhriain"]),
])
def test_names_in_lower_case_other_scripts_and_particles(text, lang, expected):
    assert removed(text, lang) == expected


def test_chat_shorthand_after_a_role_is_not_a_name():
    assert removed("the mom idk, ma cliente pis son chum faque, the father tho said no, my client didnt show") == []


@pytest.mark.parametrize("text,lang,expected", [
    ("his snap is kev_rdl_99 and he messages her", "en", "kev_rdl_99"),
    ("son snap c'est jess.lvsq et il la harcèle", "fr", "jess.lvsq"),
    ("his gamertag is NightWolf_77", "en", "NightWolf_77"),
])
def test_bare_handles_named_by_their_platform(text, lang, expected):
    assert expected in removed(text, lang)


@pytest.mark.parametrize("text,lang,expected", [
    ("she lives at 88 portage ave with her mom", "en", "88 portage ave"),
    ("elle habite au 310 rue sherbrooke ouest app 7", "fr", "310 rue sherbrooke ouest app 7"),
    ("l'adresse est 2-905 boul. des forges", "fr", "2-905 boul. des forges"),
    ("ils habitent sur le rang 4 nord, très isolé", "fr", "rang 4 nord"),
    ("the farm is on RR 3 outside town", "en", "RR 3"),
    ("la maison du lieu-dit Les Granges", "fr", "lieu-dit Les Granges"),
    ("elle vit au Bât. C, résidence Les Tilleuls", "fr", "Bât. C, résidence Les Tilleuls"),
])
def test_lower_case_rural_and_unit_addresses(text, lang, expected):
    assert expected in removed(text, lang)


@pytest.mark.parametrize("text,lang,expected", [
    ("zip is 90210, she doesn't want it shared", "en", "90210"),
    ("elle habite dans le 75018, près du métro", "fr", "75018"),
    ("elle habite au 75011 paris maintenant", "fr", "75011 paris"),
])
def test_postal_codes_alone_when_the_context_says_so(text, lang, expected):
    assert expected in removed(text, lang)


def test_numbers_that_are_amounts_or_counts_stay():
    assert removed("il doit 20000 dollars et 15000 personnes y vivent", "fr") == []


@pytest.mark.parametrize("text,lang,expected", [
    ("elle vit dans petite-patrie depuis deux ans", "fr", "petite-patrie"),
    ("they live in the west end near the park", "en", "the west end"),
    ("he hangs out at jane & finch most nights", "en", "jane & finch"),
    ("corner of bathurst and eglinton", "en", "bathurst and eglinton"),
    ("they're on the Six Nations reserve", "en", "Six Nations reserve"),
    ("la famille vit à st-lin depuis 2019", "fr", "st-lin"),
])
def test_small_places_neighbourhoods_corners_and_reserves(text, lang, expected):
    assert any(expected in r for r in removed(text, lang))


def test_everyday_pairs_are_not_street_corners():
    assert removed("drugs & alcohol at mom & dad, and/or he/she, on meth/crack") == []


@pytest.mark.parametrize("text,lang,expected", [
    ("elle est hébergée à la maison L'Escale", "fr", "maison L'Escale"),
    ("suivie au CMP Les Oliviers depuis mai", "fr", "CMP Les Oliviers"),
    ("le poste de quartier 21 a pris la plainte", "fr", "poste de quartier 21"),
    ("she goes to New Hope Tabernacle on sundays", "en", "New Hope Tabernacle"),
    ("elle étudie à l'UQAM", "fr", "UQAM"),
    ("he's doing time at Millhaven", "en", "Millhaven"),
])
def test_named_organisations(text, lang, expected):
    assert expected in removed(text, lang)


@pytest.mark.parametrize("text,lang", [
    ("the pain will pass, her mood rose after the call", "en"),
    ("mon chum dit que c'est juste une passe", "fr"),
    ("call 911 if he shows up", "en"),
    ("elle peut appeler le 119 ou le 911", "fr"),
    ("selon la loi du 9 juillet 2010", "fr"),
    ("Bill C-75 changed bail rules; s. 810 peace bond", "en"),
    ("she lives in Ontario, near Toronto; her sister is in Vancouver", "en"),
    ("she found him on WeChat and Snapchat", "en"),
])
def test_ordinary_words_legal_references_and_big_cities_stay(text, lang):
    assert removed(text, lang) == []


def test_the_explain_output_names_the_rule():
    reps = scrub("her son gazza lives at 88 portage ave").replacements
    assert [r.rule for r in reps] == ["name: lower-case name with context", "address: number and street, lower case"]


def test_class_probes_hold():
    """The probes of bench/redact_probes.py: every class but a few known misses, and every keep."""
    res = run()
    hits = sum(h for h, *_ in res.values())
    total = sum(t for _, t, *_ in res.values())
    assert hits / total >= 0.95
    assert all(kept == nkeep for _, _, kept, nkeep, _ in res.values())
    assert parse("a [[b]] {{c}}") == ("a b c", [(2, 3)], [(4, 5)])
    assert len(PROBES) >= 10
