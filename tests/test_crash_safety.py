"""Crash safety (issue 9, item 2).

On the real Synapse, the bot runs as a real process (`copbot run`) under a scripted workload:
a reflective prompt, five workshop reminders and the check-in round after the workshop fall
due, members ask for consultations by DM, a facilitator posts prompts. The process is
SIGKILLed at 5 to 7 random points (seeded; `COPBOT_CRASH_SEED=<n>` replays a run), some of
them just after an action's due time, and restarted each time. Afterwards, read from the
members' side and from the database: every scheduled action arrived exactly once and not
before its time, every consultation acknowledged to its sender was posted exactly once, and
the database passed `PRAGMA integrity_check` and `foreign_key_check` after every kill.

The fast tests below stop the bot in the narrowest windows on purpose (after the homeserver
accepted a message, before the database recorded it) with a fake homeserver that
deduplicates transaction ids per room the way Synapse does.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from types import SimpleNamespace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from nio import RoomSendResponse
from sqlmodel import select

from bot.clock import SystemClock
from bot.nio_ops import NioOps
from bot.keys import Keyring, impact_key, load_or_create_secret
from bot.scheduler import Scheduler
from devtools.crashload import BotProcess, check_database, history, write_config
from devtools.member import Member, body_of
from storage.engine import make_engine, session_factory
from storage.models import (CheckinInvite, CheckinRound, Consultation, PromptPost, Workshop, WorkshopAction)
from tests.fakes import FakeClient, FakeRoom, Harness, Sent, _Ok
from tests.test_prompts_synapse import daytime_zone

SEED_ENV = "COPBOT_CRASH_SEED"
OFFSETS = (40, 32, 24, 16, 8)  # reminders, seconds before the workshop
INVITE_AFTER, REMIND_AFTER = 5, 10  # check-ins, seconds after the workshop's start / the invitations
ATTEMPTS = 3  # consultations each asker tries
PREVIEW = "Preview."
ACK = "Thank you. Your request will be posted"
NO_DRAFT = "There is no draft to send"


def _ts(event: dict) -> datetime:
    return datetime.fromtimestamp(event["origin_server_ts"] / 1000, timezone.utc)


def _request(marker: str) -> str:
    return ("consult The mother of a 6-year-old fears her partner since the separation; the father drinks. "
            f"Tracking tag {marker}. How can we plan the custody exchange safely? #IPV")


async def _consult_once(member: Member, dm: str, bot: str, marker: str) -> str:
    """One request, start to `send`; what the member saw: acknowledged, draft lost, or silence."""
    def from_bot(pred):
        return lambda r, e: r == dm and e.get("sender") == bot and pred(body_of(e))

    mark = len(member.events)
    await member.say(dm, _request(marker))
    try:
        await member.wait_for(from_bot(lambda b: b.startswith(PREVIEW) and marker in b), timeout=30, since=mark)
    except TimeoutError:
        return "no preview"
    mark = len(member.events)
    await member.say(dm, "send")
    try:
        _, answer = await member.wait_for(from_bot(lambda b: b.startswith((ACK, NO_DRAFT))), timeout=30, since=mark)
    except TimeoutError:
        return "no answer"
    return "acknowledged" if body_of(answer).startswith(ACK) else "draft lost"


def _kill_times(rng: random.Random, begin: datetime, end: datetime, due: list[datetime]) -> list[datetime]:
    """5 to 7 moments: some just after an action falls due (sending or recording it), the rest anywhere."""
    count = rng.randint(5, 7)
    aimed = [d + timedelta(seconds=rng.uniform(0.0, 1.5)) for d in rng.sample(due, k=min(3, len(due)))]
    span = (end - begin).total_seconds()
    anywhere = [begin + timedelta(seconds=rng.uniform(0, span)) for _ in range(count - len(aimed))]
    return sorted(aimed + anywhere)


async def _sleep_until(when: datetime) -> None:
    left = (when - datetime.now(timezone.utc)).total_seconds()
    if left > 0:
        await asyncio.sleep(left)


async def _settled(db, workshop_id: int) -> bool:
    async with db() as session:
        actions = (await session.exec(select(WorkshopAction).where(WorkshopAction.workshop_id == workshop_id))).all()
        rounds = (await session.exec(select(CheckinRound).where(CheckinRound.workshop_id == workshop_id))).all()
        waiting = (await session.exec(select(Consultation).where(
            Consultation.status.in_(("scheduled", "posting"))))).all()
        prompts = (await session.exec(select(PromptPost))).all()
    return (all(a.state in ("sent", "skipped", "cancelled") for a in actions)
            and rounds and all(r.state in ("done", "skipped", "cancelled") for r in rounds)
            and not waiting and not [p for p in prompts if p.state == "sending"]
            and any(p.source == "schedule" and p.state in ("posted", "skipped") for p in prompts))


@pytest.mark.synapse
async def test_sigkill_at_random_points_loses_nothing_and_sends_nothing_twice(synapse, bot_user, members, tmp_path):
    seed = int(os.environ.get(SEED_ENV) or random.SystemRandom().randrange(1_000_000))
    print(f"\ncrash-safety seed {seed} (replay: {SEED_ENV}={seed})")
    began = time.monotonic()
    fac, ann, bob, cara, dan = await members("fac", "ann", "bob", "cara", "dan")
    everyone = (fac, ann, bob, cara, dan)
    bot = bot_user.user_id
    folder = tmp_path / "bot"
    config = write_config(folder, synapse.url, bot_user, bot={"catch_up_seconds": 600},
                          consultations={"posting_delay_seconds": [1, 3], "max_per_day": 50, "min_delay_seconds": 0,
                                         "require_encrypted_dm": False},
                          workshops={"allow_seconds_offsets": True},
                          checkins={"invite_after": f"{INVITE_AFTER}s", "remind_after": f"{REMIND_AFTER}s"})
    proc = BotProcess(config, bot_user.access_token, tmp_path / "bot.log")
    db_path = folder / "copbot.db"
    engine = None
    checks: list[tuple[str, list]] = []
    attempts: list[tuple[str, str]] = []  # (marker, what the member saw)
    manual_prompts = 0
    await proc.start()
    try:
        await proc.wait_ready()
        # ----- set-up, the bot alive throughout
        room = await fac.room_with("Crash circle", bot, (ann, bob, cara, dan))
        assert "Crash circle" in body_of(await fac.ask(room, "!cop setup Crash circle", bot, timeout=30))
        zone = daytime_zone()
        await fac.ask(room, f"!cop timezone {zone}", bot, timeout=30)
        await fac.ask(room, "!cop prompts hours every day 00:00-23:59", bot, timeout=30)
        dms = {m.user_id: await m.dm_with(bot) for m in (ann, bob)}
        now = datetime.now(ZoneInfo(zone))
        # The workshop at the first whole minute 68 s ahead or more; the prompt a minute earlier, since
        # nothing is posted during a workshop (the cadence takes whole minutes, hence the wait).
        start = (now + timedelta(seconds=68)).replace(second=0, microsecond=0)
        if start < now + timedelta(seconds=68):
            start += timedelta(minutes=1)
        prompt_due = start - timedelta(minutes=1)
        answer = await fac.ask(room, f"!cop prompts every 1 days at {prompt_due:%H:%M}", bot, timeout=30)
        assert f"{prompt_due:%H:%M}" in body_of(answer)
        answer = await fac.ask(room, "!cop reminders " + " ".join(f"{o}s" for o in OFFSETS), bot, timeout=30)
        assert "Reminders will go out" in body_of(answer)
        answer = await fac.ask(room, f"!cop workshops plan {start:%Y-%m-%d %H:%M} every 1 weeks count 1", bot,
                               timeout=30)
        assert "1 workshops planned" in body_of(answer)

        # ----- the workload, with kills
        phases = [time.monotonic() - began]
        due = [prompt_due, *(start - timedelta(seconds=o) for o in OFFSETS), start + timedelta(seconds=INVITE_AFTER)]
        due = [d.astimezone(timezone.utc) for d in due]
        kill_at = _kill_times(random.Random(f"{seed}:kills"), datetime.now(timezone.utc) + timedelta(seconds=3),
                              due[-1] + timedelta(seconds=REMIND_AFTER + 3), due)
        print("kills at +" + ", +".join(f"{(k - due[0]).total_seconds():.1f}s" for k in kill_at),
              "(from the prompt's due time)")

        async def killer() -> None:
            rng = random.Random(f"{seed}:downtime")
            for when in kill_at:
                await _sleep_until(when)
                await proc.wait_ready()  # a kill planned during a restart comes right after it
                await proc.kill()
                checks.append(await asyncio.to_thread(check_database, db_path))
                await asyncio.sleep(rng.uniform(0.5, 3.0))
                await proc.start()
            await proc.wait_ready()

        async def asker(member: Member, animal: str) -> None:
            rng = random.Random(f"{seed}:{animal}")
            for n in range(ATTEMPTS):
                await asyncio.sleep(rng.uniform(1, 8))
                if datetime.now(timezone.utc) > due[-1]:
                    break
                marker = f"{animal}-{n}{seed % 97:02d}"
                attempts.append((marker, await _consult_once(member, dms[member.user_id], bot, marker)))

        async def facilitator() -> None:
            nonlocal manual_prompts
            rng = random.Random(f"{seed}:fac")
            for _ in range(2):
                await asyncio.sleep(rng.uniform(3, 45))
                await fac.say(room, "!cop prompt")
                manual_prompts += 1

        await asyncio.gather(killer(), asker(ann, "quokka"), asker(bob, "kestrel"), facilitator())

        phases.append(time.monotonic() - began)
        # ----- let everything settle, then stop cleanly
        engine = make_engine(f"sqlite+aiosqlite:///{db_path}")
        db = session_factory(engine)
        async with db() as session:
            workshop = (await session.exec(select(Workshop))).one()
        deadline = time.monotonic() + 120
        while not await _settled(db, workshop.id):
            assert time.monotonic() < deadline, "the scheduled work did not finish:\n" + proc.tail()
            assert proc.running, "the bot died on its own:\n" + proc.tail()
            await asyncio.sleep(0.5)
        await asyncio.sleep(1)
        assert await proc.stop() == 0
        phases.append(time.monotonic() - began)
    finally:
        if proc.running:
            await proc.kill()
    checks.append(await asyncio.to_thread(check_database, db_path))

    # ----- what arrived, read back through the members' clients
    for m in everyone:
        await m.sync()  # joins the DMs the bot opened
        await m.sync()
    in_room = [e for e in await history(fac.client, room) if e.get("sender") == bot and e.get("type") == "m.room.message"]
    in_dms: dict[str, list[dict]] = {}
    for m in everyone:
        in_dms[m.user_id] = []
        for room_id, r in m.client.rooms.items():
            if room_id != room and bot in r.users:
                in_dms[m.user_id] += [e for e in await history(m.client, room_id) if e.get("sender") == bot]

    async with db() as session:
        actions = (await session.exec(select(WorkshopAction).where(WorkshopAction.workshop_id == workshop.id))).all()
        prompts = (await session.exec(select(PromptPost))).all()
        [round_] = (await session.exec(select(CheckinRound).where(CheckinRound.workshop_id == workshop.id))).all()
        invites = (await session.exec(select(CheckinInvite).where(CheckinInvite.round_id == round_.id))).all()
        cases = (await session.exec(select(Consultation))).all()
    await engine.dispose()
    keyring = Keyring(load_or_create_secret(folder / "secret.key"))

    # The process really died and came back, several times, and the database held up every time.
    assert proc.kills >= 5 and proc.lives == proc.kills + 1
    assert checks and all(c == ("ok", []) for c in checks), checks

    # Workshop reminders: each offset once, sent once (or, if the bot was down until the workshop
    # began, reported once as missed), never before its time.
    assert sorted(a.offset_s for a in actions) == sorted(OFFSETS)
    sent = {a.event_id: a for a in actions if a.state == "sent"}
    skipped = [a for a in actions if a.state == "skipped"]
    reminders = [e for e in in_room if body_of(e).startswith("Reminder: workshop 1")]
    assert len(sent) + len(skipped) == len(OFFSETS), [a.state for a in actions]
    assert sorted(e["event_id"] for e in reminders) == sorted(sent), "a reminder lost or sent twice"
    for e in reminders:
        assert _ts(e) >= sent[e["event_id"]].due_at - timedelta(seconds=1), "a reminder came early"
    reported = sum(body_of(e).count("- workshop 1, the reminder") for e in in_room
                   if body_of(e).startswith("I was offline and missed"))
    assert reported == len(skipped), "a missed reminder not reported, or reported twice"

    # Prompts: the scheduled one posted once, at or after its time; every post recorded once.
    posted = {p.event_key: p for p in prompts if p.state == "posted"}
    prompt_msgs = [e for e in in_room if body_of(e).startswith("Reflective prompt")]
    assert sorted(keyring.key("prompt-post", e["event_id"]) for e in prompt_msgs) == sorted(posted), \
        "a prompt lost or posted twice"
    [scheduled] = [p for p in prompts if p.source == "schedule" and p.state != "pending"]  # not tomorrow's
    assert scheduled.state == "posted"
    [scheduled_msg] = [e for e in prompt_msgs if keyring.key("prompt-post", e["event_id"]) == scheduled.event_key]
    assert _ts(scheduled_msg) >= prompt_due - timedelta(seconds=1)
    assert len(prompt_msgs) <= 1 + manual_prompts
    assert len([p for p in prompts if p.state == "pending"]) <= 1  # tomorrow's, and only one
    assert not [p for p in prompts if p.state == "sending"]

    # Check-ins: everyone in the room invited once, and reminded once, at least REMIND_AFTER later.
    assert round_.state == "done"
    assert sorted(i.member_key for i in invites) == sorted(impact_key(keyring, m.user_id) for m in everyone)
    assert all(i.state == "reminded" for i in invites), [i.state for i in invites]
    for m in everyone:
        invitations = [e for e in in_dms[m.user_id] if "how has your practice changed since workshop 1" in body_of(e)]
        reminders_ = [e for e in in_dms[m.user_id] if body_of(e).startswith("A reminder from Crash circle")]
        assert (len(invitations), len(reminders_)) == (1, 1), (m.user_id, len(invitations), len(reminders_))
        assert _ts(reminders_[0]) - _ts(invitations[0]) >= timedelta(seconds=REMIND_AFTER - 1)

    # Consultations: every one acknowledged to its sender is in the room exactly once; none twice.
    posts = [e for e in in_room if body_of(e).startswith("Consultation ")]
    acked = [marker for marker, seen in attempts if seen == "acknowledged"]
    for marker, _ in attempts:
        copies = sum(marker in body_of(e) for e in posts)
        assert copies <= 1, f"consultation {marker} posted {copies} times"
        if marker in acked:
            assert copies == 1, f"acknowledged consultation {marker} lost"
    assert acked, attempts
    assert all(c.status == "posted" for c in cases) and len(cases) == len(posts)
    acks = sum(body_of(e).startswith(ACK) for m in (ann, bob) for e in in_dms[m.user_id])
    assert acks <= len(cases)  # an acknowledgement always stands for a stored, posted request

    actions_checked = len(OFFSETS) + len(prompt_msgs) + 2 * len(invites) + len(posts)
    print(f"seed {seed}: {proc.kills} kills, {actions_checked} actions checked "
          f"({len(sent)} reminders sent, {len(skipped)} reported missed, {len(prompt_msgs)} prompts, "
          f"{len(invites)} invitations + {len(invites)} reminders, {len(posts)} consultations of which "
          f"{len(acked)} acknowledged; attempts {[s for _, s in attempts]}), "
          f"{time.monotonic() - began:.0f} s (set-up until {phases[0]:.0f} s, kills until {phases[1]:.0f} s, "
          f"settled at {phases[2]:.0f} s)")


@pytest.mark.synapse
async def test_synapse_deduplicates_a_transaction_id_sent_again_by_a_new_client(synapse, bot_user, members, tmp_path):
    """What the bot's re-send after a restart relies on: same device, same room, same txn id -> one event."""
    (alice,) = await members("alice")
    room = await alice.create_room("Dedup", invite=[bot_user.user_id])
    ids = []
    for attempt in range(2):  # two clients, as two lives of the bot process, with the same token
        client = Member(synapse.url, bot_user, store=tmp_path / f"store{attempt}", encryption=False)
        try:
            if attempt == 0:
                await client.client.join(room)
            resp = await client.client.room_send(room, "m.room.message",
                                                 {"msgtype": "m.notice", "body": f"life {attempt}"},
                                                 tx_id="copbot-crash-probe.0")
            assert isinstance(resp, RoomSendResponse), resp
            ids.append(resp.event_id)
        finally:
            await client.close()
    assert ids[0] == ids[1]
    await alice.sync()
    bodies = [body_of(e) for r, e in alice.events
              if r == room and e.get("sender") == bot_user.user_id and e.get("type") == "m.room.message"]
    assert bodies == ["life 0"]


