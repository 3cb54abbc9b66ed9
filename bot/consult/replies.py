"""The replies in the threads of consultations, kept in memory for `replies <code>`.

Fetching a thread from the homeserver right after a member's DM would tell the homeserver's
operator which case that member asked about: the request for the thread's relations would
follow the DM by milliseconds. So `replies` never asks the homeserver. The book is filled by
what the bot sees in its sync and by a refresh of every open consultation's thread together,
on a timer of its own (`REFRESH_S`, and once at start), which no DM sets off.

Memory only: what members posted in the community room, never the asker's case, and nothing
of it reaches the database. Bounded: `PER_THREAD` replies for each watched thread.
"""

from __future__ import annotations

from bot.matrix_ops import ThreadReply

REFRESH_S = 600
PER_THREAD = 100


class ReplyBook:
    def __init__(self) -> None:
        self._threads: dict[str, dict[str, ThreadReply]] = {}  # root -> event id -> reply
        self.loaded = False  # true once a refresh has filled every watched thread

    def watch(self, roots: set[str]) -> None:
        """Keep only the threads of these roots (open consultations); new ones start empty."""
        self._threads = {root: self._threads.get(root, {}) for root in roots}

    def add(self, root: str) -> None:
        """A consultation just posted: its thread is watched from now on."""
        self._threads.setdefault(root, {})

    def replace(self, root: str, replies: list[ThreadReply]) -> None:
        """What the homeserver holds for a thread, merged with what the sync brought meanwhile."""
        if root in self._threads:
            merged = {**{r.event_id: r for r in replies}, **self._threads[root]}
            self._threads[root] = self._trim(merged)

    def note(self, root: str, reply: ThreadReply) -> None:
        """A reply seen in the sync; a thread nobody watches is not kept."""
        if root in self._threads:
            self._threads[root] = self._trim({**self._threads[root], reply.event_id: reply})

    def get(self, root: str) -> list[ThreadReply] | None:
        """The replies, oldest first; None when the book is not loaded yet."""
        if root in self._threads:
            return sorted(self._threads[root].values(), key=lambda r: r.at)
        return [] if self.loaded else None

    @staticmethod
    def _trim(replies: dict[str, ThreadReply]) -> dict[str, ThreadReply]:
        kept = sorted(replies.values(), key=lambda r: r.at)[-PER_THREAD:]
        return {r.event_id: r for r in kept}
