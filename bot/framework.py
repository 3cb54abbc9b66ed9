"""Declarative commands, in the style of maubot and discord.py's ext.commands.

A command is one async function in a module under bot/commands/, declared
with @command. Its typed parameters are its arguments:

    @command("rsvp", checks=[room_only])
    async def rsvp(ctx, n: int, answer: Literal["yes", "no", "maybe"]): ...

A keyword-only `str` parameter takes the rest of the line, spacing kept.
Help, usage and an example for each command come from the catalogue under
`cmd.<name with spaces as underscores>`. The dispatcher finds the command,
runs its checks, converts the arguments and calls it; one error handler
turns failures into answers.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
import re
import secrets
import typing
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Literal

from bot.logs import fields
from domain.errors import InputError

log = logging.getLogger(__name__)

MAX_COMMAND_CHARS = 20_000
MARK = "__copbot_command__"


class BadArgument(InputError):
    """The arguments don't fit; `key` names the catalogue reason, if any."""

    def __init__(self, key: str = "error.bad_arguments", **params: object):
        super().__init__(key, **params)


class CheckFailure(Exception):
    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Check:
    """A named condition on the caller; `refusal` is the catalogue key shown when it fails."""

    name: str
    predicate: Callable[[Any], Awaitable[bool]]
    refusal: str

    async def passes(self, ctx: Any) -> bool:
        return await self.predicate(ctx)


class Converter:
    """Base for argument types richer than int/str; `convert` raises BadArgument."""

    def convert(self, token: str) -> Any:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass
class Param:
    name: str
    kind: Any  # int, str, a Literal, or a Converter instance
    required: bool
    default: Any
    rest: bool


