"""The sector directory, mentions, the nudge and the cross-sector figures, with the fake client
(issue 23). The same on the real Synapse: tests/test_sectors_synapse.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot import features
from devtools.botrun import stored_bytes
from domain.disclosure import Disclosure
from domain.report import Period
from domain.sectors import Entry, SectorError, extract_wanted, parse_declaration, pick
from storage.models import Consultation, ConsultationReach, SectorEntry
from tests.fakes import FakeRoom, Harness

ROOM, DM, FAC, BOB, ANN, CY, DEE = "!room:test", "!dm-bob:test", "@fac:test", "@bob:test", "@ann:test", "@cy:test", "@dee:test"
T0 = datetime(2027, 1, 1, tzinfo=timezone.utc)


# --- domain ---------------------------------------------------------------------------------

def test_a_declaration_reads_sectors_in_either_language_and_up_to_three_tags():
    d = parse_declaration("Dépendances  sante-mentale #risk.assess dpj")
    assert d.sectors == ("child-protection", "mental-health", "addiction") and d.tags == ("risk.assess",)
    for text, key in (("plumbing", "sector.unknown"), ("#risk.assess", "sector.none"),
                      ("addiction #nope", "sector.unknown_tag"),
                      ("addiction #risk.assess #law.court #collab.risk #org.support", "sector.too_many_tags")):
        with pytest.raises(SectorError) as err:
            parse_declaration(text)
        assert err.value.key == key, text


def test_wanted_sectors_come_out_of_the_text_and_categories_keep_their_words():
    text, wanted = extract_wanted("The father drinks. #addiction #child-protection #sector:housing #unknown")
    assert wanted == ("child-protection", "addiction", "housing")
    assert text == "The father drinks. #unknown"
    assert extract_wanted("no tags here") == ("no tags here", ())


def test_rotation_asks_each_sector_once_before_a_second_person_and_least_recent_first():
    a = Entry("a", ("addiction",), asked_at=T0 + timedelta(days=2))
    b = Entry("b", ("addiction",), asked_at=None)
    c = Entry("c", ("addiction",), asked_at=T0)
    quiet = Entry("q", ("addiction",), quiet=True)
    m = Entry("m", ("mental-health",), asked_at=T0 + timedelta(days=9))
    assert [e.key for e in pick([a, b, c, quiet, m], ["addiction", "mental-health"], 2)] == ["m", "b"]
    assert [e.key for e in pick([a, b, c, quiet, m], ["addiction"], 3)] == ["b", "c", "a"]
    # a nudge leaves out whoever was asked since the post
    assert [e.key for e in pick([a, b, c], ["addiction"], 3, asked_since=T0 + timedelta(days=1))] == ["b", "c"]


def test_the_reach_figures_are_measures_of_the_disclosure_plan():
    cols = [Period("W1", T0, T0, reach={"1": 3, "2": 2}, reach_sum=7, wanted=4, wanted_answered=3)]
    plan = Disclosure(cols, 5)
    assert not plan.released("reach.1", (0, 1)) and not plan.released("wanted", (0, 1))
    assert plan.released("reach.3+", (0, 1))  # nobody counted: 0 is safe


# --- the bot, with the fake client ------------------------------------------------------------

@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        harness.services.matrix.joined.add(ROOM)
        await harness.open_community(ROOM, {FAC: 100, BOB: 0, ANN: 0, CY: 0, DEE: 0}, by=FAC)
        yield harness


async def say(h, text, sender=ANN) -> str:
    return "\n".join(s.body for s in await h.command(text, sender=sender, room=ROOM))


async def consult(h, text: str) -> Consultation:
    await h.command(f"consult {text}", sender=BOB, room=DM, dm=True)
    await h.command("send", sender=BOB, room=DM, dm=True)
    h.clock.advance(hours=1)
    await h.run_due()
    async with h.services.db() as session:
        return (await session.exec(select(Consultation).order_by(Consultation.id.desc()))).first()


async def mentions(h) -> list:
    """The bot's mention messages after the timer that finds new posts."""
    before = len(h.client.sent)
    await h.providers["sectors"].schedule_new()
    await h.run_due()
    return [s for s in h.client.sent[before:] if s.content.get("m.mentions", {}).get("user_ids")]


async def test_opt_in_directory_and_opt_out(h):
    saved = await say(h, "sector addiction mental-health #risk.assess")
    assert "chose to join" in saved and "mental health, addiction" in saved
    await say(h, "sector police", sender=CY)
    listing = await say(h, "directory", sender=DEE)
    assert ANN in listing and CY in listing and "#risk.assess" in listing
    assert CY not in await say(h, "directory addiction", sender=DEE)
    counts = await say(h, "sectors", sender=DEE)
    assert "addiction: 1" in counts and "Sectors present: 3 of 13" in counts and "justice and courts" in counts
    assert "Sectors present in the directory: 3 of 13" in await say(h, "stage", sender=DEE)
    assert "no longer in the sector directory" in await say(h, "sector off")
    assert ANN not in await say(h, "directory", sender=DEE)
    assert "not in the sector directory" in await say(h, "sector off")


async def test_bad_input_gets_an_example_and_changes_nothing(h):
    answer = await say(h, "sector plumbing")
    assert "I don't know the sector `plumbing`" in answer and "Example: `!cop sector addiction" in answer
    assert "Example" in await say(h, "sector quiet maybe")
    assert "Nobody has joined" in await say(h, "directory")
    async with h.services.db() as session:
        assert (await session.exec(select(SectorEntry))).all() == []


async def test_outsiders_do_not_see_the_directory(h):
    await say(h, "sector addiction")
    h.rooms[ROOM].levels.pop(DEE)  # no longer joined
    answer = await say(h, "directory", sender=DEE)
    assert ANN not in answer and "member" in answer


