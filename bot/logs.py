"""Structured logging.

Records carry an event name as the message and a dict of fields. Only
identifiers that are safe to keep (counts, event kinds, keyed room ids,
incident ids) go into fields: never message text, DM content or secrets.
Tracebacks are logged without exception messages, because a message can
quote the user's input. A filter on the handler masks secrets in every record
that reaches it, from any logger (nio, aiohttp, asyncio included).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from datetime import datetime, timezone
from typing import Any

# Third-party loggers that would log request bodies, event content or SQL with its parameters
# (case text, user ids: aiosqlite logs each call it runs, asyncpg its queries) at DEBUG.
_NOISY = ("nio", "aiohttp", "peewee", "apscheduler", "sqlalchemy", "aiosqlite", "asyncpg")


MASK = "[masked]"
# Shorter values are not masked one by one (a test token "t" would mask every letter t);
# the patterns below still catch them where they appear as a token or a password.
MIN_SECRET_LENGTH = 6
_PATTERNS = (
    # "Authorization: Bearer X", {'Authorization': 'Bearer X'}, "bearer X"
    re.compile(r"(?i)(\bbearer\s+)(?!\[masked\])[^\s'\",;}\]]+"),
    # access_token=X (query strings), "access_token": "X" (JSON), password=X, …
    re.compile(r"(?i)(\b(?:access_token|refresh_token|password|secret_key|copbot_secret_key)"
               r"['\"]?\s*[:=]\s*['\"]?)(?!\[masked\])[^\s'\"&,;}\]]+"),
    # 32-byte keys as hex: the secret file and anything derived from it (keyed hashes are
    # truncated to 32 characters, so they stay readable)
    re.compile(r"(?<![0-9A-Fa-f])()[0-9A-Fa-f]{64,}(?![0-9A-Fa-f])"),
)
_SECRET_KEYS = re.compile(r"(?i)^(access_token|token|password|secret|secret_key|authorization)$")


class SecretMask(logging.Filter):
    """Masks known secret values and secret-looking patterns in a record, in place.

    Installed on the handler by setup(), so it sees records from every logger. It covers
    the message and its arguments, the structured fields, the exception text and the
    stack; an exception itself is replaced by its traceback without messages.
    """

    def __init__(self, secrets: tuple[str, ...] | list[str] = ()):
        super().__init__()
        self._values: set[str] = set()
        self.protect(*secrets)

    def protect(self, *values: str) -> None:
        for value in values:
            if value and len(value) >= MIN_SECRET_LENGTH:
                self._values |= {value, value.lower(), value.upper()} if _is_hex(value) else {value}

    def mask(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: m.group(1) + MASK, text)
        return text

    def _value(self, key: str, value: Any) -> Any:
        if isinstance(value, (bool, int, float)) or value is None:
            return value
        if _SECRET_KEYS.search(str(key)) and value != "":
            return MASK
        text = value if isinstance(value, str) else str(value)
        masked = self.mask(text)
        return value if masked == text else masked

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep what can be shown, without the arguments
            message = str(record.msg)
        record.msg, record.args = self.mask(message), None
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            record.fields = {k: self._value(k, v) for k, v in extra.items()}
        if record.exc_info and record.exc_info[1] is not None:
            # for our formatters, and for any other handler's (which would print exc_text)
            record.safe_exc_text = record.exc_text = self.mask(safe_traceback(record.exc_info[1]))
        elif record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


def _is_hex(value: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in value)


def protect(*values: str) -> None:
    """Mask these values (a token, a password, the secret's hex) in every log line from now on."""
    for handler in logging.getLogger().handlers:
        for flt in handler.filters:
            if isinstance(flt, SecretMask):
                flt.protect(*values)


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


def _traceback(record: logging.LogRecord) -> str:
    """The masked traceback the filter prepared, else one without messages."""
    return getattr(record, "safe_exc_text", None) or safe_traceback(record.exc_info[1])


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        extra = getattr(record, "fields", {}) or {}
        pairs = " ".join(f"{k}={_plain(v)}" for k, v in extra.items())
        line = f"{stamp} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if pairs:
            line += " " + pairs
        if record.exc_info and record.exc_info[1] is not None:
            line += "\n" + _traceback(record).rstrip()
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
            data["traceback"] = _traceback(record)
        return json.dumps(data, default=str, ensure_ascii=False)


def _plain(value: Any) -> str:
    text = str(value)
    return json.dumps(text) if (not text or " " in text or "=" in text) else text


def setup(level: str = "INFO", fmt: str = "text", stream: Any = None, secrets: tuple[str, ...] = ()) -> None:
    """Log to `stream` (stderr) through the secret mask; `secrets` are masked from the start."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(SecretMask(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _NOISY:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # nio's warnings name senders and rooms (e.g. undecryptable events in a DM): keep them out.
    logging.getLogger("nio").setLevel(logging.ERROR)
