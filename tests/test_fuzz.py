"""Hostile input, property-based (issue 9): the command parser, every registered command's
arguments, the DM conversations (consultation drafts, check-in answers) and the app's reading
of an event, fed random Unicode, 100 KB texts, HTML and Markdown injection, zero-width and
right-to-left characters, spoofed mentions and formatted bodies that disagree with the plain one.

For every input it checks what a user would notice:
  (a) no exception escapes and no "something went wrong" apology is sent;
  (b) at least one non-empty answer (a prefixed command, or anything in a DM, always gets one;
      chatter without the prefix in a room gets none, on purpose);
  (c) every formatted_body is sanitized: only the allowed tags and attributes, links only
      http(s)/mailto, nothing of the user's HTML or Markdown turned live;
  (d) a rejected command (usage, refusal, unknown, too long) leaves every table as it was;
  (e) every event fits Matrix's 65,536-byte limit with room for the envelope and encryption;
  (f) nobody is notified (an explicit empty m.mentions), and no right-to-left override in the
      input reaches what the bot sends.

Examples are derandomized and the database is off, so CI is reproducible. The fixture builds
one community (workshops, a posted consultation, a check-in period) per test and restores every
table after each example that changed one, so accepted commands do not leak into the next.
"""

from __future__ import annotations

import html
import json
import logging
import re
import sqlite3
import time
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis.control import currently_in_test_context
from nio import RoomMessageText
from hypothesis import HealthCheck, event, given, settings, strategies as st

from bot.app import CopBot, command_text, strip_reply_fallback
from bot.framework import Registry
from bot.i18n import Catalogue
from bot.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render, shown
from domain.errors import InputError
from tests.fakes import FakeRoom, Harness, dialog_desks
from tests.strategies import ATTACKS, HUGE, arguments, free_text, huge, lines

ROOM, FAC, BOB, ANN, EVE = "!room:test", "@fac:test", "@bob:test", "@ann:test", "@eve:test"
DM = {user: f"!dm-{user}" for user in (FAC, BOB, ANN, EVE)}  # what FakeOps.dm_room gives
TZ = ZoneInfo("America/Toronto")
LIMIT = 65_536  # Matrix: a whole event, envelope included
ENVELOPE = 2_000  # sender, ids, hashes, signatures, prev/auth events: generous
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
REJECTION_KEYS = {"error.too_long", "error.unknown_command", "help.usage_block",
                  # the consultation draft's corrections, answered by its intercept
                  "consult.contains_code", "consult.too_long", "consult.empty", "consult.answer_preview"}
REJECTION_LOGS = {"command.bad_argument", "command.refused"}
SAVED_CHECKIN = {"checkin.saved", "checkin.saved_quotable"}

_BASE = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                        HealthCheck.data_too_large, HealthCheck.large_base_example])


def fuzz(examples: int) -> settings:
    return settings(_BASE, max_examples=examples)

REGISTRY = Registry.discover()
COMMANDS = sorted(REGISTRY.commands, key=lambda c: (c.name, c.scope))
ROOM_COMMANDS = [c for c in COMMANDS if c.scope in ("any", "room")]
DM_COMMANDS = [c for c in COMMANDS if c.scope in ("any", "dm")]


# ----- the world: one community, and a way back to it after every example ------------------

class RecordingCatalogue(Catalogue):
    """The real catalogue, remembering which entries were rendered (to tell a refusal apart)."""

    def __init__(self, entries):
        super().__init__(entries)
        self.keys: list[str] = []

    def render(self, lang, key, **params):
        self.keys.append(key)
        return super().render(lang, key, **params)


