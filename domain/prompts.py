"""Reflective prompts (issue 6), free of Matrix: the library, custom prompts, selection,
posting hours and cadence. Everything takes and returns plain values.

Ids. Library prompts are a stage initial and a number (P1…P6, C1…, M1…, S1…, T1…);
adding a prompt takes the next free number and an id is never reused, because posting
history and engagement counts refer to it. Custom prompts, made by one community, are
"X" and a number: X is no stage initial, so they can never collide with the library.
A community numbers its own X ids from 1 and never reuses one (see next_custom_id).

Times. Posting hours and cadences are wall-clock times in the community's IANA zone:
they are computed on naive local datetimes and only then made aware (domain.workshops
.localize), so "09:00" stays 09:00 across daylight-saving changes.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, rrule

from domain.errors import InputError
from domain.stages import STAGES
from domain.tags import is_tag, normalise
from domain.workshops import localize

LANGS = {"en": "English", "fr": "French"}  # every library prompt has all of them
MAX_TAGS = 2
MAX_CUSTOM_LENGTH = 1000
DAYS_AFTER_WORKSHOP = 3  # default cadence: see default_times

_LIBRARY_ID = re.compile(r"[PCMST][1-9][0-9]{0,2}")
_CUSTOM_ID = re.compile(r"X[1-9][0-9]{0,5}")
_ID_ORDER = "PCMSTX"  # stage order, then custom prompts: the tie-break order of choose()
_KEYS = {"id", "stage", "tags", *LANGS}


class LibraryError(Exception):
    """The shipped library is broken; `problems` lists each one as 'file, entry: what'."""

    def __init__(self, folder: object, problems: list[str]):
        self.problems = problems
        super().__init__(f"prompt library in {folder}: {len(problems)} problem(s)\n"
                         + "\n".join(f"  {p}" for p in problems))


class PromptError(InputError):
    """A facilitator's input that cannot be used."""


@dataclass(frozen=True)
class Prompt:
    id: str
    stage: str
    tags: tuple[str, ...]
    texts: dict[str, str] = field(hash=False)  # lang -> text; a custom prompt has only one
    custom: bool = False

    def text(self, lang: str) -> str:
        """The text to post in a community speaking `lang`: a custom prompt is posted as written."""
        return self.texts.get(lang) or next(iter(self.texts.values()))


@dataclass(frozen=True)
class Library:
    prompts: tuple[Prompt, ...]  # in id order

    def __iter__(self):
        return iter(self.prompts)

    def __len__(self) -> int:
        return len(self.prompts)

    def get(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)

    def for_stage(self, stage: str) -> tuple[Prompt, ...]:
        return tuple(p for p in self.prompts if p.stage == stage)


def id_key(prompt_id: str) -> tuple[int, int, str]:
    """Sort key: P1 < P2 < P10 < C1 < … < T6 < X1."""
    number = prompt_id[1:]
    return _ID_ORDER.find(prompt_id[:1]), int(number) if number.isdigit() else 0, prompt_id


# --- the library -------------------------------------------------------------------------

