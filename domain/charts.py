"""The series chart of coordinator summaries (issue 8, item 5): a PNG made with matplotlib.

Pure: aggregates in (the values `domain.summaries` already produced, so suppression has
been decided there), PNG bytes out. Nothing here sees a row, a user id or a pseudonym, and
a `Suppressed` value carries no number, so a hidden cell cannot leak through the picture.

Layout (about 12 x 9 inches at 110 dpi):

* one small panel per check-in item, in `ITEMS` order: one stacked bar per workshop with the
  percentage of valid answers for 4 (to a large extent) .. 1 (not at all), darkest for 4,
  n above the bar ("n=29"), the percentage inside a segment when it has room;
* a suppressed cell is an empty grey hatched bar with the short text ("<5") on it, and the
  full sentence ("fewer than 5 responses") is in a footnote;
* a last panel with up to three lines: attendance rate, check-in response rate and the share of
  consultations answered from a wanted sector (issue 23) per workshop.
  `None` (no data) is a gap; `Suppressed` is a gap with a grey marker and the short text.

Every text comes from `ChartLabels`, so the chart is in the community's language.

Only the object-oriented API (`Figure` + `FigureCanvasAgg`) is used, never `pyplot`: no
global state, no GUI backend, safe to call from the bot's event loop (in a thread).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # belt and braces: nothing below touches pyplot anyway

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from domain.checkins import ITEMS  # noqa: E402
from domain.summaries import POINTS, ItemStats, Rate, Suppressed  # noqa: E402

__all__ = ["ChartLabels", "series_chart", "SIZE_INCHES", "DPI"]

SIZE_INCHES = (12.0, 9.0)
DPI = 110

# Sequential blues (ColorBrewer "Blues", colour-blind safe), darkest for 4.
_POINT_COLOURS = {4: "#08519c", 3: "#3182bd", 2: "#6baed6", 1: "#bdd7e7"}
_POINT_TEXT = {4: "white", 3: "white", 2: "black", 1: "black"}
# Two lines told apart by colour, marker and line style (Okabe-Ito orange and blue).
_ATTENDANCE = dict(color="#E69F00", marker="o", linestyle="-")
_RESPONSE = dict(color="#0072B2", marker="s", linestyle="--")
_ANSWERED = dict(color="#009E73", marker="^", linestyle=":")  # Okabe-Ito bluish green
_GREY = "#9e9e9e"
_MIN_SEGMENT_TEXT = 8  # percent: smaller segments get no number inside


@dataclass(frozen=True)
class ChartLabels:
    """Every text drawn on the chart, from the community's message catalogue."""

    title: str
    item_titles: Mapping[str, str]  # item id -> short title
    scale: Mapping[int, str]  # 4, 3, 2, 1 -> "to a large extent", ...
    percent_axis: str  # "% of valid answers"
    attendance: str  # "Attendance"
    response: str  # "Check-in response"
    rates_title: str  # "Attendance and response rate"
    suppressed: str  # "fewer than 5 responses"
    suppressed_short: str = "<5"
    no_data: str = "No data yet"
    answered: str = "Answered from a wanted sector"
    footnote_extra: str = ""  # appended to the footnote, e.g. "n = valid answers"


def _check(columns: Sequence[str], items: Mapping[str, Sequence[object]],
           attendance: Sequence[object], response: Sequence[object]) -> None:
    n = len(columns)
    for name, seq in [(f"item {k!r}", v) for k, v in items.items()] + [
            ("attendance", attendance), ("response", response)]:
        if len(seq) != n:
            raise ValueError(f"{name} has {len(seq)} values for {n} columns")
    for k, seq in items.items():
        for v in seq:
            if v is not None and not isinstance(v, (ItemStats, Suppressed)):
                raise TypeError(f"item {k!r}: not an ItemStats or Suppressed: {v!r}")
    for seq in (attendance, response):
        for v in seq:
            if v is not None and not isinstance(v, (Rate, Suppressed)):
                raise TypeError(f"not a Rate or Suppressed: {v!r}")


def _wrap(text: str, width: int, lines: int) -> str:
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: max(0, width - 1)].rstrip() + "…"
    return "\n".join(wrapped)


def _tick_size(n_columns: int) -> float:
    return 10 if n_columns <= 6 else 8 if n_columns <= 10 else 6.5


