"""The authorization matrix (issue 9, item 5): every privileged command, sent by someone without
the role it needs, is refused with the catalogue's refusal in the caller's language, gets no
incident apology, sends nothing else, and leaves every table, the scheduler and the homeserver
untouched.

The privileged commands come from the registry: every command whose declared role check leaves
out plain members, plus the commands that check a role inside (a workshop edit, reminder offsets,
setup, summary), found by the role helpers their code calls. `ROWS` holds one valid invocation for
each; a new privileged command without a row fails `test_the_table_covers_every_privileged_command`,
and `test_the_right_role_gets_it_done` shows that each row does change something (or answers with
something) when the right person sends it, so a refusal cannot pass for a broken invocation.

Two communities: A (room !a:test), where everything is tried, and B (room !b:test). The callers:
a plain member of A (in English and in French), the facilitator and the coordinator of B sending
in A's room (both are plain members there), the same two from a DM for commands that run in one
(naming A with --cop where the command takes it) and from B's room naming A with --cop, and A's
own coordinator where a facilitator is needed. Summaries are the one command coordinators may use
(they pull summaries, facilitators issue commands), so no command is coordinator-only.
"""

from __future__ import annotations

import inspect
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.checks import room_only
from bot.commands import workshops as workshop_commands
from bot.framework import Registry
from bot.i18n import Catalogue
from bot.roles import MEMBER, facilitators
from storage import communities
from storage.models import Consultation
from tests import fakes
from tests.fakes import FakeRoom, Harness

ROOM_A, ROOM_B, ROOM_NEW, SIDE = "!a:test", "!b:test", "!new:test", "!side:test"
FAC_A, COORD_A, MEM = "@fac-a:test", "@coord-a:test", "@mem:test"
FAC_B, COORD_B = "@fac-b:test", "@coord-b:test"
LABEL = "amber-heron"
QUEUED_TEXT = "A request waiting for review about [name] and her son."
TZ = ZoneInfo("America/Toronto")
DURING_W1 = datetime(2027, 1, 19, 10, 5, tzinfo=TZ)  # workshop 1 (10:00) has just begun


def dm_of(user: str) -> str:
    return f"!dm-{user}"  # what FakeOps.dm_room answers


# --- the table -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    id: str
    command: str  # the registry's name
    text: str  # {a}: community A's slug; {other_lang}: the language A is not in
    room: str = ROOM_A
    verb: str | None = None  # for `workshop <n> <verb>`
    reads: tuple[str, str] | None = None  # a command that only reads: (room, what the right caller sees)
    right: str = FAC_A


