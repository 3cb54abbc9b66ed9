"""Benchmark of the coordinator series summary (issue 8, item 7 "Speed").

    .venv/bin/python -m bench.summary_bench              # scales 1 and 10
    .venv/bin/python -m bench.summary_bench --scale 1 10 # the same, explicitly

For each scale s it builds a fresh SQLite database (migrated with storage.migrate) holding one
community with 5 planned workshops, 500*s members, 20,000*s check-ins, 2,000*s consultations and
10,000*s prompt replies (plus RSVPs, attendance, check-in rounds and invites, impact reports and
stage changes), then times the series summary exactly as bot/summaries/gather.py computes it:
gather(scope="series"): periods(), fill() for each period, and the total added up from them.
One warm-up, then the median of 7 runs.

It also counts the SQL statements one summary runs (a `before_cursor_execute` listener): the count
is the same at every scale when the work is done by SQL aggregation rather than by fetching rows.
Results go to bench/summary_results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

from types import SimpleNamespace

from sqlalchemy import event, insert

from bot.clock import FrozenClock
from bot.summaries.gather import gather

from domain.checkins import ITEMS
from domain.consult import CATEGORIES
from domain.report import Period
from domain.stages import STAGES
from domain.tags import TAGS
from storage.engine import make_engine, session_factory
from storage.migrate import migrate
from storage.models import (Attendance, Checkin, CheckinInvite, CheckinRound, Community, Consultation,
                            ConsultationFollowup, ImpactReport, PromptPost, PromptReplier, Rsvp, StageChange,
                            Workshop)

RESULTS = Path(__file__).resolve().parent / "summary_results.json"
TARGET_MS = 300
RUNS = 7
NOW = datetime(2025, 6, 2, 12, 0, tzinfo=timezone.utc)  # fixed, so every run sees the same periods
CREATED = NOW - timedelta(weeks=34)
WORKSHOPS = [CREATED + timedelta(weeks=6 * k, hours=18) for k in range(1, 6)]  # all before NOW
TAG_IDS = sorted(TAGS)
# Candidate indexes (not in storage/migrations): with --indexes the benchmark also runs with them, to show
# what they would change. The shipped schema indexes community_id alone, so with one community every
# period query reads every row of the community and then filters on the time column.
PROPOSED = (
    "CREATE INDEX ix_checkins_community_created ON checkins (community_id, created_at, answers, tags, consent)",
    "CREATE INDEX ix_checkins_community_stories ON checkins (community_id, created_at, consent) WHERE text IS NOT NULL",
    "CREATE INDEX ix_consultations_community_posted ON consultations (community_id, posted_at, categories)",
    "CREATE INDEX ix_consultations_community_closed ON consultations (community_id, closed_at, posted_at)",
    "CREATE INDEX ix_impact_reports_community_created ON impact_reports (community_id, created_at, tags)",
)


def _hex(rng: random.Random, bits: int = 256) -> str:
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


def _at(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))


def dataset(scale: int, seed: int = 8) -> dict[str, list[dict]]:
    """Rows per table (as dicts for executemany). Ids are given explicitly so rows can refer to each other."""
    rng = random.Random(seed * 1000 + scale)
    cid = 1
    members = [_hex(rng) for _ in range(500 * scale)]  # keyed pseudonyms, as the bot stores them
    rows: dict[str, list[dict]] = defaultdict(list)
    rows["communities"].append(dict(
        id=cid, slug="bench", name="Bench CoP", room_id="!" + _hex(rng, 128), stage="maturing",
        stage_since=CREATED + timedelta(weeks=20), timezone="Europe/Paris", language="en", created_at=CREATED))

    steps = [(CREATED, None, "potential"), (CREATED + timedelta(weeks=3), "potential", "coalescing"),
             (CREATED + timedelta(weeks=20), "coalescing", "maturing")]
    for i, (at, frm, to) in enumerate(steps, 1):
        rows["stage_changes"].append(dict(id=i, community_id=cid, at=at, from_stage=frm, to_stage=to,
                                          by_role="coordinator", note=None))

    for n, starts in enumerate(WORKSHOPS, 1):
        rows["workshops"].append(dict(
            id=n, community_id=cid, number=n, starts_at=starts, duration_min=90, stage=STAGES[min(n, 4) - 1],
            state="planned", topic=f"Topic {n}", link=None, cancel_reason=None, uid=f"bench-{n}@copbot",
            sequence=0, created_at=CREATED, updated_at=CREATED))
        for m in members:
            r = rng.random()
            if r < 0.6:
                answer = "yes" if r < 0.4 else "maybe" if r < 0.5 else "no"
                rows["workshop_rsvps"].append(dict(workshop_id=n, member_key=m, answer=answer, reaction_key=None,
                                                   at=starts - timedelta(days=rng.randint(1, 10))))
            if rng.random() < 0.35:
                rows["workshop_attendance"].append(dict(workshop_id=n, member_key=m,
                                                        source=rng.choice(("here", "facilitator")), at=starts))
        invited = starts + timedelta(days=1)
        rows["checkin_rounds"].append(dict(id=n, community_id=cid, workshop_id=n, state="done", invite_due=invited,
                                           remind_due=invited + timedelta(days=5), invited_at=invited))
        for m in members:
            rows["checkin_invites"].append(dict(round_id=n, member_key=m, state=rng.choice(("sent", "reminded")),
                                                txn=_hex(rng, 64)))

    bounds = [CREATED] + WORKSHOPS + [NOW]
    for i in range(20_000 * scale):
        created = _at(rng, CREATED, NOW)
        period = sum(created >= b for b in bounds[1:-1])
        text = f"Story {i}: what changed in my practice." if rng.random() < 0.2 else None
        tags = ",".join(rng.sample(TAG_IDS, rng.randint(1, 3))) if rng.random() < 0.3 else ""
        rows["checkins"].append(dict(
            id=i + 1, community_id=cid, member_key=rng.choice(members), period=period,
            answers=",".join(rng.choice("4321n") for _ in ITEMS), text=text, tags=tags,
            consent=text is not None and rng.random() < 0.5, created_at=created))
    for i in range(200 * scale):
        created = _at(rng, CREATED, NOW)
        rows["impact_reports"].append(dict(
            id=i + 1, community_id=cid, member_key=rng.choice(members), period=sum(created >= b for b in bounds[1:-1]),
            text=f"Report {i}.", tags=",".join(rng.sample(TAG_IDS, rng.randint(0, 2))), created_at=created))

    fid = 0
    for i in range(2_000 * scale):
        posted = _at(rng, CREATED, NOW - timedelta(days=1))
        closed = posted + timedelta(days=rng.uniform(1, 30)) if rng.random() < 0.6 else None
        if closed is not None and closed >= NOW:
            closed = None
        rows["consultations"].append(dict(
            id=i + 1, community_id=cid, label=f"C-{i + 1:06d}", code_hash=_hex(rng), status="closed" if closed else
            "posted", categories=",".join(sorted(rng.sample(CATEGORIES, rng.randint(1, 2)))),
            text="A scrubbed request.", note=None, txn=_hex(rng, 64), due_at=None, room_id="!" + _hex(rng, 128),
            event_id="$" + _hex(rng, 128), posted_at=posted, closed_at=closed, decided_at=None, purged_at=None))
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 2)):
                fid += 1
                rows["consultation_followups"].append(dict(
                    id=fid, consultation_id=i + 1, text="A follow-up.", txn=_hex(rng, 64), due_at=None,
                    event_id="$" + _hex(rng, 128), posted_at=min(posted + timedelta(days=rng.uniform(0.5, 20)), NOW)))

    posts = 40 * scale
    sizes = [250 + (50 if k % 2 else -50) for k in range(posts)]  # 200/300 alternating: 10,000*s in all
    for k in range(posts):
        posted = CREATED + (NOW - CREATED) * (k + 0.5) / posts
        repliers = rng.sample(members, sizes[k])
        rows["prompt_posts"].append(dict(
            id=k + 1, community_id=cid, prompt_id=f"P{k % 30 + 1}", stage="maturing", tags="", source="schedule",
            state="posted", due_at=posted, txn=_hex(rng, 64), event_key=_hex(rng), posted_at=posted,
            replies=sizes[k] + rng.randint(0, sizes[k] // 2), repliers=sizes[k],
            last_reply_at=posted + timedelta(days=2)))
        rows["prompt_repliers"] += [dict(post_id=k + 1, member_key=m) for m in repliers]
    rows["_members"] = [{"n": len(members)}]
    return rows


TABLES = [(Community, "communities"), (StageChange, "stage_changes"), (Workshop, "workshops"),
          (Rsvp, "workshop_rsvps"), (Attendance, "workshop_attendance"), (CheckinRound, "checkin_rounds"),
          (CheckinInvite, "checkin_invites"), (Checkin, "checkins"), (ImpactReport, "impact_reports"),
          (Consultation, "consultations"), (ConsultationFollowup, "consultation_followups"),
          (PromptPost, "prompt_posts"), (PromptReplier, "prompt_repliers")]


async def build(engine, scale: int, indexes: tuple[str, ...] = ()) -> tuple[dict[str, int], int]:
    await migrate(engine)
    rows = dataset(scale)
    async with engine.begin() as conn:  # one transaction, executemany per table
        for model, name in TABLES:
            if rows[name]:
                await conn.execute(insert(model.__table__), rows[name])
        for statement in indexes:
            await conn.exec_driver_sql(statement)
    return {name: len(rows[name]) for _, name in TABLES}, rows["_members"][0]["n"]


async def summary(db, members: int) -> tuple[list[Period], Period]:
    """The bot's own code path: bot/summaries/gather.py gather(scope="series")."""
    async with db() as session:
        community = await session.get(Community, 1)
    services = SimpleNamespace(db=db, clock=FrozenClock(NOW), config=None)
    found = await gather(services, community, "series", members=members, k=5)
    return found.columns, found.total


