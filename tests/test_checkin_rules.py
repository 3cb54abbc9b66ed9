"""Practice-impact check-ins (domain/checkins.py): answer parsing, the DM conversation,
periods, invitation and reminder times, the trend. Fixed times: no homeserver, no clock."""

from __future__ import annotations

import re
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from domain import checkins
from domain.checkins import (CANCELLED, CONSENT, DONE, ITEMS, MAX_TEXT, TAGS_STEP, TEXT, CheckinError, Draft,
                             invitation_due, parse_all, parse_one, parse_tags, period_of, reminder_due,
                             send_time, start, step, trend)
from domain.prompts import PostingHours
from domain.tags import TAGS

TZ = ZoneInfo("America/Toronto")


def toronto(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def fake_scrub(text: str) -> str:
    return text.replace("Marie Tremblay", "[name]")


def say(draft: Draft, text: str):
    return step(draft, text, scrub=fake_scrub)


# --- parsing -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, values", [
    ("1 2 2 4 n", (1, 2, 2, 4, None)),
    ("4,3,3,1,n/a", (4, 3, 3, 1, None)),
    ("4, 3 ,3 ; 1  NA", (4, 3, 3, 1, None)),
    ("  4 4 4 4 4.  ", (4, 4, 4, 4, 4)),
    ("n N/A na n.a. 2", (None, None, None, None, 2)),
    ("4 3 s.o. sans objet 1", (4, 3, None, None, 1)),   # French
    ("4 S/O 2 Sans Objet so", (4, None, 2, None, None)),
    ("4 not applicable 3 2 1", (4, None, 3, 2, 1)),
])
def test_parse_all_accepts_one_value_per_item(text, values):
    assert parse_all(text) == values


@pytest.mark.parametrize("text, key, params", [
    ("7", "checkin.bad_value", {"value": "7", "position": 1}),
    ("yes", "checkin.bad_value", {"value": "yes", "position": 1}),
    ("1 2 7 4 n", "checkin.bad_value", {"value": "7", "position": 3}),
    ("4 3 0 1 2", "checkin.bad_value", {"value": "0", "position": 3}),
    ("4 3 2.5 1 2", "checkin.bad_value", {"value": "2.5", "position": 3}),
    ("1 2 2", "checkin.too_few", {"count": 3, "expected": 5}),
    ("4", "checkin.too_few", {"count": 1, "expected": 5}),
    ("1 2 2 4 n 3", "checkin.too_many", {"count": 6, "expected": 5}),
    ("", "checkin.empty", {}),
    (" , ", "checkin.empty", {}),
])
def test_parse_all_refuses_with_a_catalogue_key(text, key, params):
    with pytest.raises(CheckinError) as err:
        parse_all(text)
    assert (err.value.key, err.value.params) == (key, params)


@pytest.mark.parametrize("text, value", [
    ("3", 3), (" 1 ", 1), ("n", None), ("N/A", None), ("s.o.", None), ("sans objet", None), ("na", None)])
def test_parse_one(text, value):
    assert parse_one(text) == value


@pytest.mark.parametrize("text, key", [
    ("2 3", "checkin.one_value"), ("5", "checkin.bad_value"), ("oui", "checkin.bad_value"), ("", "checkin.empty")])
def test_parse_one_refuses(text, key):
    with pytest.raises(CheckinError) as err:
        parse_one(text)
    assert err.value.key == key


def test_parse_tags_accepts_hash_ids_and_unique_short_names():
    assert parse_tags("#collab.risk, Self_Care #collab.risk") == ("collab.risk", "reflexive.self_care")
    with pytest.raises(CheckinError) as err:
        parse_tags("#nonsense")
    assert (err.value.key, err.value.params) == ("checkin.bad_tag", {"value": "nonsense"})
    with pytest.raises(CheckinError) as err:
        parse_tags("org.support risk.assess law.court advocacy.systems")
    assert (err.value.key, err.value.params) == ("checkin.too_many_tags", {"limit": 3})


# --- the conversation ----------------------------------------------------------------------

