"""Reflective prompts with the fake client and a frozen clock: posting, listing, custom prompts,
the schedule (posting hours, workshops, missed ones, restarts) and reply counts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.prompts.posting import count_reply
from storage import communities
from storage.models import PromptPost
from tests.fakes import FakeRoom, Harness, say

ROOM, FAC, BOB, ANN = "!room:test", "@fac:test", "@bob:test", "@ann:test"
TZ = ZoneInfo("America/Toronto")  # the Harness clock starts on Tue 2027-01-12 10:00 there


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        await harness.open_community(ROOM, {FAC: 100, BOB: 0, ANN: 0}, by=FAC)
        yield harness


def prompt_jobs(h) -> list[datetime]:
    return sorted(due.astimezone(TZ) for (p, _), due in h.services.scheduler.jobs.items() if p == "prompt")


def posted_prompts(h) -> list:
    return [s for s in h.client.sent if s.body.startswith("Reflective prompt")]


async def community(h):
    return await communities_by_room(h, ROOM)


async def communities_by_room(h, room: str):
    async with h.services.db() as session:
        return await communities.by_room(session, room)


async def test_prompt_posts_the_next_one_for_the_stage_then_never_repeats_it(h):
    sent = await h.command("prompt", sender=FAC, room=ROOM)
    assert len(sent) == 1 and sent[0].content["msgtype"] == "m.text"
    assert sent[0].body.startswith("Reflective prompt P1 · potential")
    assert "shouldn't have to work this out without backup" in sent[0].body and "thread" in sent[0].body
    seen = [sent[0].body.split()[2]]
    for _ in range(5):
        seen.append((await say(h, "prompt")).split()[2])
    assert sorted(seen) == ["P1", "P2", "P3", "P4", "P5", "P6"]  # the whole round before any repeat


async def test_a_given_prompt_in_the_community_language(h):
    await say(h, "language fr")
    text = await say(h, "prompt c4")
    assert text.startswith("Question de réflexion C4 · coalescence")
    assert "Pensez à une personne d'un autre organisme" in text and "Think of someone" not in text
    assert "Répondez dans le fil de ce message" in text
    assert "There is no prompt `Z9`" in (await h.command("prompt Z9", sender=FAC, room=ROOM, lang="en"))[0].body


async def test_members_may_list_but_not_post_and_the_list_shows_last_posted(h):
    assert "Only these roles can do that here" in await say(h, "prompt", sender=BOB)
    assert posted_prompts(h) == []
    await say(h, "prompt P3")
    listing = await say(h, "prompts", sender=BOB)
    assert "potential (current stage)" in listing
    assert "P3 · reflexive.self_care, collab.risk · Tue 2027-01-12 10:00 EST" in listing
    assert "P1 · collab.risk, reflexive.supervision · never posted" in listing
    assert "Cadence: automatic" in listing


async def test_custom_prompts_are_added_posted_as_written_and_removed(h):
    text = await say(h, "prompt add potential Que veut dire la sécurité pour vous? #risk.assess")
    assert "Prompt X1 is added" in text
    posted = await say(h, "prompt x1")
    assert posted.startswith("Reflective prompt X1 · potential") and "Que veut dire la sécurité" in posted
    assert "not a practice-domain tag" in await say(h, "prompt add potential Why? #made.up")
    assert "is not a stage" in await say(h, "prompt add someday Why?")
    assert "from the shared library" in await say(h, "prompt remove P1")
    assert "Prompt X1 is removed" in await say(h, "prompt remove X1")
    assert "There is no prompt `X1`" in await say(h, "prompt X1")
    assert "Prompt X2 is added" in await say(h, "prompt add potential Another one")  # ids are never reused


async def test_replies_in_a_prompt_thread_are_counted_never_stored(h):
    await say(h, "prompt")
    root = f"$event{len(h.client.sent)}"
    c = await community(h)
    now = h.clock.now()
    assert await count_reply(h.services, c, root, BOB, now)
    assert await count_reply(h.services, c, root, BOB, now)
    assert await count_reply(h.services, c, root, ANN, now)
    assert not await count_reply(h.services, c, "$some-other-thread", ANN, now)
    async with h.services.db() as session:
        row = (await session.exec(select(PromptPost))).one()
    assert (row.replies, row.repliers) == (3, 2)
    assert "Prompt replies: 3" in await say(h, "stage", sender=BOB)


async def test_default_schedule_follows_the_workshops_inside_posting_hours(h):
    assert prompt_jobs(h) == []  # no workshops, no cadence: nothing scheduled
    await say(h, "workshops plan 2027-01-28 10:00 every 6 weeks count 2")  # a Thursday
    # Three days later is a Sunday: the prompt waits for Monday 09:00.
    assert prompt_jobs(h) == [datetime(2027, 2, 1, 9, 0, tzinfo=TZ)]
    h.clock.at = datetime(2027, 2, 1, 9, 0, tzinfo=TZ)
    await h.run_due()
    assert len(posted_prompts(h)) == 1
    assert prompt_jobs(h) == [datetime(2027, 3, 15, 9, 0, tzinfo=TZ)]  # after workshop 2 (Thu 03-11)


async def test_cadence_hours_off_and_auto(h):
    text = await say(h, "prompts every 2 days at 10:00")
    assert "every 2 day(s), at 10:00" in text and "Thu 2027-01-14 10:00 EST" in text
    assert prompt_jobs(h) == [datetime(2027, 1, 14, 10, 0, tzinfo=TZ)]
    await say(h, "prompts hours mon-fri 12:00-16:00")
    assert prompt_jobs(h) == [datetime(2027, 1, 14, 12, 0, tzinfo=TZ)]
    assert "I can't read `sometimes`" in await say(h, "prompts hours sometimes")
    assert "I can't read `every 0 days`" in await say(h, "prompts every 0 days")
    await say(h, "prompts off")
    assert prompt_jobs(h) == []
    await say(h, "prompts auto")
    assert prompt_jobs(h) == []  # automatic, and no workshop planned yet


async def test_a_prompt_due_during_a_workshop_waits_until_it_ends(h):
    await say(h, "prompts every 2 days at 10:00")
    await say(h, "workshop add 2027-01-14 09:30 duration 120")
    assert prompt_jobs(h) == [datetime(2027, 1, 14, 11, 30, tzinfo=TZ)]


async def test_scheduled_prompt_is_late_within_grace_skipped_after_and_never_twice(h):
    await say(h, "prompts every 2 days at 10:00")
    h.clock.at = datetime(2027, 1, 14, 10, 40, tzinfo=TZ)  # the bot was down at 10:00
    await h.restart()
    await h.run_due()
    assert len(posted_prompts(h)) == 1
    await h.restart()
    await h.run_due()
    assert len(posted_prompts(h)) == 1  # a restart does not post it again
    # Two days later is Saturday, outside posting hours: Monday when they open.
    assert prompt_jobs(h) == [datetime(2027, 1, 18, 9, 0, tzinfo=TZ)]
    h.clock.at = datetime(2027, 1, 20, 15, 0, tzinfo=TZ)  # down for days: far past the grace period
    await h.restart()
    await h.run_due()
    missed = [s for s in h.client.sent if "I was offline when a reflective prompt was due" in s.body]
    assert len(missed) == 1 and FAC in missed[0].content["m.mentions"]["user_ids"]
    assert missed[0].content["msgtype"] == "m.text"  # it asks the facilitators to act
    assert len(posted_prompts(h)) == 1
    assert prompt_jobs(h) and prompt_jobs(h)[0] > h.clock.now()


async def test_one_broken_community_does_not_stop_the_others_at_start(h, monkeypatch):
    from bot.prompts import posting

    await say(h, "prompts every 2 days at 10:00")
    h.rooms["!other:test"] = FakeRoom({FAC: 100})
    await h.command("setup Other circle", sender=FAC, room="!other:test")
    await h.command("prompts every 3 days at 11:00", sender=FAC, room="!other:test")
    other = (await communities_by_room(h, "!other:test")).id
    async with h.services.db() as session:  # the other community lost its next prompt (a crash, say)
        for row in (await session.exec(select(PromptPost).where(PromptPost.community_id == other))).all():
            await session.delete(row)
        await session.commit()
    real = posting._next_due

    def broken_for_one(facts, now):
        if facts.community.id != other:
            raise RuntimeError("broken community")
        return real(facts, now)

    monkeypatch.setattr(posting, "_next_due", broken_for_one)
    loaded = await h.restart()
    assert loaded == 2  # the broken one's pending prompt is loaded as it is, the other one's is planned again
    assert prompt_jobs(h) == [datetime(2027, 1, 12, 11, 0, tzinfo=TZ), datetime(2027, 1, 14, 10, 0, tzinfo=TZ)]