# ----- the narrowest windows, on purpose, with a fake homeserver -------------------------------

ROOM, OTHER, FAC, BOB, ANN = "!room:test", "!other:test", "@fac:test", "@bob:test", "@ann:test"
TZ = ZoneInfo("America/Toronto")  # the Harness clock starts on Tue 2027-01-12 10:00 there


class Killed(BaseException):
    """The process died here: nothing after this line ran, no handler saw it."""


class DyingHomeserver(FakeClient):
    """Deduplicates transaction ids per room, as Synapse does, and can make the bot 'die' right
    after the homeserver accepted a message, before the bot learns the event id."""

    def __init__(self) -> None:
        super().__init__()
        self.by_txn: dict[tuple[str, str], str] = {}
        self.kill_after: int | None = None

    async def room_send(self, room_id, event_type, content, tx_id=None, ignore_unverified_devices=False):
        self.tx_ids.append(tx_id)
        if tx_id is None or (room_id, tx_id) not in self.by_txn:
            self.sent.append(Sent(room_id, event_type, content))
            if tx_id is not None:
                self.by_txn[(room_id, tx_id)] = f"$event{len(self.sent)}"
        event_id = self.by_txn.get((room_id, tx_id), f"$event{len(self.sent)}")
        if self.kill_after is not None:
            self.kill_after -= 1
            if self.kill_after == 0:
                self.kill_after = None
                raise Killed()
        return _Ok(event_id)


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        harness.client = harness.services.sender.client = DyingHomeserver()
        await harness.open_community(ROOM, {FAC: 100, BOB: 0, ANN: 0}, by=FAC)
        yield harness