def test_all_in_one_path_keeps_only_the_scrubbed_story():
    draft, key, params = start(2)
    assert (draft.step, key, params) == ("items", "checkin.intro", {"period": 2, "total": 5})
    draft, key, params = say(draft, "1 2 2 4 n")
    assert (draft.step, draft.answers, key) == (TEXT, (1, 2, 2, 4, None), "checkin.ask_text")
    assert params == {"limit": MAX_TEXT}
    draft, key, params = say(draft, "  I called Marie Tremblay at the shelter before the hearing.  ")
    assert draft.step == TAGS_STEP and key == "checkin.ask_tags_kept"
    assert draft.text == params["text"] == "I called [name] at the shelter before the hearing."
    assert "Marie" not in repr(draft)
    draft, key, _ = say(draft, "#collab.risk #law.court")
    assert (draft.step, draft.tags, key) == (CONSENT, ("collab.risk", "law.court"), "checkin.ask_consent")
    draft, key, params = say(draft, "Oui")
    assert (draft.step, draft.consent, key) == (DONE, True, "checkin.saved_quotable")
    assert params == {"answered": 4, "total": 5} and draft.finished


def test_item_by_item_path_asks_each_item_in_order():
    draft, _, _ = start(1)
    asked = []
    for answer in ("4", "n/a", "2", "sans objet"):
        draft, key, params = say(draft, answer)
        assert key == "checkin.ask_item"
        asked.append((params["number"], params["item"]))
    assert asked == [(2, ITEMS[1]), (3, ITEMS[2]), (4, ITEMS[3]), (5, ITEMS[4])]
    draft, key, _ = say(draft, "1")
    assert (draft.step, draft.answers, key) == (TEXT, (4, None, 2, None, 1), "checkin.ask_text")


@pytest.mark.parametrize("text, key", [
    ("7", "checkin.bad_value"), ("yes", "checkin.bad_value"), ("1 2 2", "checkin.too_few"),
    ("1 2 2 4 n 3", "checkin.too_many"), ("", "checkin.empty")])
def test_a_bad_first_answer_moves_nothing(text, key):
    draft, _, _ = start(3)
    after, got, _ = say(draft, text)
    assert after is draft and got == key


def test_a_bad_answer_midway_keeps_the_answers_so_far():
    draft, _, _ = start(1)
    draft, _, _ = say(draft, "3")
    for text, key in (("7", "checkin.bad_value"), ("2 3", "checkin.one_value"), ("maybe", "checkin.bad_value")):
        after, got, _ = say(draft, text)
        assert after is draft and got == key and draft.answers == (3,)


def test_skipping_the_story_skips_the_consent_question():
    draft, _, _ = say(start(1)[0], "4 4 3 3 3")
    draft, key, params = say(draft, "passer")
    assert (draft.step, draft.text, key, params) == (TAGS_STEP, None, "checkin.ask_tags", {"limit": 3})
    draft, key, params = say(draft, "skip")
    assert (draft.step, draft.tags, draft.consent, key) == (DONE, (), False, "checkin.saved")
    assert params == {"answered": 5, "total": 5}


def test_tags_are_listed_on_request_then_chosen():
    draft, _, _ = say(say(start(1)[0], "4 4 3 3 3")[0], "skip")
    for word in ("tags", "List", "liste", "`tags`"):
        same, key, params = say(draft, word)
        assert same is draft and key == "checkin.tag_list" and params["limit"] == 3
    assert all(f"#{tag}" in params["tags"] for tag in TAGS)
    bad, key, params = say(draft, "#collab.risk #nonsense")
    assert bad is draft and (key, params) == ("checkin.bad_tag", {"value": "nonsense"})
    draft, key, _ = say(draft, "collab.risk, #Reflexive.Self_Care")
    assert draft.tags == ("collab.risk", "reflexive.self_care") and key == "checkin.saved"


@pytest.mark.parametrize("answer, consent, key", [
    ("no", False, "checkin.saved"), ("non", False, "checkin.saved"), ("skip", False, "checkin.saved"),
    ("yes", True, "checkin.saved_quotable"), ("oui.", True, "checkin.saved_quotable")])