ROWS = [
    Row("setup", "setup", "setup Child circle --from {a}", room=ROOM_NEW),
    Row("role", "role", "role @newcomer:test coordinator"),
    Row("roles", "roles", "roles", reads=(ROOM_A, COORD_A)),
    Row("settings", "settings", "settings", reads=(ROOM_A, "America/Toronto")),
    Row("timezone", "timezone", "timezone Europe/Paris"),
    Row("language", "language", "language {other_lang}"),
    Row("close", "close", "close the series is over"),
    Row("stage-next", "stage next", "stage next"),
    Row("stage-set", "stage set", "stage set maturing we are ready"),
    Row("consultations", "consultations", "consultations", reads=(ROOM_A, "45")),
    Row("consultations-room", "consultations room", f"consultations room {SIDE}"),
    Row("consultations-delay", "consultations delay", "consultations delay 1-2 minutes"),
    Row("consultations-review", "consultations review", "consultations review on"),
    Row("consultations-retention", "consultations retention", "consultations retention 30"),
    Row("consultations-redact", "consultations redact", "consultations redact on"),
    Row("queue", "queue", "queue", reads=(dm_of(FAC_A), QUEUED_TEXT)),
    Row("approve", "approve", f"approve {LABEL}"),
    Row("reject", "reject", f"reject {LABEL} not for this group"),
    Row("workshops-plan", "workshops plan", "workshops plan 2027-03-02 10:00 every 2 weeks count 2 confirm"),
    Row("workshop-add", "workshop add", "workshop add 2027-06-01 10:00"),
    Row("workshop-move", "workshop", "workshop 2 move 2027-02-09 11:00", verb="move"),
    Row("workshop-cancel", "workshop", "workshop 3 cancel snow storm", verb="cancel"),
    Row("workshop-topic", "workshop", "workshop 2 topic Safety plans across sectors", verb="topic"),
    Row("workshop-link", "workshop", "workshop 2 link https://meet.example.org/cop", verb="link"),
    Row("workshop-stage", "workshop", "workshop 2 stage maturing", verb="stage"),
    Row("reminders-set", "reminders", "reminders 2d 3h"),
    Row("reminders-mention", "reminders mention", "reminders mention on"),
    Row("attended", "attended", f"attended 1 {MEM}"),
    Row("prompt", "prompt", "prompt P2"),
    Row("prompt-add", "prompt add", "prompt add coalescing What would help you speak up here?"),
    Row("prompt-remove", "prompt remove", "prompt remove X1"),
    Row("prompts-every", "prompts every", "prompts every 3 days"),
    Row("prompts-off", "prompts off", "prompts off"),
    Row("prompts-auto", "prompts auto", "prompts auto"),
    Row("prompts-hours", "prompts hours", "prompts hours mon-fri 08:00-16:00"),
    Row("checkins-after", "checkins after", "checkins after 10 days"),
    Row("summary", "summary", "summary series", reads=(dm_of(COORD_A), "North circle"), right=COORD_A),
    Row("summary-min-group", "summary min-group", "summary min-group 7"),
]

# Where a role is checked inside a command rather than declared on it.
ROLE_HELPERS = {"facilitator_only", "roles_in", "roles_of", "power_level", "roles_granted"}


def _names_used(func) -> set[str]:
    """The global and attribute names a command's code uses, following helpers of its own module."""
    module, names, seen, todo = inspect.getmodule(func), set(), set(), [func]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        codes = [f.__code__]
        while codes:
            code = codes.pop()
            names |= set(code.co_names)
            codes += [c for c in code.co_consts if inspect.iscode(c)]
            todo += [g for n in code.co_names if inspect.isfunction(g := getattr(module, n, None))
                     and g.__module__ == module.__name__]
    return names


def privileged_commands(registry: Registry) -> set[str]:
    declared = {cmd.name for cmd in registry.commands for check in cmd.checks
                if check.name.startswith("role:") and MEMBER not in check.name[5:].split("|")}
    inline = {cmd.name for cmd in registry.commands if _names_used(cmd.func) & ROLE_HELPERS}
    return declared | inline


def test_the_table_covers_every_privileged_command():
    registry = Registry.discover()
    found = privileged_commands(registry)
    assert {row.command for row in ROWS} == found
    assert len(found) >= 34  # the discovery itself works: 34 privileged commands today
    # Each inline-checked workshop change has its own row.
    assert {row.verb for row in ROWS if row.command == "workshop"} == set(workshop_commands._EDITS)
    assert len({row.id for row in ROWS}) == len(ROWS)


def test_open_commands_are_not_counted_as_privileged():
    """The discovery tells members' commands apart, so the coverage test is not trivially true."""
    found = privileged_commands(Registry.discover())
    for name in ("rsvp", "here", "status", "stage", "workshops", "workshops ics", "prompts", "help", "consult"):
        assert name not in found


# --- the callers -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Caller:
    id: str
    user: str
    dm: bool = False
    lang: str = "en"
    room: str | None = None  # where they send from, if not where the row says

    @property
    def names_a(self) -> bool:
        """Sent from elsewhere than A's room, so a command taking --cop names A."""
        return self.dm or self.room is not None


