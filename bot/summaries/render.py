"""Summaries as tables: the same cells become HTML, plain text and CSV.

Every breakdown goes through domain/summaries.py, which hides groups smaller than
the community's minimum; a hidden cell shows the catalogue's "fewer than N responses".
"""

from __future__ import annotations

from typing import Callable

from bot.text import Text
from bot.workshops import texts
from domain.checkins import ITEMS, item_key
from domain.report import Period
from domain.summaries import (POINTS, ItemStats, Suppressed, Table, distribution, format_percent, quotable, rate,
                              to_csv, to_html, to_text, top_tags)

T = Callable[..., Text]


class Renderer:
    def __init__(self, t: T, tz: str, min_group: int):
        self.t, self.tz, self.min = t, tz, min_group

    def hidden(self) -> str:
        return self.t("summary.hidden", n=self.min).plain

    def cell(self, value) -> str:
        if isinstance(value, Suppressed):
            return self.hidden()
        if value is None:
            return "-"
        return format_percent(value)

    def stats(self, p: Period, item: str) -> ItemStats | Suppressed:
        return distribution(p.items.get(item, {}), self.min)

    def item_cell(self, p: Period, item: str) -> str:
        s = self.stats(p, item)
        if isinstance(s, Suppressed):
            return self.hidden()
        shares = " · ".join(f"{point}: {format_percent(s.percent(point))}" for point in POINTS)
        return f"{shares} (n={s.n_valid})"

    def attendance(self, p: Period):
        if p.workshop is None or not p.members:
            return None
        return rate(p.attended, p.members, self.min)

    def response(self, p: Period):
        return rate(p.checkins, p.invited, self.min) if p.invited else None

    def categories(self, p: Period) -> str:
        if not p.opened:
            return "-"
        if p.opened < self.min:
            return self.hidden()
        return ", ".join(f"{k} {v}" for k, v in sorted(p.categories.items(), key=lambda kv: (-kv[1], kv[0])))

    def tags(self, p: Period) -> str:
        shown = top_tags(p.tags, 5, self.min)
        if not shown:
            return self.hidden() if p.tags else "-"
        return ", ".join(f"{tag} {n}" for tag, n in shown)

    def when(self, p: Period) -> str:
        return texts.when(self.t, p.workshop_at, self.tz) if p.workshop_at else "-"

    def stage(self, p: Period) -> str:
        """The stage at the end of the period, or the moves made in it: 'potential → coalescing'."""
        moves = [s for s in p.stage_steps if s.from_stage]
        if moves:
            return " → ".join(texts.stage(self.t, n) for n in [moves[0].from_stage, *(s.to_stage for s in moves)])
        return texts.stage(self.t, p.stage) if p.stage else "-"

    def response_cell(self, p: Period) -> str:
        if not p.invited:
            return str(p.checkins) if p.checkins else "-"
        value = self.response(p)
        return self.hidden() if isinstance(value, Suppressed) else f"{self.cell(value)} ({p.checkins}/{p.invited})"

    def activity(self, columns: list[Period]) -> Table:
        """One row per measure, one column per period."""
        t = self.t
        rows = [
            (t("summary.row.when").plain, *[self.when(p) for p in columns]),
            (t("summary.row.stage").plain, *[self.stage(p) for p in columns]),
            (t("summary.row.rsvp").plain, *[f"{p.rsvp['yes']} / {p.rsvp['maybe']} / {p.rsvp['no']}"
                                            if p.workshop else "-" for p in columns]),
            (t("summary.row.attended").plain, *[str(p.attended) if p.workshop else "-" for p in columns]),
            (t("summary.row.attendance").plain, *[self.cell(self.attendance(p)) for p in columns]),
            (t("summary.row.prompts").plain, *[f"{p.prompts} / {p.replies} / {p.repliers}" for p in columns]),
            (t("summary.row.consultations").plain, *[f"{p.opened} / {p.followed_up} / {p.closed}"
                                                     for p in columns]),
            (t("summary.row.categories").plain, *[self.categories(p) for p in columns]),
            (t("summary.row.response").plain, *[self.response_cell(p) for p in columns]),
            (t("summary.row.tags").plain, *[self.tags(p) for p in columns]),
            (t("summary.row.stories").plain, *[str(p.stories) for p in columns]),
        ]
        return Table(("", *[p.label for p in columns]), tuple(rows))

    def items(self, columns: list[Period]) -> Table:
        rows = tuple((self.t(item_key(item)).plain, *[self.item_cell(p, item) for p in columns]) for item in ITEMS)
        return Table((self.t("summary.item").plain, *[p.label for p in columns]), rows)

    def stories(self, p: Period) -> list[str]:
        return quotable(((s, True) for s in p.quotable), p.checkins, self.min)


def table_text(table: Table) -> Text:
    return Text.of(to_text(table), to_html(table))


def render(r: Renderer, title: Text, columns: list[Period], total: Period) -> Text:
    """The readable message: activity and check-in tables, then quotable stories."""
    shown = columns + [total] if len(columns) > 1 else columns
    text = title + r.t("summary.activity_title") + table_text(r.activity(shown)) + \
        r.t("summary.items_title") + table_text(r.items(shown)) + r.t("summary.legend", n=r.min)
    if len(columns) > 1 and total.stage_steps:
        timeline = " → ".join(f"{texts.stage(r.t, s.to_stage)} ({texts.when(r.t, s.at, r.tz)})"
                              for s in total.stage_steps)
        text += r.t("summary.timeline", timeline=timeline)
    quotes = r.stories(total)
    if quotes:
        text += r.t("summary.quotes_title") + Text.join([Text.escaped("“" + q + "”") for q in quotes])
    return text


def csv_files(r: Renderer, columns: list[Period], total: Period) -> dict[str, bytes]:
    shown = columns + [total] if len(columns) > 1 else columns
    return {"activity.csv": to_csv(r.activity(shown)).encode(), "checkin-items.csv": to_csv(r.items(shown)).encode()}
