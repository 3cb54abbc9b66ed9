"""The series chart (issue 8, item 5): a valid, legible PNG in the community's language."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from matplotlib.image import imread

from domain.charts import DPI, SIZE_INCHES, ChartLabels, series_chart
from domain.checkins import ITEMS
from domain.summaries import Suppressed, distribution, rate

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

EN = ChartLabels(
    title="Community of practice: series summary",
    item_titles={
        "practice": "My practice changed thanks to the community",
        "safety": "Better safety of the women and children I work with",
        "cooperation": "Better collaboration with practitioners of other agencies",
        "continuity": "Better quality and continuity of the help I give",
        "partners": "Better knowledge of partner agencies' roles and services",
    },
    scale={4: "to a large extent", 3: "somewhat", 2: "a little", 1: "not at all"},
    percent_axis="% of valid answers",
    attendance="Attendance",
    response="Check-in response",
    rates_title="Attendance and check-in response rate",
    suppressed="fewer than 5 responses",
    suppressed_short="<5",
    no_data="No workshop yet: nothing to chart",
)

FR = ChartLabels(
    title="Communauté de pratique : bilan de la série",
    item_titles={
        "practice": "Ma pratique a changé grâce à la communauté",
        "safety": "Meilleure sécurité des femmes et des enfants auprès de qui j'interviens",
        "cooperation": "Meilleure collaboration avec les intervenantes d'autres organismes",
        "continuity": "Meilleures qualité et continuité de l'aide offerte",
        "partners": "Meilleure connaissance des rôles et services des organismes partenaires",
    },
    scale={4: "dans une large mesure", 3: "assez", 2: "un peu", 1: "pas du tout"},
    percent_axis="% des réponses valides",
    attendance="Présence",
    response="Réponse au bilan",
    rates_title="Taux de présence et de réponse au bilan",
    suppressed="moins de 5 réponses",
    suppressed_short="<5",
    no_data="Aucun atelier pour l'instant : rien à afficher",
)

COLUMNS = ["W1", "W2", "W3"]


def _fixture():
    counts = [
        {4: 8, 3: 12, 2: 6, 1: 3, None: 2},
        {4: 11, 3: 10, 2: 4, 1: 1},
        {4: 14, 3: 9, 2: 3, 1: 0, None: 1},
    ]
    items = {}
    for k, item in enumerate(ITEMS):
        # Shift the counts a little per item so the panels differ.
        items[item] = [distribution({p: c + (k if p == 4 else 0) for p, c in cs.items()})
                       for cs in counts]
    items["partners"][1] = distribution({4: 2, 3: 1, 2: 1})  # 4 valid answers -> suppressed
    assert isinstance(items["partners"][1], Suppressed)
    attendance = [rate(22, 30), rate(25, 31), None]  # W3 attendance not recorded
    response = [rate(29, 30), rate(3, 4), rate(26, 31)]  # W2 response suppressed
    assert isinstance(response[1], Suppressed)
    return items, attendance, response


def _decode(png: bytes):
    assert png.startswith(PNG_SIGNATURE)
    return imread(io.BytesIO(png), format="png")


@pytest.mark.parametrize("labels, out", [(EN, "/tmp/copbot-chart-en.png"),
                                         (FR, "/tmp/copbot-chart-fr.png")])
def test_series_chart_is_a_valid_png_of_the_expected_size(labels, out):
    items, attendance, response = _fixture()
    png = series_chart(COLUMNS, items, attendance, response, labels)
    image = _decode(png)
    height, width = image.shape[:2]
    assert (width, height) == (round(SIZE_INCHES[0] * DPI), round(SIZE_INCHES[1] * DPI))
    assert image.shape[2] in (3, 4)
    assert image[..., :3].std() > 0.05  # something is drawn, not a blank page
    assert len(png) > 20_000
    Path(out).write_bytes(png)  # for a human to look at


def test_same_data_gives_the_same_bytes():
    items, attendance, response = _fixture()
    one = series_chart(COLUMNS, items, attendance, response, EN)
    two = series_chart(COLUMNS, items, attendance, response, EN)
    assert one == two


def test_the_language_changes_the_picture():
    items, attendance, response = _fixture()
    assert (series_chart(COLUMNS, items, attendance, response, EN)
            != series_chart(COLUMNS, items, attendance, response, FR))


@pytest.mark.parametrize("labels", [EN, FR])
def test_no_column_still_gives_a_png_saying_no_data(labels):
    png = series_chart([], {item: [] for item in ITEMS}, [], [], labels)
    image = _decode(png)
    assert image.shape[:2] == (round(SIZE_INCHES[1] * DPI), round(SIZE_INCHES[0] * DPI))
    assert series_chart([], {}, [], [], labels) == png


def test_all_suppressed_and_missing_items_still_draw():
    items = {"practice": [Suppressed(5)] * 2}  # the other items have no data at all
    png = series_chart(["W1", "W2"], items, [Suppressed(5), None], [None, None], EN)
    _decode(png)


def test_many_workshops_still_draw():
    items, attendance, response = _fixture()
    columns = [f"W{i}" for i in range(1, 13)]
    items = {k: (v * 4) for k, v in items.items()}
    png = series_chart(columns, items, attendance * 4, response * 4, FR)
    _decode(png)


def test_lengths_must_match_the_columns():
    items, attendance, response = _fixture()
    with pytest.raises(ValueError):
        series_chart(COLUMNS[:2], items, attendance[:2], response[:2], EN)
    with pytest.raises(ValueError):
        series_chart(COLUMNS, items, attendance, response[:2], EN)


def test_row_level_values_are_refused():
    items, attendance, response = _fixture()
    items["practice"] = [3, 4, 2]  # raw answers, not aggregates
    with pytest.raises(TypeError):
        series_chart(COLUMNS, items, attendance, response, EN)


def test_matplotlib_global_state_is_not_touched():
    import sys

    items, attendance, response = _fixture()
    had_pyplot = "matplotlib.pyplot" in sys.modules
    series_chart(COLUMNS, items, attendance, response, EN)
    if not had_pyplot:
        assert "matplotlib.pyplot" not in sys.modules
