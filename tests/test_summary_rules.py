"""Numbers of coordinator summaries (issue 8): percentages of valid answers with n, suppression."""

import csv
import io
import itertools
import random
from decimal import Decimal

import pytest

from domain.checkins import ITEMS
from domain.summaries import (
    MIN_GROUP_DEFAULT, ItemStats, Rate, Suppressed, Table, distribution, distribution_table,
    format_percent, is_suppressed, quotable, rate, to_csv, to_html, to_text, top_tags)

D = Decimal

# A known period: 31 check-ins, five items.
FIXTURE = {
    "practice": {4: 19, 3: 9, 2: 1, 1: 0, None: 2},
    "safety": {4: 2, 3: 2, 2: 2, None: 25},
    "cooperation": {4: 1, 3: 1, 2: 1, 1: 1, None: 27},  # 4 valid: hidden
    "continuity": {4: 10, 3: 10, 2: 5, 1: 6},
    "partners": {3: 5},
}


def test_default_min_group_is_five():
    assert MIN_GROUP_DEFAULT == 5


def test_known_fixture_exact_percentages_and_n():
    stats = {item: distribution(FIXTURE[item], 5) for item in ITEMS}

    practice = stats["practice"]
    assert (practice.n_valid, practice.n_na) == (29, 2)
    # 19/29 = 65.52, 9/29 = 31.03, 1/29 = 3.448: the largest remainder goes to the 3.4.
    assert practice.percents == {4: D("65.5"), 3: D("31.0"), 2: D("3.5"), 1: D("0.0")}

    safety = stats["safety"]
    assert (safety.n_valid, safety.n_na) == (6, 25)
    # Three equal thirds: the tie goes to the top of the scale.
    assert safety.percents == {4: D("33.4"), 3: D("33.3"), 2: D("33.3"), 1: D("0.0")}

    assert stats["cooperation"] == Suppressed(5)

    continuity = stats["continuity"]
    assert (continuity.n_valid, continuity.n_na) == (31, 0)
    assert continuity.percents == {4: D("32.3"), 3: D("32.3"), 2: D("16.1"), 1: D("19.3")}

    partners = stats["partners"]
    assert (partners.n_valid, partners.n_na) == (5, 0)
    assert partners.percents == {4: D("0.0"), 3: D("100.0"), 2: D("0.0"), 1: D("0.0")}


def test_whole_percentages_when_asked():
    s = distribution({4: 1, 3: 1, 2: 1}, 3, decimals=0)
    assert s.percents == {4: D(34), 3: D(33), 2: D(33), 1: D(0)}


@pytest.mark.parametrize("n, shown", [(4, False), (5, True)])
def test_suppression_at_four_and_five_respondents(n, shown):
    s = distribution({4: n - 1, 1: 1}, MIN_GROUP_DEFAULT)
    assert is_suppressed(s) is not shown
    if shown:
        assert s.n_valid == 5 and s.percents[4] == D("80.0") and s.percents[1] == D("20.0")
    else:
        assert s == Suppressed(5) and not s
        assert str(s) == "fewer than 5 responses"
        assert "4" not in repr(s) and "3" not in repr(s)  # no number from the data


def test_not_applicable_does_not_count_toward_the_group():
    assert is_suppressed(distribution({4: 2, 3: 2, None: 10}, 5))
    assert distribution({4: 3, 3: 2, None: 10}, 5).n_na == 10
    assert is_suppressed(distribution({}, 5))
    assert is_suppressed(distribution({None: 40}, 5))


def test_community_threshold_is_used():
    counts = {4: 4, 3: 3}
    assert isinstance(distribution(counts, 5), ItemStats)
    assert distribution(counts, 8) == Suppressed(8)
    assert str(Suppressed(8)) == "fewer than 8 responses"


def test_percentages_always_sum_to_100():
    rng = random.Random(8)
    for _ in range(2000):
        counts = {p: rng.choice([0, 0, 1, 2, 3, 7, 13, 101]) for p in (4, 3, 2, 1)}
        counts[None] = rng.randrange(5)
        for decimals in (0, 1, 2):
            s = distribution(counts, 1, decimals=decimals)
            if is_suppressed(s):
                assert sum(counts[p] for p in (4, 3, 2, 1)) == 0
                continue
            assert sum(s.percents.values()) == 100
            for p in (4, 3, 2, 1):
                exact = D(counts[p] * 100) / D(s.n_valid)
                assert abs(s.percents[p] - exact) < D(10) ** -decimals
                if counts[p] == 0:
                    assert s.percents[p] == 0


