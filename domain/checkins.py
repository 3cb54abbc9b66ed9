"""Practice-impact check-ins between workshops (issue 7, shared/domain.md §6), free of Matrix.

Items and scale are stable codes; their wording lives in the message catalogue
(checkin.item.<id>, checkin.scale.<code>). Answers are stored as 4 (to a large extent)
down to 1 (not at all), so a higher mean is a bigger impact, and None for not applicable.

The DM conversation is a pure state machine: step(draft, text, scrub=...) returns the
next draft, a catalogue key and its params. The bot renders the reply and, once the
draft is done, stores it. Nothing here stores anything or sees a user id.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.dialog import Reply, correction, word_of
from domain.errors import InputError
from domain.prompts import DEFAULT_HOURS, PostingHours, next_allowed
from domain.tags import TAGS, GROUPS, is_tag, normalise
from domain.workshops import localize

# Meaningful slugs rather than i1..i5: they appear in the database and in summaries.
ITEMS = ("practice", "safety", "cooperation", "continuity", "partners")
SCALE = (4, 3, 2, 1, None)  # the order the scale is shown in, as domain.md lists it
NA = None
MAX_TEXT = 2000
MAX_TAGS = 3
DAYS_AFTER_WORKSHOP = 14
REMINDER_DAYS = 5
STEADY_BAND = 0.25  # a mean moving less than a quarter of a scale point is "steady"

# Steps of a draft.
REPLACE, ITEMS_STEP, TEXT, TAGS_STEP, CONSENT, DONE, CANCELLED = (
    "replace", "items", "text", "tags", "consent", "done", "cancelled")

_NA_WORDS = {"n", "na", "n/a", "n.a", "s.o", "so", "s/o"}
_NA_PHRASE = re.compile(r"sans objet|not applicable|non applicable|ne s['’]applique pas")
_SKIP = {"skip", "pass", "passer", "none", "aucun", "aucune", "rien", "no", "non", "-"}
_CANCEL = {"cancel", "annuler"}
_YES = {"yes", "y", "oui", "o", "ok", "sure", "d'accord", "d’accord"}
_NO = {"no", "n", "non"} | _SKIP
_LIST = {"tags", "list", "liste", "étiquettes", "etiquettes", "?"}


class CheckinError(InputError):
    """An answer that cannot be used."""


def item_key(item_id: str) -> str:
    return f"checkin.item.{item_id}"


def scale_key(value: int | None) -> str:
    return "checkin.scale.na" if value is None else f"checkin.scale.{value}"


# --- parsing -------------------------------------------------------------------------------

def _value(token: str, position: int) -> int | None:
    word = token.rstrip(".")
    if word in ("1", "2", "3", "4"):
        return int(word)
    if word in _NA_WORDS:
        return NA
    raise CheckinError("checkin.bad_value", value=token[:20], position=position)


def _values(text: str) -> tuple[int | None, ...]:
    # Multi-word "not applicable" phrases become one token before splitting on spaces and commas.
    s = _NA_PHRASE.sub("na", text.strip().lower())
    tokens = [t for t in re.split(r"[\s,;]+", s) if t]
    if not tokens:
        raise CheckinError("checkin.empty")
    return tuple(_value(t, i) for i, t in enumerate(tokens, 1))


def parse_all(text: str) -> tuple[int | None, ...]:
    """'4 3 3 1 n' or '4,3,3,1,n/a' -> (4, 3, 3, 1, None): exactly one value per item."""
    values = _values(text)
    if len(values) < len(ITEMS):
        raise CheckinError("checkin.too_few", count=len(values), expected=len(ITEMS))
    if len(values) > len(ITEMS):
        raise CheckinError("checkin.too_many", count=len(values), expected=len(ITEMS))
    return values


def parse_one(text: str) -> int | None:
    """One item's answer: '3' -> 3, 'n/a' or 'sans objet' -> None."""
    values = _values(text)
    if len(values) != 1:
        raise CheckinError("checkin.one_value", count=len(values))
    return values[0]