def test_consent_is_no_unless_the_member_says_yes(answer, consent, key):
    draft, _, _ = say(say(start(1)[0], "4 4 3 3 3")[0], "We met the CPS worker together.")
    draft, _, _ = say(draft, "skip")
    assert draft.step == CONSENT and draft.consent is False
    draft, got, _ = say(draft, answer)
    assert (draft.step, draft.consent, got) == (DONE, consent, key)


def test_an_unclear_consent_answer_is_asked_again():
    draft, _, _ = say(say(say(start(1)[0], "4 4 3 3 3")[0], "A story.")[0], "skip")
    same, key, _ = say(draft, "maybe later")
    assert same is draft and key == "checkin.yes_or_no"


def test_a_story_too_long_is_refused_before_scrubbing():
    calls = []
    draft, _, _ = say(start(1)[0], "4 4 3 3 3")
    same, key, params = step(draft, "x" * (MAX_TEXT + 1), scrub=lambda s: calls.append(s) or s)
    assert same is draft and key == "checkin.text_too_long"
    assert params == {"limit": MAX_TEXT, "length": MAX_TEXT + 1} and calls == []
    kept, _, _ = step(draft, "x" * MAX_TEXT, scrub=lambda s: calls.append(s) or s)
    assert kept.text == "x" * MAX_TEXT and len(calls) == 1


def test_cancel_at_any_step_and_a_finished_draft_takes_nothing_more():
    draft, _, _ = say(start(1)[0], "4")
    draft, key, _ = say(draft, "annuler")
    assert (draft.step, key) == (CANCELLED, "checkin.cancelled") and draft.finished
    with pytest.raises(ValueError):
        say(draft, "3")


def test_answering_again_in_a_period_asks_first():
    draft, key, _ = start(2, replacing=True)
    assert (draft.step, key) == ("replace", "checkin.replace_ask")
    assert say(draft, "maybe")[1] == "checkin.yes_or_no"
    kept, key, _ = say(draft, "non")
    assert (kept.step, key) == (CANCELLED, "checkin.kept_earlier")
    again, key, params = say(draft, "yes")
    assert (again.step, key, params) == ("items", "checkin.intro", {"period": 2, "total": 5})


def test_no_check_in_before_the_first_workshop():
    with pytest.raises(CheckinError) as err:
        start(0)
    assert err.value.key == "checkin.no_workshop"


# --- periods -------------------------------------------------------------------------------

def test_period_of_counts_workshops_started():
    w1, w2, w3 = toronto(2027, 1, 12, 10), toronto(2027, 2, 23, 10), toronto(2027, 4, 6, 10)
    starts = [w3, w1, w2]  # order does not matter
    second = timedelta(seconds=1)
    assert period_of(starts, w1 - second) == 0
    assert period_of(starts, w1) == 1
    assert period_of(starts, w2 - second) == 1
    assert period_of(starts, w2) == 2
    assert period_of(starts, w3 + timedelta(days=100)) == 3
    assert period_of([], w1) == 0
    assert period_of(starts, w2.astimezone(timezone.utc)) == 2  # any zone, same moment


# --- invitation and reminder times ---------------------------------------------------------

def test_invitation_keeps_the_wall_clock_across_spring_forward():
    workshop = toronto(2027, 3, 2, 10, 0)  # Tuesday, EST
    due = invitation_due(workshop)
    assert due == toronto(2027, 3, 16, 10, 0) and due.utcoffset() == timedelta(hours=-4)
    elapsed = due.astimezone(timezone.utc) - workshop.astimezone(timezone.utc)
    assert elapsed == timedelta(days=14, hours=-1)  # one hour shorter: DST started on 14 March
    assert send_time(due, TZ) == due  # a Tuesday at 10:00 is inside posting hours


def test_evening_workshop_invitation_waits_for_next_morning():
    due = invitation_due(toronto(2027, 3, 2, 18, 30))
    assert due == toronto(2027, 3, 16, 18, 30)
    assert send_time(due, TZ) == toronto(2027, 3, 17, 9, 0)


def test_invitation_across_fall_back_and_custom_days():
    due = invitation_due(toronto(2027, 10, 26, 10, 0), days_after=21)
    assert due == toronto(2027, 11, 16, 10, 0) and due.utcoffset() == timedelta(hours=-5)


