"""`copbot copy-db`: moving a community's records from SQLite to PostgreSQL.

The source is always SQLite filled through the bot's own commands (workshops, RSVPs, prompts,
consultations, check-ins, impacts). The target is PostgreSQL in the PostgreSQL run
(COPBOT_TEST_DATABASE=postgres) and a second SQLite file otherwise, so the copy logic is
tested in both runs and the real move in the PostgreSQL one.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.cli import main as cli
from devtools import postgres as pg
from storage.copy import CopyError, copy_database, tables
from storage.engine import make_engine
from storage.migrate import migrate
from storage import communities
from storage.models import Checkin
from tests.fakes import FakeRoom, Harness

ROOM, FAC, BOB, ANN, COORD = "!room:test", "@fac:test", "@bob:test", "@ann:test", "@coord:test"
TZ = ZoneInfo("America/Toronto")


async def _target_url(folder) -> str:
    if pg.selected():
        return await pg.ensure_database_async(pg.server_url_for_tests(), pg.database_name_for(folder))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{folder}/copy.db"


async def _fill(h: Harness) -> None:
    """A community's life through its commands: every kind of record the bot keeps."""
    h.rooms[ROOM] = FakeRoom({FAC: 100, BOB: 0, ANN: 0})
    h.services.matrix.joined.add(ROOM)
    await h.command("setup North circle", sender=FAC, room=ROOM)
    await h.command("workshops plan 2027-01-19 10:00 every 6 weeks count 3", sender=FAC, room=ROOM)
    await h.command(f"role {COORD} coordinator", sender=FAC, room=ROOM)
    await h.command("rsvp 1 yes", sender=BOB, room=ROOM)
    await h.command("rsvp 1 maybe", sender=ANN, room=ROOM)
    await h.command("prompt add potential What does safety mean to you? #risk.assess", sender=FAC, room=ROOM)
    await h.command("prompt", sender=FAC, room=ROOM)
    await h.command("stage next", sender=FAC, room=ROOM)
    for who in (BOB, ANN):
        await h.command("consult The father is back home, the child is 6. How do we plan? #IPV #custody",
                        sender=who, room=f"!dm-{who}", dm=True)
        await h.command("send", sender=who, room=f"!dm-{who}", dm=True)
    h.clock.advance(hours=1)
    await h.run_due()  # the consultations are posted
    await h.command("impact We now call the shelter before court. #collab.risk", sender=BOB,
                    room=f"!dm-{BOB}", dm=True)
    h.clock.at = datetime(2027, 1, 19, 10, 30, tzinfo=TZ)
    await h.command("here", sender=BOB, room=ROOM)
    h.clock.at = datetime(2027, 2, 2, 10, 0, tzinfo=TZ)
    await h.run_due()  # the check-in invitations after workshop 1
    for who, lines in ((BOB, ("4 3 3 2 n", "I called the shelter worker before the hearing.", "#collab.risk", "yes")),
                       (ANN, ("3 3 2 2 4", "skip", "skip"))):
        for line in lines:  # answering the invitation: items, story, tags, consent
            await h.command(line, sender=who, room=f"!dm-{who}", dm=True)
    async with h.services.db() as session:  # five more, so the summary shows percentages (min group 5)
        community = await communities.by_room(session, ROOM)
        for i, answers in enumerate(("4,4,4,4,3", "4,3,4,3,3", "4,3,3,2,3", "3,2,3,2,3", "n,1,2,1,3")):
            session.add(Checkin(community_id=community.id, member_key=f"k{i}", period=1, answers=answers,
                                text=None, tags="collab.risk", consent=False,
                                created_at=datetime(2027, 2, 5, 10, 0, tzinfo=TZ)))
        await session.commit()
    h.clock.at = datetime(2027, 4, 20, 12, 0, tzinfo=TZ)


async def _answers(h: Harness) -> dict[str, str]:
    """What people would see: the series summary, the workshop list, the prompts, the stage."""
    out = {}
    for name, line, room, sender in (
            ("summary", "summary series", ROOM, COORD), ("workshops", "workshops", ROOM, BOB),
            ("prompts", "prompts", ROOM, BOB), ("stage", "stage history", ROOM, BOB)):
        before = len(h.client.sent)
        await h.command(line, sender=sender, room=room)
        out[name] = "\n".join(s.body for s in h.client.sent[before:])
    return out


async def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return {t.name: (await conn.execute(select(func.count()).select_from(t))).scalar_one() for t in tables()}
    finally:
        await engine.dispose()