async def test_a_consultation_mentions_opted_in_unmuted_members_of_the_wanted_sector_in_turn(h):
    await say(h, "sector addiction", sender=ANN)
    await say(h, "sector addiction", sender=CY)
    await say(h, "sector quiet on", sender=CY)
    await say(h, "sector police", sender=DEE)
    await say(h, "sector addiction", sender=FAC)
    await say(h, "sector off", sender=FAC)
    row = await consult(h, "The father drinks and the mother fears the exchange. #addiction #IPV")
    assert row.wanted == "addiction" and row.categories == "IPV"
    sent = await mentions(h)
    assert len(sent) == 1
    assert sent[0].content["m.mentions"]["user_ids"] == [ANN]
    assert sent[0].content["msgtype"] == "m.text"
    assert sent[0].content["m.relates_to"]["event_id"] == row.event_id
    assert "addiction" in sent[0].body
    assert await mentions(h) == []  # once
    await h.restart()
    await h.run_due()
    assert [s for s in h.client.sent if s.content.get("m.mentions", {}).get("user_ids") == [ANN]] == [sent[0]]


async def test_the_nudge_asks_the_next_people_once_if_no_wanted_sector_replied(h):
    for who in (ANN, CY, DEE):  # in this order: ties of rotation go to who joined first
        await say(h, "sector addiction", sender=who)
        h.clock.advance(minutes=1)
    object.__setattr__(h.services.config.consultations, "mention_experts", 1)
    await say(h, "prompts hours every day 00:00-23:59", sender=FAC)
    row = await consult(h, "A question for addiction workers. #addiction")
    first = (await mentions(h))[0].content["m.mentions"]["user_ids"]
    assert first == [ANN]
    h.clock.advance(hours=47)
    await h.run_due()
    assert not [s for s in h.client.sent if "No one from" in s.body]
    h.clock.advance(hours=2)
    await h.run_due()
    nudges = [s for s in h.client.sent if "No one from" in s.body]
    assert len(nudges) == 1 and nudges[0].content["m.mentions"]["user_ids"] == [CY]
    await h.restart()
    h.clock.advance(days=5)
    await h.run_due()
    assert len([s for s in h.client.sent if "No one from" in s.body]) == 1


async def test_no_nudge_when_a_wanted_sector_replied(h):
    await say(h, "sector addiction", sender=ANN)
    await say(h, "sector addiction", sender=CY)
    object.__setattr__(h.services.config.consultations, "mention_experts", 1)
    await say(h, "prompts hours every day 00:00-23:59", sender=FAC)
    row = await consult(h, "A question. #addiction")
    await mentions(h)
    await features.thread_reply(h.services, ROOM, row.event_id, ANN, h.clock.now())
    h.clock.advance(days=3)
    await h.run_due()
    assert not [s for s in h.client.sent if "No one from" in s.body]


async def test_sectors_reached_counts_distinct_sectors_never_who(h):
    await say(h, "sector addiction mental-health", sender=ANN)
    await say(h, "sector addiction", sender=CY)
    await say(h, "sector police", sender=DEE)
    row = await consult(h, "A question. #child-protection")
    for who in (ANN, CY, CY, DEE, BOB):  # BOB is not in the directory
        await features.thread_reply(h.services, ROOM, row.event_id, who, h.clock.now())
    async with h.services.db() as session:
        reach = await session.get(ConsultationReach, row.id)
    assert (reach.reached, reach.reached_count, reach.answered) == ("mental-health,addiction,police", 3, False)
    raw = await stored_bytes(h.config.database.url)
    for user in (ANN, BOB, CY, DEE, "@ann", "@bob"):
        assert user.encode() not in raw, user


async def test_leaving_the_room_or_forget_me_removes_the_entry(h):
    await say(h, "sector addiction", sender=ANN)
    await say(h, "sector police", sender=CY)
    community = h.services.reads
    from storage.communities import by_room
    async with h.services.db() as session:
        c = await by_room(session, ROOM)
    await features.member_left(h.services, c, ANN)
    await h.command("forget-me confirm", sender=CY, room="!dm-cy:test", dm=True)
    async with h.services.db() as session:
        assert (await session.exec(select(SectorEntry))).all() == []


async def test_the_summary_shows_sectors_reached_and_answered_under_the_rules(h):
    for who in (ANN, CY):
        await say(h, f"sector {'addiction' if who == ANN else 'police'}", sender=who)
    await say(h, "workshops plan 2027-03-02 10:00 every 3 weeks count 2", sender=FAC)
    for i in range(6):
        row = await consult(h, f"Question {i}. #addiction")
        await features.thread_reply(h.services, ROOM, row.event_id, ANN, h.clock.now())
        if i % 2:
            await features.thread_reply(h.services, ROOM, row.event_id, CY, h.clock.now())
        h.clock.advance(days=1)
        h.services.limits._submitted.clear()
    h.clock.at = datetime(2027, 3, 3, tzinfo=timezone.utc)
    await h.command(f"role {DEE} coordinator", sender=FAC, room=ROOM)
    await h.command("summary series csv", sender=DEE, room=ROOM)
    body = "\n".join(s.body for s in h.client.sent[-6:])
    assert "Sectors reached per consultation" in body
    assert re.search(r"mean 1\.5 · 0: 0 · 1: fewer than 5 · 2: fewer than 5 · 3\+: 0", body), body
    assert "100.0% (6/6)" in body
    csv = [data for name, _, data in h.services.matrix.uploads if name.endswith("activity.csv")][-1].decode()
    assert "Consultations answered from a wanted sector" in csv and "100.0% (6/6)" in csv
