"""Summaries as tables: the same cells become HTML, plain text and CSV.

Every breakdown goes through domain/summaries.py, which hides groups smaller than
the community's minimum; a hidden cell shows the catalogue's "fewer than N responses".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from bot.text import Text
from bot.workshops import texts
from domain.checkins import ITEMS, item_key
from domain.disclosure import Disclosure
from domain.report import Period
from domain.sectors import BUCKETS
from domain.summaries import (POINTS, ItemStats, Suppressed, Table, distribution, format_percent, quotable, rate,
                              to_csv, to_html, to_text, top_tags)

if TYPE_CHECKING:
    from bot.summaries.gather import Summary

T = Callable[..., Text]


class Renderer:
    """Cells of one community's summaries. With a `disclosure` plan (domain/disclosure.py), a
    figure over a period of the series is shown only where the plan releases it."""

    def __init__(self, t: T, tz: str, min_group: int, disclosure: Disclosure | None = None):
        self.t, self.tz, self.min, self.plan = t, tz, min_group, disclosure

    def hidden(self) -> str:
        return self.t("summary.hidden", n=self.min).plain

    def fewer(self) -> str:
        return self.t("summary.fewer", n=self.min).plain

    def withheld(self) -> str:
        return self.t("summary.withheld").plain

    def released(self, p: Period, name: str) -> bool:
        return self.plan is None or p.span is None or self.plan.released(name, p.span)

    def shows(self, p: Period, name: str, value: int) -> bool:
        """A count is shown when it is 0 or at least the minimum group, and the plan releases it."""
        return not 1 <= value < self.min and self.released(p, name)

    def count(self, p: Period, name: str, value: int) -> str:
        if self.shows(p, name, value):
            return str(value)
        return self.fewer() if value < self.min else self.withheld()

    def cell(self, value) -> str:
        if isinstance(value, Suppressed):
            return self.hidden()
        if value is None:
            return "-"
        return format_percent(value)

    def stats(self, p: Period, item: str) -> ItemStats | Suppressed:
        if not self.released(p, f"item.{item}"):
            return Suppressed(self.min)
        return distribution(p.items.get(item, {}), self.min)

    def item_cell(self, p: Period, item: str) -> str:
        s = self.stats(p, item)
        if isinstance(s, Suppressed):
            valid = sum(p.items.get(item, {}).get(v, 0) for v in POINTS)
            return self.hidden() if valid < self.min else self.withheld()
        shares = " · ".join(f"{point}: {format_percent(s.percent(point))}" for point in POINTS)
        return f"{shares} (n={s.n_valid})"

    def attendance(self, p: Period):
        if p.workshop is None or not p.members:
            return None
        if not self.shows(p, "attended", p.attended):
            return Suppressed(self.min)
        return rate(p.attended, p.members, self.min)

    def response(self, p: Period):
        if not p.invited:
            return None
        if not (self.shows(p, "checkins", p.checkins) and self.shows(p, "invited", p.invited)):
            return Suppressed(self.min)
        return rate(p.checkins, p.invited, self.min)

    def categories(self, p: Period) -> str:
        if not p.opened:
            return "-"
        if not self.shows(p, "opened", p.opened):
            return self.count(p, "opened", p.opened)
        shown = [(k, v) for k, v in p.categories.items() if v >= self.min and self.released(p, f"category.{k}")]
        if not shown:
            return self.fewer()
        return ", ".join(f"{k} {v}" for k, v in sorted(shown, key=lambda kv: (-kv[1], kv[0])))

    def reach(self, p: Period) -> str:
        """Sectors reached per consultation: the mean, then how many consultations reached 0, 1,
        2, 3+ sectors. The mean needs the consultations shown (k or more) and the sum released."""
        if not p.opened:
            return "-"
        if not self.shows(p, "opened", p.opened):
            return self.count(p, "opened", p.opened)
        mean = f"{p.reach_sum / p.opened:.1f}" if self.released(p, "reach_sum") else self.withheld()
        buckets = " · ".join(self.t("summary.reach_bucket", bucket=name,
                                    n=self.count(p, f"reach.{name}", p.reach.get(name, 0))).plain for name in BUCKETS)
        return self.t("summary.reach_cell", mean=mean, buckets=buckets).plain

    def answered(self, p: Period):
        """Consultations answered from a wanted sector, of those that wanted one."""
        if not p.wanted:
            return None
        if not (self.shows(p, "wanted", p.wanted) and self.shows(p, "wanted_answered", p.wanted_answered)):
            return Suppressed(self.min)
        return rate(p.wanted_answered, p.wanted, self.min)

    def answered_cell(self, p: Period) -> str:
        value = self.answered(p)
        if value is None:
            return "-"
        if isinstance(value, Suppressed):
            return self.fewer() if p.wanted < self.min or 1 <= p.wanted_answered < self.min else self.withheld()
        return f"{self.cell(value)} ({p.wanted_answered}/{p.wanted})"

    def tags(self, p: Period) -> str:
        shown = top_tags({k: v for k, v in p.tags.items() if self.released(p, f"tag.{k}")}, 5, self.min)
        if not shown:
            if any(n >= self.min for n in p.tags.values()):
                return self.withheld()
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
            return self.count(p, "checkins", p.checkins) if p.checkins else "-"
        value = self.response(p)
        if isinstance(value, Suppressed):
            return self.hidden() if p.checkins < self.min or p.invited < self.min else self.withheld()
        return f"{self.cell(value)} ({p.checkins}/{p.invited})"

    def activity(self, columns: list[Period]) -> Table:
        """One row per measure, one column per period."""
        t = self.t
        rows = [
            (t("summary.row.when").plain, *[self.when(p) for p in columns]),
            (t("summary.row.stage").plain, *[self.stage(p) for p in columns]),
            (t("summary.row.rsvp").plain, *[" / ".join(self.count(p, f"rsvp.{a}", p.rsvp[a])
                                                       for a in ("yes", "maybe", "no"))
                                            if p.workshop else "-" for p in columns]),
            (t("summary.row.attended").plain, *[self.count(p, "attended", p.attended) if p.workshop else "-"
                                                for p in columns]),
            (t("summary.row.attendance").plain, *[self.cell(self.attendance(p)) for p in columns]),
            (t("summary.row.prompts").plain, *[f"{p.prompts} / {self.count(p, 'replies', p.replies)} / "
                                               f"{self.count(p, 'repliers', p.repliers)}" for p in columns]),
            (t("summary.row.consultations").plain, *[" / ".join(self.count(p, name, getattr(p, name))
                                                                for name in ("opened", "followed_up", "closed"))
                                                     for p in columns]),
            (t("summary.row.categories").plain, *[self.categories(p) for p in columns]),
            (t("summary.row.reach").plain, *[self.reach(p) for p in columns]),
            (t("summary.row.answered").plain, *[self.answered_cell(p) for p in columns]),
            (t("summary.row.response").plain, *[self.response_cell(p) for p in columns]),
            (t("summary.row.tags").plain, *[self.tags(p) for p in columns]),
            (t("summary.row.stories").plain, *[self.count(p, "stories", p.stories) for p in columns]),
        ]
        return Table(("", *[p.label for p in columns]), tuple(rows))

    def items(self, columns: list[Period]) -> Table:
        rows = tuple((self.t(item_key(item)).plain, *[self.item_cell(p, item) for p in columns]) for item in ITEMS)
        return Table((self.t("summary.item").plain, *[p.label for p in columns]), rows)

    def stories(self, p: Period) -> list[str]:
        return quotable(((s, True) for s in p.quotable), p.checkins, self.min)


def table_text(table: Table) -> Text:
    return Text.of(to_text(table), to_html(table))


def notes(r: Renderer, summary: "Summary") -> list[Text]:
    """What the summary covers: where `since` was snapped to, and the period still open."""
    out = []
    if summary.since_from is not None:
        first = summary.since_from
        start = r.t("summary.since_start").plain if first.span[0] == 0 else \
            texts.when(r.t, summary.series[first.span[0] - 1].workshop_at, r.tz)
        out.append(r.t("summary.since_snapped", start=start, first=first.label, last=summary.series[-1].label))
    nxt = summary.next_workshop
    out.append(r.t("summary.open_period", number=nxt.number, when=texts.when(r.t, nxt.starts_at, r.tz))
               if nxt is not None else r.t("summary.open_period_none"))
    return out


def render(r: Renderer, title: Text, columns: list[Period], total: Period, remarks: list[Text] = ()) -> Text:
    """The readable message: what it covers, activity and check-in tables, then quotable stories."""
    shown = columns + [total] if len(columns) > 1 else columns
    for remark in remarks:
        title += remark
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
