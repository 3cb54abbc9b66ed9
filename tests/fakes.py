"""The maubot testing pattern: a fake client that records what the bot sends,
a temporary SQLite database and a frozen clock, for fast command tests.

With COPBOT_TEST_DATABASE=postgres the database is a fresh PostgreSQL one instead,
on the session's throwaway server (devtools/postgres.py), dropped at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.clock import FrozenClock
from bot.config import parse
from bot.dialogs import desks
from bot.context import Context
from bot.features import FEATURES
from bot.framework import Registry, dispatch
from bot.i18n import Catalogue
from bot.keys import Keyring
from bot.matrix_ops import ThreadReply
from bot.reads import Reads
from bot.sender import Sender
from bot.services import Services
from devtools import postgres as pg
from prompts import load as load_library
from storage.engine import make_engine, session_factory
from storage.migrate import migrate



def dialog_desks(clock) -> dict:
    """The desks and limits of a test bot: the defaults of config.example.toml."""
    return desks(clock, draft_minutes=30, checkin_hours=72, max_per_day=3, max_attempts_per_hour=5)


@dataclass
class Sent:
    room_id: str
    event_type: str
    content: dict[str, Any]
    event_id: str = ""

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
        self.sent.append(Sent(room_id, event_type, content, f"$event{len(self.sent) + 1}"))
        return _Ok(self.sent[-1].event_id)


@dataclass
class FakeRoom:
    levels: dict[str, int] = field(default_factory=dict)  # joined users and their power levels
    notify_room: int = 50  # notifications.room of m.room.power_levels
    encrypted: bool = True

    def is_encrypted(self) -> bool:
        return self.encrypted

    def power_level(self, user_id: str) -> int:
        return self.levels.get(user_id, 0)

    def room_mention_level(self) -> int:
        return self.notify_room

    def is_joined(self, user_id: str) -> bool:
        return user_id in self.levels

    def joined_members(self) -> list[str]:
        return sorted(self.levels)


@dataclass
class FakeOps:
    """MatrixOps that records redactions and serves canned thread replies."""

    redacted: list[tuple[str, str]] = field(default_factory=list)
    can_redact_others: bool = True
    replies: dict[str, list[ThreadReply]] = field(default_factory=dict)
    joined: set[str] = field(default_factory=set)
    uploads: list[tuple[str, str, bytes]] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)  # thread roots read from the "homeserver"
    encryption_enabled: list[str] = field(default_factory=list)
    can_enable_encryption: bool = True

    async def thread_replies(self, room_id, root_id, limit=100):
        self.fetched.append(root_id)
        return self.replies.get(root_id, [])

    async def enable_encryption(self, room_id):
        self.encryption_enabled.append(room_id)
        return self.can_enable_encryption

    async def redact(self, room_id, event_id):
        if not self.can_redact_others and event_id.startswith("$cmd"):
            return False
        self.redacted.append((room_id, event_id))
        return True

    async def resolve_room(self, room):
        return room if room.startswith("!") else None

    def in_room(self, room_id):
        return room_id in self.joined

    async def dm_room(self, user_id, exclude=frozenset()):
        return f"!dm-{user_id}"

    async def upload(self, room_id, data, filename, mimetype):
        self.uploads.append((filename, mimetype, data))
        return {"url": f"mxc://test/{len(self.uploads)}"}


@dataclass
class ManualScheduler:
    """Records what is put on the clock; tests fire due actions by hand."""

    jobs: dict[tuple[str, str], datetime] = field(default_factory=dict)

    def at(self, provider, key, due):
        self.jobs[(provider, key)] = due

    def cancel(self, provider, key):
        self.jobs.pop((provider, key), None)


class Harness:
    def __init__(self, folder: Path, lang: str = "en", database_url: str | None = None):
        """`database_url` picks a database the test made itself (left as it is at the end);
        otherwise SQLite in `folder`, or with COPBOT_TEST_DATABASE=postgres a fresh database."""
        self.pg_admin = pg.server_url_for_tests() if pg.selected() and database_url is None else None
        self.pg_database = pg.database_name_for(folder) if self.pg_admin else None
        url = database_url or (pg.with_database(self.pg_admin, self.pg_database) if self.pg_admin
                               else "sqlite+aiosqlite:///test.db")
        self.config = parse({
            "matrix": {"homeserver": "http://127.0.0.1:1", "user_id": "@copbot:test",
                       "access_token": "x"},
            "bot": {"language": lang, "secret_file": "secret.key"},
            "database": {"url": url},
        }, folder, env={})
        self.client = FakeClient()
        self.clock = FrozenClock(datetime(2027, 1, 12, 15, 0, tzinfo=timezone.utc))
        self.sleeps: list[float] = []
        self.rooms: dict[str, FakeRoom] = {}
        self.engine = make_engine(self.config.database.url)

        async def no_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        reads = Reads()
        self.services = Services(
            config=self.config, catalogue=Catalogue.load(), db=session_factory(self.engine, on_commit=reads.committed),
            keyring=Keyring(b"k" * 32), sender=Sender(self.client, sleep=no_sleep),
            clock=self.clock, registry=Registry.discover(), user_id="@copbot:test",
            rooms=self.rooms.get, matrix=FakeOps(), scheduler=ManualScheduler(),
            library=load_library(), reads=reads, **dialog_desks(self.clock),
        )
        self.providers = {f.name: f.jobs(self.services) for f in FEATURES}  # as bot.features.start_jobs
        self.jobs, self.workshop_jobs = self.providers["consult"], self.providers["workshop"]
        self.prompt_jobs, self.checkin_jobs = self.providers["prompt"], self.providers["checkin"]
        self.commands_run = 0

    async def run_due(self) -> int:
        """Fire every scheduled action whose time has come, as the real scheduler would."""
        fired = 0
        while True:  # an action may schedule another that is due at once (a missed-reminder report)
            due = sorted(((at, p, k) for (p, k), at in self.services.scheduler.jobs.items()
                          if at <= self.clock.now()), key=lambda item: item[0])
            if not due:
                return fired
            for _, provider, key in due:
                del self.services.scheduler.jobs[(provider, key)]
                await self.providers[provider].fire(key)
                fired += 1

    async def restart(self) -> int:
        """What a restart does: forget the clock's jobs, plan, then load every pending action from the
        database (all of them: the horizon of bot.scheduler is tested there)."""
        self.services.scheduler.jobs.clear()
        for provider in self.providers.values():
            if hasattr(provider, "plan"):
                await provider.plan()
        loaded = 0
        for name, provider in self.providers.items():
            for key, due in await provider.pending():
                self.services.scheduler.at(name, key, due)
                loaded += 1
        return loaded

    async def __aenter__(self) -> "Harness":
        if self.pg_admin:
            template = await pg.migrated_template_async(self.pg_admin)  # made once per server
            await pg.ensure_database_async(self.pg_admin, self.pg_database, template=template)
        await migrate(self.engine)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.engine.dispose()
        if self.pg_admin:
            await pg.drop_database_async(self.pg_admin, self.pg_database)

    async def open_community(self, room: str, levels: dict[str, int], *commands: str, by: str,
                             name: str = "North circle") -> None:
        """`room` as a community: `levels` are its joined users and their power levels; `by` runs
        setup, then `commands`. What the bot said meanwhile is forgotten."""
        self.rooms[room] = FakeRoom(levels)
        for text in (f"setup {name}", *commands):
            await self.command(text, sender=by, room=room)
        self.client.sent.clear()

    async def command(self, text: str, *, sender: str = "@alice:test", room: str = "!room:test",
                      dm: bool = False, lang: str | None = None, thread_root: str | None = None) -> list[Sent]:
        """Run one command line as the bot would; return what it sent."""
        before = len(self.client.sent)
        if dm:  # a DM as members open it: the member and the bot, end-to-end encrypted
            self.rooms.setdefault(room, FakeRoom({sender: 0}))
        community = None if dm else await self.services.reads.community_of(self.services.db, room)
        self.commands_run += 1
        ctx = Context(services=self.services, room_id=room, sender=sender, event_id=f"$cmd{self.commands_run}",
                      is_dm=dm, thread_root=thread_root, community=community,
                      lang=lang or (community.language if community else self.config.bot.language))
        if dm:
            from bot.dm import intercept
            if await intercept(ctx, text):
                return self.client.sent[before:]
        await dispatch(self.services.registry, ctx, text)
        return self.client.sent[before:]


async def say(h: Harness, text: str, sender: str = "@fac:test", room: str = "!room:test") -> str:
    """The bodies of the bot's answers to one command, joined."""
    return "\n".join(s.body for s in await h.command(text, sender=sender, room=room))