def parse_tags(text: str) -> tuple[str, ...]:
    """'#collab.risk, self_care' -> ('collab.risk', 'reflexive.self_care'). A name without its
    family is accepted when only one tag ends with it, so members need not learn the prefixes."""
    names: list[str] = []
    for word in re.split(r"[\s,;]+", text.strip()):
        name = normalise(word)
        if not name:
            continue
        if not is_tag(name):
            matches = [t for t in TAGS if t.split(".", 1)[1] == name]
            if len(matches) != 1:
                raise CheckinError("checkin.bad_tag", value=name[:40])
            name = matches[0]
        if name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise CheckinError("checkin.too_many_tags", limit=MAX_TAGS)
    return tuple(names)


def tag_listing() -> str:
    """Every tag as #id, one line per framework area: language-neutral, for checkin.tag_list."""
    return "\n".join(" ".join(f"#{t.id}" for t in TAGS.values() if t.group == g) for g in GROUPS)


# --- the conversation ----------------------------------------------------------------------

@dataclass(frozen=True)
class Draft:
    """One member's check-in in progress. When step is DONE the bot stores these fields;
    `text` is only ever the scrubbed version."""
    period: int
    step: str = ITEMS_STEP
    answers: tuple[int | None, ...] = ()  # in ITEMS order; as long as the items answered so far
    text: str | None = None
    tags: tuple[str, ...] = ()
    consent: bool = False  # quoting needs an explicit yes

    @property
    def finished(self) -> bool:
        return self.step in (DONE, CANCELLED)


_Move = tuple[Draft, str, dict]  # what a step returns; step() makes it a Reply


def start(period: int, *, replacing: bool = False) -> Reply:
    """A new check-in for `period` (see period_of). With `replacing`, the member already has
    one this period and is asked first. Raises CheckinError('checkin.no_workshop') in period 0:
    the first item asks what changed since the last workshop."""
    if period < 1:
        raise CheckinError("checkin.no_workshop")
    if replacing:
        return Reply(Draft(period, REPLACE), "checkin.replace_ask", {"period": period})
    return Reply(Draft(period), "checkin.intro", {"period": period, "total": len(ITEMS)})


def takes_text(draft: Draft) -> bool:
    """The step where anything the member writes is the story itself."""
    return draft.step == TEXT


def step(draft: Draft, text: str, *, scrub: Callable[[str], str]) -> Reply:
    """The member's next message. Invalid input returns the same draft with the correction's
    key, so nothing moves on. `scrub` turns free text into its stored version; it is applied
    here so the draft never holds the raw story."""
    word = word_of(text)
    if draft.finished:
        raise ValueError("the check-in is already finished")
    if word in _CANCEL:
        return Reply(replace(draft, step=CANCELLED), "checkin.cancelled")
    try:
        return Reply(*_STEPS[draft.step](draft, text, word, scrub))
    except CheckinError as err:
        return correction(draft, err.key, err.params)


def _on_replace(draft: Draft, text: str, word: str, scrub) -> _Move:
    if word in _YES:
        return replace(draft, step=ITEMS_STEP), "checkin.intro", {"period": draft.period, "total": len(ITEMS)}
    if word in _NO:
        return replace(draft, step=CANCELLED), "checkin.kept_earlier", {}
    raise CheckinError("checkin.yes_or_no")


def _on_items(draft: Draft, text: str, word: str, scrub) -> _Move:
    # The first message decides the mode: one value goes item by item, else all at once.
    if not draft.answers and len(_values(text)) > 1:
        return _ask_text(replace(draft, answers=parse_all(text)))
    answers = draft.answers + (parse_one(text),)
    if len(answers) < len(ITEMS):
        number = len(answers) + 1
        return (replace(draft, answers=answers), "checkin.ask_item",
                {"number": number, "total": len(ITEMS), "item": ITEMS[number - 1]})
    return _ask_text(replace(draft, answers=answers))


def _ask_text(draft: Draft) -> _Move:
    return replace(draft, step=TEXT), "checkin.ask_text", {"limit": MAX_TEXT}


def _on_text(draft: Draft, text: str, word: str, scrub) -> _Move:
    if word in _SKIP:
        return replace(draft, step=TAGS_STEP), "checkin.ask_tags", {"limit": MAX_TAGS}
    story = text.strip()
    if not story:
        raise CheckinError("checkin.empty")
    if len(story) > MAX_TEXT:
        raise CheckinError("checkin.text_too_long", limit=MAX_TEXT, length=len(story))
    kept = scrub(story)
    return replace(draft, step=TAGS_STEP, text=kept), "checkin.ask_tags_kept", {"text": kept, "limit": MAX_TAGS}


