"""Structured logging.

Records carry an event name as the message and a dict of fields. Only
identifiers that are safe to keep (counts, event kinds, keyed room ids,
incident ids) go into fields: never message text, DM content or secrets.
Tracebacks are logged without exception messages, because a message can
quote the user's input.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import datetime, timezone
from typing import Any

# Third-party loggers that would log request bodies or event content at DEBUG.
_NOISY = ("nio", "aiohttp", "peewee", "apscheduler", "sqlalchemy")


def fields(**values: Any) -> dict[str, Any]:
    """`log.info("event", **fields(k=v))`."""
    return {"extra": {"fields": values}}


def safe_traceback(exc: BaseException) -> str:
    """Frames and exception types, without the exception messages."""
    lines: list[str] = []
    te = traceback.TracebackException.from_exception(exc)
    chain = []
    while te is not None:
        chain.append(te)
        te = te.__cause__ or te.__context__
    for part in reversed(chain):
        lines.append("Traceback (most recent call last):\n")
        lines.extend(part.stack.format())
        lines.append(f"{part.exc_type_str if hasattr(part, 'exc_type_str') else part.exc_type.__qualname__}: <message withheld>\n")
    return "".join(lines)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        extra = getattr(record, "fields", {}) or {}
        pairs = " ".join(f"{k}={_plain(v)}" for k, v in extra.items())
        line = f"{stamp} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if pairs:
            line += " " + pairs
        if record.exc_info and record.exc_info[1] is not None:
            line += "\n" + safe_traceback(record.exc_info[1]).rstrip()
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        data.update(getattr(record, "fields", {}) or {})
        if record.exc_info and record.exc_info[1] is not None:
            data["traceback"] = safe_traceback(record.exc_info[1])
        return json.dumps(data, default=str, ensure_ascii=False)


def _plain(value: Any) -> str:
    text = str(value)
    return json.dumps(text) if (not text or " " in text or "=" in text) else text


def setup(level: str = "INFO", fmt: str = "text", stream: Any = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _NOISY:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # nio's warnings name senders and rooms (e.g. undecryptable events in a DM): keep them out.
    logging.getLogger("nio").setLevel(logging.ERROR)