async def _run_until_killed(h, after: int) -> None:
    h.client.kill_after = after
    with pytest.raises(Killed):
        await h.run_due()


async def _rows(h, model, *where) -> list:
    async with h.services.db() as session:
        return list((await session.exec(select(model).where(*where))).all())


def _bodies(h, room: str, start: str) -> list[str]:
    return [s.body for s in h.client.sent if s.room_id == room and s.body.startswith(start)]


async def test_a_reminder_killed_after_the_homeserver_took_it_is_completed_not_repeated(h):
    await h.command("workshops plan 2027-01-26 10:00 every 6 weeks count 1", sender=FAC, room=ROOM)
    h.clock.at = datetime(2027, 1, 19, 10, 0, tzinfo=TZ)  # the 7-day reminder falls due
    await _run_until_killed(h, 1)
    [action] = await _rows(h, WorkshopAction, WorkshopAction.offset_s == 7 * 86400)
    assert action.state == "sending" and len(_bodies(h, ROOM, "Reminder: workshop 1")) == 1
    h.clock.advance(seconds=30)
    await h.restart()
    await h.run_due()
    [action] = await _rows(h, WorkshopAction, WorkshopAction.offset_s == 7 * 86400)
    assert (action.state, action.event_id) == ("sent", h.client.by_txn[(ROOM, f"{action.txn}.0")])  # the first
    assert len(_bodies(h, ROOM, "Reminder: workshop 1")) == 1
    assert h.client.tx_ids.count(f"{action.txn}.0") == 2  # sent again, with the same transaction id


