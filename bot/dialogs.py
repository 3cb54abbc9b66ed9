"""The DM dialogs' one desk type, one rule for leaving a dialog, and one timeout with a notice.

Two dialogs run in a member's DM: the consultation request (domain/consult_dialog.py) and the
check-in (domain/checkins.py). Both are pure step functions; what they hold while the member
answers lives here, in memory only: an unfinished request or check-in is never written down,
so a crash or the timeout forgets it for good. Each dialog has its own desk (a member may be
asked for a check-in while writing a request), of this one type.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable

from bot.clock import Clock
from bot.logs import fields
from domain.dialog import Reply

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


@dataclass
class Entry:
    draft: Any
    lang: str
    community_id: int | None
    expires: datetime
    by_bot: bool = False  # opened by an invitation, not by the member
    started: bool = False  # the member has answered at least once
    member_events: list[str] = field(default_factory=list)  # the member's DM messages that held case text
    bot_events: list[str] = field(default_factory=list)  # the bot's messages that showed it


@dataclass
class DialogDesk:
    clock: Clock
    life: timedelta
    expired_key: str  # the notice sent when a started dialog times out
    _open: dict[tuple[str, str], Entry] = field(default_factory=dict)  # (DM room, member) -> entry
    _expired: dict[tuple[str, str], datetime] = field(default_factory=dict)

    def open(self, room_id: str, user_id: str, draft: Any, *, lang: str, community_id: int | None = None,
             by_bot: bool = False) -> Entry:
        """A new dialog; the caller has dropped (and cleaned up) any earlier one."""
        self._expired.pop((room_id, user_id), None)
        entry = Entry(draft, lang, community_id, self.clock.now() + self.life, by_bot=by_bot, started=not by_bot)
        self._open[(room_id, user_id)] = entry
        return entry

    def get(self, room_id: str, user_id: str) -> Entry | None:
        entry = self._open.get((room_id, user_id))
        if entry is not None and entry.expires <= self.clock.now():
            return None  # the sweep (expire) tells the member and cleans up
        return entry

    def answered(self, entry: Entry, draft: Any, *, lang: str | None = None,
                 community_id: int | None = None) -> None:
        """The member moved the dialog on: its new draft, and the timeout starts again."""
        entry.draft, entry.started, entry.expires = draft, True, self.clock.now() + self.life
        entry.lang = lang or entry.lang
        entry.community_id = community_id if community_id is not None else entry.community_id

    def drop(self, room_id: str, user_id: str) -> Entry | None:
        return self._open.pop((room_id, user_id), None)

    def expire(self) -> list[tuple[str, Entry]]:
        """Forget dialogs past their time; return them with their DM rooms."""
        now = self.clock.now()
        gone = [(key, e) for key, e in self._open.items() if e.expires <= now]
        for key, _ in gone:
            del self._open[key]
            self._expired[key] = now
        return [(room, e) for (room, _), e in gone]

    def just_expired(self, room_id: str, user_id: str) -> bool:
        """A dialog timed out here within one lifetime: what comes now may be its answer."""
        waiting = self._open.get((room_id, user_id))
        if waiting is not None and waiting.expires <= self.clock.now():
            return True  # timed out, not yet swept
        at = self._expired.get((room_id, user_id))
        if at is None or self.clock.now() - at > self.life:
            self._expired.pop((room_id, user_id), None)
            return False
        return True

    def forget_expiry(self, room_id: str, user_id: str) -> Entry | None:
        """Done with a timed-out dialog; returned when it still waited for the sweep."""
        self._expired.pop((room_id, user_id), None)
        waiting = self._open.get((room_id, user_id))
        if waiting is not None and waiting.expires <= self.clock.now():
            del self._open[(room_id, user_id)]
            return waiting
        return None


def leaves(entry: Entry, reply: Reply | None, command: Any, bare: bool, *, owns: frozenset[str],
           takes_text: Callable[[Any], bool]) -> bool:
    """The one rule for leaving a dialog: True when the message should run as `command`
    instead (`bare`: the message is only the command's name, without arguments).

    - Not a command, or one of the dialog's own (`send`, `cancel`…): the dialog's answer.
    - Before stepping (reply None), at a step that takes free text (the request, the story): a
      message that is only a command's name (`help`) is that command; any longer text is the
      dialog's, since a story may start with any word.
    - After stepping: a command runs when the dialog did not understand the message (the reply
      is a correction, like a case code in a request).
    Leaving does not end the dialog: it waits for the member to come back to it."""
    if command is None or command.name in owns:
        return False
    if reply is None:
        return takes_text(entry.draft) and bare
    return not reply.understood


async def converse(ctx, desk: DialogDesk, text: str, *, owns: frozenset[str], takes_text: Callable[[Any], bool],
                   step: Callable[[Any, Entry, str], Any], act: Callable[[Any, Entry, Reply], Any]) -> bool:
    """A DM message while a dialog is open: True when the dialog took it. `step` (ctx, entry, text)
    awaits the dialog's Reply; `act` (ctx, entry, reply) answers and does what the reply asks.
    An invitation the member has not begun is closed when they turn to a command instead."""
    entry = desk.get(ctx.room_id, ctx.sender)
    if entry is None:
        return False
    ctx.lang = entry.lang
    command, rest = ctx.services.registry.find(text, True)
    rule = dict(owns=owns, takes_text=takes_text)
    bare = not rest.strip()
    reply = None if leaves(entry, None, command, bare, **rule) else await step(ctx, entry, text)
    if reply is None or leaves(entry, reply, command, bare, **rule):
        if entry.by_bot and not entry.started:
            desk.drop(ctx.room_id, ctx.sender)
        return False
    await act(ctx, entry, reply)
    return True


async def expire(services: "Services", desks: tuple[tuple[DialogDesk, Callable[..., Any]], ...]) -> int:
    """Each timed-out dialog: cleaned up by its owner, and the member told if they had begun it.
    `desks` pairs each desk with its owner's clean-up (services, room, entry), or None."""
    count = 0
    for desk, clean_up in desks:
        for room_id, entry in desk.expire():
            count += 1
            if clean_up is not None:
                await clean_up(services, room_id, entry)
            if entry.started:
                await services.sender.send(room_id, services.catalogue.render(
                    entry.lang, desk.expired_key, minutes=round(desk.life.total_seconds() / 60),
                    hours=round(desk.life.total_seconds() / 3600)))
    if count:
        log.info("dialog.expired", **fields(count=count))
    return count


def desks(clock: Clock, *, draft_minutes: int, checkin_hours: int, max_per_day: int,
          max_attempts_per_hour: int) -> dict[str, Any]:
    """The Services fields of the two dialogs: their desks, and the consultation limits."""
    from bot.consult.limits import Limits  # the limits belong to the consultation, not to dialogs

    return dict(
        consult_desk=DialogDesk(clock, timedelta(minutes=draft_minutes), "consult.draft_expired"),
        checkin_desk=DialogDesk(clock, timedelta(hours=checkin_hours), "checkin.expired"),
        limits=Limits(clock, max_per_day=max_per_day, max_attempts_per_hour=max_attempts_per_hour))
