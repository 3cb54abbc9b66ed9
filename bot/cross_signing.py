"""The bot's cross-signing identity: master, self-signing and user-signing keys.

Members' clients show a message as trusted only if its device is signed by its owner's
self-signing key, which the owner's master key signs (spec: "Cross-signing"). The three
private keys are 32-byte ed25519 seeds in `<store>/cross_signing.json` (0600, like the
store); the recovery key is the master seed in the recovery-key encoding Element uses
(0x8B 0x01, the seed, a parity byte; base58; groups of four). It is the master key only,
not an Element "Security Key" for secret storage: `copbot cross-sign --recovery-key`
takes it to sign a new device after the store was lost.

Signing uses pycryptodome's EdDSA (RFC 8032), which matrix-nio already depends on, so
no new cryptographic library is added. Nothing here logs a key: the seeds and the
recovery key are also handed to the log mask as soon as they are known.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from Crypto.Signature import eddsa

from bot import logs
from bot.keys import create_private_file

FILE_NAME = "cross_signing.json"
USAGES = ("master", "self_signing", "user_signing")
_PREFIX = b"\x8b\x01"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class CrossSigningError(Exception):
    """Cross-signing could not be set up; the message says what to do, never quotes a key."""


class NeedsPassword(CrossSigningError):
    """The homeserver asks for the account's password (user-interactive auth)."""


# ----- keys and signed JSON -----------------------------------------------------------


def b64(data: bytes) -> str:
    """Unpadded standard base64, as Matrix writes keys and signatures."""
    return base64.b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def public_key(seed: bytes) -> str:
    return b64(eddsa.import_private_key(seed).public_key().export_key(format="raw"))


def canonical_json(obj: dict[str, Any]) -> bytes:
    """The bytes a signature covers: without `signatures` and `unsigned`, keys sorted, no spaces."""
    body = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def sign(obj: dict[str, Any], seed: bytes, user_id: str, key_id: str | None = None) -> dict[str, Any]:
    """A copy of `obj` with one more signature by `seed` (key id ed25519:<public key> by default)."""
    signature = eddsa.new(eddsa.import_private_key(seed), "rfc8032").sign(canonical_json(obj))
    out = json.loads(json.dumps(obj))
    out.setdefault("signatures", {}).setdefault(user_id, {})[key_id or f"ed25519:{public_key(seed)}"] = b64(signature)
    return out


def verify(obj: dict[str, Any], user_id: str, public: str, key_id: str | None = None) -> bool:
    """Whether `obj` carries a valid signature by the ed25519 key `public` (base64)."""
    signature = ((obj.get("signatures") or {}).get(user_id) or {}).get(key_id or f"ed25519:{public}")
    if not isinstance(signature, str):
        return False
    try:
        eddsa.new(eddsa.import_public_key(unb64(public)), "rfc8032").verify(canonical_json(obj), unb64(signature))
    except (ValueError, TypeError):
        return False
    return True


def key_object(user_id: str, usage: str, seed: bytes) -> dict[str, Any]:
    pub = public_key(seed)
    return {"user_id": user_id, "usage": [usage], "keys": {f"ed25519:{pub}": pub}}


def only_key(obj: dict[str, Any] | None) -> str | None:
    """The public key of a cross-signing key object (each holds exactly one)."""
    keys = list((obj or {}).get("keys", {}).values())
    return keys[0] if len(keys) == 1 else None


# ----- the recovery key -----------------------------------------------------------


def encode_recovery_key(seed: bytes) -> str:
    data = _PREFIX + seed
    parity = 0
    for byte in data:
        parity ^= byte
    data += bytes([parity])
    number, text = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        text = _B58[digit] + text
    text = "1" * (len(data) - len(data.lstrip(b"\0"))) + text
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def decode_recovery_key(text: str) -> bytes:
    """The 32-byte seed; CrossSigningError if the key is mistyped (parity) or not one."""
    digits = "".join(text.split())
    if not digits or any(c not in _B58 for c in digits):
        raise CrossSigningError("this is not a recovery key (it has characters a recovery key never has)")
    number = 0
    for c in digits:
        number = number * 58 + _B58.index(c)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    data = b"\0" * (len(digits) - len(digits.lstrip("1"))) + body
    parity = 0
    for byte in data:
        parity ^= byte
    if len(data) != 35 or not data.startswith(_PREFIX) or parity != 0:
        raise CrossSigningError("this recovery key is mistyped or incomplete (its check digit does not match)")
    return data[2:34]


# ----- the private keys on disk --------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    user_id: str
    master: bytes
    self_signing: bytes
    user_signing: bytes

    @classmethod
    def generate(cls, user_id: str, master: bytes | None = None) -> "Identity":
        return cls(user_id, master or secrets.token_bytes(32), secrets.token_bytes(32), secrets.token_bytes(32))

    def seed(self, usage: str) -> bytes:
        return getattr(self, usage)

    def public(self, usage: str) -> str:
        return public_key(self.seed(usage))

    def recovery_key(self) -> str:
        return encode_recovery_key(self.master)

    def protect_in_logs(self) -> None:
        key = self.recovery_key()
        logs.protect(*(b64(self.seed(u)) for u in USAGES), key, key.replace(" ", ""))

    def upload_body(self, usages: tuple[str, ...] = USAGES) -> dict[str, Any]:
        """The body of /keys/device_signing/upload: the master key, and the others signed by it."""
        body = {}
        for usage in usages:
            obj = key_object(self.user_id, usage, self.seed(usage))
            body[f"{usage}_key"] = obj if usage == "master" else sign(obj, self.master, self.user_id)
        return body


def key_file(store_path: Path) -> Path:
    return store_path / FILE_NAME


def load(store_path: Path) -> Identity | None:
    path = key_file(store_path)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        identity = Identity(data["user_id"], *(unb64(data[u]) for u in USAGES))
    except (ValueError, KeyError, TypeError):
        raise CrossSigningError(f"{path} is damaged; restore it from the backup of the store, or move it "
                                f"aside and run `copbot cross-sign --recovery-key`") from None
    if any(len(identity.seed(u)) != 32 for u in USAGES):
        raise CrossSigningError(f"{path} is damaged (a key has the wrong length); restore it from the backup")
    identity.protect_in_logs()
    return identity


def save(store_path: Path, identity: Identity) -> None:
    """Owner-only (0600, folder 0700) from the start; never overwrites an existing file."""
    data = {"version": 1, "user_id": identity.user_id, **{u: b64(identity.seed(u)) for u in USAGES}}
    create_private_file(key_file(store_path), json.dumps(data, indent=1) + "\n")