async def test_sqlite_to_target_keeps_every_row_and_the_bot_answers_the_same(tmp_path):
    source = f"sqlite+aiosqlite:///{tmp_path}/test.db"
    async with Harness(tmp_path, database_url=source) as before:
        await _fill(before)
        expected = await _answers(before)
    # Real numbers to compare: 7 check-ins in W2's period, two consultations, RSVPs, attendance.
    # (The two consultations are a count below 5: "fewer than 5", issue 21 §3.)
    assert "(n=7)" in expected["summary"] and "fewer than 5 / 0 / 0" in expected["summary"]
    assert "1 yes, 1 maybe, 0 no · attended 1" in expected["workshops"] and "X1 · risk.assess" in expected["prompts"]
    counts = await _counts(source)
    for table in ("communities", "workshops", "workshop_rsvps", "workshop_attendance", "custom_prompts",
                  "prompt_posts", "consultations", "checkins", "impact_reports", "checkin_invites",
                  "stage_changes", "community_roles"):
        assert counts[table] > 0, table  # the fixture really made every kind of record

    target = await _target_url(tmp_path / "target")
    copied = await copy_database(source, target)
    assert {c.table: c.rows for c in copied} == counts
    assert await _counts(target) == counts

    async with Harness(tmp_path / "after", database_url=target) as after:
        after.clock.at = datetime(2027, 4, 20, 12, 0, tzinfo=TZ)
        after.rooms[ROOM] = FakeRoom({FAC: 100, BOB: 0, ANN: 0})
        assert await _answers(after) == expected
        # New rows get new ids after the copied ones (PostgreSQL's sequences were moved on).
        added = "\n".join(s.body for s in await after.command(
            "prompt add potential Who else should be at the table? #collab.risk", sender=FAC, room=ROOM))
        assert "X2" in added
        await after.command("impact A second story. #collab.risk", sender=BOB, room=f"!dm-{BOB}", dm=True)
        mine = "\n".join(s.body for s in await after.command("myimpacts", sender=BOB, room=f"!dm-{BOB}", dm=True))
        assert "i1 · impact" in mine and "i2 · impact" in mine


async def test_a_non_empty_target_an_old_source_and_a_missing_file_are_refused(tmp_path):
    source = f"sqlite+aiosqlite:///{tmp_path}/test.db"
    async with Harness(tmp_path, database_url=source) as h:
        h.rooms[ROOM] = FakeRoom({FAC: 100})
        await h.command("setup North circle", sender=FAC, room=ROOM)
    target = await _target_url(tmp_path / "target")
    await copy_database(source, target)
    with pytest.raises(CopyError, match="the target is not empty"):
        await copy_database(source, target)
    assert (await _counts(target))["communities"] == 1  # unchanged

    with pytest.raises(CopyError, match="no SQLite database at"):
        await copy_database(f"sqlite+aiosqlite:///{tmp_path}/nothing.db", target)
    with pytest.raises(CopyError, match="same database"):
        await copy_database(source, source)

    old = f"sqlite+aiosqlite:///{tmp_path}/old.db"
    engine = make_engine(old)
    await migrate(engine, target=3)
    await engine.dispose()
    with pytest.raises(CopyError, match="schema version 3"):
        await copy_database(old, await _target_url(tmp_path / "other"))


def test_cli_prints_row_counts_per_table_and_fails_cleanly(tmp_path, capsys):
    source = f"sqlite+aiosqlite:///{tmp_path}/test.db"

    async def make_source():
        async with Harness(tmp_path, database_url=source) as h:
            h.rooms[ROOM] = FakeRoom({FAC: 100})
            await h.command("setup North circle", sender=FAC, room=ROOM)
            await h.command("workshops plan 2027-01-19 10:00 every 6 weeks count 2", sender=FAC, room=ROOM)
        return await _target_url(tmp_path / "target")

    target = asyncio.run(make_source())
    assert cli(["copy-db", "--from", source, "--to", target]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^communities\s+1$", out, re.M) and re.search(r"^workshops\s+2$", out, re.M)
    assert re.search(r"^Copied \d+ rows in \d+ tables from sqlite", out, re.M)
    assert cli(["copy-db", "--from", source, "--to", target]) == 1
    assert "the target is not empty" in capsys.readouterr().err
    assert cli(["copy-db", "--from", "mysql://x", "--to", target]) == 1
    assert "must start with" in capsys.readouterr().err
    if pg.selected():  # a refused login is one line from the server, not a traceback
        assert cli(["copy-db", "--from", source, "--to", target.replace("postgres@", "nobody@", 1)]) == 1
        err = capsys.readouterr().err
        assert 'role "nobody" does not exist' in err and "Traceback" not in err
