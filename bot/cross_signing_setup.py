"""Publishing the bot's cross-signing identity and signing its device (bot.cross_signing holds the keys).

nio has no API for /keys/device_signing/upload or /keys/signatures/upload, so these go
through `AsyncClient.send`: the client's own HTTP session and homeserver URL, with its
token. The flow follows mautrix-python's CrossSigningMachine and matrix-rust-sdk's
bootstrap: upload the three public keys (the first upload needs no password on
homeservers with MSC3967; replacing keys asks for it, user-interactive auth), then sign
the device with the self-signing key and the master key with the device key, as Element does.

`ensure` is idempotent: each call reads what the homeserver publishes first and changes
only what is missing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any, Awaitable, Callable

from aiohttp.client_exceptions import ClientError
from nio import AsyncClient, KeysUploadError

from bot import cross_signing as cs
from bot.config import Config
from bot.cross_signing import CrossSigningError, Identity, NeedsPassword
from bot.logs import fields

log = logging.getLogger(__name__)

API = "/_matrix/client/v3"
# What ensure() did; the CLI shows the recovery key after CREATED and REPLACED.
UNCHANGED, DEVICE_SIGNED, CREATED, RECOVERED, REPLACED, REPUBLISHED = (
    "unchanged", "device_signed", "created", "recovered", "replaced", "republished")
PasswordSource = Callable[[], Awaitable[str | None]]


async def call(client: AsyncClient, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    resp = await client.send("POST", API + path, json.dumps(body), headers={
        "Authorization": f"Bearer {client.access_token}", "Content-Type": "application/json"})
    try:
        data = await resp.json(content_type=None)
    except ValueError:
        data = None
    finally:
        resp.release()
    return resp.status, data if isinstance(data, dict) else {}


async def _published(client: AsyncClient) -> dict[str, Any]:
    """The account's public keys as others see them: master, self-signing, this device."""
    user = client.user_id
    status, data = await call(client, "/keys/query", {"device_keys": {user: [client.device_id]}})
    if status != 200:
        raise CrossSigningError(f"the homeserver did not answer the key query (HTTP {status})")
    return {"master": (data.get("master_keys") or {}).get(user),
            "self_signing": (data.get("self_signing_keys") or {}).get(user),
            "device": ((data.get("device_keys") or {}).get(user) or {}).get(client.device_id)}


async def _upload_keys(client: AsyncClient, body: dict[str, Any], password: PasswordSource) -> None:
    status, data = await call(client, "/keys/device_signing/upload", body)
    if status == 401 and "flows" in data:  # user-interactive auth: the account's password
        stages = {stage for flow in data.get("flows") or [] for stage in flow.get("stages") or []}
        if "m.login.password" not in stages:
            raise CrossSigningError(
                "the homeserver asks for an approval the bot cannot give (no password login); approve the "
                "cross-signing reset in the account's settings on the homeserver, then run the command again")
        secret = await password()
        if not secret:
            raise NeedsPassword("the homeserver asks for the bot account's password to publish its "
                                "cross-signing keys ([matrix].password or COPBOT_PASSWORD)")
        body = {**body, "auth": {"type": "m.login.password", "session": data.get("session"), "password": secret,
                                 "identifier": {"type": "m.id.user", "user": client.user_id}}}
        status, data = await call(client, "/keys/device_signing/upload", body)
        if status in (401, 403):
            raise CrossSigningError(f"the homeserver refused the bot account's password ({data.get('errcode')})")
    if status != 200:
        raise CrossSigningError(f"the homeserver refused the cross-signing keys (HTTP {status}, "
                                f"{data.get('errcode') or 'no error code'})")


async def _sign_device(client: AsyncClient, identity: Identity, device: dict[str, Any],
                       master: dict[str, Any]) -> None:
    """The device, signed by the self-signing key; the master key, signed by the device key."""
    user = client.user_id
    signed_device = cs.sign({k: v for k, v in device.items() if k not in ("signatures", "unsigned")},
                            identity.self_signing, user)
    bare_master = {k: v for k, v in master.items() if k not in ("signatures", "unsigned")}
    signed_master = {**bare_master, "signatures": {user: {
        f"ed25519:{client.device_id}": client.olm.account.sign(cs.canonical_json(bare_master).decode())}}}
    status, data = await call(client, "/keys/signatures/upload", {
        user: {client.device_id: signed_device, identity.public("master"): signed_master}})
    if status != 200 or data.get("failures"):
        raise CrossSigningError(f"the homeserver refused the device's signature (HTTP {status}, "
                                f"{sorted((data.get('failures') or {}).get(user, {}).keys())})")


def bare_password(value: str | None) -> PasswordSource:
    async def source() -> str | None:
        return value
    return source


