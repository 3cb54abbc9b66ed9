"""The command framework, checked with the fake client."""

from __future__ import annotations

import logging
from typing import Literal

import pytest

from bot.checks import dm_only
from bot.commands import core
from bot.framework import BadArgument, Command, Registry, command, dispatch
from tests.fakes import Harness


@pytest.fixture
async def h(tmp_path):
    async with Harness(tmp_path) as harness:
        yield harness


async def test_ping_and_help(h):
    (reply,) = await h.command("ping")
    assert reply.content["msgtype"] == "m.notice"
    assert "pong" in reply.body
    (listing,) = await h.command("help")
    assert "`!cop ping`" in listing.body and "<li>" in listing.content["formatted_body"]


async def test_unknown_command_is_friendly_and_escaped(h):
    (reply,) = await h.command("<script>alert(1)</script> now")
    assert "Unknown command" in reply.body and "!cop help" in reply.body
    assert "<script>" not in reply.content["formatted_body"]
    assert "&lt;script&gt;" in reply.content["formatted_body"]


async def test_empty_command_shows_help(h):
    (reply,) = await h.command("")
    assert "`!cop help [command]`" in reply.body


async def test_extra_arguments_get_usage_and_example(h):
    (reply,) = await h.command("ping now please")
    assert "more words" in reply.body
    assert "Usage: `!cop ping`" in reply.body and "Example: `!cop ping`" in reply.body


async def test_oversized_command_is_refused(h):
    (reply,) = await h.command("help " + "x" * 30_000)
    assert "too long" in reply.body


async def test_french_answers(h):
    (reply,) = await h.command("frobnicate", lang="fr")
    assert "Commande inconnue" in reply.body


def _registry(*funcs) -> Registry:
    return Registry([getattr(f, "__copbot_command__") for f in funcs])


async def test_typed_arguments_checks_and_incidents(h, caplog):
    calls = []

    @command("rsvp")
    async def rsvp(ctx, n: int, answer: Literal["yes", "no", "maybe"], *, note: str = ""):
        calls.append((n, answer, note))

    @command("secret", checks=[dm_only])
    async def secret(ctx):
        calls.append("secret")

    @command("boom")
    async def boom(ctx):
        raise RuntimeError("the member wrote: my client Jane Doe")

    h.services.registry = _registry(rsvp, secret, boom)
    cat = h.services.catalogue
    for name in ("rsvp", "secret", "boom"):
        for part in ("help", "usage", "example"):
            for lang in ("en", "fr"):
                cat.entries[lang][f"cmd.{name}.{part}"] = f"{name} {part}"

    await h.command("rsvp 3 YES  see you   there")
    assert calls == [(3, "yes", "see you   there")]

    (bad,) = await h.command("rsvp three yes")
    assert "whole number" in bad.body and "Usage: `!cop rsvp usage`" in bad.body
    (bad,) = await h.command("rsvp 3 perhaps")
    assert "yes | no | maybe" in bad.body
    (missing,) = await h.command("rsvp")
    assert "missing" in missing.body
    assert len(calls) == 1  # nothing ran on bad input

    (refused,) = await h.command("secret", dm=False)
    assert "direct message" in refused.body and "secret" not in calls
    await h.command("secret", dm=True)
    assert "secret" in calls

    caplog.set_level(logging.ERROR)
    (sorry,) = await h.command("boom")
    assert "incident id" in sorry.body
    incident = sorry.body.split("`")[-2]
    assert any(getattr(r, "fields", {}).get("incident") == incident for r in caplog.records)
    assert "Jane Doe" not in sorry.body


async def test_help_lists_only_what_the_caller_may_use(h):
    @command("secret", checks=[dm_only])
    async def secret(ctx):
        pass

    @command("ping")
    async def ping(ctx):
        pass

    h.services.registry = _registry(secret, ping, core.help_)
    for lang in ("en", "fr"):
        for part in ("help", "usage", "example"):
            h.services.catalogue.entries[lang][f"cmd.secret.{part}"] = f"secret {part}"
    (in_room,) = await h.command("help", dm=False)
    assert "`!cop ping`" in in_room.body and "secret" not in in_room.body
    (in_dm,) = await h.command("help", dm=True)
    assert "`!cop secret usage`" in in_dm.body


def test_duplicate_names_are_refused():
    @command("ping")
    async def one(ctx):
        pass

    @command("pong", aliases=("ping",))
    async def two(ctx):
        pass

    with pytest.raises(ValueError):
        _registry(one, two)


def test_multiword_commands_match_longest_name():
    @command("stage")
    async def stage(ctx):
        pass

    @command("stage next")
    async def stage_next(ctx, *, note: str = ""):
        pass

    reg = _registry(stage, stage_next)
    cmd, rest = reg.find("STAGE   next  we are ready")
    assert cmd.name == "stage next" and rest == "we are ready"
    cmd, rest = reg.find("stage")
    assert cmd.name == "stage" and rest == ""


def test_every_real_command_is_in_both_catalogues():
    from bot.i18n import Catalogue

    cat = Catalogue.load()
    for cmd in Registry.discover().commands:
        for lang in ("en", "fr"):
            for part in ("help", "usage", "example"):
                assert cat.entries[lang].get(f"{cmd.key}.{part}"), (lang, cmd.name, part)
