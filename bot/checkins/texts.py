"""Turning the check-in conversation's (key, params) into messages in the member's language."""

from __future__ import annotations

from typing import Callable

from bot.text import Text
from domain.checkins import ITEMS, SCALE, item_key, scale_key

T = Callable[..., Text]


def scale(t: T) -> str:
    return "\n".join(f"- {'n' if v is None else v}: {t(scale_key(v)).plain}" for v in SCALE)


def items(t: T) -> str:
    return "\n".join(f"{i}. {t(item_key(item)).plain}" for i, item in enumerate(ITEMS, start=1))


def render(t: T, key: str, params: dict) -> Text:
    """Fill the placeholders the domain leaves to the bot: the scale and the items."""
    values = dict(params)
    if "item" in values:
        values["item"] = t(item_key(values["item"])).plain
    if key in ("checkin.intro", "checkin.ask_item"):
        values["scale"] = scale(t)
    if key == "checkin.intro":
        values["items"] = items(t)
    return t(key, **values)
