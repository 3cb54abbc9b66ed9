"""The summary chart, labelled from the catalogue in the community's language.

domain.charts (matplotlib) is imported on the first chart, not with the bot: it is a third of the
bot's import time and about 20 MB of its memory, for a command coordinators use now and then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.summaries.render import Renderer
from domain.checkins import ITEMS
from domain.report import Period
from domain.summaries import POINTS

if TYPE_CHECKING:
    from domain.charts import ChartLabels


def labels(r: Renderer, name: str) -> ChartLabels:
    from domain.charts import ChartLabels

    t = r.t
    return ChartLabels(
        title=t("summary.chart.title", name=name).plain,
        item_titles={item: t(f"summary.short.{item}").plain for item in ITEMS},
        scale={p: t(f'checkin.scale.{p}').plain for p in POINTS},  # the chart puts the number first
        percent_axis=t("summary.chart.percent_axis").plain, attendance=t("summary.chart.attendance").plain,
        response=t("summary.chart.response").plain, rates_title=t("summary.chart.rates_title").plain,
        answered=t("summary.chart.answered").plain,
        suppressed=r.hidden(), suppressed_short=t("summary.chart.suppressed_short", n=r.min).plain,
        no_data=t("summary.chart.no_data").plain)


def chart_png(r: Renderer, columns: list[Period], name: str) -> bytes:
    """Stacked answers per item and workshop, and participation rates (CPU-bound: run it in a thread)."""
    from domain.charts import series_chart

    return series_chart([p.label for p in columns], {item: [r.stats(p, item) for p in columns] for item in ITEMS},
                        [r.attendance(p) for p in columns], [r.response(p) for p in columns], labels(r, name),
                        answered=[r.answered(p) for p in columns])
