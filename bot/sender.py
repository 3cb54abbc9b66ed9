"""The one way the bot sends messages.

It builds the content (plain body, sanitized HTML, thread relation,
explicit m.mentions), splits anything that would pass Matrix's 64 KiB
event limit, keeps one transaction id per chunk so retries cannot post
twice, waits out 429s, and raises on any other failure instead of
swallowing it.

Sends of scheduled actions take turns: SCHEDULED_IN_FLIGHT at a time, in the
order they asked, in rounds that go together (bot.rounds says why). Synapse
(SQLite: one database connection) works on all the sends it has at once and
finishes them together, so 50 reminders due in the same second, ten in
flight, arrived in tens, the first after about a second.
Three at a time keep it as busy and bring the first ones sooner (bench, 50
reminders: p50 2.5-2.8 s -> 2.1-2.4 s, first 0.6-1.0 s -> 0.25-0.4 s). Answers to
commands do not queue behind them.

While scheduled sends are queued, the bot's next /sync waits for them (see
`quiet`, used by the sync loop): each of the bot's own messages would wake
that /sync at the homeserver, which then builds an answer about the bot's
own message, on the same one core that is delivering the others.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import uuid
from contextlib import asynccontextmanager, nullcontext
from contextvars import ContextVar
from typing import Any, AsyncIterator, Awaitable, Callable

from bot.logs import fields
from bot.rounds import Rounds
from bot.text import Text

log = logging.getLogger(__name__)

# The whole event must stay under 65,536 bytes; leave room for the envelope
# (sender, ids, signatures, encryption overhead).
MAX_CONTENT_BYTES = 40_000


# Every message's content is padded to one of these sizes (compact JSON, as matrix-nio
# serialises it before encrypting), so an encrypted event's length tells the homeserver only
# its bucket: the length of a member's DM cannot be matched to the length of a post.
PAD_BUCKETS = (1024, 2048, 4096, 8192, 16384, 32768, MAX_CONTENT_BYTES)
PAD_KEY = "org.copbot.padding"

SCHEDULED_IN_FLIGHT = 3
# Set by the scheduler for the actions it runs: their sends take turns (see above).
scheduled_send: ContextVar[bool] = ContextVar("scheduled_send", default=False)

# The room is gone or the bot may not post there: retrying a send cannot help.
PERMANENT = ("M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_TOKEN")


class SendError(Exception):
    def __init__(self, status: str):
        super().__init__(f"send failed: {status}")
        self.status = status


def _size(content: dict[str, Any]) -> int:
    # ASCII-escaped JSON is the largest encoding a client library may use.
    return len(json.dumps(content).encode())


def _content(plain: str, html_: str, msgtype: str, thread_root: str | None,
             reply_to: str | None, mentions: dict[str, Any] | None) -> dict[str, Any]:
    content: dict[str, Any] = {
        "msgtype": msgtype,
        "body": plain,
        "format": "org.matrix.custom.html",
        "formatted_body": html_,
        # An explicit empty m.mentions means: notify nobody (MSC3952).
        "m.mentions": mentions or {},
    }
    relation = relates_to(thread_root, reply_to)
    if relation:
        content["m.relates_to"] = relation
    return content


def relates_to(thread_root: str | None, reply_to: str | None) -> dict[str, Any] | None:
    """The thread and reply relation of a message (no reply fallback in the body: MSC2781)."""
    if thread_root:
        return {
            "rel_type": "m.thread",
            "event_id": thread_root,
            "is_falling_back": reply_to is None,
            "m.in_reply_to": {"event_id": reply_to or thread_root},
        }
    if reply_to:
        return {"m.in_reply_to": {"event_id": reply_to}}
    return None


def padded(content: dict[str, Any]) -> dict[str, Any]:
    """`content` with a padding field that brings it to the next PAD_BUCKETS size."""
    out = {**content, PAD_KEY: ""}
    size = len(json.dumps(out, separators=(",", ":")))
    target = next((b for b in PAD_BUCKETS if b >= size), None)
    if target is not None:
        out[PAD_KEY] = " " * (target - size)
    return out


def _pieces(text: Text) -> list[tuple[str, str]]:
    """Parts small enough to send; an oversized part is cut into plain chunks."""
    out = []
    for plain, html_ in text.parts:
        if _size({"b": plain, "f": html_}) < MAX_CONTENT_BYTES - 2_000:
            out.append((plain, html_))
            continue
        step = (MAX_CONTENT_BYTES - 2_000) // 26  # worst case: a 12-byte escape in body and in HTML
        for i in range(0, len(plain), step):
            chunk = plain[i:i + step]
            out.append((chunk, "<p>" + html.escape(chunk).replace("\n", "<br>") + "</p>"))
    return out


def split(text: Text) -> list[Text]:
    """Group parts into messages that each fit in one event."""
    messages: list[list[tuple[str, str]]] = [[]]
    for piece in _pieces(text):
        candidate = Text(tuple(messages[-1] + [piece]))
        if messages[-1] and _size({"b": candidate.plain, "f": candidate.html}) > MAX_CONTENT_BYTES:
            messages.append([piece])
        else:
            messages[-1].append(piece)
    return [Text(tuple(m)) for m in messages if m]


class Sender:
    def __init__(self, client: Any, *, max_retries: int = 5,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep):
        self.client = client
        self.max_retries = max_retries
        self.sleep = sleep
        self._turns = Rounds(SCHEDULED_IN_FLIGHT)
        self._scheduled = 0  # scheduled sends taking their turn or at the homeserver
        self._no_scheduled = asyncio.Event()
        self._no_scheduled.set()

    async def quiet(self, timeout: float) -> None:
        """Return once no scheduled send is queued or on its way, `timeout` seconds at most."""
        if not self._no_scheduled.is_set():
            try:
                await asyncio.wait_for(self._no_scheduled.wait(), timeout)
            except asyncio.TimeoutError:
                pass

    async def send(self, room_id: str, text: Text, *, msgtype: str = "m.notice",
                   thread_root: str | None = None, reply_to: str | None = None,
                   mentions: dict[str, Any] | None = None, txn: str | None = None) -> list[str]:
        """Send `text`, split if needed; return the event ids.

        `txn` makes the transaction ids stable: a scheduled post sent again
        after a crash gets the homeserver's first event back, not a second one.
        """
        event_ids = []
        for i, chunk in enumerate(split(text)):
            content = padded(_content(chunk.plain, chunk.html, msgtype, thread_root, reply_to, mentions))
            tx_id = f"{txn}.{i}" if txn else None
            event_ids.append(await self.send_event(room_id, "m.room.message", content, tx_id=tx_id))
        return event_ids

    async def send_event(self, room_id: str, event_type: str, content: dict[str, Any],
                         tx_id: str | None = None) -> str:
        tx_id = tx_id or str(uuid.uuid4())  # reused on retry: the homeserver deduplicates by it
        for attempt in range(self.max_retries + 1):
            async with self._scheduled_turn() if scheduled_send.get() else nullcontext():
                resp = await self.client.room_send(room_id, event_type, content, tx_id=tx_id,
                                                   ignore_unverified_devices=True)
            event_id = getattr(resp, "event_id", None)
            if event_id:
                return event_id
            status = str(getattr(resp, "status_code", "unknown"))
            retry_ms = getattr(resp, "retry_after_ms", None)
            if status in ("M_LIMIT_EXCEEDED", "429") and attempt < self.max_retries:
                wait = (retry_ms or 1000 * 2 ** attempt) / 1000
                log.warning("send.rate_limited", **fields(wait_s=round(wait, 2), attempt=attempt + 1))
                await self.sleep(wait)
                continue
            raise SendError(status)
        raise SendError("M_LIMIT_EXCEEDED")

    @asynccontextmanager
    async def _scheduled_turn(self) -> AsyncIterator[None]:
        self._scheduled += 1
        self._no_scheduled.clear()
        try:
            async with self._turns.turn():
                yield
        finally:
            self._scheduled -= 1
            if not self._scheduled:
                self._no_scheduled.set()
