"""The numbers of coordinator summaries (issue 8, shared/domain.md §6), free of Matrix and storage.

Storage hands over aggregates (counts per scale point, per tag, ...); this module turns them
into what may be shown, and nothing here ever sees a row, a user id or a pseudonym.

Reporting style (domain.md §6): for each check-in item, percentages of the *valid* answers
(4 to a large extent .. 1 not at all; "not applicable" excluded), with that n shown.

Small groups stay hidden. Every breakdown below `min_group` (the community's
`min_group_size`, default 5) comes back as a `Suppressed` value, which carries no number
from the data, only the threshold, so a renderer can say "fewer than 5 responses" and has
nothing else to leak.

Rules, and why:

* `distribution`: the group size is the number of **valid** answers (n/a excluded). The
  percentages are computed on the valid answers, so that is the group the breakdown is
  about: with 6 respondents of whom 3 said "not applicable", showing "33.3% / 66.7%" would
  describe 3 people. n/a answers therefore do not help an item reach the threshold. When
  suppressed, neither n valid nor n n/a is shown.
* Percentages are rounded with the largest-remainder method, so the shown percentages of
  one item add up to exactly 100 (they are `Decimal`s, so the sum is exact). Ties in the
  remainder go to the larger count, then to the scale order 4, 3, 2, 1. A scale point that
  nobody chose always shows 0.
* `rate`: suppressed when the denominator (the group: RSVPs, invited members, ...) is
  smaller than `min_group`. A large group with a small numerator is shown: "1 of 20
  answered" does not single anybody out within the 20.
* `top_tags`: a tag is shown only if at least `min_group` reports carry it; a rarer tag could
  point at one practitioner's case. (If one tag reaches the threshold, so does the number of
  reports.) The most frequent come first, ties by tag name.
* `quotable`: stories only when the respondents (check-ins of the period) reach `min_group`,
  only those whose author consented to anonymous quotation, at most `k`, in the order given
  (storage decides: most recent first, say). Texts are expected already scrubbed; blank ones
  are skipped.
* `Table` is the one shape every format is rendered from (HTML, plain text, CSV), so the
  same numbers appear everywhere. Cells are strings already; a table holds aggregates only.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.checkins import ITEMS, SCALE

__all__ = [
    "ITEMS", "MIN_GROUP_DEFAULT", "POINTS", "Suppressed", "ItemStats", "Rate", "Table",
    "is_suppressed", "distribution", "rate", "top_tags", "quotable", "format_percent",
    "distribution_table", "to_csv", "to_text", "to_html",
]

MIN_GROUP_DEFAULT = 5
POINTS = tuple(v for v in SCALE if v is not None)  # (4, 3, 2, 1), the order they are shown in
DECIMALS = 1  # "65.5% to a large extent", as the study reported


@dataclass(frozen=True)
class Suppressed:
    """A breakdown hidden because its group is smaller than `min_group`. Holds no data."""

    min_group: int = MIN_GROUP_DEFAULT

    def __bool__(self) -> bool:  # so `if stats:` reads "is there something to show"
        return False

    def __str__(self) -> str:
        return f"fewer than {self.min_group} responses"


def is_suppressed(value: object) -> bool:
    return isinstance(value, Suppressed)


@dataclass(frozen=True)
class ItemStats:
    """One item's distribution: n valid, n not applicable, % of valid answers per scale point."""

    n_valid: int
    n_na: int
    percents: Mapping[int, Decimal]  # keys 4, 3, 2, 1; values sum to exactly 100

    def percent(self, point: int) -> Decimal:
        return self.percents[point]


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    percent: Decimal


def _check_min_group(min_group: int) -> int:
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 1:
        raise ValueError(f"min_group must be a positive integer, not {min_group!r}")
    return min_group


def _check_count(name: object, count: object) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"count for {name!r} must be a non-negative integer, not {count!r}")
    return count