MEMBER_EN = Caller("member", MEM)
MEMBER_FR = Caller("member-fr", MEM, lang="fr")
FAC_OF_B = Caller("facilitator-of-B", FAC_B)
COORD_OF_B = Caller("coordinator-of-B", COORD_B)
FAC_OF_B_DM = Caller("facilitator-of-B-in-DM", FAC_B, dm=True)
COORD_OF_B_DM = Caller("coordinator-of-B-in-DM", COORD_B, dm=True)
COORD_OF_A = Caller("coordinator-of-A", COORD_A)
FAC_OF_B_IN_B = Caller("facilitator-of-B-in-B-room", FAC_B, room=ROOM_B)
COORD_OF_B_IN_B = Caller("coordinator-of-B-in-B-room", COORD_B, room=ROOM_B)

REGISTRY = Registry.discover()
CATALOGUE = Catalogue.load()


def _command(row: Row):
    """The row's command (a room command, where a DM command shares its name, as `close` does)."""
    [cmd] = [c for c in REGISTRY.commands if c.name == row.command and c.scope != "dm"]
    return cmd


def _works_in_a_dm(row: Row) -> bool:
    cmd = _command(row)
    return cmd.scope == "any" and room_only not in cmd.checks


def _usage(row: Row) -> str:
    return CATALOGUE.plain("en", f"{_command(row).key}.usage")


def _facilitator_needed(row: Row) -> bool:
    return row.command != "summary"  # coordinators pull summaries; every other privileged command is a facilitator's


def _cases():
    for row in ROWS:
        callers = [MEMBER_EN, MEMBER_FR, FAC_OF_B, COORD_OF_B]
        if _works_in_a_dm(row):
            callers += [FAC_OF_B_DM, COORD_OF_B_DM]
        if "--cop" in _usage(row):
            callers += [FAC_OF_B_IN_B, COORD_OF_B_IN_B]
        if _facilitator_needed(row):
            callers.append(COORD_OF_A)
        for caller in callers:
            yield pytest.param(row, caller, id=f"{row.id}-by-{caller.id}")


# --- the harness -----------------------------------------------------------------------------------

async def _build(folder: Path, lang: str) -> None:
    """Two communities with roles, three workshops, a custom prompt, a cadence and a queued request."""
    async with Harness(folder, lang=lang) as h:
        _rooms(h)
        for text, sender, room in [
            ("setup North circle", FAC_A, ROOM_A), ("setup South circle", FAC_B, ROOM_B),
            (f"role {COORD_A} coordinator", FAC_A, ROOM_A), (f"role {COORD_B} coordinator", FAC_B, ROOM_B),
            ("timezone America/Toronto", FAC_A, ROOM_A),
            ("workshops plan 2027-01-19 10:00 every 2 weeks count 3", FAC_A, ROOM_A),
            ("prompt add potential Our own question?", FAC_A, ROOM_A),
            ("prompts every 5 days", FAC_A, ROOM_A),
            ("consultations retention 45", FAC_A, ROOM_A),
        ]:
            answer = await h.command(text, sender=sender, room=room)
            assert answer and not answer[0].body.startswith(CATALOGUE.plain(lang, "error.need_role", roles="")[:20])
        async with h.services.db() as session:
            a = await communities.by_room(session, ROOM_A)
            session.add(Consultation(community_id=a.id, label=LABEL, code_hash="not-a-real-code-hash",
                                     status="review", text=QUEUED_TEXT, categories="IPV", txn="txn-review"))
            await session.commit()


def _rooms(h: Harness) -> None:
    h.rooms[ROOM_A] = FakeRoom({FAC_A: 100, COORD_A: 0, MEM: 0, FAC_B: 0, COORD_B: 0})
    h.rooms[ROOM_B] = FakeRoom({FAC_B: 100, COORD_B: 0})
    h.rooms[SIDE] = FakeRoom({FAC_A: 0, MEM: 0})
    h.services.matrix.joined |= {ROOM_A, ROOM_B, SIDE}


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """Built lazily per language. While this module runs, each Harness reuses the read-only
    catalogue, prompt library and registry instead of parsing them again (a third of a test's time)."""
    library = fakes.load_library()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fakes.Catalogue, "load", classmethod(lambda cls: CATALOGUE))
        patch.setattr(fakes, "load_library", lambda: library)
        patch.setattr(fakes.Registry, "discover", classmethod(lambda cls, package="bot.commands": REGISTRY))
        yield {"factory": tmp_path_factory}