def _item_panel(ax, title: str, cells: Sequence[ItemStats | Suppressed | None],
                columns: Sequence[str], labels: ChartLabels, show_ylabel: bool) -> bool:
    """Draw one item's stacked bars; True if a suppressed cell was drawn."""
    xs = list(range(len(columns)))
    small = len(columns) > 6
    any_suppressed = False
    for x, cell in zip(xs, cells):
        if isinstance(cell, ItemStats):
            bottom = 0.0
            for p in POINTS:
                h = float(cell.percent(p))
                if h > 0:
                    ax.bar(x, h, bottom=bottom, width=0.7, color=_POINT_COLOURS[p],
                           edgecolor="white", linewidth=0.6)
                    if h >= _MIN_SEGMENT_TEXT and not small:
                        ax.text(x, bottom + h / 2, f"{h:.0f}", ha="center", va="center",
                                fontsize=7.5, color=_POINT_TEXT[p])
                bottom += h
            if len(columns) > 8:  # too narrow side by side: written upwards
                ax.text(x, 102, f"n={cell.n_valid}", ha="center", va="bottom", fontsize=7,
                        rotation=90)
            else:
                ax.text(x, 102, f"n={cell.n_valid}", ha="center", va="bottom",
                        fontsize=8 if not small else 7)
        elif isinstance(cell, Suppressed):
            any_suppressed = True
            ax.bar(x, 100, width=0.7, color="#f0f0f0", edgecolor=_GREY, hatch="///",
                   linewidth=0.8)
            ax.text(x, 50, labels.suppressed_short, ha="center", va="center", fontsize=9,
                    color="#424242",
                    bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none"))
        # None: nothing drawn, the column stays empty.
    ax.set_title(_wrap(title, 38, 2), fontsize=10.5)
    ax.set_ylim(0, 124 if len(columns) > 8 else 112)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.tick_params(axis="y", labelsize=8.5)
    ax.set_xticks(xs, list(columns), fontsize=_tick_size(len(columns)))
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.spines[["top", "right"]].set_visible(False)
    if show_ylabel:
        ax.set_ylabel(labels.percent_axis, fontsize=9.5)
    return any_suppressed


def _rate_values(seq: Sequence[Rate | Suppressed | None]) -> list[float]:
    return [float(v.percent) if isinstance(v, Rate) else math.nan for v in seq]


def _rates_panel(ax, columns: Sequence[str], attendance, response,
                 labels: ChartLabels, answered: Sequence[Rate | Suppressed | None] | None = None) -> bool:
    xs = list(range(len(columns)))
    any_suppressed = False
    att, resp = _rate_values(attendance), _rate_values(response)
    lines = [(attendance, att, resp, _ATTENDANCE, labels.attendance, -0.1),
             (response, resp, att, _RESPONSE, labels.response, 0.1)]
    if answered is not None and any(v is not None for v in answered):
        lines.append((answered, _rate_values(answered), att, _ANSWERED, labels.answered, 0.0))
    for seq, ys, other, style, name, dx in lines:
        ax.plot(xs, ys, label=name, linewidth=2, markersize=6, **style)
        for x, v in zip(xs, seq):
            if isinstance(v, Rate):
                # The higher of two points is labelled above, the lower below, so the
                # labels of a workshop rarely sit on each other.
                y, o = float(v.percent), other[x]
                above = math.isnan(o) or y > o or (y == o and seq is attendance)
                ax.annotate(f"{v.percent:.0f}%", (x, y), textcoords="offset points",
                            xytext=(0, 7 if above else -7), ha="center",
                            va="bottom" if above else "top", fontsize=7.5,
                            color=style["color"], fontweight="bold")
            elif isinstance(v, Suppressed):
                any_suppressed = True
                # On the baseline, hollow, in the series' colour: "hidden", not a value.
                ax.plot([x + dx], [4], marker=style["marker"], markersize=7, linestyle="none",
                        markerfacecolor="white", markeredgecolor=style["color"],
                        markeredgewidth=1.5, clip_on=False)
                ax.annotate(labels.suppressed_short, (x + dx, 4), textcoords="offset points",
                            xytext=(0, 7), ha="center", va="bottom", fontsize=8,
                            color="#424242")
    ax.set_title(_wrap(labels.rates_title, 38, 2), fontsize=10.5)
    ax.set_ylim(0, 112)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_yticklabels([f"{t}%" for t in (0, 25, 50, 75, 100)], fontsize=8.5)
    ax.set_xticks(xs, list(columns), fontsize=_tick_size(len(columns)))
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=8.5, ncol=min(len(lines), 2),
              frameon=False)
    return any_suppressed


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    # No "Software" / date metadata: the same data gives the same bytes.
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def series_chart(columns: Sequence[str],
                 items: Mapping[str, Sequence[ItemStats | Suppressed]],
                 attendance: Sequence[Rate | Suppressed | None],
                 response: Sequence[Rate | Suppressed | None],
                 labels: ChartLabels,
                 answered: Sequence[Rate | Suppressed | None] | None = None) -> bytes:
    """The series chart as PNG bytes: one panel per check-in item, one for the rates.

    `columns` are the workshop labels ("W1", "W2", ...), one per period; every sequence in
    `items`, `attendance` and `response` has one value per column. An item missing from
    `items` is drawn with empty columns. With no column at all, the chart says `no_data`.
    """
    _check(columns, items, attendance, response)
    fig = Figure(figsize=SIZE_INCHES, dpi=DPI, facecolor="white")
    fig.suptitle(labels.title, fontsize=15, fontweight="bold")

    if not columns:
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, labels.no_data, ha="center", va="center", fontsize=16,
                color="#616161", transform=ax.transAxes)
        fig.tight_layout(rect=(0, 0, 1, 0.95))
        return _png(fig)

    order = list(ITEMS) + [k for k in items if k not in ITEMS]
    n_panels = len(order) + 1
    ncols = 3
    nrows = -(-n_panels // ncols)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    suppressed = False
    for i, item in enumerate(order):
        cells = items.get(item, [None] * len(columns))
        suppressed |= _item_panel(axes[i], labels.item_titles.get(item, item), cells, columns,
                                  labels, show_ylabel=(i % ncols == 0))
    suppressed |= _rates_panel(axes[len(order)], columns, attendance, response, labels, answered)
    for ax in axes[n_panels:]:
        ax.set_axis_off()

    handles = [Patch(facecolor=_POINT_COLOURS[p], edgecolor="#bdbdbd",
                     label=f"{p} – {labels.scale.get(p, str(p))}") for p in POINTS]
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.035),
               ncol=len(handles), fontsize=9.5, frameon=False, handlelength=1.6,
               columnspacing=1.4)
    notes = [f"{labels.suppressed_short}: {labels.suppressed}" if suppressed else "",
             labels.footnote_extra]
    note = "   ·   ".join(n for n in notes if n)
    if note:
        fig.text(0.5, 0.008, note, ha="center", va="bottom", fontsize=8.5, color="#424242")
    fig.tight_layout(rect=(0, 0.075, 1, 0.96), h_pad=2.2, w_pad=1.5)
    return _png(fig)
