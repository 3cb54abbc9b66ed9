"""Issue 22, third round: organisations named after a cue, and what the keep corpus showed."""

import pytest

from domain.redact import scrub


@pytest.mark.parametrize("lang,text,name", [
    ("en", "she's staying at New Beginnings until the end of the month", "New Beginnings"),
    ("en", "the counsellor at Pathways thinks she's ready", "Pathways"),
    ("fr", "elle est hébergée à La Clé des Champs depuis mardi", "La Clé des Champs"),
    ("fr", "suivie par Le Phare pour la dépendance", "Le Phare"),
    ("fr", "elle va chez Halte-Femmes deux fois par semaine", "Halte-Femmes"),
])
def test_an_organisation_after_a_cue_is_removed(lang, text, name):
    res = scrub(text, lang)
    assert name not in res.text
    assert any("organisation cue" in r.rule for r in res.replacements)


@pytest.mark.parametrize("lang,text", [
    ("en", "we referred her to Legal Aid"),
    ("en", "the case went to Court last week"),
    ("en", "referred to Public Health for the baby"),
    ("en", "he went to Home Depot and bought rope"),
    ("en", "staying at the Y until monday"),
    ("en", "he went back to South Sudan for a month"),
    ("en", "a Form 8 application was filed"),
    ("en", "Native Women's Association has resources"),
    ("en", "he sells stuff on Kijiji and Facebook Marketplace"),
    ("en", "called 911 then the Crisis Line"),
    ("fr", "on a contacté Revenu Québec pour l'allocation"),
    ("fr", "hébergée chez Grand-maman"),
    ("fr", "à Pâques il était là"),
    ("fr", "elle est suivie par la DPJ"),
])
def test_services_brands_and_words_after_cues_are_kept(lang, text):
    assert scrub(text, lang).replacements == ()


def test_a_neighbourhood_after_the_is_removed():
    res = scrub("they rent a place in the Glebe now", "en")
    assert "Glebe" not in res.text


@pytest.mark.parametrize("text", [
    "it's in the Charter", "in the Safety Plan we wrote together", "near the Trans-Canada highway",
    "he went to the States for work", "to the Supreme Court", "from the Ministry of Children",
    "out in the Prairies it's different", "she lives in the North",
])
def test_laws_regions_and_documents_after_the_are_kept(text):
    assert scrub(text, "en").replacements == ()