async def harness_for(templates: dict, lang: str, folder: Path) -> Harness:
    """A copy of the two-community database (built once per language): each test starts equal."""
    if lang not in templates:
        built = templates["factory"].mktemp(f"authz-{lang}")
        await _build(built, lang)
        templates[lang] = built
    for file in templates[lang].glob("test.db*"):
        shutil.copy(file, folder / file.name)
    h = Harness(folder, lang=lang)  # not entered: the copy is migrated already, and migrating is half the time
    _rooms(h)
    h.clock.at = DURING_W1
    return h


@pytest.fixture
async def make(templates, tmp_path):
    made: list[Harness] = []

    async def _make(lang: str) -> Harness:
        made.append(await harness_for(templates, lang, tmp_path))
        return made[-1]

    yield _make
    for h in made:
        await h.engine.dispose()


async def snapshot(h: Harness) -> dict[str, list[str]]:
    """Every row of every table."""
    async with h.engine.connect() as conn:
        tables = [r[0] for r in (await conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).all()]
        return {t: sorted(repr(tuple(r)) for r in (await conn.exec_driver_sql(f'SELECT * FROM "{t}"')).all())
                for t in tables}


async def slug_of_a(h: Harness) -> str:
    async with h.services.db() as session:
        return (await communities.by_room(session, ROOM_A)).slug


def invocation(row: Row, slug: str, lang: str) -> str:
    return row.text.format(a=slug, other_lang="fr" if lang == "en" else "en")


def expected_refusal(h: Harness, row: Row, caller: Caller, slug: str) -> str:
    cat, lang = h.services.catalogue, caller.lang

    def roles(*names: str) -> str:
        return ", ".join(cat.plain(lang, f"role.{n}") for n in names)

    if row.command == "setup":
        if caller.user == MEM:  # no power in the new room
            return cat.plain(lang, "community.setup_power", level=h.config.bot.facilitator_power_level)
        return cat.plain(lang, "community.parent_not_yours", slug=slug)
    if row.command == "summary":
        if caller.names_a:
            return cat.plain(lang, "summary.not_yours", slug=slug)
        return cat.plain(lang, "error.need_role", roles=roles("coordinator", "facilitator"))
    if caller.dm:  # a DM belongs to no community, and the role commands do not take --cop
        return cat.plain(lang, "error.room_only")
    return cat.plain(lang, "error.need_role", roles=roles("facilitator"))


# --- the tests -------------------------------------------------------------------------------------

