"""The consultation request's dialog as a pure state machine (domain/consult_dialog.py)."""

from __future__ import annotations

import pytest

from domain.consult import new_code
from domain.consult_dialog import (CANCELLED, COMMUNITY, PREVIEW, SENDING, TEXT, Place, start_followup,
                                   start_request, step, takes_text)

NORTH = Place(1, "north", "North circle", "en")
NORD = Place(2, "nord", "Cercle du Nord", "fr")
RAW = "Samira told me he choked her. #custody"


def scrub(text: str, lang: str) -> tuple[str, int]:
    return text.replace("Samira", "[name]" if lang == "en" else "[nom]"), text.count("Samira")


def test_one_community_is_chosen_at_once_and_the_text_is_previewed_scrubbed():
    draft, key, params = start_request((NORTH,), RAW, lang="en", scrub=scrub)
    assert draft.step == PREVIEW and key == "consult.preview"
    assert "Samira" not in draft.text and draft.text.startswith("[name] told me")  # never the raw text
    assert params["community"] == "North circle" and params["count"] == 1


def test_several_communities_ask_which_and_the_answer_previews_in_that_language():
    reply = start_request((NORTH, NORD), RAW, lang="en", scrub=scrub)
    assert reply.draft.step == COMMUNITY and reply.key == "consult.which" and reply.params["slugs"] == "north, nord"
    assert reply.draft.text == ""  # the pending text is not scrubbed before its language is known
    wrong = step(reply.draft, "south", scrub=scrub)
    assert not wrong.understood and wrong.draft is reply.draft
    chosen = step(reply.draft, "Nord", scrub=scrub)
    assert chosen.draft.step == PREVIEW and chosen.draft.lang == "fr" and "[nom]" in chosen.draft.text


def test_without_text_the_intro_asks_for_it_and_any_text_is_the_request():
    draft, key, params = start_request((NORTH,), "", lang="en", scrub=scrub)
    assert (draft.step, key, params) == (TEXT, "consult.intro", {"community": "North circle"})
    assert takes_text(draft)
    assert step(draft, "status of the family: unclear", scrub=scrub).draft.step == PREVIEW


def test_send_only_after_a_preview_and_a_new_text_needs_edit():
    draft = start_request((NORTH,), "", lang="en", scrub=scrub).draft
    early = step(draft, "send", scrub=scrub)
    assert not early.understood and early.key == "consult.nothing_to_send"
    preview = step(draft, RAW, scrub=scrub).draft
    again = step(preview, "another text", scrub=scrub)
    assert not again.understood and again.key == "consult.answer_preview" and again.draft is preview
    edited = step(preview, "edit Another text about Samira.", scrub=scrub)
    assert edited.draft.step == PREVIEW and edited.draft.text == "Another text about [name]."
    assert step(edited.draft, "Envoyer", scrub=scrub).draft.step == SENDING


def test_bad_texts_are_corrections_that_keep_the_draft():
    draft = start_request((NORTH,), "", lang="en", scrub=scrub).draft
    for text, key in ((f"the code is {new_code()}", "consult.contains_code"),
                      ("x" * 6_001, "consult.too_long"), ("#custody", "consult.empty")):
        reply = step(draft, text, scrub=scrub)
        assert (reply.understood, reply.key, reply.draft) == (False, key, draft), text
    assert step(draft, "edit hello", scrub=scrub).understood
    choosing = start_request((NORTH, NORD), "", lang="en", scrub=scrub).draft
    assert step(choosing, "edit hello", scrub=scrub).key == "consult.nothing_to_edit"


def test_cancel_at_every_step_and_a_finished_draft_takes_nothing():
    for draft in (start_request((NORTH, NORD), "", lang="en", scrub=scrub).draft,
                  start_request((NORTH,), "", lang="en", scrub=scrub).draft,
                  start_request((NORTH,), RAW, lang="en", scrub=scrub).draft):
        reply = step(draft, "annuler", scrub=scrub)
        assert reply.draft.step == CANCELLED and reply.key == "consult.cancelled"
        with pytest.raises(ValueError):
            step(reply.draft, "send", scrub=scrub)


def test_a_followup_goes_straight_to_its_preview():
    draft, key, _ = start_followup(NORD, 7, RAW, scrub=scrub)
    assert (draft.step, draft.consultation_id, draft.lang, key) == (PREVIEW, 7, "fr", "consult.preview_followup")
