"""The stage machine, the signals, and the community commands with the fake client."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.slugs import slugify
from domain.stages import STAGES, Signals, next_stage, suggest
from storage.models import Community, StageChange
from tests.fakes import FakeRoom, Harness


def _signals(**kw):
    base = dict(members=6, posters=0, prompt_replies=0, consultations=0, impacts=0, in_stage=timedelta(0))
    base.update(kw)
    return Signals(**base)


def test_stage_order_and_end():
    assert [next_stage(s) for s in STAGES] == [*STAGES[1:], None]


@pytest.mark.parametrize("stage,ready,not_ready", [
    ("potential", dict(posters=3), dict(posters=2)),
    ("coalescing", dict(posters=4, consultations=1, prompt_replies=3), dict(posters=4, prompt_replies=9)),
    ("maturing", dict(in_stage=timedelta(days=30), prompt_replies=5), dict(in_stage=timedelta(days=10), prompt_replies=50)),
    ("stewardship", dict(impacts=3), dict(impacts=2)),
])
def test_suggestions_follow_the_signals(stage, ready, not_ready):
    assert suggest(stage, _signals(**ready)).move_on is True
    assert suggest(stage, _signals(**not_ready)).move_on is False


def test_transformation_never_suggests_moving_on():
    assert suggest("transformation", _signals(impacts=99, posters=6)).move_on is False


def test_slugs_are_short_unique_and_ascii():
    assert slugify("Cercle de pratique — Laurentides Québec", set()) == "cercle-de-pratique"
    assert slugify("Circle", {"circle"}) == "circle-2"
    assert slugify("!!!", set()) == "cop"


@pytest.mark.parametrize("name", ["The", "My", "Le", "La", "Mon", "A", "Help", "Hello!"])
def test_a_slug_is_never_a_word_that_starts_a_sentence(name):
    """`consult the mother…` must not send the request to a community called "The"."""
    slug = slugify(name, set())
    assert slug == f"{name.lower().strip('!')}-cop"
    assert slugify("The Circle", set()) == "the-circle"  # several words: not a sentence's start


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        harness.rooms["!a:test"] = FakeRoom({"@fac:test": 50, "@mem:test": 0, "@mem2:test": 0})
        harness.rooms["!b:test"] = FakeRoom({"@other:test": 100})
        yield harness


async def _count(h, model):
    from sqlmodel import func, select
    async with h.services.db() as s:
        return (await s.exec(select(func.count()).select_from(model))).one()


async def test_setup_needs_power_and_happens_once(h):
    (refused,) = await h.command("setup Circle", sender="@mem:test", room="!a:test")
    assert "power level 50" in refused.body and await _count(h, Community) == 0
    (welcome,) = await h.command("setup Laurentides circle", sender="@fac:test", room="!a:test")
    assert "`laurentides-circle`" in welcome.body and "never store" in welcome.body
    (again,) = await h.command("setup Other", sender="@fac:test", room="!a:test")
    assert "already" in again.body and await _count(h, Community) == 1


async def test_member_cannot_change_stage_and_facilitator_can(h):
    await h.command("setup Circle", sender="@fac:test", room="!a:test")
    (refused,) = await h.command("stage next", sender="@mem:test", room="!a:test")
    assert "Only these roles" in refused.body
    assert await _count(h, StageChange) == 1
    h.clock.advance(days=3)
    (announce,) = await h.command("stage next Everyone introduced", sender="@fac:test", room="!a:test")
    assert announce.content["msgtype"] == "m.text" and "coalescing" in announce.body
    (back,) = await h.command("stage set potential regressed", sender="@fac:test", room="!a:test")
    assert "from coalescing to potential" in back.body
    (hist,) = await h.command("stage history", sender="@mem:test", room="!a:test")
    assert "potential → coalescing (by a facilitator). Note: Everyone introduced" in hist.body
    assert "coalescing → potential" in hist.body and "@fac" not in hist.body
    (bad,) = await h.command("stage set ripe", sender="@fac:test", room="!a:test")
    assert "potential | coalescing" in bad.body


async def test_communities_are_isolated(h):
    await h.command("setup Circle A", sender="@fac:test", room="!a:test")
    await h.command("setup Circle B", sender="@other:test", room="!b:test")
    (refused,) = await h.command("stage next", sender="@fac:test", room="!b:test")
    assert "Only these roles" in refused.body
    (refused,) = await h.command("role @fac:test facilitator", sender="@fac:test", room="!b:test")
    assert "Only these roles" in refused.body


async def test_french_and_timezone(h):
    await h.command("setup Cercle", sender="@fac:test", room="!a:test")
    (bad,) = await h.command("timezone America/Torronto", sender="@fac:test", room="!a:test")
    assert "`America/Toronto`" in bad.body
    await h.command("language fr", sender="@fac:test", room="!a:test")
    (shown,) = await h.command("stage", sender="@mem:test", room="!a:test")
    assert "Étape : potentiel" in shown.body and "Signaux observés" in shown.body


async def test_status_shows_where_a_community_comes_from_and_what_continues_it(h):
    for room in ("!c:test", "!d:test"):
        h.rooms[room] = FakeRoom({"@fac:test": 50, "@mem:test": 0})
    await h.command("setup North", sender="@fac:test", room="!a:test")
    await h.command("setup Youth --from north", sender="@fac:test", room="!c:test")
    await h.command("setup Elders --from north", sender="@fac:test", room="!d:test")
    (north,) = await h.command("status", sender="@mem:test", room="!a:test")
    assert "Continues from: -" in north.body and "Continued by: elders, youth" in north.body
    (youth,) = await h.command("status", sender="@mem:test", room="!c:test")
    assert "Continues from: north" in youth.body and "Continued by: -" in youth.body
