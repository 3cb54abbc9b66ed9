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


def load_or_create_secret(path: Path, env: dict[str, str] | None = None) -> bytes:
    env = os.environ if env is None else env
    if env.get("COPBOT_SECRET_KEY"):
        return bytes.fromhex(env["COPBOT_SECRET_KEY"])
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value.hex() + "\n")
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
