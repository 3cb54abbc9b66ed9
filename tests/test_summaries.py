"""Coordinator summaries on a known fixture: exact percentages and n, small groups hidden,
roles, DM delivery, CSV and the chart."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import matplotlib.image
import pytest

from bot.summaries.export import ExportError, export

from storage import communities
from storage.models import Checkin, ImpactReport
from tests.fakes import FakeRoom, Harness

ROOM, FAC, BOB, COORD = "!room:test", "@fac:test", "@bob:test", "@coord:test"
TZ = ZoneInfo("America/Toronto")
IN_W2 = datetime(2027, 2, 5, 10, 0, tzinfo=TZ)  # between workshop 1 (01-19) and workshop 2 (03-02)
# Five check-ins: "practice" has 4 valid answers (one n/a), "safety" has 5.
ANSWERS = ["4,4,4,4,3", "4,3,4,3,3", "4,3,3,2,3", "3,2,3,2,3", "n,1,2,1,3"]


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        harness.rooms[ROOM] = FakeRoom({FAC: 100, BOB: 0})
        await harness.command("setup North circle", sender=FAC, room=ROOM)
        await harness.command("workshops plan 2027-01-19 10:00 every 6 weeks count 2", sender=FAC, room=ROOM)
        await harness.command(f"role {COORD} coordinator", sender=FAC, room=ROOM)
        async with harness.services.db() as session:
            community = await communities.by_room(session, ROOM)
            for i, answers in enumerate(ANSWERS):
                session.add(Checkin(community_id=community.id, member_key=f"k{i}", period=1, answers=answers,
                                    text=f"Story {i} [name]" if i < 4 else None, tags="collab.risk",
                                    consent=i % 2 == 0, created_at=IN_W2))
            session.add(ImpactReport(community_id=community.id, member_key="k9", period=1, text="x",
                                     tags="reflexive.self_care", created_at=IN_W2))
            await session.commit()
        harness.clock.at = datetime(2027, 3, 10, 12, 0, tzinfo=TZ)
        harness.client.sent.clear()
        yield harness


def in_dm(h, user=COORD) -> list:
    return [s for s in h.client.sent if s.room_id == f"!dm-{user}"]


async def test_series_summary_has_exact_percentages_and_hides_small_groups(h):
    answer = [s for s in await h.command("summary series", sender=COORD, room=ROOM) if s.room_id == ROOM]
    assert "in your direct messages" in answer[0].body
    [message] = in_dm(h)
    body = message.body
    assert "Series summary: North circle" in body
    assert "Stage timeline: potential (Tue 2027-01-12 10:00 EST)" in body
    # safety: 5 valid answers (4,3,3,2,1) -> 20/40/20/20, n=5
    assert "4: 20.0% · 3: 40.0% · 2: 20.0% · 1: 20.0% (n=5)" in body
    # practice: 4 valid answers -> hidden, the numbers nowhere
    practice_row = next(line for line in body.splitlines() if line.startswith("My practice changed"))
    assert "fewer than 5 responses" in practice_row and "75.0%" not in practice_row
    # cooperation: 4,4,3,3,2 -> 40/40/20/0
    assert "4: 40.0% · 3: 40.0% · 2: 20.0% · 1: 0.0% (n=5)" in body
    assert "<table>" in message.content["formatted_body"]
    assert "collab.risk 5" in body and "reflexive.self_care" not in body  # a tag from one report is hidden
    assert "“Story 0 [name]”" in body and "“Story 2 [name]”" in body and "Story 1" not in body  # consent only
    for key in ("k0", "k1", "k9"):
        assert f" {key} " not in body


async def test_four_respondents_hide_stories_and_items_five_show_them(h):
    await h.command("summary since 2027-01-15", sender=COORD, room=ROOM)
    assert "“Story" in in_dm(h)[-1].body
    await h.command("summary min-group 6", sender=FAC, room=ROOM)
    await h.command("summary since 2027-01-15", sender=COORD, room=ROOM)
    body = in_dm(h)[-1].body
    assert "“Story" not in body and "20.0%" not in body and "fewer than 6 responses" in body
    assert "never lowered" in (await h.command("summary min-group 4", sender=FAC, room=ROOM))[0].body


async def test_only_coordinators_and_facilitators_get_summaries(h):
    refused = await h.command("summary series", sender=BOB, room=ROOM)
    assert "Only these roles can do that here" in refused[0].body and in_dm(h, BOB) == []
    assert "not a coordinator or facilitator of a community `elsewhere`" in \
        (await h.command("summary --cop elsewhere", sender=COORD, room="!dm-@coord:test", dm=True))[0].body
    text = (await h.command("summary", sender=COORD, room="!dm-@coord:test", dm=True))[0].body
    assert "Series summary: North circle" in text  # from a DM, the only community is chosen


async def test_workshop_summary_csv_and_chart(h):
    await h.command("summary workshop 2 csv chart", sender=COORD, room=ROOM)
    sent = in_dm(h)
    assert "Summary for workshop 2" in sent[0].body
    files = {name: data for name, _, data in h.services.matrix.uploads}
    rows = list(csv.reader(io.StringIO(files["north-circle-checkin-items.csv"].decode())))
    assert rows[0] == ["Check-in item", "W2"]
    safety = next(r for r in rows if r[0].startswith("It helped me better ensure"))
    assert safety[1] == "4: 20.0% · 3: 40.0% · 2: 20.0% · 1: 20.0% (n=5)"
    assert files["north-circle-summary.png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert [s.content["msgtype"] for s in sent[1:]] == ["m.file", "m.file", "m.image"]
    assert "There is no summary for workshop 5" in (await h.command("summary workshop 5", sender=COORD,
                                                                    room=ROOM))[-1].body


async def test_csv_holds_no_pseudonyms_and_the_chart_has_its_size(h):
    await h.command("summary series csv chart", sender=COORD, room=ROOM)
    files = {name: data for name, _, data in h.services.matrix.uploads}
    for name, data in files.items():
        if name.endswith(".csv"):
            text = data.decode()
            assert list(csv.reader(io.StringIO(text)))  # parses
            for key in ("k0", "k1", "k2", "k3", "k4", "k9", BOB, FAC):
                assert key not in text
    image = matplotlib.image.imread(io.BytesIO(files["north-circle-summary.png"]))
    assert image.shape[:2] == (990, 1320) and image.std() > 0


async def test_export_writes_markdown_csv_and_chart(h, tmp_path):
    paths = await export(h.config, "north-circle", tmp_path / "out", clock=h.clock)
    names = sorted(p.name for p in paths)
    assert names == ["north-circle-activity.csv", "north-circle-checkin-items.csv", "north-circle-summary.md",
                     "north-circle-summary.png"]
    markdown = (tmp_path / "out" / "north-circle-summary.md").read_text()
    assert markdown.startswith("# Series summary: North circle")
    assert "| 4: 20.0% · 3: 40.0% · 2: 20.0% · 1: 20.0% (n=5) |" in markdown
    with pytest.raises(ExportError):
        await export(h.config, "nowhere", tmp_path / "out2", clock=h.clock)


def test_a_hidden_response_rate_shows_no_counts():
    from functools import partial
    from bot.i18n import Catalogue
    from bot.summaries.render import Renderer
    from domain.report import Period

    r = Renderer(partial(Catalogue.load().render, "en"), "America/Toronto", 5)
    small = Period(label="W1", start=datetime(2027, 1, 1, tzinfo=TZ), end=datetime(2027, 2, 1, tzinfo=TZ),
                   invited=3, checkins=1)
    assert r.response_cell(small) == "fewer than 5 responses"
    big = Period(label="W2", start=small.start, end=small.end, invited=8, checkins=6)
    assert r.response_cell(big) == "75.0% (6/8)"


async def test_a_summary_asked_in_a_dm_thread_comes_with_its_files_in_that_thread(h):
    dm = f"!dm-{COORD}"
    await h.command("summary workshop 2 csv chart", sender=COORD, room=dm, dm=True, thread_root="$ask")
    sent = in_dm(h)
    assert [s.content["msgtype"] for s in sent] == ["m.notice", "m.file", "m.file", "m.image"]
    assert all(s.content["m.relates_to"]["event_id"] == "$ask" for s in sent)
    assert all(s.content["m.relates_to"]["rel_type"] == "m.thread" for s in sent)


# --- disclosure control (issue 21 §3) ------------------------------------------------------------

async def test_an_open_period_is_not_summarised_until_its_workshop_is_over(h):
    h.clock.at = datetime(2027, 2, 20, 12, 0, tzinfo=TZ)  # the five check-ins are in W2's period, still open
    refused = await h.command("summary workshop 2", sender=COORD, room=ROOM)
    assert "Workshop 2 (Tue 2027-03-02 10:00 EST) is not over yet" in refused[-1].body
    await h.command("summary series csv", sender=COORD, room=ROOM)
    body = [s.body for s in in_dm(h) if s.content["msgtype"] == "m.notice"][-1]
    assert "The period leading up to workshop 2 (Tue 2027-03-02 10:00 EST) is still open" in body
    assert "%)" not in body and "(n=" not in body and "collab.risk" not in body and "Story" not in body
    files = {name: data.decode() for name, _, data in h.services.matrix.uploads}
    assert all("W2" not in text and "(n=" not in text for text in files.values())
    h.clock.at = datetime(2027, 3, 2, 11, 0, tzinfo=TZ)  # the workshop is on: still open
    await h.command("summary series", sender=COORD, room=ROOM)
    assert "20.0%" not in in_dm(h)[-1].body
    h.clock.at = datetime(2027, 3, 2, 12, 1, tzinfo=TZ)  # over (two hours): W2 is released
    await h.command("summary series", sender=COORD, room=ROOM)
    assert "4: 20.0% · 3: 40.0% · 2: 20.0% · 1: 20.0% (n=5)" in in_dm(h)[-1].body


async def test_since_is_snapped_to_the_next_workshop_and_says_so(h):
    await h.command("summary since 2027-01-15 csv chart", sender=COORD, room=ROOM)
    body = [s.body for s in in_dm(h) if s.content["msgtype"] == "m.notice"][-1]
    assert [name for name, _, _ in h.services.matrix.uploads][-1] == "north-circle-summary.png"
    assert "Counted from Tue 2027-01-19 10:00 EST (the first workshop boundary on or after that date)" in body
    assert "columns W2 to W2" in body and "(n=5)" in body
    refused = await h.command("summary since 2027-02-01", sender=COORD, room=ROOM)
    assert "No closed period starts on or after 2027-02-01" in refused[-1].body
    await h.command("summary since 2026-12-01", sender=COORD, room=ROOM)
    assert "Counted from the start of the community" in in_dm(h)[-1].body


async def test_sigma_is_withheld_when_it_minus_a_column_is_one_answer(h):
    async with h.services.db() as session:
        community = await communities.by_room(session, ROOM)
        session.add(Checkin(community_id=community.id, member_key="early", period=0, answers="1,1,1,1,1",
                            tags="", consent=False, created_at=datetime(2027, 1, 15, 9, 0, tzinfo=TZ)))
        await session.commit()
    for ask in ("summary series csv", "summary workshop 1", "summary workshop 2", "summary since 2027-01-01"):
        await h.command(ask, sender=COORD, room=ROOM)
    series, w1, w2, since = (s.body for s in in_dm(h) if s.content["msgtype"] == "m.notice")
    safety = next(line for line in series.splitlines() if line.startswith("It helped me better ensure"))
    assert safety.count("(n=5)") == 1 and "withheld (it would reveal a small group" in safety  # Σ: 6 − 5 = 1
    assert "(n=6)" not in series + since and "(n=1)" not in series + w1
    assert "withheld" in since and "(n=5)" in w2
    csv_text = next(data for name, _, data in h.services.matrix.uploads if name.endswith("items.csv")).decode()
    assert "(n=6)" not in csv_text and "withheld" in csv_text


async def test_min_group_cannot_go_below_five_even_if_the_config_says_less(h):
    answer = await h.command("summary min-group 4", sender=FAC, room=ROOM)
    assert "never lowered" in answer[0].body
    assert "fewer than 8 responses" in (await h.command("summary min-group 8", sender=FAC, room=ROOM))[0].body
    assert "fewer than 5" in (await h.command("summary min-group 5", sender=FAC, room=ROOM))[0].body


async def test_a_released_column_keeps_its_counts_after_a_member_is_forgotten(h):
    await h.command("summary workshop 2", sender=COORD, room=ROOM)
    before = in_dm(h)[-1].body
    assert "(n=5)" in before
    async with h.services.db() as session:  # what forget-me does to one of the five
        from sqlmodel import select
        row = (await session.exec(select(Checkin).where(Checkin.member_key == "k4"))).one()
        await session.delete(row)
        await session.commit()
    await h.command("summary workshop 2", sender=COORD, room=ROOM)
    after = in_dm(h)[-1].body
    assert after == before  # the frozen counts: the difference would be k4's answers