@pytest.mark.parametrize("row,caller", list(_cases()))
async def test_refused_and_nothing_changes(make, row: Row, caller: Caller):
    h = await make(caller.lang)
    slug = await slug_of_a(h)
    text = invocation(row, slug, caller.lang)
    if caller.names_a and "--cop" in _usage(row):
        text += f" --cop {slug}"
    # In the new room, the member has no power (setup's own rule); the others have it, so only
    # the parent community's rule can refuse them.
    h.rooms[ROOM_NEW] = FakeRoom({caller.user: 0 if caller.user == MEM else 100})
    room = dm_of(caller.user) if caller.dm else caller.room or row.room
    before, jobs = await snapshot(h), dict(h.services.scheduler.jobs)
    h.client.sent.clear()

    sent = await h.command(text, sender=caller.user, room=room, dm=caller.dm)

    refusal = expected_refusal(h, row, caller, slug)
    assert [(s.room_id, s.body) for s in h.client.sent] == [(room, refusal)]  # nothing else, anywhere
    assert sent[0].content["msgtype"] == "m.notice"
    assert "incident" not in sent[0].body.lower()
    assert await snapshot(h) == before
    assert h.services.scheduler.jobs == jobs
    assert not h.services.matrix.uploads and not h.services.matrix.redacted


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_the_right_role_gets_it_done(make, row: Row, lang: str):
    """The same invocation from the right person works, so the refusals above are about roles."""
    h = await make(lang)
    slug = await slug_of_a(h)
    h.rooms[ROOM_NEW] = FakeRoom({row.right: 100})
    before = await snapshot(h)
    h.client.sent.clear()

    await h.command(invocation(row, slug, lang), sender=row.right, room=row.room)

    cat = h.services.catalogue
    bodies = [s.body for s in h.client.sent]
    assert bodies, "no answer at all"
    for key in ("error.need_role", "summary.not_yours", "community.parent_not_yours"):
        assert not any(b.startswith(cat.plain(lang, key, roles="", slug="")[:20]) for b in bodies), bodies
    assert not any(b.startswith(cat.plain(lang, "error.unexpected", incident="")[:40]) for b in bodies), bodies
    usage = cat.plain(lang, "help.usage_block", prefix="", usage="", example="").split("`")[0]
    assert not any(usage in b for b in bodies), bodies  # no bad-argument answer either
    if row.reads:
        where, what = row.reads
        assert any(s.room_id == where and what in s.body for s in h.client.sent), bodies
    else:
        assert await snapshot(h) != before



@pytest.mark.parametrize("text,key", [
    (f"approve {LABEL}", "consult.not_in_queue"),
    (f"reject {LABEL} not for this group", "consult.not_in_queue"),
    (f"consultations room {ROOM_A}", "consult.room_not_suitable"),
], ids=["approve", "reject", "consultations-room"])
async def test_a_facilitator_cannot_reach_another_communitys_things_from_their_own_room(make, text, key):
    """B's facilitator, in B's room where they may act, names A's queued request or A's room."""
    h = await make("en")
    before = await snapshot(h)
    h.client.sent.clear()

    await h.command(text, sender=FAC_B, room=ROOM_B)

    [answer] = h.client.sent
    assert answer.room_id == ROOM_B
    assert answer.body.startswith(h.services.catalogue.plain("en", key, label=LABEL, prefix="!cop"))
    assert await snapshot(h) == before


# --- power without membership ----------------------------------------------------------------------

@dataclass
class PowerRoom(FakeRoom):
    """Power levels as Matrix keeps them: they outlive a member's leaving (`kept`), and
    `users_default` gives a level to everyone, in the room or not."""

    kept: dict[str, int] = field(default_factory=dict)
    users_default: int = 0

    def power_level(self, user_id: str) -> int:
        return self.levels.get(user_id, self.kept.get(user_id, self.users_default))


GONE = "@gone:test"  # had power 100 in A's room, then left it
STRANGER = "@anyone:elsewhere.example"  # never in A's room


@pytest.mark.parametrize("who,room_view", [
    (GONE, lambda levels: PowerRoom(levels, kept={GONE: 100})),
    (STRANGER, lambda levels: PowerRoom(levels, users_default=50)),
], ids=["left-the-room", "users_default-50"])
@pytest.mark.parametrize("what", ["summary", "setup"])
async def test_power_counts_only_for_people_in_the_room(make, who, room_view, what):
    """Someone not joined to A's room is no facilitator of A, whatever level the power levels give
    them: no summary of A from a DM, no new community linked to A."""
    h = await make("en")
    h.rooms[ROOM_A] = room_view(h.rooms[ROOM_A].levels)
    slug = await slug_of_a(h)
    cat = h.services.catalogue
    if what == "summary":
        room, text, refusal = dm_of(who), f"summary series --cop {slug}", cat.plain("en", "summary.not_yours", slug=slug)
    else:
        h.rooms[ROOM_NEW] = FakeRoom({who: 100})
        room, text = ROOM_NEW, f"setup Child circle --from {slug}"
        refusal = cat.plain("en", "community.parent_not_yours", slug=slug)
    before = await snapshot(h)
    h.client.sent.clear()

    await h.command(text, sender=who, room=room, dm=what == "summary")

    assert [(s.room_id, s.body) for s in h.client.sent] == [(room, refusal)]
    assert await snapshot(h) == before


