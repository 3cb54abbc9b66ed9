"""The maubot testing pattern: a fake client that records what the bot sends,
a temporary SQLite database and a frozen clock, for fast command tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.clock import FrozenClock
from bot.config import parse
from bot.context import Context
from bot.framework import Registry, dispatch
from bot.i18n import Catalogue
from bot.keys import Keyring
from bot.sender import Sender
from bot.services import Services
from storage import communities
from storage.engine import make_engine, session_factory
from storage.migrate import migrate


@dataclass
class Sent:
    room_id: str
    event_type: str
    content: dict[str, Any]

    @property
    def body(self) -> str:
        return self.content.get("body", "")


@dataclass
class _Ok:
    event_id: str


@dataclass
class _Err:
    status_code: str
    retry_after_ms: int | None = None


@dataclass
class FakeClient:
    sent: list[Sent] = field(default_factory=list)
    failures: list[Any] = field(default_factory=list)  # responses to return before succeeding
    tx_ids: list[str] = field(default_factory=list)

    async def room_send(self, room_id, event_type, content, tx_id=None, ignore_unverified_devices=False):
        self.tx_ids.append(tx_id)
        if self.failures:
            return self.failures.pop(0)
        self.sent.append(Sent(room_id, event_type, content))
        return _Ok(f"$event{len(self.sent)}")


@dataclass
class FakeRoom:
    levels: dict[str, int] = field(default_factory=dict)  # joined users and their power levels

    def power_level(self, user_id: str) -> int:
        return self.levels.get(user_id, 0)

    def is_joined(self, user_id: str) -> bool:
        return user_id in self.levels

    def joined_members(self) -> list[str]:
        return sorted(self.levels)


class Harness:
    def __init__(self, folder: Path, lang: str = "en"):
        self.config = parse({
            "matrix": {"homeserver": "http://127.0.0.1:1", "user_id": "@copbot:test",
                       "access_token": "x"},
            "bot": {"language": lang, "secret_file": "secret.key"},
            "database": {"url": "sqlite+aiosqlite:///test.db"},
        }, folder, env={})
        self.client = FakeClient()
        self.clock = FrozenClock(datetime(2027, 1, 12, 15, 0, tzinfo=timezone.utc))
        self.sleeps: list[float] = []
        self.rooms: dict[str, FakeRoom] = {}
        self.engine = make_engine(self.config.database.url)

        async def no_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        self.services = Services(
            config=self.config, catalogue=Catalogue.load(), db=session_factory(self.engine),
            keyring=Keyring(b"k" * 32), sender=Sender(self.client, sleep=no_sleep),
            clock=self.clock, registry=Registry.discover(), user_id="@copbot:test",
            rooms=self.rooms.get,
        )

    async def __aenter__(self) -> "Harness":
        await migrate(self.engine)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.engine.dispose()

    async def command(self, text: str, *, sender: str = "@alice:test", room: str = "!room:test",
                      dm: bool = False, lang: str | None = None) -> list[Sent]:
        """Run one command line as the bot would; return what it sent."""
        before = len(self.client.sent)
        async with self.services.db() as session:
            community = None if dm else await communities.by_room(session, room)
        ctx = Context(services=self.services, room_id=room, sender=sender, event_id="$cmd",
                      is_dm=dm, thread_root=None, community=community,
                      lang=lang or (community.language if community else self.config.bot.language))
        await dispatch(self.services.registry, ctx, text)
        return self.client.sent[before:]
