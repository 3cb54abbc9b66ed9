"""domain/disclosure.py: which counts may be released together (issue 21 §3)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings, strategies as st

from domain.disclosure import MIN_GROUP_FLOOR, plan

K = 5


def released_spans(values, k, floor=MIN_GROUP_FLOOR):
    p = plan(values, k, floor)
    n = len(values)
    return [(a, b) for a in range(n) for b in range(a + 1, n + 1) if p.span(a, b)]


def derivable(values, spans):
    """Every (x, y) boundary pair an attacker can connect with the released spans, and its count."""
    prefix = list(itertools.accumulate(values, initial=0))
    parent = list(range(len(values) + 1))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in spans:
        parent[find(a)] = find(b)
    return [(x, y, prefix[y] - prefix[x]) for x in range(len(values) + 1) for y in range(x + 1, len(values) + 1)
            if find(x) == find(y)]


def test_the_floor_is_five():
    assert MIN_GROUP_FLOOR == 5


def test_a_small_column_is_hidden_and_sigma_withheld_when_it_would_give_it_back():
    p = plan([10, 3, 12], K)
    assert p.shown == (True, False, True)
    assert not p.span(0, 3)  # Σ − W1 − W3 = 3
    assert not p.span(1, 3)  # since W2: minus W3 = 3
    assert p.span(0, 1) and p.span(2, 3)


def test_two_small_columns_together_make_a_total():
    p = plan([3, 4, 10], K)
    assert p.shown == (False, False, True)
    assert p.span(0, 2)  # Σ when W2 closed: 7
    assert p.span(0, 3)  # Σ = 17; Σ − W3 = 7 (two columns, 7 ≥ 5)
    assert not p.span(1, 3)  # since W2 = 14, Σ − it = 3


def test_zero_is_not_a_small_group():
    p = plan([0, 0, 6], K)
    assert p.shown == (True, True, True) and p.span(0, 3)


def test_decisions_do_not_change_as_columns_close():
    values = [3, 2, 7, 1, 9, 4, 4, 12]
    final = plan(values, K)
    for n in range(len(values) + 1):
        early = plan(values[:n], K)
        assert early.shown == final.shown[:n]
        assert early.anchored == final.anchored[:n + 1]


def test_a_raised_threshold_never_releases_a_total_the_floor_would_not():
    values = [3, 7, 2]
    assert not plan(values, 5).span(0, 2)
    assert not plan(values, 8).span(0, 2)  # alone, k=8 would anchor 10 = 3 + 7: Σ − W2 = 3 under k=5
    assert plan(values, 8).shown == (False, False, False)


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        plan([1, -1], K)
    with pytest.raises(ValueError):
        plan([1], 0)


counts = st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 14]), max_size=9)


@settings(max_examples=300, deadline=None)
@given(values=counts, k=st.integers(5, 9))
def test_nothing_derivable_from_the_releases_of_every_moment_is_a_small_group(values, k):
    # Every moment: the columns closed so far, and each threshold from the floor up to k (the
    # community may have raised it). Together, nothing between 1 and floor−1 can be worked out,
    # and the releases of the last threshold alone give nothing between 1 and k−1.
    every = {(a, b) for n in range(len(values) + 1) for t in range(MIN_GROUP_FLOOR, k + 1)
             for a, b in released_spans(values[:n], t)}
    assert all(not 1 <= d < MIN_GROUP_FLOOR for _, _, d in derivable(values, every))
    latest = {(a, b) for n in range(len(values) + 1) for a, b in released_spans(values[:n], k)}
    assert all(not 1 <= d < k for _, _, d in derivable(values, latest))
