"""The bot's server-side secret and keyed hashes made with it.

The secret lives in a file outside the database (mode 0600), so a copy of
the database alone cannot reverse a keyed hash by trying known ids.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


SECRET_HEX_LENGTH = 64  # 32 random bytes
# Every purpose Keyring.derive is called with, so the log filter can mask the derived secrets too.
DERIVED_PURPOSES = ("case-code",)


class SecretError(ValueError):
    """The secret file (or COPBOT_SECRET_KEY) is not usable; the message never quotes it."""


def make_private_dir(path: Path) -> None:
    """Create `path` and any missing parents with mode 0700, whatever the umask."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask


def create_private_file(path: Path, text: str) -> None:
    """Write a new file that only its owner can read (0600), whatever the umask; never overwrites."""
    make_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as fh:
            fd = -1
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    finally:
        if fd != -1:
            os.close(fd)


def _parse_secret(text: str, where: str) -> bytes:
    value = text.strip()
    if len(value) != SECRET_HEX_LENGTH or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise SecretError(
            f"{where} does not hold a valid secret (expected {SECRET_HEX_LENGTH} hexadecimal "
            f"characters, found {len(value)} characters). Restore it from your backup: a new secret "
            f"would make the stored pseudonyms and case codes unreadable. Only on a new "
            f"installation, delete it and a new one is made at start.")
    return bytes.fromhex(value)


def load_or_create_secret(path: Path, env: dict[str, str] | None = None) -> bytes:
    """The bot's secret: COPBOT_SECRET_KEY, else the file, else a new file (0600, folder 0700).

    Raises SecretError if the value found is not 64 hex characters, OSError if the file
    cannot be read or made.
    """
    env = os.environ if env is None else env
    if env.get("COPBOT_SECRET_KEY"):
        return _parse_secret(env["COPBOT_SECRET_KEY"], "the environment variable COPBOT_SECRET_KEY")
    if path.exists():
        return _parse_secret(path.read_text(errors="replace"), f"the secret file {path}")
    value = secrets.token_bytes(32)
    try:
        create_private_file(path, value.hex() + "\n")
    except FileExistsError:  # another process made it first: use theirs
        return _parse_secret(path.read_text(errors="replace"), f"the secret file {path}")
    return value


class Keyring:
    def __init__(self, secret: bytes):
        self._secret = secret

    def key(self, purpose: str, value: str) -> str:
        """A stable keyed hash; `purpose` keeps hashes of one kind apart from another."""
        mac = hmac.new(self._secret, f"{purpose}\0{value}".encode(), hashlib.sha256)
        return mac.hexdigest()[:32]

    def derive(self, purpose: str) -> bytes:
        """A secret of its own for one purpose (e.g. the case-code pepper), from the bot's secret."""
        return hmac.new(self._secret, f"derive\0{purpose}".encode(), hashlib.sha256).digest()


def member_key(keyring: Keyring, community_id: int, user_id: str) -> str:
    """A member's pseudonym within one community: counts people without naming them."""
    return keyring.key(f"member:{community_id}", user_id)


def impact_key(keyring: Keyring, user_id: str) -> str:
    """A member's pseudonym for check-ins and impacts, the same in every community, so
    `forget-me` can find all of it; only the bot's secret links it back to the user id."""
    return keyring.key("impact-member", user_id)