async def test_a_scheduled_prompt_killed_mid_send_is_posted_once_and_the_next_one_planned_once(h):
    await h.command("prompts every 1 days at 11:00", sender=FAC, room=ROOM)
    h.clock.at = datetime(2027, 1, 12, 11, 0, tzinfo=TZ)
    await _run_until_killed(h, 1)
    await h.restart()
    await h.run_due()
    await h.restart()  # and once more: nothing new
    await h.run_due()
    assert len(_bodies(h, ROOM, "Reflective prompt")) == 1
    rows = await _rows(h, PromptPost)
    assert sorted(r.state for r in rows) == ["pending", "posted"]
    [nxt] = [r for r in rows if r.state == "pending"]
    assert nxt.due_at == datetime(2027, 1, 13, 11, 0, tzinfo=TZ)


async def test_a_consultation_killed_mid_post_goes_once_to_the_room_it_was_going_to(h):
    text = "The mother of a 6-year-old fears her partner; the father drinks. How do we plan? #IPV"
    await h.command(f"consult {text}", sender=BOB, room="!dm-bob", dm=True)
    ack = "\n".join(s.body for s in await h.command("send", sender=BOB, room="!dm-bob", dm=True))
    assert ack.startswith(ACK)
    [case] = await _rows(h, Consultation)
    assert case.status == "scheduled"  # stored before the member was told
    h.clock.advance(minutes=16)
    await _run_until_killed(h, 1)
    # While the bot is down, a facilitator moves consultations to another room.
    h.rooms[OTHER] = FakeRoom({FAC: 100, BOB: 0, "@copbot:test": 0})
    h.services.matrix.joined.add(OTHER)
    assert "Consultations" in "\n".join(
        s.body for s in await h.command(f"consultations room {OTHER}", sender=FAC, room=ROOM))
    await h.restart()
    await h.run_due()
    assert len(_bodies(h, ROOM, "Consultation ")) == 1 and _bodies(h, OTHER, "Consultation ") == []
    [case] = await _rows(h, Consultation)
    assert (case.status, case.room_id, case.due_at) == ("posted", ROOM, None)
    assert case.event_id == h.client.by_txn[(ROOM, f"{case.txn}.0")]


