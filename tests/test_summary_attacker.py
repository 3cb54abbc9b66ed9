"""The attacker of issue 21 §3: can a coordinator work out a small group's answers by subtraction?

A property-based test. Hypothesis makes a community with four workshops and a sequence of
moments: the clock moves on, members check in (answers with "not applicable", tags, stories),
consultations are opened and some closed, members RSVP and attend, and earlier check-ins are
deleted (`forget-me`, `impact delete`), in closed periods too. At each moment the
attacker asks for every summary a coordinator can ask for: `summary series csv`, `summary
workshop N csv` for every N, `summary since D csv` for many dates D, and `copbot export`; it
reads every number in the Matrix message (its HTML tables), the CSV files and the export.

Each released count is about the responses of a time interval [start, end): a workshop
column covers the time from the previous workshop to it, Σ the union of the table's columns,
`since` what its label or date says. The attacker keeps, per measure (check-ins, each item's
valid answers, each tag, each consultation category, RSVPs, ...), a graph whose nodes are
instants and whose edges are released counts over an interval, and works out by linear
algebra (potentials along paths: sums and differences of any released figures, from any
moments) the count between every two instants it can connect. That covers every pair of
released figures, Σ minus the visible columns, `since D1` minus `since D2`, and a column
before and after one more check-in. The property: no count it can work out, released or
derived, is between 1 and k−1. Percentages are turned back into counts via n. A facilitator
may change the minimum group on the way (5, 6, 8): together, the figures released under each
still give nothing between 1 and 4 (k = 5, the floor).
"""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings, strategies as st

from bot.summaries import export as export_module
from storage import communities
from storage import workshops as wq
from storage.models import Attendance, Checkin, Consultation, ConsultationReach, Rsvp
from tests.fakes import FakeRoom, Harness

ROOM, FAC, COORD = "!room:test", "@fac:test", "@coord:test"
TZ = ZoneInfo("America/Toronto")
K = 5
TAGS = ("collab.risk", "reflexive.self_care", "safety.plan")
CATS = ("housing", "custody", "IPV")

answer = st.sampled_from(["4", "3", "2", "1", "n"])
checkin = st.tuples(st.lists(answer, min_size=5, max_size=5), st.sampled_from(("",) + TAGS), st.booleans())
step = st.fixed_dictionaries({
    "days": st.integers(1, 24),
    "checkins": st.lists(checkin, max_size=7),
    # (category, closed, sectors its repliers came from, sectors wanted, a wanted one answered)
    "consultations": st.lists(st.tuples(st.sampled_from(CATS), st.booleans(), st.integers(0, 4), st.booleans(),
                                        st.booleans()), max_size=3),
    "rsvps": st.lists(st.sampled_from(["yes", "maybe", "no"]), max_size=3),
    "attended": st.integers(0, 3),
    "forget": st.lists(st.integers(0, 40), max_size=2),  # check-ins deleted (forget-me, impact delete)
    "min_group": st.sampled_from([None, None, 5, 6, 8]),  # a facilitator raises or lowers it on the way
})