async def ensure(client: AsyncClient, store_path: Path, password: PasswordSource | None = None, *,
                 recovery_key: str | None = None, reset: bool = False) -> str:
    """Publish the identity and sign this device, as needed; returns what was done (see the constants).

    Raises CrossSigningError (NeedsPassword when a password is needed and none was given).
    """
    password = password or bare_password(None)
    if client.olm is None:
        raise CrossSigningError("end-to-end encryption is off ([matrix].encryption = false): there is no device to sign")
    if client.should_upload_keys:  # a new device: its keys must be published before they are signed
        if isinstance(await client.keys_upload(), KeysUploadError):
            raise CrossSigningError("the homeserver refused the device's encryption keys")
    user, path = client.user_id, cs.key_file(store_path)
    local = cs.load(store_path)
    if local is not None and local.user_id != user:
        raise CrossSigningError(f"{path} holds the keys of {local.user_id}, not of {user}")
    pub = await _published(client)
    published = cs.only_key(pub["master"])
    outcome = UNCHANGED
    if reset:
        if local is not None:  # kept, not deleted: an operator may still want the old identity back
            path.rename(path.with_name(f"{cs.FILE_NAME}.replaced-{int(time.time())}"))
        local = Identity.generate(user)
        cs.save(store_path, local)
        local.protect_in_logs()
        await _upload_keys(client, local.upload_body(), password)
        outcome = REPLACED
    elif recovery_key is not None and (local is None or local.master != cs.decode_recovery_key(recovery_key)):
        seed = cs.decode_recovery_key(recovery_key)
        if local is not None:
            raise CrossSigningError(f"{path} holds another identity; move it aside to recover with this key")
        if published is None or cs.public_key(seed) != published:
            raise CrossSigningError("this recovery key does not belong to the master key the account publishes")
        local = Identity.generate(user, master=seed)
        local.protect_in_logs()
        cs.save(store_path, local)  # before the upload: the new keys are never published unsaved
        await _upload_keys(client, local.upload_body(("self_signing", "user_signing")), password)
        outcome = RECOVERED
    elif local is None:
        if published is not None:
            raise CrossSigningError(
                "the account already has a cross-signing identity that this store does not hold (the store "
                "was lost or replaced): sign this device with the recovery key (`copbot cross-sign "
                "--recovery-key`), or make a new identity (`copbot cross-sign --reset`)")
        local = Identity.generate(user)
        local.protect_in_logs()
        cs.save(store_path, local)
        await _upload_keys(client, local.upload_body(), password)
        outcome = CREATED
    elif published is None:  # saved, but an earlier upload did not go through
        await _upload_keys(client, local.upload_body(), password)
        outcome = CREATED
    elif published != local.public("master"):
        raise CrossSigningError(
            f"the account publishes a master key that is not the one in {path} (the identity was reset "
            f"elsewhere, e.g. in Element): `copbot cross-sign --reset` makes a new one for the bot")
    elif cs.only_key(pub["self_signing"]) != local.public("self_signing"):
        await _upload_keys(client, local.upload_body(("self_signing", "user_signing")), password)
        outcome = REPUBLISHED
    if outcome != UNCHANGED:
        pub = await _published(client)
    device = pub["device"]
    if device is None:
        raise CrossSigningError(f"the homeserver does not list the bot's device {client.device_id}")
    if f"ed25519:{local.public('self_signing')}" not in (device.get("signatures") or {}).get(user, {}):
        await _sign_device(client, local, device, pub["master"])
        outcome = DEVICE_SIGNED if outcome == UNCHANGED else outcome
    return outcome


async def at_start(client: AsyncClient, config: Config) -> None:
    """`copbot run`: the bot's own identity, then the check of members' devices (bot.device_trust)."""
    if client.olm is None:
        return
    await _own_identity_at_start(client, config)
    from bot import device_trust  # it uses call() from here

    if not config.matrix.exclude_unsigned_devices:
        device_trust.forget(client)
        return
    device_trust.install(client)
    try:  # the devices known from earlier runs; new ones are checked after each key query
        await device_trust.apply(client, list(client.device_store.users))
    except (CrossSigningError, ClientError, asyncio.TimeoutError, OSError) as exc:
        log.warning("trust.check_failed", **fields(reason=type(exc).__name__))


async def _own_identity_at_start(client: AsyncClient, config: Config) -> None:
    """Sign the device, or bootstrap with [matrix].password; otherwise warn and go on."""
    fix = f"copbot cross-sign --config {config.source or 'my.toml'}"
    m = config.matrix
    try:
        if not m.password and cs.load(m.store_path) is None:
            # Without a password the identity is left to the operator, who then sees the recovery key.
            pub = await _published(client)
            log.warning("crosssign.missing", **fields(
                reason="the account has a cross-signing identity this store lacks" if pub["master"]
                else "the bot has no cross-signing identity yet", fix=fix))
            return
        outcome = await ensure(client, m.store_path, bare_password(m.password or None))
    except CrossSigningError as exc:
        log.warning("crosssign.missing", **fields(reason=str(exc), fix=fix))
        return
    except (ClientError, asyncio.TimeoutError, OSError) as exc:
        log.warning("crosssign.failed", **fields(reason=type(exc).__name__, fix=fix))
        return
    if outcome in (CREATED, REPLACED):
        log.warning("crosssign.created", **fields(
            note="note the recovery key now and keep it offline", show=f"{fix} --show-recovery-key"))
    else:
        log.info(f"crosssign.{outcome}")