def test_reminder_landing_on_the_dst_sunday_goes_to_monday_morning():
    invited = toronto(2027, 3, 9, 16, 30)  # Tuesday, EST
    due = reminder_due(invited)
    assert due == toronto(2027, 3, 14, 16, 30) and due.utcoffset() == timedelta(hours=-4)
    sent = send_time(due, TZ)
    assert sent == toronto(2027, 3, 15, 9, 0) and sent.utcoffset() == timedelta(hours=-4)


def test_send_time_avoids_busy_hours_and_custom_hours():
    due = toronto(2027, 3, 16, 10, 0)
    busy = [(toronto(2027, 3, 16, 9, 30), toronto(2027, 3, 16, 11, 30))]
    assert send_time(due, TZ, busy=busy) == toronto(2027, 3, 16, 11, 30)
    evenings = PostingHours(start=datetime(2000, 1, 1, 18).time(), end=datetime(2000, 1, 1, 21).time())
    assert send_time(due, TZ, evenings) == toronto(2027, 3, 16, 18, 0)


def test_nothing_is_sent_once_the_next_workshop_has_started():
    workshop, following = toronto(2027, 3, 2, 18, 30), toronto(2027, 3, 17, 9, 0)
    due = invitation_due(workshop)
    assert send_time(due, TZ, next_workshop=following) is None  # 17 March 09:00 is not before it
    assert send_time(due, TZ, next_workshop=following + timedelta(minutes=1)) == following


def test_timing_needs_an_iana_zone():
    utc_start = datetime(2027, 3, 2, 15, 0, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        invitation_due(utc_start)
    assert invitation_due(utc_start, tz=TZ) == toronto(2027, 3, 16, 10, 0)


# --- trend ---------------------------------------------------------------------------------

def test_trend_means_ignore_not_applicable_and_go_up():
    result = trend([(3, (4, 4, 4, 3, 3)), (1, (4, 3, 3, 1, None)), (2, (4, 4, 3, 2, None))])
    assert [(p.period, p.mean, p.n) for p in result.points] == [(1, 2.75, 4), (2, 3.25, 4), (3, 3.6, 5)]
    assert result.direction == "up"


@pytest.mark.parametrize("history, direction", [
    ([(1, (4, 4, 4, 4, 4)), (2, (2, 2, 2, 2, 2))], "down"),
    ([(1, (3, 3, 3, 3, 3)), (2, (3, 3, 3, 3, 4))], "steady"),   # +0.2: within the band
    ([(1, (3, 3, 3, 3, 3)), (2, (None,) * 5), (4, (4, 4, 3, 3, 4))], "up"),  # all n/a: no mean
    ([(1, (3, 3, 3, 3, 3))], None),
    ([], None),
])
def test_trend_direction(history, direction):
    assert trend(history).direction == direction


def test_trend_keeps_an_all_not_applicable_period_without_a_mean():
    points = trend([(1, (None,) * 5), (2, (1, 2, 3, 4, None))]).points
    assert [(p.mean, p.n) for p in points] == [(None, 0), (2.5, 4)]


# --- the catalogue -------------------------------------------------------------------------

def test_every_key_the_module_can_return_is_in_both_catalogues():
    """Read as TOML, not through bot/, so the domain tests stay free of Matrix."""
    source = Path(checkins.__file__).read_text("utf-8")
    keys = set(re.findall(r'"(checkin\.[a-z_]+)"', source))
    keys |= {f"checkin.item.{i}" for i in ITEMS} | {f"checkin.scale.{v}" for v in ("1", "2", "3", "4", "na")}
    locales = Path(checkins.__file__).parent.parent / "bot" / "locales"
    for lang in ("en", "fr"):
        data = tomllib.loads((locales / f"{lang}.toml").read_text("utf-8"))
        if "checkin" not in data:
            pytest.skip("the [checkin] catalogue table is not written yet")

        def has(key: str, table=data) -> bool:
            for part in key.split("."):
                if not isinstance(table, dict) or part not in table:
                    return False
                table = table[part]
            return isinstance(table, str)

        assert sorted(k for k in keys if not has(k)) == [], lang