def load_library(folder: object = None) -> Library:
    """Every *.toml file in `folder` (default: the shipped prompts/), validated.

    Raises LibraryError listing every problem, each naming its file and entry, so one
    start-up shows everything an editor has to fix.
    """
    if folder is None:
        from prompts import FOLDER as folder
    folder = Path(folder) if isinstance(folder, str) else folder
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    problems = [] if files else ["no *.toml files"]
    first_seen: dict[str, str] = {}
    found: list[Prompt] = []
    for f in files:
        try:
            data = tomllib.loads(f.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            problems.append(f"{f.name}: invalid TOML: {err}")
            continue
        problems += [f"{f.name}: unknown key {k!r} (prompts go in [[prompt]] entries)"
                     for k in sorted(data.keys() - {"prompt"})]
        entries = data.get("prompt")
        if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
            problems.append(f"{f.name}: no [[prompt]] entries")
            continue
        for index, entry in enumerate(entries, 1):
            pid = entry.get("id")
            where = f"{f.name}, entry {index}" + (f" ({pid})" if isinstance(pid, str) and pid else "")
            errors = _entry_problems(entry)
            if isinstance(pid, str) and pid:
                if pid in first_seen:
                    errors.append(f"duplicate id {pid}, first in {first_seen[pid]}")
                first_seen.setdefault(pid, where)
            problems += [f"{where}: {e}" for e in errors]
            if not errors:
                texts = {lang: entry[lang] for lang in LANGS}
                found.append(Prompt(pid, entry["stage"], tuple(entry["tags"]), texts))
    if problems:
        raise LibraryError(folder, problems)
    return Library(tuple(sorted(found, key=lambda p: id_key(p.id))))


def _entry_problems(entry: dict) -> list[str]:
    out = [f"unknown key {k!r}" for k in sorted(entry.keys() - _KEYS)]
    pid, stage, tags = entry.get("id"), entry.get("stage"), entry.get("tags")
    if pid is None:
        out.append("missing id")
    elif not isinstance(pid, str) or not _LIBRARY_ID.fullmatch(pid):
        out.append(f"bad id {pid!r}: a stage initial (P, C, M, S, T) and a number, like C3")
    if stage is None:
        out.append("missing stage")
    elif stage not in STAGES:
        out.append(f"unknown stage {stage!r} (one of {', '.join(STAGES)})")
    elif isinstance(pid, str) and _LIBRARY_ID.fullmatch(pid) and pid[0] != stage[0].upper():
        out.append(f"bad id {pid}: a {stage} prompt's id starts with {stage[0].upper()}")
    if tags is None:
        out.append("missing tags")
    elif not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        out.append("tags must be a list of tag names")
    else:
        if not 1 <= len(tags) <= MAX_TAGS:
            out.append(f"{len(tags)} tags: give one or two")
        out += [f"unknown tag {t!r}" for t in tags if not is_tag(t)]
        out += [f"tag {t!r} given twice" for t in sorted({t for t in tags if tags.count(t) > 1})]
    for lang, name in LANGS.items():
        text = entry.get(lang)
        if text is None:
            out.append(f"missing {name} text ({lang})")
        elif not isinstance(text, str):
            out.append(f"{name} text ({lang}) must be a string")
        elif not text.strip():
            out.append(f"empty {name} text ({lang})")
    return out


# --- custom prompts ----------------------------------------------------------------------

def is_custom_id(prompt_id: str) -> bool:
    return bool(_CUSTOM_ID.fullmatch(prompt_id))


def next_custom_id(ever_used: Iterable[str]) -> str:
    """The next X id for a community, given every id it has used (its custom prompts,
    removed ones included, and its posting history): one more than the highest, so a
    removed prompt's id never comes back to mean something else."""
    return f"X{max((int(i[1:]) for i in ever_used if is_custom_id(i)), default=0) + 1}"


_TRAILING_TAG = re.compile(r"(?:^|\s)#(\S+)\s*$")


def split_tags(text: str) -> tuple[str, tuple[str, ...]]:
    """'What restores you? #reflexive.self_care' -> ('What restores you?', ('reflexive.self_care',)).

    Only trailing #words are tags, so a '#' inside the question stays text."""
    rest, tags = text.strip(), []
    while match := _TRAILING_TAG.search(rest):
        tags.insert(0, match.group(1))
        rest = rest[:match.start()].rstrip()
    return rest, tuple(tags)


def custom_prompt(prompt_id: str, stage: str, text: str, tags: Iterable[str] = (), lang: str = "und") -> Prompt:
    """A community's own prompt, in the one language it was written in (`lang`, "und" if unknown).

    Tags are optional here (zero to two): facilitators should not have to learn the framework
    to ask a question. Raises PromptError for input a facilitator must fix."""
    if not is_custom_id(prompt_id):
        raise ValueError(f"not a custom prompt id: {prompt_id!r}")
    if stage not in STAGES:
        raise PromptError("prompt.bad_stage", value=stage[:30])
    text = text.strip()
    if not text:
        raise PromptError("prompt.empty")
    if len(text) > MAX_CUSTOM_LENGTH:
        raise PromptError("prompt.too_long", limit=MAX_CUSTOM_LENGTH)
    names = tuple(dict.fromkeys(normalise(t) for t in tags))
    for name in names:
        if not is_tag(name):
            raise PromptError("prompt.bad_tag", value=name[:40])
    if len(names) > MAX_TAGS:
        raise PromptError("prompt.too_many_tags", limit=MAX_TAGS)
    return Prompt(prompt_id, stage, names, {lang: text}, custom=True)


# --- selection ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Posted:
    """One prompt posted in a community. Its tags are kept with the post, so a custom prompt
    removed since still counts in the tag balance."""
    prompt_id: str
    at: datetime
    tags: tuple[str, ...] = ()


def last_posted(history: Iterable[Posted]) -> dict[str, datetime]:
    """prompt id -> when it was last posted, for listings."""
    out: dict[str, datetime] = {}
    for post in history:
        out[post.prompt_id] = max(post.at, out.get(post.prompt_id, post.at))
    return out


def choose(prompts: Sequence[Prompt], history: Iterable[Posted]) -> Prompt | None:
    """The next prompt among `prompts` (the current stage's, library and custom) for a
    community whose posts so far are `history` (all stages). None if there are no prompts.

    1. Rounds: replaying the history of these prompts, a round ends once each has been
       posted; prompts posted in the current round are out. Posts of other stages do not
       touch the round, so a round survives stage changes back and forth.
    2. When a round starts over, the last prompt posted is out too, so none follows itself.
    3. Tag balance: prefer the lowest mean count, over the whole history, of the prompt's
       tags; then the one touching the least-posted tag. An untagged prompt counts 0.
    4. Then id order (P1 < P2 < … < X1), so the choice is deterministic.
    """
    if not prompts:
        return None
    ids = {p.id for p in prompts}
    past = sorted(history, key=lambda post: post.at)
    used: set[str] = set()
    last = None
    for post in past:
        if post.prompt_id in ids:
            used.add(post.prompt_id)
            last = post.prompt_id
            if ids <= used:
                used = set()
    fresh = [p for p in prompts if p.id not in used]
    if len(fresh) > 1:
        fresh = [p for p in fresh if p.id != last]
    counts = Counter(tag for post in past for tag in post.tags)

    def balance(p: Prompt) -> tuple:
        seen = [counts[t] for t in p.tags] or [0]
        return Fraction(sum(seen), len(seen)), min(seen), id_key(p.id)

    return min(fresh, key=balance)


# --- posting hours -----------------------------------------------------------------------

WEEKDAYS = frozenset(range(5))  # Monday = 0, as datetime.weekday()
EVERY_DAY = frozenset(range(7))
_DAY_NAMES = (("monday", "lundi"), ("tuesday", "mardi"), ("wednesday", "mercredi"), ("thursday", "jeudi"),
              ("friday", "vendredi"), ("saturday", "samedi"), ("sunday", "dimanche"))
_DAY_SETS = {"weekdays": WEEKDAYS, "weekday": WEEKDAYS, "semaine": WEEKDAYS, "en semaine": WEEKDAYS,
             "every day": EVERY_DAY, "everyday": EVERY_DAY, "daily": EVERY_DAY, "all days": EVERY_DAY,
             "tous les jours": EVERY_DAY, "chaque jour": EVERY_DAY,
             "weekends": frozenset({5, 6}), "weekend": frozenset({5, 6}),
             "fin de semaine": frozenset({5, 6}), "fins de semaine": frozenset({5, 6})}
_CLOCK = r"(\d{1,2})(?:[:h](\d{2}))?h?"
_SPAN = re.compile(rf"(?<![\d:]){_CLOCK}\s*(?:-|to|à)\s*{_CLOCK}(?![\d:])")


@dataclass(frozen=True)
class PostingHours:
    """When prompts may be posted: these weekdays, from start (included) to end (excluded),
    local wall-clock time. A window does not cross midnight."""
    days: frozenset[int] = WEEKDAYS
    start: time = time(9, 0)
    end: time = time(17, 0)

    def __post_init__(self):
        object.__setattr__(self, "days", frozenset(self.days))  # a set passed in stays hashable
        if not self.days or not self.days <= EVERY_DAY or self.start >= self.end:
            raise PromptError("prompt.bad_hours", value=f"{self.start:%H:%M}-{self.end:%H:%M}")

    def contains(self, wall: datetime) -> bool:
        return wall.weekday() in self.days and self.start <= wall.time() < self.end

    def __str__(self) -> str:
        """Canonical form, which parse_hours reads back: 'mon-fri 09:00-17:00'."""
        if self.days == EVERY_DAY:
            days = "every day"
        else:
            runs: list[list[int]] = []
            for d in sorted(self.days):
                if runs and runs[-1][-1] == d - 1:
                    runs[-1].append(d)
                else:
                    runs.append([d])
            name = [n[:3] for n, _ in _DAY_NAMES]
            days = ",".join(name[r[0]] if len(r) == 1 else f"{name[r[0]]}-{name[r[-1]]}" for r in runs)
        return f"{days} {self.start:%H:%M}-{self.end:%H:%M}"


DEFAULT_HOURS = PostingHours()


def parse_hours(text: str) -> PostingHours:
    """A facilitator's posting hours, English or French: 'mon-fri 09:00-17:00',
    'weekdays 9:00-17:00', 'every day 08:30-20:00', 'lun-ven 9h-17h', 'mon,wed,fri 10:00-12:00'.
    Without days, weekdays. Raises PromptError('prompt.bad_hours')."""
    s = " ".join(text.lower().replace("–", "-").split())
    span = _SPAN.search(s)
    if not span:
        raise PromptError("prompt.bad_hours", value=text[:40])
    try:
        start = time(int(span[1]), int(span[2] or 0))
        end = time(int(span[3]), int(span[4] or 0))
    except ValueError:  # 25:00
        raise PromptError("prompt.bad_hours", value=text[:40]) from None
    rest = (s[:span.start()] + " " + s[span.end():]).strip()
    days = _parse_days(rest) if rest else WEEKDAYS
    if days is None:
        raise PromptError("prompt.bad_hours", value=text[:40])
    return PostingHours(days, start, end)


def _day(word: str) -> int | None:
    # Three letters at least, a prefix of an English or French name: mon, tues, jeu, vendredi.
    for number, names in enumerate(_DAY_NAMES):
        if len(word) >= 3 and any(n.startswith(word) for n in names):
            return number
    return None


def _parse_days(text: str) -> frozenset[int] | None:
    if text in _DAY_SETS:
        return _DAY_SETS[text]
    text = re.sub(r"\s*(?:-|\bto\b|\bà\b|\bau\b)\s*", "-", text)
    days: set[int] = set()
    for part in re.split(r"[,\s]+|\band\b|\bet\b", text):
        if not part:
            continue
        if part in _DAY_SETS:
            days |= _DAY_SETS[part]
            continue
        ends = [_day(w) for w in part.split("-")]
        if None in ends or len(ends) > 2:
            return None
        first, last = ends[0], ends[-1]
        days |= {(first + i) % 7 for i in range((last - first) % 7 + 1)}  # fri-mon wraps the weekend
    return frozenset(days) or None


def next_allowed(when: datetime, tz: ZoneInfo, hours: PostingHours = DEFAULT_HOURS,
                 busy: Iterable[tuple[datetime, datetime]] = ()) -> datetime:
    """The first moment at or after `when` (aware) inside posting hours and outside every
    busy interval [start, end) (workshops in progress), as an aware datetime in `tz`."""
    if when.tzinfo is None:
        raise ValueError("when must be timezone-aware")
    busy = list(busy)
    at = when.astimezone(tz)
    while True:
        if not hours.contains(at.replace(tzinfo=None)):
            at = _next_opening(at, tz, hours)
            continue
        blocking = [end for start, end in busy if start <= at < end]
        if not blocking:
            return at
        at = max(blocking).astimezone(tz)  # the loop checks the end against hours and other intervals


def _next_opening(at: datetime, tz: ZoneInfo, hours: PostingHours) -> datetime:
    """The next start of posting hours strictly after `at`."""
    day = at.date()
    while True:
        if day.weekday() in hours.days:
            naive = datetime.combine(day, hours.start)
            # Skipped by DST: moves forward; repeated: the first, else the second occurrence.
            for opening in (localize(naive, tz).start, naive.replace(tzinfo=tz, fold=1)):
                if opening > at:
                    return opening
        day += timedelta(days=1)


# --- cadence -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Cadence:
    every_days: int
    at: time | None = None  # None: at the start of posting hours


_CADENCE = re.compile(rf"(?:every|tous les|toutes les|chaque)?\s*(\d{{1,3}})?\s*(?:days?|jours?)"
                      rf"(?:\s+(?:at|à|a)\s+{_CLOCK})?")


def parse_cadence(text: str) -> Cadence:
    """'every 3 days', 'every 7 days at 10:00', 'every day', 'tous les 3 jours à 10h'.
    Raises PromptError('prompt.bad_cadence'); N is 1 to 60."""
    s = re.sub(r"^daily\b", "every day", " ".join(text.lower().split()))
    match = _CADENCE.fullmatch(s)
    if not match or not 1 <= int(match[1] or 1) <= 60:
        raise PromptError("prompt.bad_cadence", value=text[:40])
    try:
        at = time(int(match[2]), int(match[3] or 0)) if match[2] else None
    except ValueError:
        raise PromptError("prompt.bad_cadence", value=text[:40]) from None
    return Cadence(int(match[1] or 1), at)


def cadence_times(cadence: Cadence, anchor: date, tz: ZoneInfo, after: datetime, *,
                  hours: PostingHours = DEFAULT_HOURS, count: int = 1) -> list[datetime]:
    """The next `count` due times strictly after `after` of a cadence counted from `anchor`
    (every N days from that date, at the cadence's time or the posting-hours start).

    Pass the time of the last post (or now) as `after`: due times that fell outside posting
    hours then collapse into one post instead of piling up. Pass each due time through
    next_allowed before posting."""
    rule = rrule(DAILY, interval=cadence.every_days, dtstart=datetime.combine(anchor, cadence.at or hours.start))
    # Occurrences are naive wall-clock times; compare them made aware, from a day early to be safe.
    lower = after.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
    out: list[datetime] = []
    for naive in rule.xafter(lower, inc=True):
        due = localize(naive, tz).start
        if due > after:
            out.append(due)
            if len(out) >= count:
                break
    return out


def default_times(workshop_starts: Iterable[datetime], tz: ZoneInfo, hours: PostingHours = DEFAULT_HOURS,
                  days_after: int = DAYS_AFTER_WORKSHOP) -> list[datetime]:
    """The default when no cadence is set: one prompt `days_after` (3) days after each workshop
    at the start of posting hours, moved into posting hours (a Sunday goes to Monday).

    Three days lets members digest a session and still finds it fresh, and with workshops
    five to six weeks apart leaves the following weeks to the conversation it starts.
    A prompt that would come at or after the next workshop is dropped: that workshop's
    own prompt follows it."""
    starts = sorted(workshop_starts)
    out = []
    for i, start in enumerate(starts):
        day = start.astimezone(tz).date() + timedelta(days=days_after)
        due = next_allowed(localize(datetime.combine(day, hours.start), tz).start, tz, hours)
        if i + 1 < len(starts) and due >= starts[i + 1]:
            continue
        out.append(due)
    return out
