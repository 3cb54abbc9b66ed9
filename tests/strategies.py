"""Hypothesis strategies for hostile chat input (tests/test_fuzz.py).

Every strategy mixes three things: characters nobody would type (random
Unicode, control and format characters), known attack strings (HTML and
Markdown injection, zero-width characters, right-to-left overrides, spoofed
mentions) and the words the commands really take (numbers, dates, on/off,
user ids, slugs, #tags), so that argument parsing is reached, not only the
first rejection.
"""

from __future__ import annotations

from hypothesis import strategies as st

HUGE = 100_000  # characters: "texts of 100 KB"
BIG = 19_900  # just under bot.framework.MAX_COMMAND_CHARS, with room for the command's name

HTML_INJECTION = (
    "<script>alert('xss-script')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">xss-link</a>',
    '<a href="https://evil.example/phish">xss-a</a>',
    '<iframe src="https://evil.example/frame"></iframe>',
    "<em>xss-em</em>",
    "<strong>xss-strong</strong>",
    '<span data-mx-color="#ff0000" onclick="evil()">xss-span</span>',
    "<svg onload=alert(1)>",
    '<p style="background:url(https://evil.example/t.png)">xss-p</p>',
    "<mx-reply><blockquote>forged quote</blockquote></mx-reply>",
    "<!-- xss-comment -->",
    "</p></ul></code><h1>xss-h1</h1>",
    "&lt;script&gt;",
    "&#x3C;script&#x3E;",
    "<![CDATA[xss]]>",
    "<",
    ">",
    "&",
    '"',
    "'",
)

MARKDOWN_INJECTION = (
    "[click me](javascript:alert(1))",
    "![](http://tracker.evil.example/pixel.png)",
    "[xss-md](https://evil.example/)",
    "**bold**",
    "`code`",
    "```\nfenced\n```",
    "# heading",
    "> quoted",
    "- item",
    "<https://evil.example/auto>",
    "*",
    "_",
    "~~strike~~",
    "|a|b|\n|-|-|",
)

INVISIBLE = (
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte-order mark
    "\u00ad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u202a", "\u202b", "\u202c", "\u202d",
    "\u202e",  # right-to-left override
    "\u2066", "\u2067", "\u2068", "\u2069",  # isolates
    "\u034f",  # combining grapheme joiner
    "\u0000", "\u0007", "\u001b[31m", "\r", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029",
    "\u3000",  # ideographic space
    "\u00a0",  # no-break space
)

MENTIONS = (
    "@room",
    "@everyone",
    "@fac:test",
    "@copbot:test",
    "@victim:evil.example",
    '<a href="https://matrix.to/#/@victim:evil.example">Victim</a>',
    '<a href="https://matrix.to/#/!room:test">the room</a>',
    "https://matrix.to/#/@victim:evil.example",
)

# The words commands take, so that random lines reach the deeper parsers.
TOKENS = (
    "0", "1", "2", "3", "5", "-1", "20", "21", "999999999", "9999999999", "٣", "¹", "1.5", "1e3", "0x10",
    "2027-02-02", "2027-01-19", "2026-13-40", "2027-02-30", "0000-00-00", "10:00", "25:61", "09:00-17:00",
    "every", "weeks", "week", "count", "duration", "confirm", "rrule", "FREQ=WEEKLY;COUNT=5",
    "FREQ=SECONDLY;COUNT=100000", "FREQ=DAILY;UNTIL=99991231",
    "yes", "no", "maybe", "on", "off", "oui", "non", "en", "fr", "de",
    "facilitator", "coordinator", "member", "@bob:test", "@ann:test", "@nobody", "@:", "@a:b:c",
    "north-circle", "--cop", "--from", "#IPV", "#custody", "#notatag", "#", "##",
    "P1", "C4", "X1", "X999999", "c1", "i1", "i99999999999999",
    "potential", "coalescing", "maturing", "stewardship", "transformation",
    "America/Toronto", "Europe/Paris", "../../etc/passwd", "UTC",
    "7d", "1d", "1h", "30s", "0s", "days", "days?", "minutes", "5-10", "10-5", "0-0", "1-99999",
    "workshop", "series", "since", "csv", "chart", "history", "next", "set", "default", "here", "none",
    "move", "cancel", "topic", "link", "stage", "add",
    "https://example.org/meet", "javascript:alert(1)", "mailto:x@y.z", "data:text/html,<b>x</b>",
    "{0}", "{name}", "{{", "}}", "%s", "\\", "\x00 0\x00", "\x000\x00", "\x001\x00",
    "tags", "skip", "?", "help", "send", "edit", "!cop", "!COP",
)

ATTACKS = HTML_INJECTION + MARKDOWN_INJECTION + INVISIBLE + MENTIONS


def words() -> st.SearchStrategy[str]:
    """One "word": a command word, an attack string, or random Unicode (no surrogates)."""
    return st.one_of(
        st.sampled_from(TOKENS),
        st.sampled_from(ATTACKS),
        st.text(max_size=12),
        st.text(alphabet=st.characters(codec="utf-8", categories=["Cf", "Zs", "Cc", "Mn", "So"]),
                max_size=4),
    )


def _join(parts: list[str], glue: list[str]) -> str:
    out = []
    for i, part in enumerate(parts):
        out.append(part)
        if i < len(parts) - 1:
            out.append(glue[i % len(glue)])
    return "".join(out)


def lines(max_words: int = 8) -> st.SearchStrategy[str]:
    """A line of a few words, mostly separated by spaces, sometimes by odd whitespace."""
    return st.builds(_join, st.lists(words(), max_size=max_words),
                     st.lists(st.sampled_from((" ", " ", " ", "  ", "\n", "\t", "\u00a0", "")), min_size=1,
                              max_size=3))


def huge(size: int = HUGE) -> st.SearchStrategy[str]:
    """`size` characters (100 KB by default): one hostile unit repeated, so the whole text shares
    its worst case (astral characters and escapes make the JSON up to 12 bytes a character)."""
    unit = st.one_of(st.sampled_from(ATTACKS + TOKENS), lines(3).filter(bool), st.text(min_size=1, max_size=30))
    sep = st.sampled_from(("", " ", "\n", "-"))
    return st.builds(lambda u, s: ((u + s) * (size // max(1, len(u + s)) + 1))[:size], unit, sep)


def arguments() -> st.SearchStrategy[str]:
    """What follows a command name: usually a short hostile line, now and then 100 KB, or just
    under the dispatcher's 20,000-character limit so that the command itself gets it."""
    return st.one_of(lines(), lines(), lines(), huge(), huge(BIG))


def free_text() -> st.SearchStrategy[str]:
    """A free-text answer (a consultation request, a check-in story): longer, with sentences."""
    sentence = st.sampled_from((
        "My client Marie Tremblay called 514 555-0199 from the shelter on rue Ontario.",
        "Le père a menacé les enfants devant l'école Saint-Jean le 3 mars.",
        "We disagree about reporting to child protection. #custody #IPV",
        "acorn-tidal-bravado-sprout",
    ))
    return st.one_of(lines(12), st.builds(_join, st.lists(st.one_of(sentence, words()), max_size=10),
                                          st.just([" "])), huge(), huge(BIG))
