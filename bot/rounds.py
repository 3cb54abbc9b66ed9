"""Turns for the sends of scheduled actions: rounds of up to `size` sends that go together, the
next round once every send of the last one is answered.

Why rounds, and not a window that lets one in as another leaves: Synapse finishes the sends it
has in hand together, then wakes each client's /sync once for all of them. Let in one at a time,
sends drift apart (the first reminder of a burst is ready a few milliseconds before the others)
and finish one or two at a time, and each finish wakes every /sync again (bench, 50 reminders
due together: a member's /sync woke 33 times instead of 17).

A round does not wait to fill: a send that finds no round out goes at once (the first reminder of
a burst, each DM of a check-in round in turn), and the sends that queued meanwhile go together
next. A round not answered within `max_round_s` (a homeserver that hangs on one send) lets the
next one go.
"""

from __future__ import annotations

import asyncio
from collections import deque
from contextlib import asynccontextmanager
from typing import AsyncIterator


class _Round:
    __slots__ = ("left", "deadline")

    def __init__(self) -> None:
        self.left = 0
        self.deadline: asyncio.TimerHandle | None = None


class Rounds:
    def __init__(self, size: int, max_round_s: float = 2.0):
        self.size = size
        self._max_round_s = max_round_s
        self._waiting: deque[asyncio.Future] = deque()
        self._current: _Round | None = None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        ticket = asyncio.get_running_loop().create_future()
        self._waiting.append(ticket)
        self._next()
        try:
            round_ = await ticket
        except asyncio.CancelledError:
            if ticket.done() and not ticket.cancelled():  # let in just as it was cancelled
                self._leave(ticket.result())
            elif ticket in self._waiting:
                self._waiting.remove(ticket)
            raise
        try:
            yield
        finally:
            self._leave(round_)

    def _leave(self, round_: _Round) -> None:
        round_.left -= 1
        if round_.left == 0:
            self._end(round_)

    def _end(self, round_: _Round) -> None:
        if round_ is not self._current:  # ended already: answered late, after its deadline
            return
        if round_.deadline is not None:
            round_.deadline.cancel()
        self._current = None
        self._next()

    def _next(self) -> None:
        if self._current is not None:
            return
        round_ = _Round()
        while self._waiting and round_.left < self.size:
            ticket = self._waiting.popleft()
            if not ticket.done():
                ticket.set_result(round_)
                round_.left += 1
        if round_.left:
            self._current = round_
            round_.deadline = asyncio.get_running_loop().call_later(self._max_round_s, self._end, round_)
