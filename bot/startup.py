"""Start-up checks, run before the bot opens its database or syncs.

1. Files that hold secrets or case data (the config when it carries a token or
   password, the secret file, `copbot login`'s credentials, the encryption store,
   the cross-signing keys in it, and the SQLite database) get a warning if group or
   others may read them.
2. Missing ones are made owner-only, whatever the umask: the secret file (0600)
   and its folder (0700), the store folder (0700), an empty SQLite file (0600).
   A malformed secret stops the bot with a clear message.
3. The token (or password) is checked with /whoami. An unreachable homeserver is
   retried for `[matrix].startup_timeout_seconds`, then the bot stops; a refused
   token, or a token for another user, stops it at once.

From then on the token, the password, the secret and its derived keys are
masked in every log line (bot.logs.SecretMask).
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import time
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Awaitable, Callable

from aiohttp.client_exceptions import ClientError
from nio import AsyncClient, AsyncClientConfig, LoginResponse, WhoamiResponse

from bot import logs
from bot.config import Config
from bot.cross_signing import FILE_NAME as CROSS_SIGNING_FILE
from bot.keys import DERIVED_PURPOSES, Keyring, SecretError, load_or_create_secret, make_private_dir
from bot.logs import fields

log = logging.getLogger(__name__)

MAX_RETRY_WAIT_S = 5.0
REQUEST_TIMEOUT_S = 10.0
# The homeserver's answers that mean "these credentials are no good", not "try later".
REFUSED = {"M_UNKNOWN_TOKEN", "M_MISSING_TOKEN", "M_FORBIDDEN", "M_USER_DEACTIVATED", "M_USER_LOCKED"}
SQLITE_PREFIX = "sqlite+aiosqlite:///"


class FatalError(Exception):
    """The bot cannot go on (bad credentials, for instance); the message says what to fix."""


class Stopped(Exception):
    """The bot was asked to stop before it had started."""


class _Unreachable(Exception):
    """One failed try: the network, a timeout or a 5xx/429 answer; worth another try."""


async def preflight(config: Config, *, stopping: asyncio.Event | None = None) -> Config:
    """Everything above, in order. Returns the config with a token (a password login gives one)."""
    m = config.matrix
    logs.protect(m.access_token, m.password)
    warn_readable_files(config)
    secret = prepare_files(config)
    logs.protect(*secret_forms(secret))
    user_id, config = await check_credentials(config, timeout=m.startup_timeout_seconds, stopping=stopping)
    log.info("startup.credentials_ok", **fields(user=user_id))
    return config


# ----- 1. who may read the files -------------------------------------------------


def readable_files(config: Config) -> list[tuple[Path, int, str]]:
    """(path, mode, fix) for every secret-holding file or folder that group or others may use."""
    found: list[tuple[Path, int, str]] = []
    seen: set[Path] = set()

    def check(path: Path, directory: bool = False) -> None:
        try:
            st = path.stat()
        except OSError:
            return
        key = path.resolve()
        if key in seen or stat.S_ISDIR(st.st_mode) != directory:
            return
        seen.add(key)
        mode = stat.S_IMODE(st.st_mode)
        if mode & 0o077:
            shown = Path(os.path.abspath(path))
            found.append((shown, mode, f"chmod {'700' if directory else '600'} {shown}"))

    if config.source is not None and _config_holds_secrets(config.source):
        check(config.source)
    secret_file = config.bot.secret_file
    check(secret_file)
    folders = [secret_file.parent]
    if config.source is not None:
        folders.append(config.source.resolve().parent / "data")
    for folder in folders:
        check(folder / "credentials.toml")  # what `copbot login` writes
    store = config.matrix.store_path
    check(store / CROSS_SIGNING_FILE)  # the account's master key: checked even in a closed folder
    before = len(found)
    check(store, directory=True)
    if len(found) > before:  # an open store: its files too (in a 0700 folder, nio's 0644 files are safe)
        for item in sorted(store.iterdir()):
            check(item)
    db = sqlite_path(config.database.url)
    if db is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            check(db.with_name(db.name + suffix))
    return found


def warn_readable_files(config: Config) -> int:
    problems = readable_files(config)
    for path, mode, fix in problems:
        log.warning("startup.file_readable_by_others",
                    **fields(file=str(path), mode=f"{mode:04o}", fix=fix))
    return len(problems)


def _config_holds_secrets(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            matrix = tomllib.load(fh).get("matrix") or {}
    except (OSError, ValueError):
        return False
    return isinstance(matrix, dict) and bool(matrix.get("access_token") or matrix.get("password"))


def sqlite_path(url: str) -> Path | None:
    if not url.startswith(SQLITE_PREFIX) or ":memory:" in url:
        return None
    return Path(url[len(SQLITE_PREFIX):].split("?", 1)[0])


# ----- 2. owner-only files on first start ----------------------------------------


def prepare_files(config: Config) -> bytes:
    """Create what is missing, owner-only; return the bot's secret. Raises FatalError."""
    try:
        secret = load_or_create_secret(config.bot.secret_file)
    except SecretError as exc:
        raise FatalError(str(exc)) from None
    except OSError as exc:
        raise FatalError(f"cannot read or create the secret file {config.bot.secret_file} "
                         f"([bot].secret_file): {exc.strerror or type(exc).__name__}") from None
    try:
        make_private_dir(config.matrix.store_path)
        db = sqlite_path(config.database.url)
        if db is not None and not db.exists():
            make_private_dir(db.parent)
            # An empty file is an empty SQLite database; SQLite gives its journal the same mode.
            fd = os.open(db, os.O_WRONLY | os.O_CREAT, 0o600)
            os.fchmod(fd, 0o600)
            os.close(fd)
    except OSError as exc:
        raise FatalError(f"cannot create {exc.filename or 'a data folder'}: "
                         f"{exc.strerror or type(exc).__name__}") from None
    return secret