def _largest_remainder(counts: Sequence[int], decimals: int) -> list[Decimal]:
    """Percentages of `counts` (sum > 0) with `decimals` places, summing to exactly 100."""
    total_units = 100 * 10 ** decimals
    n = sum(counts)
    floors = [c * total_units // n for c in counts]
    remainders = [c * total_units % n for c in counts]
    short = total_units - sum(floors)
    # Larger remainder first, then larger count, then earlier position (scale order).
    order = sorted(range(len(counts)), key=lambda i: (-remainders[i], -counts[i], i))
    for i in order[:short]:
        floors[i] += 1
    return [Decimal(u).scaleb(-decimals) for u in floors]


def distribution(counts: Mapping[int | None, int], min_group: int = MIN_GROUP_DEFAULT,
                 *, decimals: int = DECIMALS) -> ItemStats | Suppressed:
    """Distribution of one item from {4: n, 3: n, 2: n, 1: n, None: n_na}; missing keys are 0.

    Suppressed when fewer than `min_group` valid answers (n/a excluded, see module doc).
    """
    _check_min_group(min_group)
    for key, count in counts.items():
        if key not in SCALE:
            raise ValueError(f"unknown scale point {key!r}")
        _check_count(key, count)
    valid = [counts.get(p, 0) for p in POINTS]
    n_valid, n_na = sum(valid), counts.get(None, 0)
    if n_valid < min_group:
        return Suppressed(min_group)
    percents = dict(zip(POINTS, _largest_remainder(valid, decimals)))
    return ItemStats(n_valid=n_valid, n_na=n_na, percents=percents)


def rate(numerator: int, denominator: int, min_group: int = MIN_GROUP_DEFAULT,
         *, decimals: int = DECIMALS) -> Rate | Suppressed:
    """numerator / denominator as a percentage, suppressed when denominator < min_group."""
    _check_min_group(min_group)
    _check_count("numerator", numerator)
    _check_count("denominator", denominator)
    if denominator < min_group:
        return Suppressed(min_group)
    units = numerator * 100 * 10 ** decimals
    # Round half up, in integers, so 2/3 -> 66.7 whatever the float.
    rounded = (2 * units + denominator) // (2 * denominator)
    return Rate(numerator, denominator, Decimal(rounded).scaleb(-decimals))


def top_tags(counts: Mapping[str, int], k: int = 5,
             min_group: int = MIN_GROUP_DEFAULT) -> list[tuple[str, int]]:
    """At most `k` (tag, reports) pairs, most frequent first, ties by tag name.

    A tag carried by fewer than `min_group` reports is never shown (see module doc).
    """
    _check_min_group(min_group)
    if k < 0:
        raise ValueError("k must not be negative")
    shown = [(tag, _check_count(tag, n)) for tag, n in counts.items() if n >= min_group]
    shown.sort(key=lambda tc: (-tc[1], tc[0]))
    return shown[:k]


def quotable(stories: Iterable[tuple[str, bool]], respondents: int,
             min_group: int = MIN_GROUP_DEFAULT, k: int = 3) -> list[str]:
    """At most `k` stories whose author consented; none when respondents < min_group."""
    _check_min_group(min_group)
    _check_count("respondents", respondents)
    if respondents < min_group or k <= 0:
        return []
    out: list[str] = []
    for text, consent in stories:
        if consent is True and text and text.strip():
            out.append(text.strip())
            if len(out) == k:
                break
    return out


# --- rendering ---------------------------------------------------------------------------

def format_percent(value: Decimal | Rate | Suppressed) -> str:
    """'65.5%' for a percentage or a Rate; the suppression text for a Suppressed."""
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, Rate):
        value = value.percent
    if not isinstance(value, Decimal):
        raise TypeError(f"cannot format {value!r} as a percentage")
    return f"{value}%"


@dataclass(frozen=True)
class Table:
    """A header and rows of strings, all of the same width: aggregates only."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        header = tuple(self.header)
        rows = tuple(tuple(r) for r in self.rows)
        for cell in header + tuple(c for r in rows for c in r):
            if not isinstance(cell, str):
                raise TypeError(f"table cells are strings, not {cell!r}")
        for r in rows:
            if len(r) != len(header):
                raise ValueError(f"row {r!r} has {len(r)} cells, the header {len(header)}")
        object.__setattr__(self, "header", header)
        object.__setattr__(self, "rows", rows)


def distribution_table(stats: Mapping[str, ItemStats | Suppressed], *,
                       item_labels: Mapping[str, str] | None = None,
                       header: Sequence[str] | None = None) -> Table:
    """One row per item: label, n valid, n n/a, % for 4, 3, 2, 1; suppressed items say so.

    `item_labels` and `header` come from the message catalogue (the community's language);
    without them the item ids and English headings are used.
    """
    head = tuple(header) if header is not None else (
        "item", "n valid", "n not applicable", "4", "3", "2", "1")
    rows = []
    for item, s in stats.items():
        label = (item_labels or {}).get(item, item)
        if isinstance(s, Suppressed):
            rows.append((label, str(s)) + ("",) * (len(head) - 2))
        else:
            rows.append((label, str(s.n_valid), str(s.n_na))
                        + tuple(format_percent(s.percent(p)) for p in POINTS))
    return Table(head, tuple(rows))


_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _csv_cell(cell: str) -> str:
    # A spreadsheet would run "=..." as a formula; labels come from config and catalogues.
    if cell.startswith(_FORMULA_START) or (cell.startswith("-") and not _is_number(cell)):
        return "'" + cell
    return cell


def _is_number(cell: str) -> bool:
    try:
        Decimal(cell.rstrip("%"))
    except ArithmeticError:
        return False
    return True


def to_csv(table: Table) -> str:
    """The table as CSV text (header first, CRLF line ends as RFC 4180 says)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([_csv_cell(c) for c in table.header])
    writer.writerows([_csv_cell(c) for c in row] for row in table.rows)
    return buf.getvalue()


def to_text(table: Table) -> str:
    """A plain-text fallback: columns padded to their widest cell, separated by two spaces."""
    lines = (table.header,) + table.rows
    widths = [max(len(line[i]) for line in lines) for i in range(len(table.header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip()
                     for line in lines)


def to_html(table: Table) -> str:
    """An HTML table (Matrix org.matrix.custom.html allows table, thead, tbody, tr, th, td)."""
    esc = html.escape
    head = "".join(f"<th>{esc(c)}</th>" for c in table.header)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                   for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