class Attacker:
    """Released counts as edges between instants, per measure; derives every connected difference."""

    def __init__(self) -> None:
        self.parent: dict[tuple, tuple] = {}
        self.offset: dict[tuple, int] = {}  # value(node) - value(root)
        self.conflicts: list[str] = []
        self.sources: dict[tuple, str] = {}

    def _find(self, node: tuple) -> tuple[tuple, int]:
        if node not in self.parent:
            self.parent[node], self.offset[node] = node, 0
            return node, 0
        path, total = [], 0
        while self.parent[node] != node:
            path.append(node)
            total += self.offset[node]
            node = self.parent[node]
        return node, total

    def release(self, measure: str, start: datetime, end: datetime, value: int, where: str) -> None:
        a, b = (measure, start), (measure, end)
        ra, oa = self._find(a)
        rb, ob = self._find(b)
        self.sources.setdefault(b, where)
        self.sources.setdefault(a, where)
        if ra == rb:
            known = ob - oa
            if known != value and 1 <= abs(known - value) < K:
                self.conflicts.append(f"{measure}: [{start}, {end}) was {known} and is {value} ({where})")
            return
        # value(b) - value(a) = value  =>  attach rb under ra
        self.parent[rb] = ra
        self.offset[rb] = oa + value - ob

    def leaks(self) -> list[str]:
        groups: dict[tuple, list[tuple[int, tuple]]] = {}
        for node in self.parent:
            root, off = self._find(node)
            groups.setdefault(root, []).append((off, node))
        found = []
        for members in groups.values():
            if members[0][1][0].endswith("~"):  # a breakdown: see `numbers`
                continue
            members.sort(key=lambda m: (m[1][1], m[0]))
            for i, (v1, n1) in enumerate(members):
                for v2, n2 in members[i + 1:]:
                    if 1 <= abs(v2 - v1) < K:
                        found.append(f"{n1[0]}: {abs(v2 - v1)} between {n1[1]:%Y-%m-%d %H:%M} and "
                                     f"{n2[1]:%Y-%m-%d %H:%M} (from {self.sources[n1]} / {self.sources[n2]})")
        return found + self.conflicts


# --- reading what was released --------------------------------------------------------------