def secret_forms(secret: bytes) -> list[str]:
    """The secret and the keys derived from it, as they could appear in a log: hex."""
    keyring = Keyring(secret)
    return [secret.hex()] + [keyring.derive(purpose).hex() for purpose in DERIVED_PURPOSES]


# ----- 3. the credentials --------------------------------------------------------


async def check_credentials(
    config: Config, *, timeout: float, stopping: asyncio.Event | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> tuple[str, Config]:
    """Check the token (or log in with the password) and return (user id, config with a token).

    Network failures are retried with a short backoff for `timeout` seconds (0: one try).
    Raises FatalError with a message that names the setting to fix, or Stopped.
    """
    m = config.matrix
    started = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        remaining = timeout - (time.monotonic() - started)
        try:
            return await _check_once(config, min(REQUEST_TIMEOUT_S, max(1.0, remaining)))
        except _Unreachable as exc:
            reason = str(exc)
        waited = time.monotonic() - started
        if waited >= timeout:
            raise FatalError(
                f"cannot reach the homeserver at {m.homeserver} after {round(waited)} s "
                f"({attempt} {'try' if attempt == 1 else 'tries'}): {reason}. Check [matrix].homeserver and the network; "
                f"[matrix].startup_timeout_seconds sets how long to try.")
        if attempt == 1:
            log.warning("startup.homeserver_unreachable", **fields(reason=reason, retry_for_s=timeout))
        delay = min(MAX_RETRY_WAIT_S, 0.5 * 2 ** (attempt - 1), max(0.0, timeout - waited))
        log.info("startup.retry", **fields(attempt=attempt, wait_s=round(delay, 1)))
        if sleep is not None:
            await sleep(delay)
        elif stopping is None:
            await asyncio.sleep(delay)
        else:
            try:
                await asyncio.wait_for(stopping.wait(), timeout=delay)
            except asyncio.TimeoutError:
                pass
        if stopping is not None and stopping.is_set():
            raise Stopped()


async def _check_once(config: Config, request_timeout: float) -> tuple[str, Config]:
    m = config.matrix
    client = AsyncClient(m.homeserver, m.user_id, device_id=m.device_id, config=AsyncClientConfig(
        encryption_enabled=False, store_sync_tokens=False, max_limit_exceeded=0, max_timeouts=0,
        request_timeout=request_timeout))
    try:
        if m.access_token:
            client.restore_login(m.user_id, m.device_id, m.access_token)
        else:
            resp = await client.login(m.password, device_name="copbot")
            if not isinstance(resp, LoginResponse):
                _raise_for(resp, m.homeserver, "the password ([matrix].password or COPBOT_PASSWORD)", m.user_id)
            logs.protect(resp.access_token)
            config = replace(config, matrix=replace(m, access_token=resp.access_token,
                                                    device_id=resp.device_id))
            log.info("startup.logged_in_with_password", **fields(device=resp.device_id))
        who = await client.whoami()
        if not isinstance(who, WhoamiResponse):
            _raise_for(who, m.homeserver, "the access token ([matrix].access_token or COPBOT_ACCESS_TOKEN)",
                       m.user_id)
    except (ClientError, asyncio.TimeoutError, TimeoutError, OSError) as exc:
        raise _Unreachable(_reason(exc)) from None
    finally:
        await client.close()
    if who.user_id != m.user_id:
        raise FatalError(f"the access token belongs to {who.user_id}, not to [matrix].user_id {m.user_id}. "
                         f"Put the bot's own token in [matrix].access_token (or COPBOT_ACCESS_TOKEN), "
                         f"or correct [matrix].user_id.")
    device = config.matrix.device_id
    if config.matrix.encryption and who.device_id and who.device_id != device:
        raise FatalError(f"the access token was made for device {who.device_id}, not for [matrix].device_id "
                         f"{device}; the encryption keys belong to one device. Set [matrix].device_id = "
                         f'"{who.device_id}", or log in again with `copbot login --device-id {device}`.')
    return who.user_id, config


def _raise_for(resp: object, homeserver: str, what: str, user_id: str) -> None:
    """Turn an error answer into FatalError (refused) or _Unreachable (try again)."""
    transport = getattr(resp, "transport_response", None)
    http = getattr(transport, "status", None)
    code = getattr(resp, "status_code", None)
    if http in (401, 403) or code in REFUSED:
        raise FatalError(
            f"the homeserver at {homeserver} refused {what} ({code or http}). Get a new token with "
            f"`copbot login --homeserver {homeserver} --user {user_id}` and put it in "
            f"[matrix].access_token or COPBOT_ACCESS_TOKEN.")
    if http is None or http >= 500 or http == 429:
        raise _Unreachable(f"HTTP {http}" if http else (code or "no answer"))
    answer = f"HTTP {http}, {code}" if code else f"HTTP {http}"
    raise FatalError(f"{homeserver} does not answer as a Matrix homeserver ({answer}); check "
                     f"[matrix].homeserver: it is the client URL, e.g. https://matrix.example.org")


def _reason(exc: BaseException) -> str:
    """A short, secret-free reason for a network failure."""
    cause = getattr(exc, "os_error", None) or exc
    detail = getattr(cause, "strerror", None)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


async def check_login(config: Config) -> str:
    """`copbot check-config`: one try at the credentials; the user id the homeserver sees."""
    user_id, _ = await check_credentials(config, timeout=0)
    return user_id
