"""The one sending helper and the catalogue's rendering."""

from __future__ import annotations

import json

import pytest

from bot.i18n import LANGUAGES, Catalogue, placeholders
from bot.sender import SendError, Sender
from bot.text import Text, render
from tests.fakes import FakeClient, _Err


async def _no_sleep(_s):
    return None


async def test_long_output_is_split_under_the_event_limit():
    client = FakeClient()
    parts = [Text.escaped(f"line {i} " + "é" * 900) for i in range(200)]  # ~360 KB of text
    ids = await Sender(client, sleep=_no_sleep).send("!r", Text.join(parts))
    assert len(ids) == len(client.sent) > 1
    for sent in client.sent:
        assert len(json.dumps(sent.content).encode()) < 64 * 1024
    joined = "\n\n".join(s.body for s in client.sent)
    assert all(f"line {i} " in joined for i in range(200))


async def test_one_huge_paragraph_is_cut_too():
    client = FakeClient()
    await Sender(client, sleep=_no_sleep).send("!r", Text.escaped("<" * 150_000))
    assert len(client.sent) > 1
    assert sum(s.body.count("<") for s in client.sent) == 150_000
    assert all("<<" not in s.content["formatted_body"] for s in client.sent)


async def test_rate_limit_is_waited_out_with_the_same_transaction_id():
    client = FakeClient(failures=[_Err("M_LIMIT_EXCEEDED", 1500), _Err("M_LIMIT_EXCEEDED", None)])
    waits = []

    async def sleep(s):
        waits.append(s)

    await Sender(client, sleep=sleep).send("!r", Text.escaped("hello"))
    assert waits == [1.5, 2.0]
    assert len(client.sent) == 1
    assert len(set(client.tx_ids)) == 1  # retries reuse the transaction id: no double post


async def test_other_errors_are_raised_not_swallowed():
    client = FakeClient(failures=[_Err("M_FORBIDDEN")])
    with pytest.raises(SendError, match="M_FORBIDDEN"):
        await Sender(client, sleep=_no_sleep).send("!r", Text.escaped("hello"))


async def test_thread_and_mentions_content():
    client = FakeClient()
    await Sender(client, sleep=_no_sleep).send("!r", Text.escaped("x"), thread_root="$root",
                                               msgtype="m.text")
    content = client.sent[0].content
    assert content["msgtype"] == "m.text" and content["m.mentions"] == {}
    assert content["m.relates_to"]["rel_type"] == "m.thread"
    assert content["m.relates_to"]["event_id"] == "$root"


def test_render_escapes_values_and_formats_markup():
    text = render("Hello **{name}**, try `{cmd}`.\n\n- one\n- two", {"name": "<img src=x onerror=1>", "cmd": "!cop help"})
    assert text.plain.startswith("Hello <img src=x onerror=1>, try `!cop help`.")
    assert "<strong>&lt;img src=x onerror=1&gt;</strong>" in text.html
    assert "<code>!cop help</code>" in text.html and "<ul><li>one</li><li>two</li></ul>" in text.html


def test_sanitizer_removes_dangerous_html():
    text = Text.of("x", '<p onclick="evil()">hi<script>bad()</script><a href="javascript:x">l</a></p>')
    assert "script" not in text.html and "onclick" not in text.html and "javascript" not in text.html


def test_catalogue_languages_match():
    cat = Catalogue.load()
    en = cat.entries["en"]
    for lang in LANGUAGES:
        assert set(cat.entries[lang]) == set(en), lang
        for key, template in cat.entries[lang].items():
            assert placeholders(template) == placeholders(en[key]), (lang, key)
            render(template, {p: "v" for p in placeholders(template)})  # every entry renders


def test_every_message_is_padded_to_a_size_bucket():
    """The homeserver sees an encrypted event's length: only its bucket may show."""
    import json

    from bot.sender import PAD_BUCKETS, PAD_KEY, _content, padded

    sizes = set()
    for n in (1, 10, 100, 250, 400):
        content = padded(_content("x" * n, "<p>" + "x" * n + "</p>", "m.notice", None, None, None))
        sizes.add(len(json.dumps(content, separators=(",", ":"))))
        assert content["body"] == "x" * n and PAD_KEY in content
    assert sizes == {PAD_BUCKETS[0]}  # five lengths, one size
    long_ = padded(_content("é" * 700, "<p>" + "é" * 700 + "</p>", "m.notice", None, None, None))
    # é travels as \u00e9 (6 bytes): 2 x 700 of them make 8,400+ bytes, padded to 16,384
    assert len(json.dumps(long_, separators=(",", ":"))) == PAD_BUCKETS[4]
