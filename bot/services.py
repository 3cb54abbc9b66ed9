"""The bot's shared parts, handed to every command through its Context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.clock import Clock
from bot.config import Config
from bot.dialogs import DialogDesk
from bot.consult.limits import Limits
from bot.consult.janitor import Janitor
from bot.consult.replies import ReplyBook
from bot.framework import Registry
from bot.i18n import Catalogue
from bot.keys import Keyring
from bot.matrix_ops import MatrixOps
from bot.reads import Reads
from bot.rooms import RoomView
from bot.scheduler import Schedule
from bot.sender import Sender
from domain.prompts import Library


@dataclass
class Services:
    config: Config
    catalogue: Catalogue
    db: async_sessionmaker
    keyring: Keyring
    sender: Sender
    clock: Clock
    registry: Registry
    user_id: str
    rooms: Callable[[str], RoomView | None]  # what the bot knows of a room it is in
    matrix: MatrixOps
    scheduler: Schedule
    consult_desk: DialogDesk  # consultation requests being written, in memory only
    limits: Limits  # per-member consultation limits, in memory only
    library: Library  # the prompt library, validated at start
    checkin_desk: DialogDesk  # check-ins being answered, in memory only
    reads: Reads = field(default_factory=Reads)  # fed by the session factory's on_commit
    replies: ReplyBook = field(default_factory=ReplyBook)  # consultation threads, in memory only
    janitor: Janitor = field(default_factory=Janitor)  # DM messages to delete later, in memory only
