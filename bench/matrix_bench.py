"""copbot against the physical floor, on a throwaway Synapse, in one run (issue 10). `make bench`.

    .venv/bin/python -m bench.matrix_bench            # everything; bench/results.json
    .venv/bin/python -m bench.matrix_bench --quick    # small sizes, to try the harness

One Synapse on 127.0.0.1 (SQLite), two bots in their own processes on it: the floor
(bench/floor_bot.py, a bare matrix-nio bot answering `!ping` with one m.notice) and copbot
(`python -m bot.cli run`, encryption on as shipped). Members are matrix-nio clients
(bench/probe.py): each round trip is time.perf_counter() from just before the member's send to
the moment the member's own /sync returns the answer, the same way for both bots.

1. Latency: warm-up, then N rounds of `!ping` (floor), `!cop ping`, `!cop status`, `!cop help`,
   interleaved so noise hits all alike; p50/p90/p99 and the ratio to the floor's p50.
2. Burst: 50 members in the community room each fire 10 `!cop status` at the same moment; the
   answers are matched to the commands in timeline order (a room is answered in order) and
   observed through one member's /sync (see fire()). The same burst against the floor bot shows
   what the homeserver itself allows.
3. Scale: 200 communities (rooms with 20 members each, `setup`, workshops planned in all), then
   a restart: ready = from process start to the answer of a `!cop ping` sent at that moment (so
   it includes the catch-up of a command sent while the bot was down). Memory of that process.
4. Scheduling: 50 workshop reminders due in the same second in 50 communities; delay from the
   due time to the reminder arriving at a member. Then its floor: a bare matrix-nio client, logged
   in as the bot, sends the same content to the same rooms at a due time, all at once and three at
   a time, observed the same way.
5. Summary: bench/summary_bench.py (scales 1 and 10), run at the end while nothing else runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from nio import AsyncClient

from bench.hs import Api, bounded, register_many, start_synapse
from bench.probe import Probe
from bench.procs import MB, REPO, copbot, floor_bot, log_events, write_copbot_config
from bench.report import machine, summary_ms, table

RESULTS = Path(__file__).resolve().parent / "results.json"
TZ = ZoneInfo("America/Toronto")  # the bot's default community timezone


@dataclass
class Options:
    rounds: int = 100
    warmup: int = 10
    burst_members: int = 50
    burst_per_member: int = 10
    floor_burst: bool = True
    communities: int = 200
    members_per_community: int = 20
    member_pool: int = 400  # distinct users shared by the communities (memberships are what cost)
    scheduled: int = 50
    summary: bool = True
    concurrency: int = 8
    burst_timeout: int = 300
    sections: tuple[str, ...] = ("latency", "burst", "scale", "scheduling")


class Bench:
    def __init__(self, hs, folder: Path, opt: Options, results: dict, children: list):
        self.hs, self.folder, self.opt, self.results = hs, folder, opt, results
        self.children = children  # every process started, killed by main() if the run is interrupted
        children.append(hs)
        self.api = Api(hs.url)
        self.phases: dict[str, float] = results.setdefault("phase_s", {})

    def phase(self, name: str, since: float) -> None:
        self.phases[name] = round(time.perf_counter() - since, 1)
        print(f"  {name}: {self.phases[name]} s", flush=True)

    async def run(self) -> None:
        opt = self.opt
        t = time.perf_counter()
        names = ["copbot", "floorbot", "facilitator"] + [f"burst{i}" for i in range(opt.burst_members)] + \
                [f"pool{i}" for i in range(opt.member_pool)]
        users = await asyncio.to_thread(register_many, self.hs, names)
        self.bot_user, self.floor_user, self.fac_user = users[:3]
        self.burst_users = users[3:3 + opt.burst_members]
        self.pool = users[3 + opt.burst_members:]
        self.phase("register_users", t)
        self.bot_id, self.floor_id = self.bot_user.user_id, self.floor_user.user_id
        bots = {self.bot_id, self.floor_id}

        t = time.perf_counter()
        self.floor = floor_bot(self.hs.url, self.floor_user, self.folder).start()
        self.config = write_copbot_config(self.hs.url, self.bot_user, self.folder / "bot")
        self.cop = copbot(self.config, self.folder / "bot").start()
        self.children += [self.floor, self.cop]
        await self.floor.wait_line("ready")
        await self.cop.wait_line('"scheduler.loaded"')
        self.fac = await Probe(self.hs.url, self.fac_user, bots).start()
        self.room_c = await self.api.create_room(self.fac_user.access_token, "Bench circle", [self.bot_id])
        self.room_f = await self.api.create_room(self.fac_user.access_token, "Floor room", [self.floor_id])
        await self.wait_joined(self.room_c, self.bot_id)
        await self.wait_joined(self.room_f, self.floor_id)
        await self.fac.ask(self.room_c, "!cop setup Bench circle", expect="Bench circle")
        self.phase("start_bots", t)
        try:
            for name in ("latency", "burst", "scale", "scheduling"):
                if name in self.opt.sections:
                    await getattr(self, name)()
        finally:
            await self.fac.close()
            await self.floor.stop()
            await self.cop.stop()
            await self.api.close()

    async def wait_joined(self, room_id: str, user_id: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while user_id not in await self.api.members(self.fac_user.access_token, room_id):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{user_id} did not join")
            await asyncio.sleep(0.1)

    # ----- 1. latency -------------------------------------------------------

    async def latency(self) -> None:
        print("latency", flush=True)
        t = time.perf_counter()
        cases = [("floor", self.room_f, "!ping", "pong"),
                 ("copbot_ping", self.room_c, "!cop ping", "pong"),
                 ("copbot_status", self.room_c, "!cop status", "Bench circle"),
                 ("copbot_help", self.room_c, "!cop help", "!cop")]
        times: dict[str, list[float]] = {name: [] for name, *_ in cases}
        for i in range(self.opt.warmup + self.opt.rounds):
            turn = cases[i % len(cases):] + cases[:i % len(cases)]  # rotate who goes first
            for name, room, body, expect in turn:
                rt, _ = await self.fac.ask(room, body, expect=expect, timeout=30)
                if i >= self.opt.warmup:
                    times[name].append(rt)
        floor = summary_ms(times["floor"])
        out = {"floor": floor, "rounds": self.opt.rounds, "warmup": self.opt.warmup}
        for name in ("copbot_ping", "copbot_status", "copbot_help"):
            s = summary_ms(times[name])
            s["ratio_p50"] = round(s["p50"] / floor["p50"], 3)
            out[name] = s
        self.results["latency"] = out
        self.phase("latency", t)

    # ----- 2. burst -----------------------------------------------------------

    async def burst(self) -> None:
        print("burst", flush=True)
        opt = self.opt
        t = time.perf_counter()
        bots = {self.bot_id, self.floor_id}
        rooms = [self.room_c] + ([self.room_f] if opt.floor_burst else [])
        await bounded(opt.concurrency, [lambda u=u, r=r: self.api.join(u.access_token, r)
                                        for u in self.burst_users for r in rooms])
        # The senders are matrix-nio clients that send without syncing; the answers are observed
        # through the facilitator's /sync (see fire()).
        probes = [Probe(self.hs.url, u, bots) for u in self.burst_users]
        # The bot must have seen the joins, or it would (rightly) refuse non-members.
        last = await probes[-1].start()
        for _ in range(60):
            _, seen = await last.ask(self.room_c, "!cop status", timeout=30)
            if "Bench circle" in seen.body:
                break
            await asyncio.sleep(0.5)
        self.phase("burst_setup", t)
        try:
            t = time.perf_counter()
            out = {"members": opt.burst_members, "per_member": opt.burst_per_member}
            out["copbot"] = await self.fire(probes, self.room_c, "!cop status", "Bench circle")
            out["observed_by"] = "one member's /sync (the facilitator's); the senders do not sync"
            if "latency" in self.results:
                out["copbot"]["ratio_p99"] = round(out["copbot"]["p99"] / self.results["latency"]["floor"]["p50"], 1)
            out["peak_rss_mb"] = round(self.cop.peak_rss() / MB, 1)
            self.phase("burst_copbot", t)
            if opt.floor_burst:
                t = time.perf_counter()
                out["floor"] = await self.fire(probes, self.room_f, "!ping", "pong")
                out["copbot"]["ratio_p99_to_floor_burst_p99"] = round(out["copbot"]["p99"] / out["floor"]["p99"], 2)
                out["copbot"]["ratio_p99_to_floor_burst_p50"] = round(out["copbot"]["p99"] / out["floor"]["p50"], 2)
                self.phase("burst_floor", t)
            self.results["burst"] = out
        finally:
            await asyncio.gather(*(p.close() for p in probes))

    async def fire(self, senders: list[Probe], room: str, body: str, expect: str) -> dict:
        """Every sender sends `burst_per_member` commands at once; the answers are observed through
        the facilitator's /sync.

        Why one observer: with 50 members syncing, every event wakes 50 /syncs, and on one SQLite
        Synapse with 2 cores that fan-out is the bottleneck (a first run measured about 1 answer a
        second for the floor bot and copbot alike): the homeserver would be measured, not the bot.
        A room is answered in order (copbot: one room's messages in order; the floor bot answers
        inline), so the k-th answer after the burst answers the k-th command in the timeline."""
        per, observer = self.opt.burst_per_member, self.fac
        bot0, people0 = len(observer.log(room).bot), len(observer.log(room).people)
        sent: dict[str, float] = {}

        async def one(p: Probe) -> None:
            t0 = time.perf_counter()
            sent[await p.send(room, body)] = t0

        start = time.perf_counter()
        await asyncio.gather(*(one(p) for p in senders for _ in range(per)))
        sends_done = time.perf_counter() - start
        total = len(sent)
        timed_out = False
        try:
            await observer.until(lambda: len(observer.log(room).bot) - bot0 >= total, timeout=self.opt.burst_timeout)
        except TimeoutError:
            timed_out = True
        replies = observer.log(room).bot[bot0:]
        commands = [s for s in observer.log(room).people[people0:] if s.event_id in sent]
        latencies = [replies[k].perf - sent[cmd.event_id] for k, cmd in enumerate(commands) if k < len(replies)]
        wrong = sum(expect not in r.body for r in replies[:len(commands)])
        last = replies[-1].perf if replies else start
        out = {"sent": total, "answers": len(latencies), "not_as_expected": wrong, "timed_out": timed_out,
               "sends_s": round(sends_done, 2), "all_answered_s": round(last - start, 2)}
        out.update(summary_ms(latencies) if latencies else {})
        return out

    # ----- 3. scale -----------------------------------------------------------

    async def scale(self) -> None:
        print("scale", flush=True)
        opt = self.opt
        fac_token = self.fac_user.access_token
        setup: dict[str, float] = {}
        t0 = t = time.perf_counter()
        extra = opt.communities - 1  # the bench room is one of them
        new_rooms = await bounded(4, [lambda i=i: self.api.create_room(fac_token, f"Community {i}", [self.bot_id])
                                      for i in range(1, extra + 1)])
        setup["rooms"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        joins = []
        for j, room in enumerate(new_rooms):
            for k in range(opt.members_per_community - 1):  # the facilitator is one of the members
                user = self.pool[(j * (opt.members_per_community - 1) + k) % len(self.pool)]
                joins.append(lambda u=user, r=room: self.api.join(u.access_token, r))
        await bounded(opt.concurrency, joins)
        setup["member_joins"] = round(time.perf_counter() - t, 1)
        print(f"  {len(new_rooms)} rooms, {len(joins)} joins", flush=True)
        t = time.perf_counter()
        for room in new_rooms:
            await self.wait_joined(room, self.bot_id)
        setup["bot_joins"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        await bounded(opt.concurrency, [lambda i=i, r=r: self.fac.ask(r, f"!cop setup Community {i}", expect="Welcome")
                                        for i, r in enumerate(new_rooms, 1)])
        setup["setup_commands"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        first = (datetime.now(TZ) + timedelta(days=30)).date()
        self.all_rooms = [self.room_c, *new_rooms]
        await bounded(opt.concurrency, [lambda r=r: self.fac.ask(
            r, f"!cop workshops plan {first:%Y-%m-%d} 18:00 every 6 weeks", expect="workshops planned", timeout=120)
            for r in self.all_rooms])
        setup["plan_commands"] = round(time.perf_counter() - t, 1)
        setup["bot_commands"] = round(setup["setup_commands"] + setup["plan_commands"], 1)
        setup["total"] = round(time.perf_counter() - t0, 1)
        before_rss = self.cop.rss()
        before_peak = self.cop.peak_rss()
        print(f"  setup {setup}", flush=True)

        # The restart: stop, start, and at once send a command that the new process must answer.
        await self.cop.stop()
        self.cop = copbot(self.config, self.folder / "bot", tag="-restarted").start()
        self.children.append(self.cop)
        rt_send = time.perf_counter()
        _, seen = await self.fac.ask(self.room_c, "!cop ping", expect="pong", timeout=120)
        answer_s = seen.perf - self.cop.started_perf
        await self.cop.wait_line('"scheduler.loaded"', timeout=120)
        started = log_events(self.cop.log_path, "bot.started")
        loaded = log_events(self.cop.log_path, "scheduler.loaded")
        loaded_s = loaded[0]["_wall"] - self.cop.started_wall
        # Ready: the bot answers, and the start-up (planning every community) is done, so the sync
        # loop is live again: whichever comes later.
        ready_s = max(answer_s, loaded_s)
        await asyncio.sleep(3)
        self.results["scale"] = {
            "communities": opt.communities, "members_per_community": opt.members_per_community,
            "distinct_members": min(len(self.pool), extra * (opt.members_per_community - 1)) + 1,
            "setup_s": setup,
            "ready_s": round(ready_s, 2),
            "first_answer_s": round(answer_s, 2),
            "ping_sent_after_start_s": round(rt_send - self.cop.started_perf, 3),
            "started_s": round(started[0]["_wall"] - self.cop.started_wall, 2) if started else None,
            "scheduler_loaded_s": round(loaded_s, 2),
            "actions_loaded": loaded[0].get("actions") if loaded else None,
            "rss_mb": round(self.cop.rss() / MB, 1),
            "peak_rss_mb": round(self.cop.peak_rss() / MB, 1),
            "before_restart_rss_mb": round(before_rss / MB, 1),
            "before_restart_peak_rss_mb": round(before_peak / MB, 1),
        }
        print(f"  ready after restart {ready_s:.2f} s", flush=True)

    # ----- 4. scheduling ------------------------------------------------------

    async def scheduling(self) -> None:
        print("scheduling", flush=True)
        opt = self.opt
        rooms = self.all_rooms[1:opt.scheduled + 1]  # scale() made them
        t = time.perf_counter()
        now = datetime.now(TZ)
        start = (now + timedelta(seconds=150)).replace(second=0, microsecond=0) + timedelta(minutes=1)
        await bounded(opt.concurrency, [lambda r=r: self.fac.ask(
            r, f"!cop workshops plan {start:%Y-%m-%d %H:%M} every 6 weeks confirm", expect="workshops planned",
            timeout=120) for r in rooms])
        due = datetime.fromtimestamp(math.ceil(time.time() + 30), timezone.utc)
        lead = int((start - due).total_seconds())
        await bounded(opt.concurrency, [lambda r=r: self.fac.ask(
            r, f"!cop reminders {lead}s 1d 1h", expect="Reminders will go out", timeout=120) for r in rooms])
        margin = due.timestamp() - time.time()
        print(f"  {len(rooms)} reminders due at {due:%H:%M:%S} UTC ({margin:.1f} s from now)", flush=True)
        marks = {r: len(self.fac.log(r).bot) for r in rooms}

        def arrived() -> dict[str, float]:
            out = {}
            for r in rooms:
                hit = next((s for s in self.fac.log(r).bot[marks[r]:] if "Reminder: workshop" in s.body), None)
                if hit is not None:
                    out[r] = hit.wall
            return out

        try:
            await self.fac.until(lambda: len(arrived()) == len(rooms), timeout=margin + 30)
        except TimeoutError:
            pass
        delays = [w - due.timestamp() for w in arrived().values()]
        ms = summary_ms(delays) if delays else {}
        self.results["scheduling"] = sched = {
            "actions": len(rooms), "arrived": len(delays), "setup_margin_s": round(margin, 1),
            "p50_ms": ms.get("p50"), "max_ms": ms.get("max"), "min_ms": round(min(delays) * 1000, 1) if delays else None,
            "peak_rss_mb": round(self.cop.peak_rss() / MB, 1),
        }
        if len(delays) == len(rooms):
            sched["floor"] = await self.scheduling_floor(rooms, arrived, marks)
            best = min(f["p50_ms"] for f in sched["floor"].values())
            sched["ratio_p50_to_best_floor_p50"] = round(ms["p50"] / best, 2)
        self.phase("scheduling", t)

    async def scheduling_floor(self, rooms: list[str], arrived, marks: dict[str, int]) -> dict:
        """The same 50 messages (content copied from copbot's reminder) sent by a bare nio client as
        the bot user at a due time: all at once, then three at a time. What the homeserver allows."""
        first = next(s for s in self.fac.log(rooms[0]).bot[marks[rooms[0]]:] if "Reminder: workshop" in s.body)
        content = await self.api.event_content(self.fac_user.access_token, rooms[0], first.event_id)
        bare = AsyncClient(self.hs.url, self.bot_id)
        bare.restore_login(self.bot_id, self.bot_user.device_id, self.bot_user.access_token)
        out = {}
        try:
            for name, at_once in (("all_at_once", len(rooms)), ("three_at_a_time", 3)):
                due = math.ceil(time.time() + 5)
                marks.update({r: len(self.fac.log(r).bot) for r in rooms})
                await asyncio.sleep(due - time.time())
                await bounded(at_once, [lambda r=r: bare.room_send(r, "m.room.message", content, tx_id=uuid.uuid4().hex)
                                        for r in rooms])
                try:
                    await self.fac.until(lambda: len(arrived()) == len(rooms), timeout=60)
                except TimeoutError:
                    pass
                delays = [w - due for w in arrived().values()]
                ms = summary_ms(delays)
                out[name] = {"arrived": len(delays), "p50_ms": ms["p50"], "max_ms": ms["max"],
                             "min_ms": round(min(delays) * 1000, 1)}
                print(f"  floor, {name}: p50 {ms['p50']} ms, max {ms['max']} ms", flush=True)
        finally:
            await bare.close()
        return out


def run_summary_bench() -> dict:
    print("summary", flush=True)
    subprocess.run([sys.executable, "-m", "bench.summary_bench"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    data = json.loads((REPO / "bench" / "summary_results.json").read_text())
    return {"scales": {s: {"ms": r["ms"], "statements": r["statements"]} for s, r in data["scales"].items()},
            "ratio": data.get("ratio"), "source": "bench/summary_results.json"}


async def main_async(opt: Options, keep: Path | None = None, children: list | None = None) -> dict:
    results: dict = {"machine": machine(), "options": asdict(opt),
                     "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    t = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="copbot-matrix-bench-") as tmp:
        folder = Path(keep or tmp)
        hs = await asyncio.to_thread(start_synapse, folder / "synapse")
        try:
            await Bench(hs, folder, opt, results, children if children is not None else []).run()
        finally:
            await asyncio.to_thread(hs.stop)
    if opt.summary:
        results["summary"] = await asyncio.to_thread(run_summary_bench)
    results["total_s"] = round(time.perf_counter() - t, 1)
    return results


def kill_all(children: list) -> None:
    """Whatever is still running after an interruption: Synapse and the bots (own process groups)."""
    for child in children:
        popen = getattr(child, "popen", None) or getattr(child, "process", None)
        if popen is not None and popen.poll() is None:
            os.killpg(popen.pid, signal.SIGKILL)
            popen.wait()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes, to try the harness (not written to results.json)")
    p.add_argument("--no-summary", action="store_true", help="skip the summary benchmark")
    p.add_argument("--no-floor-burst", action="store_true", help="skip the floor bot's burst")
    p.add_argument("--only", nargs="+", choices=("latency", "burst", "scale", "scheduling"),
                   help="run only these sections (scheduling needs scale)")
    p.add_argument("--keep", type=Path, default=None, help="keep Synapse's and the bots' files and logs here")
    p.add_argument("--set", nargs="+", default=[], metavar="NAME=N",
                   help="override sizes, e.g. --set communities=50 members_per_community=5")
    p.add_argument("--out", type=Path, default=None, help=f"where to write the results (default {RESULTS})")
    args = p.parse_args(argv)
    opt = Options(summary=not args.no_summary, floor_burst=not args.no_floor_burst)
    if args.quick:
        opt = Options(rounds=20, warmup=3, burst_members=10, burst_per_member=5, communities=12,
                      members_per_community=5, member_pool=20, scheduled=5, summary=False,
                      floor_burst=opt.floor_burst)
    for item in args.set:
        name, _, value = item.partition("=")
        if name not in Options.__dataclass_fields__ or name == "sections":
            p.error(f"unknown size {name!r}")
        setattr(opt, name, type(getattr(opt, name))(int(value)))
    if args.only:
        opt.sections = tuple(args.only)
        opt.summary = False
    children: list = []

    def interrupted(signum: int, _frame: object) -> None:
        kill_all(children)
        os._exit(128 + signum)

    for sig in (signal.SIGINT, signal.SIGTERM):  # before asyncio.run, which then keeps them
        signal.signal(sig, interrupted)
    try:
        results = asyncio.run(main_async(opt, args.keep, children))
    finally:
        kill_all(children)
    print()
    print(table(results))
    out = args.out or (None if args.quick or args.only or args.set else RESULTS)
    if out is not None:
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
