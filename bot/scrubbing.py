"""The identifier scrubber (domain/redact) as members see it: each removed item shown as its
label in their language ([name], [nom]). Every text a member writes goes through here."""

from __future__ import annotations

from bot.i18n import Catalogue
from domain import redact


def scrubbed(catalogue: Catalogue, lang: str, text: str) -> tuple[str, int]:
    """The text as it is stored and shown, and how many items were replaced (which also drops
    the invisible format characters, see redact.normalise). CPU-bound: call it off the loop."""
    found = redact.scrub(text, lang)
    return found.render(lambda kind: "[" + catalogue.plain(lang, f"redact.{kind}") + "]"), len(found.replacements)
