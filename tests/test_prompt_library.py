"""Reflective prompts (domain/prompts.py): the shipped library, broken libraries, custom prompts,
selection, posting hours and cadence, with fixed times: no homeserver, no clock."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from domain.prompts import (DEFAULT_HOURS, EVERY_DAY, Cadence, LibraryError, Posted, PostingHours, PromptError,
                            cadence_times, choose, custom_prompt, default_times, is_custom_id, last_posted,
                            load_library, next_allowed, next_custom_id, parse_cadence, parse_hours, split_tags)
from domain.stages import STAGES
from domain.tags import TAGS, in_family, is_tag

TZ = ZoneInfo("America/Toronto")
UTC = timezone.utc


@pytest.fixture(scope="module")
def library():
    return load_library()


# --- the shipped library -----------------------------------------------------------------

def test_shipped_library_has_thirty_paired_prompts_six_per_stage(library):
    assert len(library) == 30
    for stage in STAGES:
        prompts = library.for_stage(stage)
        assert [p.id for p in prompts] == [f"{stage[0].upper()}{n}" for n in range(1, 7)]
    for p in library:
        assert set(p.texts) == {"en", "fr"} and all(t.strip() for t in p.texts.values())
        assert 1 <= len(p.tags) <= 2 and all(is_tag(t) for t in p.tags)
        assert not p.custom


def test_shipped_texts_are_copied_exactly(library):
    p1 = library.get("P1")
    assert p1.tags == ("collab.risk", "reflexive.supervision")
    assert p1.text("en").startswith('What recent situation in your work made you think, "I shouldn\'t have')
    assert "« Je ne devrais pas avoir à démêler ça sans appui »?" in p1.text("fr")
    assert library.get("C2").tags == ("reflexive.supervision",)
    assert library.get("T6").text("fr").endswith("après notre dernière rencontre?")
    assert library.get("X1") is None


def test_tags_are_the_framework_with_families():
    assert TAGS["reflexive.self_care"].family == "leaves"
    assert TAGS["risk.children"].group == "Recognize, assess, and communicate risk"
    assert in_family("stem") == ("org.support",)
    assert all(t.startswith("other.") for t in in_family("blank_petals"))
    assert not is_tag("reflexive") and not is_tag("Reflexive.Self_Care")


# --- broken libraries --------------------------------------------------------------------

GOOD = '''[[prompt]]
id = "P1"
stage = "potential"
tags = ["collab.risk"]
en = "What helps?"
fr = "Qu'est-ce qui aide?"
'''


def entry(**fields) -> str:
    base = {"id": '"P1"', "stage": '"potential"', "tags": '["collab.risk"]', "en": '"What helps?"',
            "fr": '"Qu\'est-ce qui aide?"'}
    base.update(fields)
    return "[[prompt]]\n" + "".join(f"{k} = {v}\n" for k, v in base.items() if v is not None)


def problems(tmp_path, **files) -> list[str]:
    for name, body in files.items():
        (tmp_path / f"{name}.toml").write_text(body, encoding="utf-8")
    with pytest.raises(LibraryError) as err:
        load_library(tmp_path)
    assert str(tmp_path) in str(err.value)
    assert all(p in str(err.value) for p in err.value.problems)
    return err.value.problems


def test_a_small_valid_folder_loads(tmp_path):
    (tmp_path / "mine.toml").write_text(GOOD + "\n" + entry(id='"C1"', stage='"coalescing"'), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a prompt file")
    loaded = load_library(str(tmp_path))
    assert [p.id for p in loaded] == ["P1", "C1"]


@pytest.mark.parametrize("fields, expected", [
    ({"stage": '"forming"'}, "a.toml, entry 1 (P1): unknown stage 'forming'"),
    ({"tags": '["collab.risk", "collab.risky"]'}, "a.toml, entry 1 (P1): unknown tag 'collab.risky'"),
    ({"tags": "[]"}, "a.toml, entry 1 (P1): 0 tags: give one or two"),
    ({"tags": '["collab.risk", "org.support", "law.court"]'}, "a.toml, entry 1 (P1): 3 tags: give one or two"),
    ({"tags": '["collab.risk", "collab.risk"]'}, "a.toml, entry 1 (P1): tag 'collab.risk' given twice"),
    ({"tags": '"collab.risk"'}, "a.toml, entry 1 (P1): tags must be a list"),
    ({"tags": None}, "a.toml, entry 1 (P1): missing tags"),
    ({"fr": None}, "a.toml, entry 1 (P1): missing French text (fr)"),
    ({"en": '"   "'}, "a.toml, entry 1 (P1): empty English text (en)"),
    ({"en": "3"}, "a.toml, entry 1 (P1): English text (en) must be a string"),
    ({"id": '"Q1"'}, "a.toml, entry 1 (Q1): bad id 'Q1'"),
    ({"id": '"p1"'}, "a.toml, entry 1 (p1): bad id 'p1'"),
    ({"id": '"P0"'}, "a.toml, entry 1 (P0): bad id 'P0'"),
    ({"id": '"X1"'}, "a.toml, entry 1 (X1): bad id 'X1'"),
    ({"id": "7"}, "a.toml, entry 1: bad id 7"),
    ({"id": None}, "a.toml, entry 1: missing id"),
    ({"id": '"C1"'}, "a.toml, entry 1 (C1): bad id C1: a potential prompt's id starts with P"),
    ({"stage": None}, "a.toml, entry 1 (P1): missing stage"),
    ({"colour": '"blue"'}, "a.toml, entry 1 (P1): unknown key 'colour'"),
])
def test_each_broken_entry_is_named_by_file_and_entry(tmp_path, fields, expected):
    found = problems(tmp_path, a=entry(**fields))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_duplicate_ids_within_and_across_files(tmp_path):
    found = problems(tmp_path, a=GOOD + entry(id='"P2"') + entry(id='"P2"'), b=GOOD + GOOD)
    assert found == ["a.toml, entry 3 (P2): duplicate id P2, first in a.toml, entry 2 (P2)",
                     "b.toml, entry 1 (P1): duplicate id P1, first in a.toml, entry 1 (P1)",
                     "b.toml, entry 2 (P1): duplicate id P1, first in a.toml, entry 1 (P1)"]


def test_invalid_toml_and_file_level_mistakes(tmp_path):
    found = problems(tmp_path, a='[[prompt]]\nid = "P1\n', b='title = "x"\n' + GOOD, c="[prompt]\nid = \"P3\"\n", d="")
    assert found[0].startswith("a.toml: invalid TOML: ")
    assert found[1] == "b.toml: unknown key 'title' (prompts go in [[prompt]] entries)"
    assert found[2:] == ["c.toml: no [[prompt]] entries", "d.toml: no [[prompt]] entries"]


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    body = GOOD + entry(id='"P2"', stage='"nope"', fr='""') + entry(id=None, tags='["x.y"]', extra="1")
    found = problems(tmp_path, a=body)
    assert found == ["a.toml, entry 2 (P2): unknown stage 'nope' (one of potential, coalescing, maturing, "
                     "stewardship, transformation)",
                     "a.toml, entry 2 (P2): empty French text (fr)",
                     "a.toml, entry 3: unknown key 'extra'",
                     "a.toml, entry 3: missing id",
                     "a.toml, entry 3: unknown tag 'x.y'"]


def test_a_folder_without_prompt_files(tmp_path):
    assert problems(tmp_path) == ["no *.toml files"]


# --- custom prompts ----------------------------------------------------------------------

def test_custom_ids_never_reuse_and_never_look_like_library_ids(library):
    assert next_custom_id([]) == "X1"
    assert next_custom_id(["P1", "X1", "X3", "C4"]) == "X4"  # X2 was removed: X4, not X2
    assert not any(is_custom_id(p.id) for p in library)
    assert is_custom_id("X12") and not is_custom_id("X0") and not is_custom_id("x1")


def test_a_custom_prompt_is_posted_as_written():
    p = custom_prompt("X1", "maturing", "  Qu'est-ce qui vous a surpris?  ", ["#Core.Strengths"], lang="fr")
    assert p.custom and p.tags == ("core.strengths",)
    assert p.text("en") == p.text("fr") == "Qu'est-ce qui vous a surpris?"
    assert custom_prompt("X2", "maturing", "Untagged?").tags == ()


@pytest.mark.parametrize("args, key", [
    (("forming", "Text?", ()), "prompt.bad_stage"),
    (("maturing", "   ", ()), "prompt.empty"),
    (("maturing", "x" * 1001, ()), "prompt.too_long"),
    (("maturing", "Text?", ("core.strenghts",)), "prompt.bad_tag"),
    (("maturing", "Text?", ("org.support", "law.court", "risk.assess")), "prompt.too_many_tags"),
])
def test_custom_prompts_that_cannot_be_made(args, key):
    with pytest.raises(PromptError) as err:
        custom_prompt("X1", *args)
    assert err.value.key == key


def test_trailing_hashtags_are_tags():
    assert split_tags("What restores you?\nBe honest. #reflexive.self_care #org.support ") == (
        "What restores you?\nBe honest.", ("reflexive.self_care", "org.support"))
    assert split_tags("Case #3 taught you what?") == ("Case #3 taught you what?", ())


# --- selection ---------------------------------------------------------------------------

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)


def post(prompt, n: int) -> Posted:
    return Posted(prompt.id, T0 + timedelta(days=n), prompt.tags)


def run(prompts, history: list[Posted], times: int) -> list[str]:
    """Choose and post `times` prompts in a row, appending to history."""
    picked = []
    for _ in range(times):
        p = choose(prompts, history)
        history.append(post(p, len(history)))
        picked.append(p.id)
    return picked


def test_a_round_uses_every_prompt_once_balancing_tags(library):
    history: list[Posted] = []
    first = run(library.for_stage("potential"), history, 6)
    # Id order would be P1..P6; P4 comes third because P3 repeats collab.risk from P1.
    assert first == ["P1", "P2", "P4", "P6", "P3", "P5"]
    second = run(library.for_stage("potential"), history, 6)
    assert sorted(second) == sorted(first) and second[0] != first[-1]


def test_rounds_never_repeat_and_never_follow_themselves(library):
    history: list[Posted] = []
    picked = run(library.for_stage("maturing"), history, 24)
    for start in range(0, 24, 6):
        assert len(set(picked[start:start + 6])) == 6
    assert all(a != b for a, b in zip(picked, picked[1:]))


def test_a_new_round_does_not_start_with_the_last_prompt(library):
    coalescing = library.for_stage("coalescing")
    history = [post(library.get(pid), n) for n, pid in enumerate(["C2", "C3", "C4", "C5", "C6", "C1"])]
    # C1 ties with C3, C4, C5 and C6 on tags and wins on id order, but was just posted.
    assert choose(coalescing, history).id == "C3"
    assert choose(coalescing, history[:-1] + [post(library.get("C1"), -1)]).id == "C1"


def test_a_round_survives_stage_changes(library):
    potential, coalescing = library.for_stage("potential"), library.for_stage("coalescing")
    history: list[Posted] = []
    assert run(potential, history, 3) == ["P1", "P2", "P4"]
    # C3 first: its tags are the only ones not yet posted in potential.
    moved = run(coalescing, history, 2)
    assert moved[0] == "C3" and len(set(moved)) == 2
    # Moved back to potential: the round left there goes on with the three unused.
    assert sorted(run(potential, history, 3)) == ["P3", "P5", "P6"]
    # And in coalescing again, the two posted before still count as used.
    assert sorted(run(coalescing, history, 4)) == sorted({p.id for p in coalescing} - set(moved))
    # Both rounds are complete now: each stage starts a new one.
    assert len(set(run(potential, history, 6))) == 6


def test_tags_posted_in_other_stages_count_in_the_balance(library):
    # Without balance C1 would come first; but its tags were just posted in potential.
    history = [post(library.get("P2"), 0), post(library.get("P6"), 1)]
    assert choose(library.for_stage("coalescing"), history).id == "C2"
    assert choose(library.for_stage("coalescing"), []).id == "C1"


def test_a_prompt_posted_on_request_counts_as_used(library):
    history = [post(library.get("P1"), 0), post(library.get("P2"), 1)]
    assert choose(library.for_stage("potential"), history).id == "P4"
    history.append(post(library.get("P4"), 2))  # `!cop prompt P4`
    assert choose(library.for_stage("potential"), history).id == "P6"


def test_choice_is_deterministic_whatever_the_order_of_inputs(library):
    prompts = list(library.for_stage("stewardship"))
    history: list[Posted] = []
    run(prompts, history, 3)
    expected = choose(prompts, history).id
    rng = random.Random(6)
    for _ in range(5):
        rng.shuffle(prompts)
        rng.shuffle(history)
        assert choose(prompts, history).id == expected


def test_custom_prompts_join_the_round_and_removed_ones_do_not_block_it(library):
    stage = list(library.for_stage("transformation"))
    history: list[Posted] = []
    run(stage, history, 5)
    gone = custom_prompt("X1", "transformation", "Old question?", ["org.support"])
    history.append(post(gone, 10))  # X1 posted, then removed by the facilitator
    new = custom_prompt("X2", "transformation", "What will you miss?")
    left = [p for p in stage if p.id not in {h.prompt_id for h in history}]
    assert len(left) == 1
    # Untagged X2 counts 0, but the last library prompt is still due in this round either way.
    picked = run(stage + [new], history, 2)
    assert sorted(picked) == sorted([left[0].id, "X2"])
    # Round complete (X1 is no candidate any more), so a new one starts.
    assert run(stage + [new], history, 1)[0] != picked[-1]


def test_edge_cases_of_selection(library):
    assert choose([], []) is None
    only = custom_prompt("X1", "potential", "Only one?")
    assert choose([only], [post(only, 0)]) == only  # a stage of one repeats it
    assert last_posted([post(only, 0), post(only, 3), post(only, 1)]) == {"X1": T0 + timedelta(days=3)}


# --- posting hours -----------------------------------------------------------------------

@pytest.mark.parametrize("text, days, start, end", [
    ("mon-fri 09:00-17:00", range(5), time(9), time(17)),
    ("weekdays 9:00-17:00", range(5), time(9), time(17)),
    ("every day 08:30-20:00", range(7), time(8, 30), time(20)),
    ("lun-ven 09:00-17:00", range(5), time(9), time(17)),
    ("Lundi au vendredi 9h-16h30", range(5), time(9), time(16, 30)),
    ("tous les jours 8h30–20h", range(7), time(8, 30), time(20)),
    ("mon, wed and fri 10:00 to 12:00", (0, 2, 4), time(10), time(12)),
    ("fri-mon 10-16", (4, 5, 6, 0), time(10), time(16)),
    ("weekends 10:00-12:00", (5, 6), time(10), time(12)),
    ("13:00-15:00", range(5), time(13), time(15)),
])
def test_posting_hours_in_english_and_french(text, days, start, end):
    hours = parse_hours(text)
    assert hours == PostingHours(frozenset(days), start, end)
    assert parse_hours(str(hours)) == hours


@pytest.mark.parametrize("text", ["mon-fri", "17:00-09:00", "funday 9:00-17:00", "mon-fri 25:00-26:00",
                                  "mon-fri 9:00-9:00", "", "mon-tue-wed 9-17"])
def test_posting_hours_that_cannot_be_read(text):
    with pytest.raises(PromptError) as err:
        parse_hours(text)
    assert err.value.key == "prompt.bad_hours"


def test_default_hours_and_canonical_text():
    assert str(DEFAULT_HOURS) == "mon-fri 09:00-17:00"
    assert str(PostingHours(EVERY_DAY, time(8, 30), time(20))) == "every day 08:30-20:00"
    assert str(PostingHours({0, 4, 5, 6}, time(10), time(16))) == "mon,fri-sun 10:00-16:00"


def toronto(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def test_inside_hours_is_now_and_the_window_end_is_excluded():
    tuesday = toronto(2027, 1, 12, 10, 15)
    assert next_allowed(tuesday, TZ) == tuesday
    assert next_allowed(toronto(2027, 1, 12, 7, 0), TZ) == toronto(2027, 1, 12, 9, 0)
    assert next_allowed(toronto(2027, 1, 15, 17, 0), TZ) == toronto(2027, 1, 18, 9, 0)  # Friday 17:00 -> Monday


def test_the_spring_dst_weekend_keeps_nine_oclock():
    # Friday 12 March 2027 18:00 EST; clocks go forward on Sunday 14 March.
    friday = datetime(2027, 3, 12, 23, 0, tzinfo=UTC)
    monday = next_allowed(friday, TZ)
    assert monday == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)  # 09:00 EDT, not 14:00 UTC
    assert (monday.hour, monday.utcoffset()) == (9, timedelta(hours=-4)) and monday.tzinfo == TZ


def test_the_autumn_dst_weekend_keeps_nine_oclock():
    monday = next_allowed(toronto(2027, 11, 5, 17, 30), TZ)
    assert monday == datetime(2027, 11, 8, 14, 0, tzinfo=UTC)  # 09:00 EST


def test_an_opening_in_the_skipped_hour_moves_forward():
    night = PostingHours(EVERY_DAY, time(2, 30), time(4, 0))
    sunday = next_allowed(toronto(2027, 3, 13, 5, 0), TZ, night)
    assert sunday == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)  # 02:30 does not exist: 03:30 EDT


def test_never_during_a_workshop():
    workshop = (toronto(2027, 1, 12, 10, 0), toronto(2027, 1, 12, 12, 0))
    assert next_allowed(toronto(2027, 1, 12, 10, 30), TZ, busy=[workshop]) == toronto(2027, 1, 12, 12, 0)
    assert next_allowed(toronto(2027, 1, 12, 9, 30), TZ, busy=[workshop]) == toronto(2027, 1, 12, 9, 30)
    # Back-to-back sessions chain; one running past 17:00 sends the prompt to the next morning.
    later = (toronto(2027, 1, 12, 12, 0), toronto(2027, 1, 12, 13, 0))
    assert next_allowed(toronto(2027, 1, 12, 10, 30), TZ, busy=[later, workshop]) == toronto(2027, 1, 12, 13, 0)
    evening = (toronto(2027, 1, 12, 15, 0), toronto(2027, 1, 12, 18, 0))
    assert next_allowed(toronto(2027, 1, 12, 16, 0), TZ, busy=[evening]) == toronto(2027, 1, 13, 9, 0)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        next_allowed(datetime(2027, 1, 12, 10, 0), TZ)


# --- cadence -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("every 3 days", Cadence(3)),
    ("every 7 days at 10:00", Cadence(7, time(10))),
    ("Every day", Cadence(1)),
    ("daily at 9:30", Cadence(1, time(9, 30))),
    ("tous les 3 jours à 10h", Cadence(3, time(10))),
])
def test_cadences_in_english_and_french(text, expected):
    assert parse_cadence(text) == expected


@pytest.mark.parametrize("text", ["every 0 days", "every 61 days", "every few days", "every 3 days at 25:00",
                                  "weekly"])
def test_cadences_that_cannot_be_read(text):
    with pytest.raises(PromptError) as err:
        parse_cadence(text)
    assert err.value.key == "prompt.bad_cadence"


def test_cadence_keeps_wall_clock_time_across_dst():
    due = cadence_times(Cadence(7, time(10)), date(2027, 3, 1), TZ, toronto(2027, 3, 2, 0, 0), count=3)
    assert [d.date().isoformat() for d in due] == ["2027-03-08", "2027-03-15", "2027-03-22"]
    assert all((d.hour, d.minute) == (10, 0) for d in due)
    assert [d.astimezone(UTC).hour for d in due] == [15, 14, 14]  # EST, then EDT


def test_cadence_is_strictly_after_and_defaults_to_the_hours_start():
    cadence = Cadence(3)
    first = cadence_times(cadence, date(2027, 1, 11), TZ, toronto(2027, 1, 10, 12, 0))
    assert first == [toronto(2027, 1, 11, 9, 0)]  # the anchor day itself
    assert cadence_times(cadence, date(2027, 1, 11), TZ, first[0]) == [toronto(2027, 1, 14, 9, 0)]
    late = PostingHours(start=time(13), end=time(17))
    assert cadence_times(cadence, date(2027, 1, 11), TZ, first[0], hours=late) == [toronto(2027, 1, 11, 13, 0)]


def test_a_cadence_time_skipped_by_dst_moves_forward():
    due = cadence_times(Cadence(1, time(2, 30)), date(2027, 3, 12), TZ, toronto(2027, 3, 13, 12, 0), count=2)
    assert [(d.day, d.hour, d.minute) for d in due] == [(14, 3, 30), (15, 2, 30)]


def test_missed_occurrences_collapse_into_one():
    # Daily at 10:00; the last post went out on Monday after a weekend outside posting hours.
    posted = next_allowed(toronto(2027, 1, 16, 10, 0), TZ)  # Saturday's occurrence -> Monday 09:00
    assert posted == toronto(2027, 1, 18, 9, 0)
    assert cadence_times(Cadence(1, time(10)), date(2027, 1, 1), TZ, posted) == [toronto(2027, 1, 18, 10, 0)]


def test_default_is_three_days_after_each_workshop_in_posting_hours():
    tuesday = toronto(2027, 1, 12, 10, 0)
    thursday = toronto(2027, 3, 11, 10, 0)  # three days later is the DST Sunday
    due = default_times([thursday, tuesday], TZ)
    assert due == [toronto(2027, 1, 15, 9, 0), datetime(2027, 3, 15, 13, 0, tzinfo=UTC)]


def test_default_drops_a_prompt_that_would_come_after_the_next_workshop():
    first, second = toronto(2027, 1, 12, 10, 0), toronto(2027, 1, 14, 10, 0)
    assert default_times([first, second], TZ) == [toronto(2027, 1, 18, 9, 0)]  # Sunday -> Monday
    assert default_times([], TZ) == []