async def test_a_consultation_is_stored_before_it_is_acknowledged_so_a_kill_at_the_ack_still_posts_it(h):
    await h.command("consult The father drinks and the mother is afraid. What can we do? #IPV",
                    sender=BOB, room="!dm-bob", dm=True)
    h.client.kill_after = 1  # the acknowledgement is the first thing `send` sends
    with pytest.raises(Killed):
        await h.command("send", sender=BOB, room="!dm-bob", dm=True)
    assert _bodies(h, "!dm-bob", ACK)  # the member was told...
    [case] = await _rows(h, Consultation)
    assert case.status == "scheduled"  # ...and it was already stored
    h.clock.advance(minutes=16)
    await h.restart()
    await h.run_due()
    assert len(_bodies(h, ROOM, "Consultation ")) == 1


async def test_a_checkin_round_killed_mid_way_invites_everyone_once_and_reminds_on_time(h):
    await h.command("workshops plan 2027-01-19 10:00 every 6 weeks count 2", sender=FAC, room=ROOM)
    h.client.sent.clear()
    h.clock.at = datetime(2027, 2, 2, 10, 0, tzinfo=TZ)  # 14 days after workshop 1
    await _run_until_killed(h, 2)  # the second invitation is out, not yet recorded
    assert len(h.client.sent) == 2
    await h.restart()
    await h.run_due()
    for user in (FAC, BOB, ANN):
        assert len(_bodies(h, f"!dm-{user}", "North circle: how has your practice changed")) == 1, user
    [round_] = await _rows(h, CheckinRound, CheckinRound.state == "invited")
    # A stray run of the round (a restart, a duplicate job) before the reminder's time sends nothing.
    await h.checkin_jobs.fire(f"k{round_.id}")
    assert not [s for s in h.client.sent if "only reminder" in s.body]
    assert h.services.scheduler.jobs[("checkin", f"k{round_.id}")] == round_.remind_due
    h.clock.at = round_.remind_due
    await h.run_due()
    for user in (FAC, BOB, ANN):
        assert len([s for s in h.client.sent if s.room_id == f"!dm-{user}" and "only reminder" in s.body]) == 1
    assert {i.state for i in await _rows(h, CheckinInvite)} == {"reminded"}


