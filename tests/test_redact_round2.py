"""Issue 22, second round: broad name lists, organisations as practitioners write them, and the
forms of postal codes, dates and ids the first round left; on sentences written for these tests."""

from __future__ import annotations

import pytest

from domain.redact import scrub
from domain.redact.lexicon import lexicon


def removed(text: str, lang: str = "en") -> list[str]:
    return [r.original for r in scrub(text, lang).replacements]


def test_faker_lists_are_names_and_never_everyday_words():
    lex = lexicon()
    assert {"otieno", "mwangi", "adebisi", "wouter", "krzysztof"} <= lex.first | lex.surnames
    for word in ("pain", "mood", "juste", "chum", "will", "grant", "rose", "faith", "mark", "sunny"):
        assert word not in lex.plain_first


@pytest.mark.parametrize("text,lang,expected", [
    ("texted otieno about the hearing", "en", ["otieno"]),
    ("my client giulia is scared", "en", ["giulia"]),
])
def test_lower_case_names_from_the_broad_lists(text, lang, expected):
    assert removed(text, lang) == expected


@pytest.mark.parametrize("text,lang,expected", [
    ("the Brandon Police Service took the report", "en", ["Brandon Police Service"]),
    ("Thunder Bay Police were called twice", "en", ["Thunder Bay Police"]),
    ("la SQ de Mont-Laurier est intervenue", "fr", ["SQ de Mont-Laurier"]),
    ("the RCMP detachment in Thompson has the file", "en", ["RCMP detachment in Thompson"]),
    ("she's on the waitlist at YWCA Halifax", "en", ["YWCA Halifax"]),
    ("the Sagkeeng Child and Family Services worker", "en", ["Sagkeeng Child and Family Services"]),
    ("la Commission scolaire des Patriotes a appelé", "fr", ["Commission scolaire des Patriotes"]),
    ("le Carrefour familial des Moulins offre du répit", "fr", ["Carrefour familial des Moulins"]),
    ("hébergée à La Dauphinelle", "fr", ["La Dauphinelle"]),
    ("she volunteers at St. Vincent de Paul", "en", ["St. Vincent de Paul"]),
])
def test_organisations_as_practitioners_write_them(text, lang, expected):
    assert removed(text, lang) == expected


@pytest.mark.parametrize("text,lang", [
    ("The Police Service said no.", "en"),
    ("the Fire Department came", "en"),
    ("Family and Children's Services and Victim Services", "en"),
    ("the SQ de Montréal et la GRC", "fr"),
    ("Ontario Provincial Police", "en"),
    ("the Toronto Police Service", "en"),
    ("she will grant him access", "en"),
])
def test_generic_services_forces_and_words_stay(text, lang):
    assert removed(text, lang) == []