def _plans(path: Path, statements: list[tuple[str, tuple]]) -> list[dict]:
    """EXPLAIN QUERY PLAN of each distinct statement, with its share of the time."""
    con = sqlite3.connect(path)
    out = []
    for sql, params in statements:
        plan = con.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        out.append({"sql": " ".join(sql.split()), "plan": [row[-1] for row in plan]})
    con.close()
    return out


async def run(scale: int, tmp: Path, indexes: tuple[str, ...] = ()) -> dict:
    path = tmp / f"summary_{scale}x{'_idx' if indexes else ''}.db"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    t0 = time.perf_counter()
    rows, members = await build(engine, scale, indexes)
    build_s = time.perf_counter() - t0

    counter = {"n": 0}
    timing: dict[str, list] = {}
    profile = {"on": False}

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        counter["n"] += 1
        if profile["on"]:
            conn.info["bench_t"] = time.perf_counter()

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        if profile["on"]:
            slot = timing.setdefault(statement, [0.0, 0, tuple(parameters)])
            slot[0] += time.perf_counter() - conn.info.pop("bench_t")
            slot[1] += 1

    db = session_factory(engine)
    columns, total = await summary(db, members)  # warm-up: connection, statement cache
    times, counts = [], set()
    for _ in range(RUNS):
        counter["n"] = 0
        t = time.perf_counter()
        columns, total = await summary(db, members)
        times.append((time.perf_counter() - t) * 1000)
        counts.add(counter["n"])
    profile["on"] = True
    await summary(db, members)
    profile["on"] = False
    await engine.dispose()

    slowest = sorted(timing.items(), key=lambda kv: -kv[1][0])[:6]
    plans = _plans(path, [(sql, params) for sql, (_, _, params) in slowest])
    for plan, (_, (secs, n, _)) in zip(plans, slowest):
        plan.update(ms=round(secs * 1000, 2), calls=n)
    return {
        "ms": round(statistics.median(times), 1),
        "runs_ms": [round(t, 1) for t in times],
        "statements": max(counts),
        "statements_stable": len(counts) == 1,
        "build_s": round(build_s, 1),
        "rows": rows,
        "members": members,
        "periods": [p.label for p in columns] + [total.label],
        "check": {"checkins": total.checkins, "opened": total.opened, "replies": total.replies,
                  "repliers": total.repliers, "rsvp_yes": total.rsvp["yes"], "attended": total.attended},
        "slowest": plans,
    }


