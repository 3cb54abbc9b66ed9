"""Capture everything the bot logs, configured exactly as `copbot run` configures it."""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager
from typing import Iterator

from bot import logs


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    text = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    logs.setup("INFO", "text", stream=text)
    try:
        yield text
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