class Messages(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.seen: list[str] = []

    def emit(self, record):
        self.seen.append(record.getMessage())


class World:
    def __init__(self, h: Harness, code: str, folder):
        self.h, self.code = h, code
        self.db = sqlite3.connect(folder / "test.db", timeout=30, isolation_level=None)
        self.catalogue = RecordingCatalogue(h.services.catalogue.entries)
        h.services.catalogue = self.catalogue
        self.logs = Messages()
        self.baseline: dict = {}
        self.current: dict = {}  # the tables as the last turn left them
        self.worst_cpu_s = 0.0

    def tables(self) -> dict:
        """Every row of every table, sorted: the whole state a command could change. Read with a
        plain sqlite3 connection beside the bot's (WAL lets both in): a thread hop per table would
        cost more than the command."""
        out = {}
        names = [r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for name in names:
            cursor = self.db.execute(f'SELECT * FROM "{name}"')
            out[name] = (tuple(d[0] for d in cursor.description), sorted(cursor.fetchall(), key=repr))
        return out

    def restore(self) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("PRAGMA defer_foreign_keys=ON")
            for name in self.baseline:
                self.db.execute(f'DELETE FROM "{name}"')
            for name, (columns, rows) in self.baseline.items():
                if rows:
                    cols = ", ".join(f'"{c}"' for c in columns)
                    marks = ", ".join("?" for _ in columns)
                    self.db.executemany(f'INSERT INTO "{name}" ({cols}) VALUES ({marks})', rows)

    def forget_memory(self) -> None:
        """Drafts, open check-ins, rate limits and clock jobs: as after the setup."""
        s = self.h.services
        for name, value in dialog_desks(self.h.clock).items():
            setattr(s, name, value)
        s.scheduler.jobs.clear()
        self.h.client.sent.clear()

    async def reset(self) -> None:
        """Back to the state after the setup; tables are rewritten only if a command changed one."""
        self.forget_memory()
        if self.current is not self.baseline and self.current != self.baseline:
            self.restore()
            assert self.tables() == self.baseline
        self.current = self.baseline

    async def say(self, text: str, *, sender: str, dm: bool) -> "Turn":
        """One message through the Harness (DM intercepts, then dispatch) and what it did."""
        self.catalogue.keys.clear()
        self.logs.seen.clear()
        before = self.current
        cpu = time.process_time()
        sent = await self.h.command(text, sender=sender, room=DM[sender] if dm else ROOM, dm=dm)
        cpu = time.process_time() - cpu
        self.worst_cpu_s = max(self.worst_cpu_s, cpu)
        self.current = self.tables()
        return Turn(text, sent, list(self.catalogue.keys), list(self.logs.seen), before, self.current, cpu)


class Turn:
    def __init__(self, text, sent, keys, logs, before, after, cpu_s):
        self.text, self.sent, self.keys, self.logs = text, sent, keys, logs
        self.before, self.after, self.cpu_s = before, after, cpu_s

    @property
    def rejected(self) -> bool:
        return bool(REJECTION_KEYS & set(self.keys) or REJECTION_LOGS & set(self.logs))

    def changed(self) -> list[str]:
        return [name for name in self.after if self.after[name] != self.before.get(name)]


async def _consult_code(h: Harness) -> str:
    """ANN asks for a consultation, sends it and it is posted: a real case code to fuzz with."""
    await h.command("consult We disagree about reporting a case to child protection.", sender=ANN,
                    room=DM[ANN], dm=True)
    [sent] = [s for s in await h.command("send", sender=ANN, room=DM[ANN], dm=True) if "case code" in s.body]
    code = re.search(r"`([a-z]+(?:-[a-z]+){3})`", sent.body).group(1)
    h.clock.at = h.clock.now() + timedelta(hours=1)
    await h.run_due()
    return code


@asynccontextmanager
async def built_world(folder):
    async with Harness(folder) as h:
        h.rooms[ROOM] = FakeRoom({FAC: 100, BOB: 0, ANN: 0})
        await h.command("setup North circle", sender=FAC, room=ROOM)
        await h.command("workshops plan 2027-01-19 10:00 every 6 weeks count 3", sender=FAC, room=ROOM)
        await h.command("workshop 2 topic Safety planning", sender=FAC, room=ROOM)
        await h.command("prompt add maturing What do we call this? #collab.power", sender=FAC, room=ROOM)
        h.clock.at = datetime(2027, 1, 26, 10, 0, tzinfo=TZ)  # after workshop 1: a check-in period
        await h.run_due()
        code = await _consult_code(h)
        w = World(h, code, folder)
        framework = logging.getLogger("bot.framework")
        framework.addHandler(w.logs)
        saved_level = framework.level
        framework.setLevel(logging.INFO)
        w.forget_memory()
        w.baseline = w.current = w.tables()
        try:
            yield w
        finally:
            framework.removeHandler(w.logs)
            framework.setLevel(saved_level)
            w.db.close()


@pytest.fixture
async def world(tmp_path):
    async with built_world(tmp_path) as w:
        yield w


# ----- the properties -------------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.after_tag: list[tuple[str, str]] = []
        self._last: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._last = tag

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self._last = None

    def handle_data(self, data):
        if self._last is not None:
            self.after_tag.append((self._last, data))
        self._last = None

    def handle_comment(self, data):
        self.tags.append(("!--", []))


def check_html(fragment: str) -> None:
    """(c) Only the allowed tags and attributes; no live link other than http(s)/mailto; the
    user's own markup (our xss-… markers) never opens a tag."""
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> in {fragment[:300]!r}"
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), f"attribute {name} on <{tag}>"
            assert not name.startswith("on")
            value = (value or "").strip().lower()
            if name == "href":
                assert value.startswith(("https://", "http://", "mailto:")), f"href {value!r}"
            assert "javascript:" not in value and "evil.example" not in value and "tracker" not in value
    for tag, data in parser.after_tag:
        assert not data.startswith("xss-"), f"user markup became <{tag}>{data}"
    assert "<script" not in fragment.lower() and "<img" not in fragment.lower()


def check_event(content: dict) -> None:
    """(b, c, e, f) for one event the bot sent."""
    body = content.get("body")
    assert isinstance(body, str) and body.strip(), "an empty message"
    plain_json = json.dumps(content, ensure_ascii=False).encode()
    ascii_json = json.dumps(content).encode()
    assert len(plain_json) + ENVELOPE < LIMIT
    # In an encrypted room the whole content travels as base64 ciphertext: a third bigger.
    assert (len(ascii_json) + 200) * 4 // 3 + ENVELOPE < LIMIT, f"{len(ascii_json)} bytes of content"
    assert content.get("m.mentions") == {}, f"mentions {content.get('m.mentions')!r}"
    assert not BIDI_CONTROLS.search(body), "a direction override reached the message"
    if "formatted_body" in content:
        assert content["format"] == "org.matrix.custom.html"
        assert not BIDI_CONTROLS.search(content["formatted_body"])
        check_html(content["formatted_body"])
    if content.get("msgtype") == "m.notice":
        assert "formatted_body" in content


def check_turn(turn: Turn, *, must_answer: bool = True) -> None:
    assert "error.unexpected" not in turn.keys, f"apology sent for {turn.text[:200]!r}"
    assert not any("failed" in m for m in turn.logs)
    if must_answer:
        assert turn.sent, f"no answer to {turn.text[:200]!r}"
    for sent in turn.sent:
        assert sent.event_type == "m.room.message"
        check_event(sent.content)
    if turn.rejected:
        assert turn.changed() == [], f"rejected {turn.text[:120]!r} yet changed {turn.changed()}"
    # Shown by --hypothesis-show-statistics: how many inputs got past the parsers.
    if currently_in_test_context():
        event("rejected" if turn.rejected else ("changed state" if turn.changed() else "accepted, read only"))
    # A guard against runaway (super-linear) work on 100 KB of hostile text, not a speed test
    # (speed is the benchmarks' job): a first `checkin` of 7 characters took 1.27 s of CPU on a
    # slowed-down shared host, lazy imports included, so the bound leaves room for that.
    assert turn.cpu_s < 5.0, f"{turn.cpu_s:.2f} s CPU for {len(turn.text)} characters"


# ----- the command parser, without Matrix ------------------------------------------------------

def test_the_registry_is_what_the_fuzzer_covers():
    names = {c.name for c in COMMANDS}
    assert len(COMMANDS) >= 50
    assert {"help", "ping", "setup", "status", "close", "consult", "send", "edit", "checkin", "impact",
            "workshops plan", "workshop", "rsvp", "summary", "prompt add", "reminders"} <= names
    assert ROOM_COMMANDS and DM_COMMANDS and len({id(c) for c in ROOM_COMMANDS + DM_COMMANDS}) == len(COMMANDS)


def _timed(fn, *args):
    cpu = time.process_time()
    try:
        return fn(*args)
    finally:
        assert time.process_time() - cpu < 1.0, f"{time.process_time() - cpu:.2f} s CPU"


@fuzz(300)
@given(cmd=st.sampled_from(COMMANDS), label_case=st.sampled_from((str, str.upper, str.title)),
       args=arguments(), is_dm=st.booleans())
def test_find_and_parse_never_crash_and_stay_fast(cmd, label_case, args, is_dm):
    label = label_case(cmd.name)
    text = f"{label} {args}"
    found, rest = _timed(REGISTRY.find, text, is_dm)
    assert found is not None, text[:80]
    # The longest name wins, so `prompt add …` is not `prompt` with argument `add`.
    assert len(found.name.split()) >= len(cmd.name.split()) or found.name == cmd.name
    assert len(rest) <= len(text)
    try:
        values = _timed(found.parse, rest)
    except InputError as exc:
        assert exc.key
    else:
        assert {p.name for p in found.params if p.required} <= set(values) <= {p.name for p in found.params}


@fuzz(120)
@given(text=st.one_of(lines(), huge(), st.text()), is_dm=st.booleans())
def test_reading_a_message_never_crashes(text, is_dm):
    for body in (text, "!cop " + text, "> <@x:y> quoted\n> more\n\n" + text):
        line = _timed(command_text, _timed(strip_reply_fallback, body), "!cop", is_dm)
        assert line is None or len(line) <= len(body)
        if line is not None:
            _timed(REGISTRY.find, line, is_dm)


# ----- every command through the dispatcher --------------------------------------------------

FIXED_ARGUMENTS = ("", "1 <script>alert(1)</script> [x](javascript:alert(1)) ![](http://tracker.evil.example/p)",
                   "2 @room \u202eesolc \u200byes 2027-02-30 25:61 every -1 weeks", "x" * HUGE)


async def test_every_command_answers_hostile_arguments_from_each_role(world):
    """Each registered command, with a fixed set of hostile arguments, from a facilitator, a
    member and someone outside the community, in the room and in a DM."""
    seen = 0
    for cmd in COMMANDS:
        where = {"room": ((FAC, False), (BOB, False), (EVE, False), (BOB, True)),
                 "dm": ((BOB, True), (EVE, True), (FAC, False)),
                 "any": ((FAC, False), (EVE, False), (BOB, True), (EVE, True))}[cmd.scope]
        for args in FIXED_ARGUMENTS:
            for sender, dm in where:
                await world.reset()
                check_turn(await world.say(f"{cmd.name} {args}", sender=sender, dm=dm))
                seen += 1
    assert seen >= len(COMMANDS) * len(FIXED_ARGUMENTS) * 3


@st.composite
def command_lines(draw, commands):
    cmd = draw(st.sampled_from(commands))
    label = draw(st.sampled_from((cmd.name, *cmd.aliases)))
    label = draw(st.sampled_from((label, label.upper(), label.title())))
    glue = draw(st.sampled_from((" ", " ", "\n", "  ")))
    return f"{label}{glue}{draw(arguments())}"


@fuzz(150)
@given(text=command_lines(ROOM_COMMANDS), sender=st.sampled_from((FAC, FAC, BOB, EVE)))
async def test_room_commands_under_hostile_input(world, text, sender):
    await world.reset()
    check_turn(await world.say(text, sender=sender, dm=False))


@fuzz(150)
@given(text=st.one_of(command_lines(DM_COMMANDS), lines(), free_text()), sender=st.sampled_from((BOB, BOB, EVE)))
async def test_dm_commands_under_hostile_input(world, text, sender):
    await world.reset()
    check_turn(await world.say(text, sender=sender, dm=True))


@fuzz(80)
@given(code_in=st.booleans(), verb=st.sampled_from(("followup", "status", "replies", "close", "suivi")),
       args=arguments())
async def test_case_code_commands_under_hostile_input(world, code_in, verb, args):
    await world.reset()
    code = world.code if code_in else args.split(" ")[0][:60]
    check_turn(await world.say(f"{verb} {code} {args}", sender=BOB, dm=True))


# Valid beginnings whose last argument is free text: hostile text then reaches the command,
# is stored, announced and echoed, instead of stopping at the first parser.
FREE_TEXT_ROOM = ("close ", "stage next ", "stage set maturing ", "workshop 2 topic ", "workshop 2 cancel ",
                  "workshop 2 link ", "prompt add coalescing ", "prompt add stewardship Why? ", "setup ",
                  "attended 1 @bob:test ", "reminders ", "prompts every ", "prompts hours ", "help ",
                  "workshops plan 2027-03-02 10:00 every 2 weeks ", "summary series ")
FREE_TEXT_DM = ("consult ", "consult north-circle ", "impact ", "impact north-circle ", "checkin ", "help ",
                "summary --cop ", "impact delete ", "forget-me ")


@fuzz(150)
@given(start=st.sampled_from(FREE_TEXT_ROOM + FREE_TEXT_DM), text=free_text())
async def test_free_text_arguments_reach_the_commands(world, start, text):
    await world.reset()
    dm = start in FREE_TEXT_DM
    check_turn(await world.say(start + text, sender=BOB if dm else FAC, dm=dm))


# ----- the DM conversations: a consultation draft and check-in answers -----------------------

@fuzz(60)
@given(first=free_text(), then=st.lists(st.one_of(free_text(), st.builds("edit {}".format, free_text()),
                                                  st.sampled_from(("send", "cancel", "edit", "help", "consult"))),
                                        max_size=3))
async def test_a_consultation_draft_with_hostile_text(world, first, then):
    await world.reset()
    opened = await world.say("consult", sender=BOB, dm=True)
    check_turn(opened)
    assert "consult.intro" in opened.keys
    for text in (first, *then):
        turn = await world.say(text, sender=BOB, dm=True)
        check_turn(turn)
        if "consult.sent" not in turn.keys and "consult.followup_sent" not in turn.keys:
            # Drafts never touch the disk: only `send` stores anything.
            assert turn.changed() == [], f"{text[:80]!r} changed {turn.changed()}"


ANSWERS = st.sampled_from(("4 3 3 1 n", "4", "n", "7", "yes", "no", "skip", "tags", "cancel", "1 2 3 4 5 6",
                           "#collab.power", "reflexive.practice, risk.assess", "oui", "4 3 3 1"))


@fuzz(60)
@given(answers=st.lists(st.one_of(ANSWERS, ANSWERS, free_text(), lines()), min_size=1, max_size=6))
async def test_check_in_answers_under_hostile_input(world, answers):
    await world.reset()
    opened = await world.say("checkin", sender=BOB, dm=True)
    check_turn(opened)
    assert "checkin.intro" in opened.keys
    for text in answers:
        turn = await world.say(text, sender=BOB, dm=True)
        check_turn(turn)
        if not SAVED_CHECKIN & set(turn.keys):
            assert turn.changed() == [], f"{text[:80]!r} changed {turn.changed()}"


# ----- the app's reading of an event: the plain body decides, never the formatted one --------

class _NioRoom:
    """What the app reads of a nio MatrixRoom to tell a DM from a room."""

    def __init__(self, member_count: int, name: str | None):
        self.member_count, self.name = member_count, name


def _app(world: World) -> CopBot:
    """The real CopBot._handle, with the Harness's services and fake client."""
    bot = CopBot(world.h.config, clock=world.h.clock)
    bot.services = world.h.services
    bot.client = SimpleNamespace(rooms={ROOM: _NioRoom(3, "North circle"), DM[BOB]: _NioRoom(2, None)})
    return bot


def _event(body: str, formatted: str | None, sender: str) -> RoomMessageText:
    content = {"msgtype": "m.text", "body": body}
    if formatted is not None:
        content.update(format="org.matrix.custom.html", formatted_body=formatted)
    return RoomMessageText.from_dict({
        "type": "m.room.message", "event_id": "$fuzz", "sender": sender, "room_id": ROOM,
        "origin_server_ts": int(world_now_ms()), "content": content})


def world_now_ms() -> float:
    return datetime(2027, 1, 26, 10, 0, tzinfo=TZ).timestamp() * 1000


async def handled(world: World, body: str, formatted: str | None, *, sender: str = FAC,
                  room: str = ROOM) -> tuple[list[str], dict]:
    """Bodies the bot sent for one event, and the tables after it; state reset before."""
    await world.reset()
    await _app(world)._handle(room, _event(body, formatted, sender))
    world.current = world.tables()
    return [s.body for s in world.h.client.sent], world.current


READ_ONLY_BODIES = ("!cop status", "!cop ping", "!cop help", "!cop stage", "!cop workshops", "!cop roles",
                    "hello everyone", "> <@fac:test> !cop close\n\n!cop status", "!cop\u200b status",
                    "\u200b!cop ping", "!cop sta\u200btus")
DESTRUCTIVE = ("!cop close", "!cop stage next", "!cop language fr", "!cop role @eve:test facilitator",
               "!cop workshop 1 cancel", "!cop consultations review on")


@fuzz(60)
@given(body=st.sampled_from(READ_ONLY_BODIES), order=st.sampled_from(DESTRUCTIVE),
       wrapper=st.sampled_from(("<b>{}</b>", "{}", "<mx-reply>{}</mx-reply>", '<a href="javascript:x">{}</a>',
                                "<p>{}</p><script>{}</script>", "<!-- {} -->", "<code>{}</code>")),
       noise=lines(3))
async def test_a_formatted_body_that_disagrees_is_never_obeyed(world, body, order, wrapper, noise):
    """body "!cop status", formatted_body "<b>!cop close</b>": the bot answers the status and
    changes nothing; the same as for the body alone."""
    formatted = wrapper.replace("{}", order + " " + noise)
    with_html, tables_with = await handled(world, body, formatted)
    plain_only, tables_plain = await handled(world, body, None)
    assert with_html == plain_only
    assert tables_with == tables_plain
    for sent in world.h.client.sent:
        check_event(sent.content)


async def test_the_body_decides_which_command_runs(world):
    sent, tables = await handled(world, "!cop status", "<b>!cop close</b>")
    assert len(sent) == 1 and sent[0].startswith("North circle (`north-circle`), open")
    assert [r for r in tables["communities"][1]][0][tables["communities"][0].index("closed_at")] is None
    # Chatter in the room is not a command, whatever its HTML says, and gets no answer.
    assert (await handled(world, "see you thursday", "<b>!cop close</b>"))[0] == []
    # A reply quoting a command runs only what was written below the quote.
    sent, _ = await handled(world, "> <@fac:test> !cop close\n\n!cop ping", None)
    assert len(sent) == 1 and sent[0].startswith("pong")


async def test_invisible_characters_neither_hide_nor_forge_a_command(world):
    """Zero-width characters and direction marks do not change what a line means: a line that
    shows as `!cop status` is that command; one that shows as something else is not."""
    for body in ("!cop\u200b status", "\u200b!cop status", "\ufeff!cop status", "!cop sta\u200btus",
                 "\u200e!cop status", "!cop \u2060 status"):
        sent, _ = await handled(world, body, None)
        assert len(sent) == 1 and sent[0].startswith("North circle (`north-circle`)"), body
    # Shows as "!cop status" but is "sutats" reversed: an unknown command, echoed without the override.
    sent, _ = await handled(world, "!cop \u202esutats", None)
    assert len(sent) == 1 and sent[0].startswith("Unknown command `sutats`"), sent
    # Not the prefix: "!copstatus", "!cop-status", a look-alike (Cyrillic о), and a prefix that
    # shows reversed ("poc!") are chatter.
    for body in ("!copstatus", "!cop-status", "!c\u043ep status", "\u202e!cop\u202c"):
        assert (await handled(world, body, None))[0] == [], body
    # A line of invisible characters after the prefix is an empty command: the help.
    sent, _ = await handled(world, "!cop \u200b\u200b", None)
    assert len(sent) == 1 and "Commands you can use here" in sent[0]


# ----- rendering: a value is inserted as written, once, and never read as markup -------------

@fuzz(150)
@given(a=st.one_of(lines(), st.sampled_from(ATTACKS)), b=st.one_of(lines(), st.sampled_from(ATTACKS)))
def test_values_are_inserted_verbatim_and_escaped(a, b):
    text = render("**Note:** {a} and `{b}`", {"a": a, "b": b})
    # The plain body holds each value exactly as written (no other value, no markup), minus the
    # direction overrides, which no message carries.
    assert text.plain == shown(f"Note: {a} and `{b}`")
    check_html(text.html)
    # The HTML shows the same text (line ends compared as line feeds).
    def lf(t: str) -> str:
        return t.replace("\r\n", "\n").replace("\r", "\n")

    assert lf(html.unescape(re.sub(r"<[^>]+>", "", text.html.replace("<br>", "\n")))) == \
        lf(shown(f"Note: {a} and {b}"))


# ----- what the properties look like on inputs that get through ------------------------------

HOSTILE = ("<script>alert('xss-script')</script> <img src=x onerror=alert(1)> "
           "[click](javascript:alert(1)) ![](http://tracker.evil.example/p.png) <em>xss-em</em> "
           "@room <a href=\"https://matrix.to/#/@victim:evil.example\">xss-a</a> \u202eesolc\u202c")


def _html_of(sent) -> str:
    return "".join(s.content.get("formatted_body", "") for s in sent)


async def test_a_hostile_consultation_is_previewed_as_text(world):
    await world.reset()
    turn = await world.say("consult We need advice. " + HOSTILE, sender=BOB, dm=True)
    check_turn(turn)
    assert "consult.preview" in turn.keys and turn.changed() == []
    [preview] = turn.sent
    # Shown as written (scrubbed: "@room" looks like a handle; overrides dropped), escaped in the
    # HTML, never live.
    assert "<script>alert('xss-script')</script> <img src=x onerror=alert(1)>" in preview.body
    assert "[handle]" in preview.body and "\u202e" not in preview.body and "esolc" in preview.body
    assert "&lt;script&gt;" in _html_of(turn.sent) and "&lt;em&gt;xss-em&lt;/em&gt;" in _html_of(turn.sent)
    sent = await world.say("send", sender=BOB, dm=True)
    check_turn(sent)
    assert "consult.sent" in sent.keys and sent.changed() == ["consultations"]
    # Posted in the room with the same text, notifying nobody.
    world.h.clock.at = world.h.clock.now() + timedelta(hours=1)
    await world.h.run_due()
    [post] = [s for s in world.h.client.sent if s.room_id == ROOM]
    check_event(post.content)
    assert "<em>xss-em</em>" in post.body and post.content["m.mentions"] == {}


async def test_announcements_with_spoofed_mentions_notify_nobody(world):
    for line in ("stage next " + HOSTILE, "workshop 2 topic @room @fac:test please come", "close " + HOSTILE):
        await world.reset()
        turn = await world.say(line, sender=FAC, dm=False)
        check_turn(turn)
        assert not turn.rejected and turn.changed(), line
        [announcement] = turn.sent
        assert "@room" in announcement.body and announcement.content["m.mentions"] == {}


async def test_hostile_check_in_story_is_stored_as_text(world):
    await world.reset()
    for text in ("checkin", "4 3 3 1 n", "I told <b>everyone</b> " + HOSTILE, "skip", "yes"):
        turn = await world.say(text, sender=BOB, dm=True)
        check_turn(turn)
    assert SAVED_CHECKIN & set(turn.keys) and turn.changed() == ["checkins"]


async def test_100_kb_in_a_conversation_gets_a_clear_answer_fast(world):
    """The DM intercepts read a message before the dispatcher's length limit does."""
    big = ("<b>x</b> \u200b#IPV acorn-tidal " * 5000)[:HUGE]
    await world.reset()
    await world.say("consult", sender=BOB, dm=True)
    turn = await world.say(big, sender=BOB, dm=True)
    check_turn(turn)
    assert "consult.too_long" in turn.keys
    await world.reset()
    for text, key in (("checkin", "checkin.intro"), (big, "checkin.bad_value"), ("4 3 3 1 n", "checkin.ask_text"),
                      (big, "checkin.text_too_long")):
        turn = await world.say(text, sender=BOB, dm=True)
        check_turn(turn)
        assert key in turn.keys, (key, turn.keys)


async def test_a_long_note_of_wide_characters_is_split_under_the_limit(world):
    """19,900 astral characters (12 bytes each, escaped) in a note announced in the room."""
    await world.reset()
    note = "\U0001d54f\U0001f469\u200d\U0001f467 " * 3980
    turn = await world.say("stage next " + note, sender=FAC, dm=False)
    check_turn(turn)
    assert len(turn.sent) > 1
    assert "".join(s.body for s in turn.sent).count("\U0001d54f") == 3980


async def test_a_failing_check_in_answer_gets_the_apology_not_silence(world, monkeypatch):
    """The consultation intercept apologised for its failures; the check-in one was silent (the
    app only logged the exception), and the Harness raised it."""
    import bot.commands.checkins as checkins

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    await world.reset()
    await world.say("checkin", sender=BOB, dm=True)
    monkeypatch.setattr(checkins, "step", broken)
    turn = await world.say("4 3 3 1 n", sender=BOB, dm=True)
    assert turn.keys == ["error.unexpected"] and len(turn.sent) == 1
    assert turn.sent[0].body.startswith("Sorry, something went wrong on my side") and turn.changed() == []
