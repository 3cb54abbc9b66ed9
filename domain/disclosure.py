"""Statistical disclosure control of summaries (issue 21 §3): no small group by subtraction.

domain/summaries.py hides a breakdown of fewer than k responses (primary suppression). That
alone is not enough: a coordinator could take Σ minus the visible columns, `since D1` minus
`since D2`, or a column before and after one more check-in, and get the answers of one person.
This module decides, for every measure, which figures may be released together so that no
sum or difference of released figures, asked for at any moment, is a group of 1 to k−1.

The released figures are about **closed periods** only (bot/summaries/gather.py): the column of
a workshop is released once the workshop is over, and its counts do not change afterwards
(every row is counted by the time it was made). A figure is the count of a measure over a run
of consecutive closed columns: a single column (`summary workshop N`, the series' columns), Σ
(all of them) or a `since` result (from a workshop boundary to the last closed column). With
P(j) the count over the first j columns, the figure over columns a..b−1 is P(b) − P(a): an
edge between the boundaries a and b. Whatever sums and differences an attacker takes, what it
can work out is exactly P(y) − P(x) for boundaries x, y connected by released edges. So the
rule is on the graph: **in each connected part, any two boundaries differ by 0 or by at least
k.**

The plan, per measure, walks the closed columns in order, deciding at each boundary i with
what is known up to i only, so that a decision never changes as later columns close (the
figures of every moment together stay safe):

1. The column i is shown when its count is 0 or at least k (primary suppression otherwise).
   This is always safe: every difference it adds is a sum of counts that are 0 or ≥ k.
2. The boundary i is *anchored* (joined to boundary 0, so that a total ending or starting there
   can be released) when it is, through shown columns, or when joining its part to the anchored
   part keeps every pair of boundaries 0 or ≥ k apart (complementary suppression otherwise).
3. A total over several columns (Σ, `since`) is released only from an anchored boundary to an
   anchored boundary.

A community may raise k (never below MIN_GROUP_FLOOR) or lower it again towards the floor. The
figures released under each threshold must stay safe together, so a total is released under k
only if its boundaries are anchored under every threshold from the floor up to k: the totals
released under any k are a subset of those under the floor, and the columns too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.checkins import ITEMS, SCALE
from domain.report import Period

MIN_GROUP_FLOOR = 5  # never below: issue 21 §3

__all__ = ["MIN_GROUP_FLOOR", "Plan", "Disclosure", "plan", "measures"]

POINTS = tuple(v for v in SCALE if v is not None)


@dataclass(frozen=True)
class Plan:
    """One measure's releases over n closed columns: `shown[i]` per column, `anchored[j]` per
    boundary 0..n."""

    shown: tuple[bool, ...]
    anchored: tuple[bool, ...]

    def span(self, a: int, b: int) -> bool:
        """May the count over columns a..b−1 be released?"""
        if b - a == 1:
            return self.shown[a]
        return b > a and self.anchored[a] and self.anchored[b]


def _apart(values: list[int], k: int) -> bool:
    """Every two values equal or at least k apart."""
    distinct = sorted(set(values))
    return all(b - a >= k for a, b in zip(distinct, distinct[1:]))


def _plan_at(values: Sequence[int], k: int) -> Plan:
    n = len(values)
    prefix = [0]
    for v in values:
        prefix.append(prefix[-1] + v)
    shown = tuple(not (1 <= v < k) for v in values)
    part = list(range(n + 1))  # the part each boundary is in, by its smallest boundary
    nodes: dict[int, list[int]] = {j: [j] for j in range(n + 1)}

    def join(a: int, b: int) -> None:
        ra, rb = part[a], part[b]
        if ra == rb:
            return
        keep, gone = min(ra, rb), max(ra, rb)
        for j in nodes[gone]:
            part[j] = keep
        nodes[keep] += nodes.pop(gone)

    for i in range(1, n + 1):
        if shown[i - 1]:
            join(i - 1, i)
        if part[i] != part[0] and _apart([prefix[j] for j in nodes[part[i]] + nodes[part[0]]], k):
            join(0, i)
    return Plan(shown, tuple(part[j] == part[0] for j in range(n + 1)))


def plan(values: Sequence[int], k: int, floor: int = MIN_GROUP_FLOOR) -> Plan:
    """What may be released of one measure whose closed columns count `values`, under k."""
    if k < 1:
        raise ValueError("k must be positive")
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise ValueError(f"counts are non-negative integers, not {v!r}")
    mine = _plan_at(values, k)
    anchored = list(mine.anchored)
    for lower in range(min(floor, k), k):  # the thresholds the community may have had before
        for j, ok in enumerate(_plan_at(values, lower).anchored):
            anchored[j] = anchored[j] and ok
    return Plan(mine.shown, tuple(anchored))


def measures(p: Period) -> dict[str, int]:
    """Every count a summary releases about people, by measure: each one is a group of responses
    (or of RSVPs, attendances, replies, consultations) whose size must not be worked out when
    it is 1 to k−1. The prompts posted are the bot's own and not a measure."""
    out = {"rsvp.yes": p.rsvp.get("yes", 0), "rsvp.maybe": p.rsvp.get("maybe", 0), "rsvp.no": p.rsvp.get("no", 0),
           "attended": p.attended, "replies": p.replies, "repliers": p.repliers, "opened": p.opened,
           "followed_up": p.followed_up, "closed": p.closed, "invited": p.invited, "checkins": p.checkins,
           "stories": p.stories}
    for item in ITEMS:
        counts = p.items.get(item, {})
        out[f"item.{item}"] = sum(counts.get(v, 0) for v in POINTS)
    for name, n in p.categories.items():
        out[f"category.{name}"] = n
    out["reach_sum"], out["wanted"], out["wanted_answered"] = p.reach_sum, p.wanted, p.wanted_answered
    for name, n in p.reach.items():
        out[f"reach.{name}"] = n
    for name, n in p.tags.items():
        out[f"tag.{name}"] = n
    return out


class Disclosure:
    """The plans of every measure over a community's closed columns, under threshold k."""

    def __init__(self, columns: Sequence[Period], k: int, floor: int = MIN_GROUP_FLOOR):
        self.k, self.n = k, len(columns)
        per_column = [measures(p) for p in columns]
        names = sorted({name for m in per_column for name in m})
        self.plans = {name: plan([m.get(name, 0) for m in per_column], k, floor) for name in names}

    def released(self, name: str, span: tuple[int, int]) -> bool:
        """May the measure `name` over columns span[0]..span[1]−1 be released? A measure nobody
        has counted is 0 everywhere, and 0 is safe."""
        found = self.plans.get(name)
        return True if found is None else found.span(*span)