@dataclass
class Command:
    name: str
    func: Callable[..., Awaitable[None]]
    aliases: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    hidden: bool = False
    params: list[Param] = field(default_factory=list)
    scope: str = "any"  # "dm" or "room" lets two commands share a name, e.g. `close`
    catalogue_name: str | None = None

    @property
    def key(self) -> str:
        return "cmd." + (self.catalogue_name or self.name).replace(" ", "_")

    def fits(self, is_dm: bool) -> bool:
        return self.scope == "any" or (self.scope == "dm") == is_dm

    def parse(self, argtext: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        remaining = argtext.strip()
        for param in self.params:
            if param.rest:
                if remaining:
                    values[param.name] = remaining
                elif param.required:
                    raise BadArgument("error.missing_argument", name=param.name)
                remaining = ""
                continue
            if not remaining:
                if param.required:
                    raise BadArgument("error.missing_argument", name=param.name)
                values[param.name] = param.default
                continue
            token, _, remaining = remaining.partition(" ")
            remaining = remaining.strip()
            values[param.name] = _convert(param, token)
        if remaining:
            raise BadArgument("error.extra_arguments")
        return values


# Embeddings, overrides and isolates reorder what follows them: a word holding one does not show
# as its letters ("\u202esutats" shows as "status"), so they are kept, and the word matches nothing.
_REORDERING = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def visible(word: str) -> str:
    """The word as a reader sees it: without the format characters that show nothing and move
    nothing (zero-width spaces and joiners, the byte-order mark, direction marks)."""
    return "".join(c for c in word if c in _REORDERING or unicodedata.category(c) != "Cf")


_WORD = re.compile(r"\S+")


def leading_words(text: str, n: int) -> tuple[list[str], str]:
    """The first `n` words of `text` as they show (see `visible`; a word made only of invisible
    characters is no word), and the rest of the text as written."""
    words: list[str] = []
    end = 0
    for match in _WORD.finditer(text):
        if len(words) == n:
            break
        end = match.end()
        if shown := visible(match.group()):
            words.append(shown)
    return words, text[end:].strip()


def _convert(param: Param, token: str) -> Any:
    kind = param.kind
    if isinstance(kind, Converter):
        return kind.convert(token)
    if typing.get_origin(kind) is Literal:
        choices = typing.get_args(kind)
        if token.lower() not in choices:
            raise BadArgument("error.not_a_choice", name=param.name, choices=" | ".join(choices))
        return token.lower()
    if kind is int:
        if not token.isascii() or not token.lstrip("-").isdigit() or len(token) > 9:
            raise BadArgument("error.not_a_number", name=param.name)
        return int(token)
    return token


def _params(func: Callable) -> list[Param]:
    hints = typing.get_type_hints(func, include_extras=True)
    out = []
    for p in list(inspect.signature(func).parameters.values())[1:]:  # skip ctx
        kind = hints.get(p.name, str)
        if isinstance(p.default, Converter):  # `arg=SomeConverter()` style
            kind, default, required = p.default, None, True
        else:
            default, required = p.default, p.default is inspect.Parameter.empty
        rest = p.kind is inspect.Parameter.KEYWORD_ONLY
        if rest and kind is not str:
            raise TypeError(f"{func.__name__}: only a str can take the rest of the line")
        out.append(Param(p.name, kind, required, None if required else default, rest))
    return out


def command(name: str, *, aliases: tuple[str, ...] = (), checks: list[Check] | None = None,
            hidden: bool = False, scope: Literal["any", "dm", "room"] = "any",
            catalogue_name: str | None = None) -> Callable:
    """Declare a command. Nothing is registered globally: the registry finds marked functions.

    `scope` restricts where the command runs; a DM command and a room command
    may then share a name (catalogue_name keeps their help apart).
    """

    def mark(func: Callable) -> Callable:
        setattr(func, MARK, Command(name, func, tuple(aliases), tuple(checks or ()), hidden,
                                    scope=scope, catalogue_name=catalogue_name))
        return func

    return mark


class Registry:
    def __init__(self, commands: list[Command]):
        self.commands = commands
        self._by_name: dict[tuple[str, ...], list[Command]] = {}
        for cmd in commands:
            cmd.params = _params(cmd.func)
            for label in (cmd.name, *cmd.aliases):
                same = self._by_name.setdefault(tuple(label.split()), [])
                if any(other.scope == "any" or other.scope == cmd.scope or cmd.scope == "any" for other in same):
                    raise ValueError(f"command name {label!r} declared twice")
                same.append(cmd)
        self._longest = max((len(k) for k in self._by_name), default=1)

    @classmethod
    def discover(cls, package: str = "bot.commands") -> "Registry":
        found = []
        pkg = importlib.import_module(package)
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{package}.{info.name}")
            for _, obj in inspect.getmembers(module, inspect.iscoroutinefunction):
                spec = getattr(obj, MARK, None)
                if spec is not None and obj.__module__ == module.__name__:
                    found.append(spec)
        return cls(found)

    @staticmethod
    def _pick(found: list[Command] | None, is_dm: bool) -> Command | None:
        if not found:
            return None
        return next((c for c in found if c.fits(is_dm)), found[0])

    def find(self, text: str, is_dm: bool = False) -> tuple[Command | None, str]:
        """The command named by the first words of `text`, and the rest of the text.

        Names are compared as they show: `sta\u200btus` is `status`."""
        words, _ = leading_words(text, self._longest)
        for n in range(len(words), 0, -1):
            cmd = self._pick(self._by_name.get(tuple(w.lower() for w in words[:n])), is_dm)
            if cmd is not None:
                return cmd, leading_words(text, n)[1]
        return None, text

    def get(self, name: str, is_dm: bool = False) -> Command | None:
        return self._pick(self._by_name.get(tuple(name.lower().split())), is_dm)

    async def allowed(self, ctx: Any) -> list[Command]:
        """The commands `ctx`'s sender may use here. Most commands share a few checks (facilitators
        only, anyone in the community), and a role check reads the database, so each distinct
        check runs once per call: `help` went from one role query per command (~40) to two."""
        verdicts: dict[int, bool] = {}

        async def passes(check: Check) -> bool:
            if id(check) not in verdicts:
                verdicts[id(check)] = await _passes_all((check,), ctx)
            return verdicts[id(check)]

        out = []
        for cmd in self.commands:
            if cmd.hidden or not cmd.fits(ctx.is_dm):
                continue
            if all([await passes(c) for c in cmd.checks]):
                out.append(cmd)
        return out


async def _passes_all(checks: tuple[Check, ...], ctx: Any) -> bool:
    try:
        return all([await c.passes(ctx) for c in checks])
    except CheckFailure:
        return False


def incident_id() -> str:
    return secrets.token_hex(4)


async def dispatch(registry: Registry, ctx: Any, text: str) -> None:
    """Run one command line; every failure becomes an answer, never an exception."""
    if len(text) > MAX_COMMAND_CHARS:
        await ctx.reply("error.too_long", limit=MAX_COMMAND_CHARS)
        return
    if not visible(text).strip():
        text = "help"
    cmd, argtext = registry.find(text, ctx.is_dm)
    if cmd is None:
        word = text.split()[0][:40]
        await ctx.reply("error.unknown_command", word=word, prefix=ctx.prefix)
        return
    ctx.command = cmd
    try:
        if not cmd.fits(ctx.is_dm):
            raise CheckFailure("error.dm_only" if cmd.scope == "dm" else "error.room_only")
        for check in cmd.checks:
            if not await check.passes(ctx):
                raise CheckFailure(check.refusal)
        kwargs = cmd.parse(argtext)
        await cmd.func(ctx, **kwargs)
    except Exception as exc:
        await answer_failure(ctx, exc, cmd.name, cmd)


async def answer_failure(ctx: Any, exc: Exception, name: str, cmd: Command | None = None) -> None:
    """The one error handler, for commands and for the DM dialogs (bot/dm.py): every failure
    becomes an answer, never an exception or silence."""
    if isinstance(exc, InputError):  # BadArgument, or a domain rule's PlanError, PromptError, …
        log.info("command.bad_argument", **fields(command=name, reason=exc.key))
        if cmd is None:
            await ctx.reply(exc.key, **exc.params)
        else:
            await ctx.reply_usage(cmd, exc.key, **exc.params)
    elif isinstance(exc, CheckFailure):
        log.info("command.refused", **fields(command=name, reason=exc.key))
        await ctx.reply(exc.key, **exc.params)
    else:  # apologise, keep the traceback in the log
        incident = incident_id()
        log.error("command.failed", exc_info=exc, **fields(command=name, incident=incident))
        await ctx.reply("error.unexpected", incident=incident)
