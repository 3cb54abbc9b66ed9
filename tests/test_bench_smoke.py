"""The benchmark's arithmetic and its table: what `make bench` prints must say met or MISSED truthfully."""

from __future__ import annotations

import pytest

from bench.report import percentile, summary_ms, table


def test_percentiles_interpolate_between_ranks():
    values = [0.010, 0.020, 0.030, 0.040, 0.050]
    assert percentile(values, 50) == 0.030
    assert percentile(values, 0) == 0.010 and percentile(values, 100) == 0.050
    assert percentile(values, 90) == pytest.approx(0.046)
    assert summary_ms(values) == {"n": 5, "p50": 30.0, "p90": 46.0, "p99": 49.6, "max": 50.0}
    with pytest.raises(ValueError):
        percentile([], 50)


def _results(status_ratio: float, answers: int, ready_s: float) -> dict:
    floor = {"n": 100, "p50": 20.0, "p90": 25.0, "p99": 30.0, "max": 31.0}
    status = {**floor, "p50": 20.0 * status_ratio, "ratio_p50": status_ratio}
    return {
        "machine": {"cpu": "Test CPU", "cores": 2, "ram_mb": 4096, "python": "3.11", "synapse": "1.0",
                    "matrix_nio": "0.26"},
        "latency": {"floor": floor, "copbot_status": status, "copbot_help": status},
        "burst": {"members": 50, "per_member": 10, "peak_rss_mb": 120.0,
                  "copbot": {"sent": 500, "answers": answers, "p50": 50.0, "p99": 90.0, "ratio_p99": 4.5}},
        "scale": {"communities": 200, "setup_s": {"total": 100.0, "bot_commands": 40.0}, "ready_s": ready_s,
                  "first_answer_s": 2.0, "scheduler_loaded_s": ready_s, "rss_mb": 130.0, "peak_rss_mb": 140.0},
        "scheduling": {"actions": 50, "arrived": 50, "p50_ms": 800.0, "max_ms": 1200.0},
    }


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def test_table_marks_met_and_missed_targets():
    good = table(_results(status_ratio=1.1, answers=500, ready_s=4.0))
    assert _line(good, "!cop status").endswith("met")
    assert _line(good, "burst 50×10: answers").endswith("met")
    assert _line(good, "scale: ready after restart").endswith("met")
    assert "MISSED" not in good
    assert "Test CPU, 2 cores" in good

    bad = table(_results(status_ratio=1.3, answers=499, ready_s=6.5))
    assert _line(bad, "!cop status").endswith("MISSED")
    assert "1.3×" in _line(bad, "!cop status")
    assert _line(bad, "burst 50×10: answers").endswith("MISSED")
    assert "499/500" in bad
    assert _line(bad, "scale: ready after restart").endswith("MISSED")

    # Judged on the p50s, not on the ratio rounded for the table.
    edge = table(_results(status_ratio=1.154, answers=500, ready_s=4.0))
    assert _line(edge, "!cop status").endswith("MISSED")


def test_table_leaves_out_sections_that_did_not_run():
    only_latency = {k: v for k, v in _results(1.0, 500, 1.0).items() if k in ("latency", "machine")}
    text = table(only_latency)
    assert "burst" not in text and "scale" not in text
    assert table({}) == "(no results)"


def test_table_shows_the_scheduling_floor_beside_copbot():
    results = _results(1.1, 500, 4.0)
    results["scheduling"] = {"actions": 50, "arrived": 50, "p50_ms": 2300.0, "max_ms": 4200.0,
                             "floor": {"all_at_once": {"arrived": 50, "p50_ms": 2900.0, "max_ms": 2950.0},
                                       "three_at_a_time": {"arrived": 50, "p50_ms": 2000.0, "max_ms": 3600.0}},
                             "ratio_p50_to_best_floor_p50": 1.15}
    text = table(results)
    assert _line(text, "scheduling: 50 due in one second").endswith("MISSED")
    assert "p50 2000.0 / max 3600.0 ms" in _line(text, "scheduling: floor, bare client, three at a time")
    assert "1.15×" in _line(text, "scheduling: copbot p50 ÷ best floor p50")


def test_the_literal_burst_target_is_missed_unless_the_floor_bot_misses_it_too():
    results = _results(1.1, 500, 4.0)
    results["burst"]["copbot"].update(p99=400.0, ratio_p99=20.0, ratio_p99_to_floor_burst_p50=1.2,
                                      ratio_p99_to_floor_burst_p99=0.9)
    results["burst"]["floor"] = {"sent": 500, "answers": 500, "p50": 330.0, "p99": 440.0}
    text = table(results)  # the floor bot's p99 is 22× the single-command floor p50 of 20 ms
    assert _line(text, "burst: round trip").endswith("out of reach (floor bot 22×)")
    assert _line(text, "burst: copbot p99 ÷ floor bot's burst p50").endswith("met")

    results["burst"]["floor"].update(p50=60.0, p99=90.0)  # 4.5×: a bot can do it here, copbot did not
    text = table(results)
    assert _line(text, "burst: round trip").endswith("MISSED")
    assert _line(text, "burst: copbot p99 ÷ floor bot's burst p50").endswith("met")