def test_distribution_rejects_nonsense():
    with pytest.raises(ValueError):
        distribution({5: 3}, 5)
    with pytest.raises(ValueError):
        distribution({4: -1}, 5)
    with pytest.raises(ValueError):
        distribution({4: 10}, 0)


def test_rate_and_its_suppression():
    assert rate(12, 18, 5) == Rate(12, 18, D("66.7"))
    assert rate(1, 20, 5) == Rate(1, 20, D("5.0"))
    assert rate(0, 5, 5) == Rate(0, 5, D("0.0"))
    assert rate(4, 4, 5) == Suppressed(5)
    assert rate(0, 0, 5) == Suppressed(5)
    assert format_percent(rate(1, 8, 5)) == "12.5%"
    assert format_percent(rate(3, 4, 5)) == "fewer than 5 responses"
    assert rate(2, 3, 1, decimals=0).percent == D(67)


def test_top_tags_most_frequent_ties_by_name_rare_hidden():
    counts = {"safety-plan": 9, "housing": 7, "court": 7, "interpreter": 5, "police": 4,
              "children": 12, "elders": 1}
    assert top_tags(counts, k=5, min_group=5) == [
        ("children", 12), ("safety-plan", 9), ("court", 7), ("housing", 7), ("interpreter", 5)]
    assert top_tags(counts, k=2, min_group=5) == [("children", 12), ("safety-plan", 9)]
    assert top_tags(counts, k=10, min_group=8) == [("children", 12), ("safety-plan", 9)]
    assert all(tag not in dict(top_tags(counts, k=10)) for tag in ("police", "elders"))
    assert top_tags({"police": 4}, min_group=5) == []


def test_quotable_stories_gated_by_consent_and_group_size():
    stories = [("I called the shelter first.", True), ("Private one.", False),
               ("   ", True), ("We met the police liaison.", True),
               ("Mapped partner services.", True), ("A fourth consented one.", True)]
    assert quotable(stories, respondents=5, min_group=5) == [
        "I called the shelter first.", "We met the police liaison.", "Mapped partner services."]
    assert quotable(stories, respondents=4, min_group=5) == []
    assert quotable(stories, respondents=12, min_group=5, k=1) == ["I called the shelter first."]
    assert quotable([("No.", False)], respondents=30) == []
    assert "Private one." not in quotable(stories, respondents=30, k=10)


def test_csv_parses_back_with_the_same_numbers():
    stats = {item: distribution(FIXTURE[item], 5) for item in ITEMS}
    table = distribution_table(stats)
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    assert rows[0] == ["item", "n valid", "n not applicable", "4", "3", "2", "1"]
    assert rows[1] == ["practice", "29", "2", "65.5%", "31.0%", "3.5%", "0.0%"]
    assert rows[3] == ["cooperation", "fewer than 5 responses", "", "", "", "", ""]
    assert len(rows) == 1 + len(ITEMS)
    assert all(len(r) == 7 for r in rows)


def test_csv_quotes_commas_and_defuses_formulas():
    table = Table(("label", "value"), (("a, b", "1"), ("=HYPERLINK(1)", "-3"), ("-x", "+1")))
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    assert rows[1:] == [["a, b", "1"], ["'=HYPERLINK(1)", "-3"], ["'-x", "'+1"]]


def test_table_checks_its_shape():
    with pytest.raises(ValueError):
        Table(("a", "b"), (("1",),))
    with pytest.raises(TypeError):
        Table(("a",), ((1,),))


def test_text_and_html_render_the_same_cells():
    table = distribution_table({"practice": distribution(FIXTURE["practice"], 5)},
                               item_labels={"practice": "Pratique <changée>"},
                               header=("item", "n", "s.o.", "4", "3", "2", "1"))
    text = to_text(table)
    assert text.splitlines()[1].split() == [
        "Pratique", "<changée>", "29", "2", "65.5%", "31.0%", "3.5%", "0.0%"]
    page = to_html(table)
    assert "<td>Pratique &lt;changée&gt;</td>" in page and "<td>65.5%</td>" in page
    assert page.count("<tr>") == 2


def test_no_combination_of_four_valid_answers_is_shown():
    for combo in itertools.combinations_with_replacement((4, 3, 2, 1), 4):
        counts = {p: combo.count(p) for p in (4, 3, 2, 1)}
        assert distribution(counts, 5) == Suppressed(5)