async def test_a_granted_facilitator_who_left_the_room_is_no_facilitator_until_back(make):
    """A granted role needs membership, as power does: after leaving, no summary from a DM, no
    mention as a facilitator, and `roles` says so; back in the room, it all returns."""
    h = await make("en")
    slug = await slug_of_a(h)
    h.rooms[ROOM_A].levels["@helper:test"] = 0
    await h.command("role @helper:test facilitator", sender=FAC_A, room=ROOM_A)
    community = await h.services.reads.community_of(h.services.db, ROOM_A)
    assert "@helper:test" in await facilitators(h.services, community)
    del h.rooms[ROOM_A].levels["@helper:test"]  # the helper leaves the room
    h.client.sent.clear()
    await h.command(f"summary series --cop {slug}", sender="@helper:test", room=dm_of("@helper:test"), dm=True)
    assert [s.body for s in h.client.sent] == [h.services.catalogue.plain("en", "summary.not_yours", slug=slug)]
    assert "@helper:test" not in await facilitators(h.services, community)
    listed = "\n".join(s.body for s in await h.command("roles", sender=FAC_A, room=ROOM_A))
    assert "@helper:test: facilitator (not in the room" in listed
    h.rooms[ROOM_A].levels["@helper:test"] = 0  # and comes back
    h.client.sent.clear()
    await h.command(f"summary series --cop {slug}", sender="@helper:test", room=dm_of("@helper:test"), dm=True)
    assert h.client.sent[0].body.startswith("Series summary")


@pytest.mark.synapse
async def test_on_synapse_power_levels_outside_the_room_make_no_facilitator(bot_cfg, bot_user, members):
    """The same on the real homeserver, where a level does outlive leaving and `users_default`
    does reach everyone: a facilitator by power who left, and a stranger while the room gives
    everybody level 50, cannot pull the community's summary from a DM."""
    from devtools.botrun import RunningBot
    from devtools.member import body_of

    ann, gone, mem, eve = await members("ann", "gone", "mem", "eve")
    bot = bot_user.user_id
    refusal = "You are not a coordinator or facilitator of a community `north-circle`"

    async def set_levels(**changes):
        current = await ann.client.room_get_state_event(room, "m.room.power_levels")
        content = dict(current.content)
        for key, value in changes.items():
            content[key] = {**content.get(key, {}), **value} if isinstance(value, dict) else value
        await ann.client.room_put_state(room, "m.room.power_levels", content)

    async with RunningBot(bot_cfg()):
        room = await ann.room_with("Circle", bot, (gone, mem))
        await ann.ask(room, "!cop setup North circle", bot)
        await set_levels(users={gone.user_id: 100})
        listed = await ann.ask(room, "!cop roles", bot)
        assert f"{gone.user_id}: facilitator" in body_of(listed)
        gone_dm = await gone.dm_with(bot)
        assert "Series summary: North circle" in body_of(await gone.ask(gone_dm, "summary --cop north-circle", bot))

        await gone.client.room_leave(room)
        listed = await ann.ask(room, "!cop roles", bot)  # the bot has seen the leave
        assert gone.user_id not in body_of(listed)
        assert refusal in body_of(await gone.ask(gone_dm, "summary --cop north-circle", bot))

        await set_levels(users_default=50)
        listed = await ann.ask(room, "!cop roles", bot)  # the bot has seen the new default
        assert f"{mem.user_id}: facilitator" in body_of(listed)  # in the room, level 50 is a facilitator
        eve_dm = await eve.dm_with(bot)
        assert refusal in body_of(await eve.ask(eve_dm, "summary --cop north-circle", bot))
        assert not any(body_of(e).startswith("Series summary") for _, e in eve.events)