def _on_tags(draft: Draft, text: str, word: str, scrub) -> _Move:
    if word in _LIST:
        return draft, "checkin.tag_list", {"tags": tag_listing(), "limit": MAX_TAGS}
    tags = () if word in _SKIP else parse_tags(text)
    if not tags and word not in _SKIP:  # only separators, like ","
        raise CheckinError("checkin.empty")
    if draft.text is None:  # no story, nothing to quote: consent stays no
        return _done(replace(draft, tags=tags))
    return replace(draft, step=CONSENT, tags=tags), "checkin.ask_consent", {}


def _on_consent(draft: Draft, text: str, word: str, scrub) -> _Move:
    if word in _YES:
        return _done(replace(draft, consent=True))
    if word in _NO:
        return _done(replace(draft, consent=False))
    raise CheckinError("checkin.yes_or_no")


def _done(draft: Draft) -> _Move:
    draft = replace(draft, step=DONE)
    key = "checkin.saved_quotable" if draft.consent else "checkin.saved"
    return draft, key, {"answered": sum(a is not None for a in draft.answers), "total": len(ITEMS)}


_STEPS = {REPLACE: _on_replace, ITEMS_STEP: _on_items, TEXT: _on_text, TAGS_STEP: _on_tags,
          CONSENT: _on_consent}


# --- periods and timing --------------------------------------------------------------------

def period_of(workshop_starts: Iterable[datetime], at: datetime) -> int:
    """How many workshops have started at `at`: 0 before the first, n from the start of
    workshop n until the start of workshop n+1. Pass held workshops only, not cancelled ones."""
    return bisect_right(sorted(workshop_starts), at)


def _wall_clock_later(at: datetime, days: int, tz: ZoneInfo | None) -> datetime:
    # Days on the wall clock: a 10:00 workshop is followed up at 10:00, DST or not.
    tz = tz or at.tzinfo
    if not isinstance(tz, ZoneInfo):
        raise ValueError("need an IANA timezone: pass tz or an aware datetime in a ZoneInfo zone")
    return localize(at.astimezone(tz).replace(tzinfo=None) + timedelta(days=days), tz).start


def invitation_due(workshop_start: datetime, days_after: int = DAYS_AFTER_WORKSHOP,
                   tz: ZoneInfo | None = None) -> datetime:
    """`days_after` days after a workshop starts, same wall-clock time, before posting hours."""
    return _wall_clock_later(workshop_start, days_after, tz)


def reminder_due(invited_at: datetime, days: int = REMINDER_DAYS, tz: ZoneInfo | None = None) -> datetime:
    """The one reminder, `days` days after the invitation went out, before posting hours."""
    return _wall_clock_later(invited_at, days, tz)


def send_time(due: datetime, tz: ZoneInfo, hours: PostingHours = DEFAULT_HOURS,
              busy: Iterable[tuple[datetime, datetime]] = (),
              next_workshop: datetime | None = None) -> datetime | None:
    """When to send something due at `due`: the first moment in posting hours, outside any
    busy interval. None when that falls at or after `next_workshop`: the period it asks
    about has ended, and the next workshop brings its own invitation."""
    at = next_allowed(due, tz, hours, busy)
    return None if next_workshop is not None and at >= next_workshop else at


# --- trend ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodMean:
    period: int
    mean: float | None  # None when every answer was not applicable
    n: int              # valid answers behind the mean


@dataclass(frozen=True)
class Trend:
    points: tuple[PeriodMean, ...]  # by period
    direction: str | None           # "up", "down", "steady"; None with fewer than two means


def trend(checkins: Iterable[tuple[int, Sequence[int | None]]]) -> Trend:
    """Per-period mean of a member's valid answers, and the direction from the first period
    with a mean to the last: the question is how practice moved over the whole series."""
    by_period: dict[int, list[int]] = {}
    for period, answers in checkins:
        by_period.setdefault(period, []).extend(a for a in answers if a is not None)
    points = tuple(PeriodMean(p, sum(v) / len(v) if v else None, len(v)) for p, v in sorted(by_period.items()))
    means = [p.mean for p in points if p.mean is not None]
    if len(means) < 2:
        return Trend(points, None)
    change = means[-1] - means[0]
    direction = "steady" if abs(change) < STEADY_BAND else "up" if change > 0 else "down"
    return Trend(points, direction)
