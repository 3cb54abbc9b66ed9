"""Loading scheduled actions at start: only those due soon go on the clock, the rest follow in
time from the database, and start-up planning costs the same few queries for any number of
communities (a restart at 200 communities must be ready within seconds)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import event

from bot.clock import FrozenClock
from bot.scheduler import HORIZON, TOP_UP_S, Scheduler
from tests.fakes import Harness

# Far ahead of the real clock, which APScheduler fires by: nothing here fires on its own.
T = datetime(2031, 3, 4, 12, 0, tzinfo=timezone.utc)


def on_clock(scheduler: Scheduler) -> dict[str, datetime]:
    return {job.id: job.next_run_time for job in scheduler._aps.get_jobs() if not job.id.startswith("every:")}


async def test_only_actions_due_within_the_horizon_go_on_the_clock_and_the_rest_follow_in_time():
    clock = FrozenClock(T)
    scheduler = Scheduler(clock)
    rows = {"overdue": T - timedelta(hours=1), "soon": T + timedelta(hours=1), "far": T + timedelta(days=3)}
    fired: list[str] = []

    async def pending() -> list:
        return list(rows.items())

    async def fire(key: str) -> None:
        fired.append(key)

    scheduler.provide("x", pending, fire)
    try:
        assert await scheduler.start() == 3  # all pending, as the log reports them
        assert on_clock(scheduler) == {"x:overdue": T, "x:soon": T + timedelta(hours=1)}
        # A command plans an action beyond the horizon: it goes on the clock at once all the same.
        rows["cmd"] = T + timedelta(days=5)
        scheduler.at("x", "cmd", rows["cmd"])
        assert on_clock(scheduler)["x:cmd"] == rows["cmd"]
        # A retry waiting out its backoff keeps its time; its row still says when it first fell due.
        scheduler.at("x", "overdue", T + timedelta(minutes=5))
        assert await scheduler.top_up() == 0
        assert on_clock(scheduler)["x:overdue"] == T + timedelta(minutes=5)
        # Time passes in top-up steps: "far" is on the clock, at its own time, well before it is due.
        while "x:far" not in on_clock(scheduler):
            clock.advance(seconds=TOP_UP_S)
            await scheduler.top_up()
        assert on_clock(scheduler)["x:far"] == rows["far"]
        assert rows["far"] - clock.now() >= HORIZON - timedelta(seconds=TOP_UP_S)
        assert await scheduler.top_up() == 0  # once only
    finally:
        scheduler.shutdown()
    assert fired == []


async def test_start_up_planning_takes_the_same_queries_for_any_number_of_communities(tmp_path):
    async with Harness(tmp_path) as h:
        statements: list[str] = []
        event.listen(h.engine.sync_engine, "before_cursor_execute",
                     lambda conn, cursor, sql, *args: statements.append(sql.lstrip().split()[0].upper()))

        async def restart(communities: int) -> list[str]:
            for i in range(len(h.rooms), communities):
                await h.open_community(f"!c{i}:test", {"@fac:test": 100, "@ann:test": 0},
                                       "workshops plan 2027-02-11 18:00 every 6 weeks", by="@fac:test",
                                       name=f"Circle {i}")
            statements.clear()
            assert await h.restart() == communities * 21  # each: 15 reminders, 5 check-in rounds, 1 prompt
            return list(statements)

        few, many = await restart(2), await restart(6)
        assert few == many and "SELECT" in few
        assert not {"INSERT", "UPDATE", "DELETE"} & set(many)  # nothing changed: nothing written
