"""The bot process: login, the sync loop, and turning events into commands.

Event rules (see README, "How the bot treats events"):
- the first sync of a new bot is history and is never acted on;
- events from before the bot joined a room are never acted on, except in a DM it was invited
  to: what the member sent after the invitation was said to the bot (Element sends at once);
- a message older than `catch_up_seconds` (the bot was down) is skipped;
- each event is claimed in the database before it is handled, so it is
  handled at most once, across restarts too;
- the sync token is saved after the batch is claimed (at most every 30 s, and at stop).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from aiohttp.client_exceptions import ClientError
from nio import (AsyncClient, AsyncClientConfig, InviteMemberEvent, JoinError, MatrixRoom, MegolmEvent,
                 MessageDirection, ReactionEvent, RedactionEvent, RoomCreateEvent, RoomMemberEvent,
                 RoomEncryptedMedia, RoomMessageEmote, RoomMessageMedia, RoomMessageNotice,
                 RoomMessagesResponse, RoomMessageText, SyncError, SyncResponse)
from sqlmodel import delete, select

from bot import __version__, features, room_cache
from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.consult.posting import PROVIDER as CONSULT
from bot.context import Context
from bot.cross_signing_setup import at_start as cross_sign_at_start
from bot.commands.consult import misplaced, refuse_attachment
from bot.dialogs import desks
from bot.dm import intercept
from bot.framework import Registry, dispatch, incident_id, leading_words
from bot.i18n import Catalogue
from bot.keys import Keyring, load_or_create_secret
from bot.logs import fields
from bot.matrix_ops import ThreadReply
from bot.members import MembersNotLoaded, lazy_members, load_members
from bot.nio_ops import NioOps
from bot.prompts.posting import count_reply
from bot.reads import Reads
from bot.room_checks import check_rooms
from bot.rooms import NioRoomView
from bot.scheduler import Scheduler
from bot.sender import Sender
from bot.services import Services
from bot.startup import FatalError, preflight
from bot.undecryptable import NoticeLedger
from domain.prompts import LibraryError
from prompts import load as load_library
from storage import communities, sync_state
from storage.engine import make_engine, session_factory
from storage.migrate import migrate
from storage.models import BotState, Community, HandledEvent, JoinedRoom

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
SYNC_FILTER = {
    "presence": {"types": []},
    "account_data": {"types": []},
    "room": {"timeline": {"limit": 50}, "ephemeral": {"types": []}},
}
FIRST_SYNC_FILTER = {**SYNC_FILTER, "room": {"timeline": {"limit": 1}, "ephemeral": {"types": []}}}
MAX_BACKOFF_S = 30.0  # an outage ends at most about 30 s before the bot notices
# The sync token is saved at most this often (and at stop), after the events of its sync were
# claimed: a commit fewer on the way to most answers (bench: see README "Benchmarks").
TOKEN_SAVE_INTERVAL_S = 30.0
# The next long-poll waits (this long at most) for the answers to this sync's commands, as a bot
# answering inline does: started at once, that /sync competed with the answers at the homeserver
# (bench, 40 rounds back to back: `!cop ping` 1.20x the floor without the wait, 1.09-1.10x with it).
QUICK_ANSWER_S = 0.5
# The next /sync waits (this long at most) while the sends of scheduled actions are queued: the
# homeserver then delivers them instead of answering the bot's /sync about each of its own messages
# (bench, 50 reminders due together: the bot's /syncs during them 34 -> 3, p50 about 0.4 s sooner).
# A command sent meanwhile is answered that much later.
SCHEDULED_QUIET_S = 3.0
GAP_PAGES, GAP_PAGE_SIZE = 10, 100  # a limited timeline is completed with up to 1,000 older events
# Sent in a DM while a request is written: refused and redacted (bot.commands.consult.refuse_attachment).
NOT_TEXT = (RoomMessageMedia, RoomEncryptedMedia, RoomMessageEmote, RoomMessageNotice)
# Commands, RSVPs by reaction, messages the bot could not decrypt (their sender is told), and
# what a DM must not keep during a consultation.
ACTED_ON = (RoomMessageText, ReactionEvent, RedactionEvent, MegolmEvent, *NOT_TEXT)


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted "> <@user> …" lines that clients prepend to replies."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).strip()


def thread_root_of(event: Any) -> str | None:
    relates = (event.source.get("content") or {}).get("m.relates_to") or {}
    if relates.get("rel_type") == "m.thread":
        return relates.get("event_id")
    return None


def command_text(body: str, prefix: str, is_dm: bool) -> str | None:
    """The command part of a message, or None if it is not addressed to the bot. The prefix is
    read as it shows: invisible characters in or around it (`!cop\u200b`) do not hide it."""
    head, rest = leading_words(body, 1)
    if head and head[0].lower() == prefix.lower():
        return rest
    return body.strip() if is_dm else None


def inviter_allowed(inviter: str, allowed: tuple[str, ...]) -> bool:
    if not allowed:
        return True
    server = ":" + inviter.split(":", 1)[-1]
    return inviter in allowed or server in allowed


def new_client(config: Config) -> AsyncClient:
    m = config.matrix
    m.store_path.mkdir(parents=True, exist_ok=True)
    client_config = AsyncClientConfig(
        encryption_enabled=m.encryption,
        store_sync_tokens=False,
        max_limit_exceeded=5,
        max_timeouts=1,  # the sync loop does its own, logged backoff
        request_timeout=30,
    )
    return AsyncClient(m.homeserver, m.user_id, device_id=m.device_id,
                       store_path=str(m.store_path), config=client_config)


def skip_empty_store_writes(client: AsyncClient) -> None:
    """nio writes the set of newly encrypted rooms to its key store after every sync, in a
    synchronous SQLite transaction on the event loop, even when the set is empty (nearly always):
    about 4 ms before each command could be answered (bench, py-spy). Skip the empty ones."""
    store = client.store
    if store is None:
        return
    save = store.save_encrypted_rooms
    store.save_encrypted_rooms = lambda rooms: save(rooms) if rooms else None


class CopBot:
    def __init__(self, config: Config, *, clock: Clock | None = None):
        self.config = config
        self.clock = clock or SystemClock()
        self.ready = asyncio.Event()
        self._stopping = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()
        self._room_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._joined_at: dict[str, datetime] = {}
        self._token: str | None = None
        self._token_saved_at: float | None = None  # time.monotonic() of the last save
        self._last_prune: datetime | None = None
        self._posters: set[str] = set()
        self._creators: dict[str, frozenset[str]] = {}
        self.rooms_restored = False  # from bot.room_cache: the first sync needs no full state
        self._rooms_saved_at: float | None = None  # time.monotonic() of the last room_cache save
        self._undecryptable = NoticeLedger()
        self.client: AsyncClient | None = None
        self.scheduler: Scheduler | None = None
        self.jobs: dict[str, Any] = {}  # each feature's jobs object, by provider name (bot.features)
        self.engine = None
        self.services: Services | None = None

    # ----- start and stop -------------------------------------------------

    async def start(self) -> None:
        # file permissions, the secret, then the credentials: a bad setup stops here, clearly
        self.config = await preflight(self.config, stopping=self._stopping)
        cfg = self.config
        try:  # a broken prompt library stops the bot, naming the file and entry
            library = load_library()
        except LibraryError as exc:
            raise FatalError(str(exc)) from None
        self.engine = make_engine(cfg.database.url)
        applied = await migrate(self.engine)
        if applied:
            log.info("storage.migrated", **fields(versions=applied))
        reads = Reads()
        db = session_factory(self.engine, on_commit=reads.committed)
        keyring = Keyring(load_or_create_secret(cfg.bot.secret_file))
        self.client = new_client(cfg)
        await self._login()
        await cross_sign_at_start(self.client, cfg)  # sign the device; never stops the start
        skip_empty_store_writes(self.client)
        self.scheduler = Scheduler(self.clock)
        c = cfg.consultations
        self.services = Services(
            config=cfg, catalogue=Catalogue.load(), db=db, keyring=keyring,
            sender=Sender(self.client), clock=self.clock, registry=Registry.discover(),
            user_id=cfg.matrix.user_id, rooms=self._room_view,
            matrix=NioOps(self.client, cfg.matrix.user_id), scheduler=self.scheduler, library=library,
            reads=reads, **desks(self.clock, draft_minutes=c.draft_minutes, checkin_hours=cfg.checkins.draft_hours,
                                 max_per_day=c.max_per_day, max_attempts_per_hour=c.max_code_attempts_per_hour),
        )
        self.jobs = features.start_jobs(self.services, self.scheduler)
        async with db() as session:
            state = await session.get(BotState, "sync_token")
            self._token = state.value if state else None
            rows = (await session.exec(select(JoinedRoom))).all()
            self._joined_at = {row.room_key: row.joined_at for row in rows}
        if self._token is not None:  # a first run acts on nothing and reads everything anyway
            await self._restore_rooms()
        olm = self.client.olm
        # The device's public session key, for members who verify the bot's device by hand.
        key = olm.account.identity_keys["ed25519"] if olm else None
        log.info("bot.started", **fields(version=__version__, resumed=self._token is not None,
                                          encryption=olm is not None, device=cfg.matrix.device_id,
                                          session_key=" ".join(key[i:i + 4] for i in range(0, len(key), 4))
                                          if key else None))

    def _rooms_file(self) -> Path:
        return self.config.matrix.store_path / room_cache.FILE_NAME

    async def _restore_rooms(self) -> None:
        restored = await room_cache.load(self._rooms_file(), self.config.matrix.user_id)
        if restored is None:
            return
        self.client.rooms.update(restored.rooms)
        self._creators.update(restored.creators)
        if self.client.olm is not None:
            for room in restored.rooms.values():
                if room.encrypted:
                    self.client.olm.update_tracked_users(room)
        # The rooms are as of that token, so the first sync starts there (events seen again
        # since are claimed already, or were not acted on).
        self._token = restored.token
        self.rooms_restored = True
        self._rooms_saved_at = time.monotonic()  # the file is as fresh as the token
        log.info("rooms.restored", **fields(rooms=len(restored.rooms)))

    async def _save_rooms(self) -> None:
        """The rooms as of self._token: a sync nio has applied and whose events are claimed."""
        if self._token is None or self.client is None:
            return
        data = room_cache.snapshot(self.client.rooms, self.config.matrix.user_id, self._creators, self._token)
        try:
            await room_cache.save(self._rooms_file(), data)
        except OSError as exc:  # the next start reads every room instead
            log.warning("rooms.not_saved", **fields(reason=type(exc).__name__))
        self._rooms_saved_at = time.monotonic()

    async def _login(self) -> None:
        m = self.config.matrix
        if m.access_token:
            self.client.restore_login(m.user_id, m.device_id, m.access_token)
            return
        resp = await self.client.login(m.password, device_name="copbot")
        if not getattr(resp, "access_token", None):
            raise FatalError(f"login failed: {getattr(resp, 'status_code', 'unknown')}")
        log.info("bot.logged_in_with_password", **fields(device=resp.device_id))

    async def run(self) -> None:
        """Run until stop() is called. Raises FatalError on unrecoverable problems."""
        await self.start()
        try:
            await self._sync_loop()
        finally:
            await self.close()

    def stop(self) -> None:
        self._stopping.set()

    async def close(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=10)
        if self._token is not None and self.services is not None:
            try:  # the last token, which a sync with nothing to act on may not have saved
                await self._save_token(self._token)
            except Exception as exc:
                log.warning("sync.token_not_saved", **fields(reason=type(exc).__name__))
            await self._save_rooms()
        if self.client is not None:
            await self.client.close()
        if self.engine is not None:
            await self.engine.dispose()
        log.info("bot.stopped")

    # ----- the sync loop --------------------------------------------------

    async def _sync_loop(self) -> None:
        failures = 0
        outage_started: datetime | None = None
        # Scheduled actions load while the homeserver builds the first sync; the clock starts after it.
        loading = asyncio.ensure_future(self.scheduler.load())
        self._tasks.add(loading)
        loading.add_done_callback(self._tasks.discard)
        while not self._stopping.is_set():
            if self.ready.is_set():  # see SCHEDULED_QUIET_S
                await self.services.sender.quiet(SCHEDULED_QUIET_S)
            first = self._token is None
            sync_filter = FIRST_SYNC_FILTER if first else SYNC_FILTER
            # The first sync of a process returns at once, so start-up catch-up is immediate.
            # Unless the rooms were restored (bot.room_cache), it carries full state, so room
            # creators (m.room.create) are known again; the members are then read room by room
            # (bot.members), which is much faster at scale.
            reading = not self.ready.is_set() and not self.rooms_restored
            sync = asyncio.ensure_future(self.client.sync(
                timeout=SYNC_TIMEOUT_MS if self.ready.is_set() else 0, since=self._token,
                full_state=True if reading else None,
                sync_filter=lazy_members(sync_filter) if reading else sync_filter))
            stop = asyncio.ensure_future(self._stopping.wait())
            await asyncio.wait({sync, stop}, return_when=asyncio.FIRST_COMPLETED)
            stop.cancel()
            if not sync.done():
                sync.cancel()
                break
            try:
                resp = sync.result()
                if isinstance(resp, SyncResponse) and reading:
                    await load_members(self.client, list(resp.rooms.join))
            except (ClientError, asyncio.TimeoutError, OSError, MembersNotLoaded) as exc:
                resp = exc  # for the members too: the first sync is done again
            if not isinstance(resp, SyncResponse):
                status = getattr(resp, "status_code", None) or type(resp).__name__
                if isinstance(resp, SyncError) and status in ("M_UNKNOWN_TOKEN", "M_FORBIDDEN"):
                    raise FatalError(f"the homeserver refused the bot's credentials ({status})")
                failures += 1
                if outage_started is None:
                    outage_started = self.clock.now()
                    log.warning("homeserver.unreachable", **fields(reason=status))
                delay = min(MAX_BACKOFF_S, 2 ** min(failures, 6)) * (0.5 + random.random() / 2)
                log.info("homeserver.retry", **fields(attempt=failures, wait_s=round(delay, 1)))
                try:
                    await asyncio.wait_for(self._stopping.wait(), timeout=delay)
                except asyncio.TimeoutError:
                    pass
                continue
            if outage_started is not None:
                down = (self.clock.now() - outage_started).total_seconds()
                log.info("homeserver.recovered", **fields(after_s=round(down, 1), attempts=failures))
                if self.scheduler is not None:  # what failed during the outage goes out now, not after its backoff
                    self.scheduler.retry_failed_now()
                outage_started, failures = None, 0
            if not self.ready.is_set():  # rooms left while the bot was down (nio keeps them)
                for room_id in resp.rooms.leave:
                    self.client.rooms.pop(room_id, None)
            await self._housekeeping()
            await self._process(resp, first)
            if not self.ready.is_set():
                # Scheduled work starts once the rooms are known, so late actions can be sent at once.
                await loading
                await self.scheduler.start()
                # In the background: the sync loop goes on answering (it runs every hour after this).
                task = asyncio.create_task(self._retention_at_start())
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            self.ready.set()
            if self._rooms_saved_at is None or time.monotonic() - self._rooms_saved_at >= room_cache.SAVE_INTERVAL_S:
                await self._save_rooms()

    async def _retention_at_start(self) -> None:
        try:
            await self.jobs[CONSULT].retention_sweep()
        except Exception as exc:  # retention retries every hour; a start must not fail on it
            log.error("consultation.retention_failed", exc_info=exc)
        try:
            await self.jobs[CONSULT].refresh_replies()
        except Exception as exc:  # tried again on its timer
            log.error("consultation.replies_refresh_failed", exc_info=exc)
        try:
            await check_rooms(self.services, self.client)
        except Exception as exc:  # a warning about warnings: the bot runs on
            log.warning("rooms.check_failed", **fields(reason=type(exc).__name__))

    async def _housekeeping(self) -> None:
        """What nio's sync_forever does between syncs: to-device messages and E2EE keys."""
        c = self.client
        try:
            await c.send_to_device_messages()
            if c.should_upload_keys:
                await c.keys_upload()
            if c.should_query_keys:
                await c.keys_query()
            if c.should_claim_keys:
                await c.keys_claim(c.get_users_for_key_claiming())
        except (ClientError, asyncio.TimeoutError, OSError) as exc:
            log.warning("e2ee.housekeeping_failed", **fields(reason=type(exc).__name__))

    # ----- turning a sync into work --------------------------------------

    async def _process(self, resp: SyncResponse, first: bool) -> None:
        for room_id, info in resp.rooms.invite.items():
            await self._on_invite(room_id, info)
        for room_id, info in resp.rooms.join.items():
            for event in [*info.state, *info.timeline.events]:
                if isinstance(event, RoomCreateEvent):
                    extra = (event.source.get("content") or {}).get("additional_creators") or []
                    self._creators[room_id] = frozenset([event.sender, *extra])
        now = self.clock.now()
        if first:  # history: remember the rooms, act on nothing
            for room_id in resp.rooms.join:
                await self._mark_joined(room_id, now)
            await self._save_token(resp.next_batch)
            return
        jobs: list[tuple[str, Any]] = []
        left: list[tuple[str, str]] = []  # (room, member) who left or were removed
        stale = history = 0
        limit = timedelta(seconds=self.config.bot.catch_up_seconds)
        since = self._token  # the token this sync started from
        for room_id, info in resp.rooms.join.items():
            joined_at = self._joined_at.get(self._room_key(room_id))
            if joined_at is None:  # unknown room (e.g. a lost database): treat as joined now
                joined_at = now
                await self._mark_joined(room_id, now)
            invited_at: datetime | None = None  # of a DM invitation, see _spoken_to_while_invited
            for event in await self._timeline(room_id, info, since, now - limit):
                if self._is_own_join(event):
                    joined_at = _ts(event)
                    await self._mark_joined(room_id, joined_at)
                    continue
                if self._is_own_dm_invite(event):
                    invited_at = _ts(event)
                    continue
                if self._is_member_leaving(event) and _ts(event) >= joined_at:
                    left.append((room_id, event.state_key))
                    continue
                if not isinstance(event, ACTED_ON) or not self._from_a_person(event.sender):
                    continue
                sent = _ts(event)
                if sent < joined_at and not (invited_at is not None and invited_at <= sent
                                             and await self._spoken_to_while_invited(room_id)):
                    history += 1
                elif now - sent > limit:
                    stale += 1
                else:
                    jobs.append((room_id, event))
        if stale or history:
            log.info("sync.skipped", **fields(too_old=stale, before_join=history))
        claimed = await self._claim([event.event_id for _, event in jobs], resp.next_batch)
        started = []
        for room_id, event in jobs:
            if event.event_id in claimed:
                task = asyncio.create_task(self._handle(room_id, event))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
                started.append(task)
        if started:  # see QUICK_ANSWER_S
            await asyncio.wait(started, timeout=QUICK_ANSWER_S)
        for room_id, user_id in left:
            await self._on_member_left(room_id, user_id)
        await self._prune(now)

    async def _timeline(self, room_id: str, info: Any, since: str | None, oldest: datetime) -> list[Any]:
        """The room's new events, in order. When more arrived since the last sync than the filter's
        timeline limit (a burst of commands, a catch-up after a restart), the homeserver sends only
        the latest ones and marks the timeline "limited": the rest is fetched with /messages, back
        to the last sync (or to the catch-up limit), so no command is lost."""
        events = list(info.timeline.events)
        if not info.timeline.limited or since is None or not info.timeline.prev_batch:
            return events
        older: list[Any] = []
        token = info.timeline.prev_batch
        for _ in range(GAP_PAGES):
            resp = await self.client.room_messages(room_id, start=token, end=since, limit=GAP_PAGE_SIZE,
                                                   direction=MessageDirection.back)
            if not isinstance(resp, RoomMessagesResponse):
                log.warning("sync.gap_not_filled", **fields(reason=getattr(resp, "status_code", None)))
                break
            older.extend(resp.chunk)
            if not resp.chunk or not resp.end or resp.end == token or _ts(resp.chunk[-1]) < oldest:
                break
            token = resp.end
        log.info("sync.gap_filled", **fields(events=len(older)))
        return [*reversed(older), *events]

    def _is_own_join(self, event: Any) -> bool:
        return (isinstance(event, RoomMemberEvent) and event.state_key == self.config.matrix.user_id
                and event.membership == "join" and event.prev_membership != "join")

    def _is_member_leaving(self, event: Any) -> bool:
        return (isinstance(event, RoomMemberEvent) and event.state_key != self.config.matrix.user_id
                and event.membership in ("leave", "ban") and event.prev_membership == "join")

    async def _on_member_left(self, room_id: str, user_id: str) -> None:
        try:
            community = await self.services.reads.community_of(self.services.db, room_id)
            if community is not None:
                await features.member_left(self.services, community, user_id)
        except Exception as exc:  # logged, never lost quietly; the next sync goes on
            log.error("member_left.failed", exc_info=exc, **fields(incident=incident_id()))

    def _is_own_dm_invite(self, event: Any) -> bool:
        return (isinstance(event, RoomMemberEvent) and event.state_key == self.config.matrix.user_id
                and event.membership == "invite" and bool((event.content or {}).get("is_direct")))

    async def _spoken_to_while_invited(self, room_id: str) -> bool:
        """Element sends the first message of a new DM as soon as the bot is invited, before it
        has joined: in a DM, what came after the invitation was said to the bot. In any other
        room, what was said before the bot joined is history, never acted on."""
        community = await self.services.reads.community_of(self.services.db, room_id)
        return self.is_dm(self.client.rooms.get(room_id), community)

    def _from_a_person(self, sender: str) -> bool:
        return sender != self.config.matrix.user_id and sender not in self.config.matrix.ignored_users

    async def _on_invite(self, room_id: str, info: Any) -> None:
        me = self.config.matrix.user_id
        inviter = next((e.sender for e in info.invite_state
                        if isinstance(e, InviteMemberEvent) and e.state_key == me
                        and e.membership == "invite"), None)
        if inviter is None:
            return
        if not inviter_allowed(inviter, self.config.matrix.allowed_inviters):
            log.info("invite.declined", **fields(reason="inviter not in allowed_inviters"))
            await self.client.room_leave(room_id)
            return
        resp = await self.client.join(room_id)
        if isinstance(resp, JoinError):
            log.warning("invite.join_failed", **fields(status=resp.status_code))
            return
        await self._mark_joined(room_id, self.clock.now())
        log.info("invite.joined", **fields(room=self._room_key(room_id)[:8]))

    # ----- handling one message ------------------------------------------

    def _room_view(self, room_id: str) -> NioRoomView | None:
        room = self.client.rooms.get(room_id)
        if room is None:
            return None
        return NioRoomView(room, self.config.matrix.user_id, self._creators.get(room_id, frozenset()))

    @staticmethod
    def is_dm(room: MatrixRoom | None, community: Community | None) -> bool:
        """A DM: just the bot and one person, in an unnamed room that is not a community."""
        return (community is None and room is not None and room.member_count <= 2
                and not room.name)

    async def _note_poster(self, community: Community, sender: str) -> None:
        """Count who has posted, as a keyed hash: the signal needs a number, not names."""
        key = self.services.keyring.key(f"poster:{community.id}", sender)
        if key in self._posters:
            return
        async with self.services.db() as session:
            await communities.add_poster(session, community.id, key)
        self._posters.add(key)

    async def _handle(self, room_id: str, event: Any) -> None:
        async with self._room_locks[room_id]:  # one room's messages in order
            try:
                room = self.client.rooms.get(room_id)
                community = await self.services.reads.community_of(self.services.db, room_id)
                if isinstance(event, MegolmEvent):
                    await self._on_undecryptable(room_id, community, event)
                    return
                if isinstance(event, NOT_TEXT):
                    if self.is_dm(room, community):
                        await refuse_attachment(Context(
                            services=self.services, room_id=room_id, sender=event.sender, event_id=event.event_id,
                            is_dm=True, thread_root=None, lang=self.config.bot.language))
                    return
                if not isinstance(event, RoomMessageText):
                    await self._handle_relation(community, event)
                    return
                if community is not None and community.closed_at is None:
                    await self._note_poster(community, event.sender)
                is_dm = self.is_dm(room, community)
                text = command_text(strip_reply_fallback(event.body),
                                    self.config.bot.command_prefix, is_dm)
                root = thread_root_of(event)
                if text is None:
                    if root:  # a reply to a consultation, kept in memory for `replies` (bot.consult.replies)
                        self.services.replies.note(root, ThreadReply(
                            (room.user_name(event.sender) if room else None) or event.sender,
                            strip_reply_fallback(event.body), _ts(event), event.event_id))
                    if community is not None and root and community.closed_at is None:
                        await count_reply(self.services, community, root, event.sender, _ts(event))
                    if root:
                        await features.thread_reply(self.services, room_id, root, event.sender, _ts(event))
                    return
                lang = community.language if community else self.config.bot.language
                ctx = Context(services=self.services, room_id=room_id, sender=event.sender,
                              event_id=event.event_id, is_dm=is_dm, thread_root=root,
                              lang=lang, community=community)
                if is_dm and await intercept(ctx, text):
                    return
                if not is_dm and await misplaced(ctx, text):  # a case command in a shared room
                    return
                await dispatch(self.services.registry, ctx, text)
            except Exception as exc:  # a failed answer must be visible in the log, never lost quietly
                log.error("event.handling_failed", exc_info=exc, **fields(incident=incident_id()))

    async def _on_undecryptable(self, room_id: str, community: Community | None, event: MegolmEvent) -> None:
        """Ask the sender's devices for the key, and tell the sender once an hour."""
        try:
            await self.client.request_room_key(event)
        except Exception as exc:  # already requested, or no olm machine: the notice still goes out
            log.debug("e2ee.key_request_skipped", **fields(reason=type(exc).__name__))
        notify = self._undecryptable.due(event.sender, self.clock.now())
        log.info("e2ee.undecryptable", **fields(notice=notify))
        if not notify:
            return
        lang = community.language if community else self.config.bot.language
        await self.services.sender.send(
            room_id, self.services.catalogue.render(lang, "e2ee.undecryptable"),
            reply_to=event.event_id, thread_root=thread_root_of(event),
            mentions={"user_ids": [event.sender]})

    async def _handle_relation(self, community: Community | None, event: Any) -> None:
        """Reactions to workshop posts are RSVPs; removing one withdraws it."""
        if community is None or community.closed_at is not None:
            return
        if isinstance(event, ReactionEvent):
            await features.reaction(self.services, community, event.sender, event.reacts_to, event.key, event.event_id)
        elif isinstance(event, RedactionEvent) and event.redacts:
            await features.redaction(self.services, event.redacts)

    # ----- bookkeeping in the database -------------------------------------

    def _room_key(self, room_id: str) -> str:
        return self.services.keyring.key("room", room_id)

    async def _mark_joined(self, room_id: str, at: datetime) -> None:
        key = self._room_key(room_id)
        self._joined_at[key] = at
        async with self.services.db() as session:
            row = await session.get(JoinedRoom, key)
            if row is None:
                session.add(JoinedRoom(room_key=key, joined_at=at))
            else:
                row.joined_at = at
            await session.commit()

    async def _claim(self, event_ids: list[str], token: str) -> set[str]:
        """Record events as handled; return the events not handled before. Then the sync token,
        at most every TOKEN_SAVE_INTERVAL_S (and at stop), in its own commit after the claim's: a
        restart from a slightly older token sees those events again, and each was either not acted
        on or is claimed already. (Saving it with every claim cost a third of the claim's time.)"""
        self._token = token
        new: set[str] = set()
        if event_ids:
            keys = {self.services.keyring.key("event", e): e for e in dict.fromkeys(event_ids)}
            async with self.services.db() as session:
                claimed = await sync_state.claim(session, list(keys), self.clock.now())
                await session.commit()
            new = {e for k, e in keys.items() if k in claimed}
        if self._token_saved_at is None or time.monotonic() - self._token_saved_at >= TOKEN_SAVE_INTERVAL_S:
            await self._save_token(token)
        return new

    async def _save_token(self, token: str) -> None:
        self._token = token
        async with self.services.db() as session:
            await sync_state.put_token(session, token)
            await session.commit()
        self._token_saved_at = time.monotonic()

    async def _prune(self, now: datetime) -> None:
        """Forget handled events too old to come back through catch-up."""
        if self._last_prune and now - self._last_prune < timedelta(hours=1):
            return
        self._last_prune = now
        horizon = now - max(timedelta(days=1), 2 * timedelta(seconds=self.config.bot.catch_up_seconds))
        async with self.services.db() as session:
            await session.exec(delete(HandledEvent).where(HandledEvent.handled_at < horizon))
            await session.commit()


def _ts(event: Any) -> datetime:
    return datetime.fromtimestamp(event.server_timestamp / 1000, timezone.utc)