def html_tables(formatted: str) -> list[list[list[str]]]:
    tables = []
    for body in re.findall(r"<table>(.*?)</table>", formatted, re.S):
        rows = [[html.unescape(c) for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
        tables.append(rows)
    return tables


def csv_table(data: bytes) -> list[list[str]]:
    return [[c[1:] if c.startswith("'") else c for c in row] for row in csv.reader(io.StringIO(data.decode()))]


def markdown_tables(text: str) -> list[list[list[str]]]:
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            if not set(line) <= set("|-"):
                current.append([c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")])
        elif current:
            tables.append(current)
            current = []
    return tables


INT = re.compile(r"^\d+$")


def numbers(row_label: str, cell: str) -> list[tuple[str, int]]:
    """(measure, count) pairs in one cell; anything that is not a number (hidden cells) gives none."""
    cell = cell.strip()
    out: list[tuple[str, int]] = []

    def parts(names: tuple[str, ...]) -> None:
        for name, value in zip(names, [v.strip() for v in cell.split(" / ")]):
            if INT.match(value):
                out.append((name, int(value)))

    if row_label.startswith("RSVP"):
        parts(("rsvp.yes", "rsvp.maybe", "rsvp.no"))
    elif row_label == "Attended":
        parts(("attended",))
    elif row_label.startswith("Prompts"):
        parts(("prompts", "replies", "repliers"))
    elif row_label.startswith("Consultations answered from a wanted sector"):
        m = re.search(r"\((\d+)/(\d+)\)", cell)
        if m:
            out += [("wanted_answered", int(m[1])), ("wanted", int(m[2]))]
    elif row_label.startswith("Sectors reached"):  # the mean is turned into a sum in `read`
        out += [(f"reach.{b}", int(v)) for b, v in re.findall(r"(\d\+?): (\d+)(?!\.)", cell)]
    elif row_label.startswith("Consultations"):
        parts(("opened", "followed_up", "closed"))
    elif row_label in ("Consultation categories", "Most frequent tags"):
        kind = "category" if row_label.startswith("Consultation") else "tag"
        for piece in cell.split(", "):
            m = re.match(r"^(\S+) (\d+)$", piece)
            if m:
                out.append((f"{kind}.{m[1]}", int(m[2])))
    elif row_label == "Check-in response rate":
        m = re.search(r"\((\d+)/(\d+)\)", cell)
        if m:
            out += [("checkins", int(m[1])), ("invited", int(m[2]))]
        elif INT.match(cell):
            out.append(("checkins", int(cell)))
    elif row_label == "Impact stories":
        parts(("stories",))
    elif row_label.startswith("item."):
        m = re.search(r"\(n=(\d+)\)", cell)
        if m:
            n = int(m[1])
            out.append((row_label, n))
            # The counts per scale point, back from % and n. They are released in the same cells as
            # n, so the attacker connects the same instants with them; within a group of k or more
            # they are a breakdown ("1 of 7 said not at all" does not say who): what is checked is
            # that no difference of them is over a group (n) of 1 to k−1, and an n-level leak
            # shows that already. They are kept for the conflicts (the same interval, new counts).
            for point, pct in re.findall(r"(\d): (\d+\.\d)%", cell):
                out.append((f"{row_label}.{point}~", round(float(pct) * n / 100)))
    return out


ITEM_ROWS = {"My practice changed": "item.practice", "It helped me better ensure": "item.safety",
             "It improved my cooperation": "item.cooperation", "It improved the quality and": "item.continuity",
             "I know more about": "item.partners"}


def item_measure(label: str) -> str | None:
    return next((m for start, m in ITEM_ROWS.items() if label.startswith(start)), None)


class World:
    """What the attacker knows without asking: the schedule and the clock."""

    def __init__(self, created: datetime, workshops: list[datetime]):
        self.created, self.workshops = created, workshops

    def interval(self, label: str, now: datetime) -> tuple[datetime, datetime] | None:
        starts = [self.created, *self.workshops]
        m = re.fullmatch(r"W(\d+)(?:[–-]W(\d+))?", label)
        if m:
            a, b = int(m[1]), int(m[2] or m[1])
            return starts[a - 1], min(self.workshops[b - 1], now)
        if label == "+":
            return self.workshops[-1], now
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label):
            return datetime.combine(date.fromisoformat(label), time(0), TZ), now
        return None


def read(attacker: Attacker, world: World, tables: list[list[list[str]]], now: datetime, where: str) -> int:
    read_cells = 0
    for table in tables:
        header, rows = table[0], table[1:]
        spans = [world.interval(label, now) for label in header[1:]]
        known = [s for s in spans if s]
        for i, label in enumerate(header[1:]):
            if label == "Σ" and known:  # the union of the other columns
                spans[i] = (min(s[0] for s in known), max(s[1] for s in known))
        opened = next(([numbers(r[0], c)[:1] for c in r[1:]] for r in rows
                       if r[0].startswith("Consultations") and "answered" not in r[0]), [])
        for row in rows:
            label = item_measure(row[0]) or row[0]
            for column, (span, cell) in enumerate(zip(spans, row[1:])):
                if span is None:
                    continue
                found = numbers(label, cell)
                mean = re.search(r"mean (\d+\.\d)", cell) if label.startswith("Sectors reached") else None
                n = opened[column][0][1] if mean and column < len(opened) and opened[column] else 0
                if mean and n < 10:  # one decimal of a mean over fewer than 10 gives the sum exactly
                    found.append(("reach_sum", round(float(mean[1]) * n)))
                for measure, value in found:
                    if measure == "prompts":  # the bot's own posts, not anybody's answers
                        continue
                    attacker.release(measure, span[0], span[1], value, f"{where} {cell!r}")
                    read_cells += 1
    return read_cells


async def scenario(tmp_path, steps, since_days) -> list[str]:
    attacker = Attacker()
    async with Harness(tmp_path) as h:
        h.rooms[ROOM] = FakeRoom({FAC: 100, COORD: 0, **{f"@m{i}:test": 0 for i in range(12)}})
        await h.command("setup North circle", sender=FAC, room=ROOM)
        await h.command("workshops plan 2027-01-19 10:00 every 3 weeks count 4", sender=FAC, room=ROOM)
        await h.command(f"role {COORD} coordinator", sender=FAC, room=ROOM)
        async with h.services.db() as session:
            community = await communities.by_room(session, ROOM)
            series = await wq.series(session, community.id)
        world = World(community.created_at, [w.starts_at for w in series])
        serial, released, made = 0, 0, []
        for moment, s in enumerate(steps):
            h.clock.at = h.clock.now() + timedelta(days=s["days"], hours=moment % 5)
            now = h.clock.now()
            upcoming = next((w for w in series if w.starts_at > now), None)
            async with h.services.db() as session:
                for index in s["forget"]:  # any earlier check-in, in a closed period or not
                    if made:
                        gone = await session.get(Checkin, made.pop(index % len(made)))
                        await session.delete(gone)
                await session.flush()
                for answers, tag, story in s["checkins"]:
                    serial += 1
                    session.add(Checkin(community_id=community.id, member_key=f"k{serial}", period=0,
                                        answers=",".join(answers), tags=tag, text="A story" if story else None,
                                        consent=False, created_at=now, id=serial))
                    made.append(serial)
                for category, closed, reached, wanted, answered in s["consultations"]:
                    serial += 1
                    session.add(Consultation(community_id=community.id, label=f"C{serial}", code_hash=f"h{serial}",
                                             status="closed" if closed else "posted", categories=category,
                                             wanted="addiction" if wanted else "", id=serial,
                                             txn=f"t{serial}", posted_at=now, closed_at=now if closed else None))
                    await session.flush()
                    session.add(ConsultationReach(consultation_id=serial, reached_count=reached,
                                                  answered=wanted and answered, mention="none", txn=f"s{serial}"))
                if upcoming is not None:
                    for answer_ in s["rsvps"]:
                        serial += 1
                        session.add(Rsvp(workshop_id=upcoming.id, member_key=f"r{serial}", answer=answer_, at=now))
                    for _ in range(s["attended"]):
                        serial += 1
                        session.add(Attendance(workshop_id=upcoming.id, member_key=f"a{serial}", source="here",
                                               at=now))
                await session.commit()
            if s["min_group"]:
                await h.command(f"summary min-group {s['min_group']}", sender=FAC, room=ROOM)
            asks = ["summary series csv"] + [f"summary workshop {n} csv" for n in range(1, 5)]
            asks += [f"summary since {(world.created + timedelta(days=d)).date().isoformat()} csv" for d in since_days]
            for ask in asks:
                h.client.sent.clear()
                h.services.matrix.uploads.clear()
                await h.command(ask, sender=COORD, room=ROOM)
                for sent in h.client.sent:
                    if sent.room_id == f"!dm-{COORD}" and "formatted_body" in sent.content:
                        released += read(attacker, world, html_tables(sent.content["formatted_body"]), now,
                                         f"{now:%m-%d} {ask} (Matrix)")
                for name, _, data in h.services.matrix.uploads:
                    if name.endswith(".csv"):
                        released += read(attacker, world, [csv_table(data)], now, f"{now:%m-%d} {ask} ({name})")
            out = tmp_path / f"export{moment}"
            for path in await export_module.export(h.config, "north-circle", out, clock=h.clock):
                if path.suffix == ".md":
                    released += read(attacker, world, markdown_tables(path.read_text()), now,
                                     f"{now:%m-%d} export (md)")
                elif path.suffix == ".csv":
                    released += read(attacker, world, [csv_table(path.read_bytes())], now,
                                     f"{now:%m-%d} export ({path.name})")
    return attacker.leaks()


def _no_chart(*_args, **_kwargs) -> bytes:  # the chart draws the same released cells; it is slow
    return b"\x89PNG\r\n\x1a\n"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=2, max_size=6),
       since_days=st.lists(st.integers(0, 120), min_size=1, max_size=4, unique=True))
def test_no_small_group_can_be_worked_out_from_released_summaries(tmp_path_factory, monkeypatch, steps, since_days):
    monkeypatch.setattr(export_module, "chart_png", _no_chart)
    leaks = asyncio.run(scenario(tmp_path_factory.mktemp("attack"), steps, since_days))
    assert not leaks, "\n".join(leaks[:10])
