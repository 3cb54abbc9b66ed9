"""Formatted text: a plain body and a sanitized HTML body, kept together.

Catalogue entries use a tiny markup: **bold**, `code`, paragraphs split by
blank lines and list items starting with "- ". Values put into a template
are escaped, never interpreted, so user text can never become HTML.
"""

from __future__ import annotations

import functools
import html
import re
import string
from dataclasses import dataclass

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "table",
                "thead", "tbody", "tr", "th", "td", "h4", "h5", "blockquote", "a", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "span": {"data-mx-color"}}


@dataclass(frozen=True)
class Text:
    """A message made of parts; the sender may split between parts."""

    parts: tuple[tuple[str, str], ...]

    @property
    def plain(self) -> str:
        return "\n\n".join(p for p, _ in self.parts)

    @property
    def html(self) -> str:
        return "".join(h for _, h in self.parts)

    @classmethod
    def of(cls, plain: str, html_: str) -> "Text":
        return cls(((shown(plain), shown(sanitize(html_))),))

    @classmethod
    def escaped(cls, plain: str) -> "Text":
        return cls.of(plain, "<p>" + html.escape(plain).replace("\n", "<br>") + "</p>")

    def __add__(self, other: "Text") -> "Text":
        return Text(self.parts + other.parts)

    @classmethod
    def join(cls, texts: list["Text"]) -> "Text":
        return cls(tuple(part for t in texts for part in t.parts))


# What no message carries: bidirectional embeddings, overrides and isolates (U+202A-E,
# U+2066-9), with which a user's value could reverse the display of the rest of the bot's
# message ("Note: \u202eesolc"), and NUL, which the HTML sanitizer drops (the plain body and
# the HTML would then differ).
_UNSHOWN = dict.fromkeys([0, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_ANY_UNSHOWN = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    # str.translate copies the whole text even when nothing changes; a search is 10x cheaper
    # and almost every text has nothing to drop (bench: `help` renders ~40 of them).
    return text.translate(_UNSHOWN) if _ANY_UNSHOWN.search(text) else text


def sanitize(fragment: str) -> str:
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"https", "http", "mailto"}, link_rel=None)


_CODE = re.compile(r"`([^`\n]+)`")
_TOKEN = re.compile(r"\x00(\d+)\x00")
_BOLD = re.compile(r"\*\*([^*\n]+?)\*\*")


def _inline(escaped: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", _CODE.sub(r"<code>\1</code>", escaped))


def _markup_to_html(source: str) -> str:
    out = []
    for block in re.split(r"\n\s*\n", source.strip()):
        lines = block.split("\n")
        if re.fullmatch(r"\x00\d+\x00", block.strip()):
            out.append(block.strip())  # a lone inserted Text keeps its own block markup
        elif all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(html.escape(line[2:], quote=False))}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append("<p>" + "<br>".join(_inline(html.escape(line, quote=False)) for line in lines) + "</p>")
    return "".join(out)


def _markup_to_plain(source: str) -> str:
    return _BOLD.sub(r"\1", source.strip())


@functools.lru_cache(maxsize=4096)  # bounded by the catalogue's size: templates are never user text
def _compile(template: str) -> tuple[tuple[str, ...], str, str]:
    """A template's field names, and its plain and HTML forms with a token in each field."""
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    tokens = {name: f"\x00{i}\x00" for i, name in enumerate(dict.fromkeys(fields))}
    skeleton = template.format(**tokens)
    return tuple(tokens), _markup_to_plain(skeleton), _markup_to_html(skeleton)


def _value_plain(value: object) -> str:
    return value.plain if isinstance(value, Text) else shown(str(value))


def render(template: str, params: dict[str, object]) -> Text:
    """Fill a markup template. A `Text` value is inserted as is (already safe)."""
    tokens, plain, markup = _compile(template)
    values_plain = [_value_plain(params[name]) for name in tokens]
    values_html = [params[name].html if isinstance(params[name], Text)
                   else html.escape(values_plain[i], quote=False).replace("\n", "<br>")
                   for i, name in enumerate(tokens)]
    # One pass: a value that happens to hold a token ("\x001\x00") is never filled in again.
    plain = _TOKEN.sub(lambda m: values_plain[int(m.group(1))], plain)
    markup = _TOKEN.sub(lambda m: values_html[int(m.group(1))], markup)
    return Text.of(plain, markup)


def render_plain(template: str, params: dict[str, object]) -> str:
    """The plain body `render` would give, without building and sanitizing the HTML."""
    tokens, plain, _ = _compile(template)
    values = [_value_plain(params[name]) for name in tokens]
    return shown(_TOKEN.sub(lambda m: values[int(m.group(1))], plain))