async def test_a_missed_reminders_report_killed_mid_send_is_completed_and_later_misses_get_their_own(h):
    await h.command("workshops plan 2027-01-26 10:00 every 6 weeks count 1", sender=FAC, room=ROOM)
    h.clock.at = datetime(2027, 1, 19, 12, 0, tzinfo=TZ)  # down since before the 7-day reminder
    await h.restart()
    await h.run_due()  # too late: missed, and a report planned seconds later
    h.clock.advance(seconds=5)
    await _run_until_killed(h, 1)  # the report is out, not recorded
    h.clock.at = datetime(2027, 1, 25, 12, 0, tzinfo=TZ)  # down until past the 1-day one too
    await h.restart()
    await h.run_due()
    h.clock.advance(seconds=5)
    await h.run_due()
    reports = _bodies(h, ROOM, "I was offline and missed")
    assert [r.count("- workshop 1, the reminder") for r in reports] == [1, 1]  # each miss reported once
    assert {a.offset_s: a.state for a in await _rows(h, WorkshopAction)} == {
        7 * 86400: "skipped", 86400: "skipped", 3600: "pending"}


async def test_a_dm_is_chosen_by_room_id_so_a_restart_picks_the_same_one():
    """Transaction ids are deduplicated per room: a re-sent check-in must go to the same DM."""
    def room(users):
        return SimpleNamespace(name="", member_count=len(users), users=dict.fromkeys(users))

    pair = ("@bob:test", "@copbot:test")
    rooms = {"!b:test": room(pair), "!a:test": room(pair), "!c:test": room(("@ann:test", "@copbot:test"))}
    picks = {await NioOps(SimpleNamespace(rooms=dict(order)), "@copbot:test").dm_room("@bob:test")
             for order in (list(rooms.items()), list(reversed(rooms.items())))}
    assert picks == {"!a:test"}


async def test_a_key_put_on_the_clock_while_it_runs_waits_its_turn_instead_of_being_dropped():
    scheduler = Scheduler(SystemClock())
    runs, running, most = [], 0, 0

    async def fire(key: str) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.3)
        runs.append(key)
        running -= 1

    async def pending() -> list:
        return []

    scheduler.provide("x", pending, fire)
    await scheduler.start()
    try:
        scheduler.at("x", "k1", datetime.now(timezone.utc))
        for _ in range(50):
            if running:
                break
            await asyncio.sleep(0.02)
        scheduler.at("x", "k1", datetime.now(timezone.utc))  # e.g. start-up planning, then start()
        for _ in range(100):
            if len(runs) == 2:
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown()
    assert runs == ["k1", "k1"] and most == 1