def _verdict(out: dict, scales: list[int]) -> None:
    res = out["scales"]
    lo, hi = min(scales), max(scales)
    out["ratio"] = round(res[str(hi)]["ms"] / res[str(lo)]["ms"], 2) if hi != lo else None
    out["data_ratio"] = hi / lo if hi != lo else None
    base = res.get("1", res[str(lo)])
    out["passed"] = bool(base["ms"] <= TARGET_MS
                         and (out["ratio"] is None or out["ratio"] <= 1.1 * out["data_ratio"])
                         and len({r["statements"] for r in res.values()}) == 1
                         and all(r["statements_stable"] for r in res.values()))


async def main_async(scales: list[int], indexes: bool) -> dict:
    out: dict = {"machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
                             "cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version},
                 "runs": RUNS, "target_ms": TARGET_MS, "scales": {}}
    with tempfile.TemporaryDirectory(prefix="copbot-bench-") as tmp:
        for s in scales:
            out["scales"][str(s)] = await run(s, Path(tmp))
        _verdict(out, scales)
        if indexes:
            alt: dict = {"indexes": list(PROPOSED), "scales": {}}
            for s in scales:
                alt["scales"][str(s)] = await run(s, Path(tmp), PROPOSED)
            _verdict(alt, scales)
            out["with_proposed_indexes"] = alt
    return out


def _table(title: str, out: dict) -> None:
    print(title)
    print(f"{'scale':>5} {'check-ins':>9} {'consults':>8} {'repliers':>8} {'build s':>7} {'median ms':>9} {'stmts':>5}")
    for s, r in out["scales"].items():
        rows = r["rows"]
        print(f"{s + 'x':>5} {rows['checkins']:>9} {rows['consultations']:>8} {rows['prompt_repliers']:>8} "
              f"{r['build_s']:>7} {r['ms']:>9} {r['statements']:>5}")
    if out["ratio"] is not None:
        print(f"time ratio {out['ratio']} for {out['data_ratio']:g}x the data; target {TARGET_MS} ms at 1x; "
              f"{'PASSED' if out['passed'] else 'FAILED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--indexes", action="store_true", help="also run with the PROPOSED indexes added")
    args = parser.parse_args()
    out = asyncio.run(main_async(sorted(set(args.scale)), args.indexes))
    _table("schema as migrated (storage/migrations)", out)
    if "with_proposed_indexes" in out:
        _table("with the PROPOSED indexes added", out["with_proposed_indexes"])
    m = out["machine"]
    print(f"machine: {m['platform']}, {m['cpus']} CPUs, Python {m['python']}, SQLite {m['sqlite']}")
    RESULTS.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
