"""Which members' devices get the bot's room keys (README, "Encryption": members' devices).

A member with a cross-signing identity vouches for each of their devices by signing it;
a device they did not sign (one a homeserver admin or a stolen session added, or a client
they never verified) gets no room keys from the bot, as with Element's "exclude insecure
devices" (MSC4153) and matrix-rust-sdk's identity-based sharing. A member with no identity
at all is still served on every device, as before: many practitioners' clients never set
one up, and leaving them out would cut them off without telling them.

nio does not read cross-signing keys, so after each of its key queries the same users are
queried once more for their master and self-signing keys; devices that fail the check are
blacklisted in nio's store (which nio's key sharing skips) and un-blacklisted once signed.
The bot blacklists devices for nothing else. A room whose current room key already went to
a device now excluded gets a new room key on its next message.
"""

from __future__ import annotations

import logging
from typing import Any

from nio import AsyncClient, KeysQueryResponse

from bot import cross_signing as cs
from bot.cross_signing_setup import call
from bot.logs import fields

log = logging.getLogger(__name__)


def cross_signed(user_id: str, data: dict[str, Any], device_id: str, ed25519: str) -> bool | None:
    """True if the owner's identity signs this device, False if not, None if the owner has no identity."""
    master = (data.get("master_keys") or {}).get(user_id)
    if master is None:
        return None
    ssk = (data.get("self_signing_keys") or {}).get(user_id)
    device = ((data.get("device_keys") or {}).get(user_id) or {}).get(device_id)
    master_key, ssk_key = cs.only_key(master), cs.only_key(ssk)
    return bool(master_key and ssk_key and device and "self_signing" in ssk.get("usage", [])
                and cs.verify(ssk, user_id, master_key)
                and (device.get("keys") or {}).get(f"ed25519:{device_id}") == ed25519  # the keys nio holds
                and cs.verify(device, user_id, ssk_key))


async def apply(client: AsyncClient, user_ids: list[str]) -> None:
    """Blacklist the devices their owner's identity does not sign; un-blacklist those it now signs."""
    users = sorted(set(user_ids) - {client.user_id})
    if not users or client.olm is None:
        return
    status, data = await call(client, "/keys/query", {"device_keys": {u: [] for u in users}})
    if status != 200:
        raise cs.CrossSigningError(f"the homeserver did not answer the key query (HTTP {status})")
    excluded = []
    for user in users:
        for device in client.device_store.active_user_devices(user):
            trusted = cross_signed(user, data, device.id, device.ed25519) is not False
            blacklisted = client.olm.is_device_blacklisted(device)
            if not trusted and not blacklisted:
                client.blacklist_device(device)
                excluded.append((user, device.id))
            elif trusted and blacklisted:
                client.unblacklist_device(device)
    if excluded:
        _rotate(client, set(excluded))
        log.info("trust.devices_excluded", **fields(devices=len(excluded)))


def _rotate(client: AsyncClient, excluded: set[tuple[str, str]]) -> None:
    """Drop outbound room keys an excluded device already holds: the next message starts a new one."""
    sessions = client.olm.outbound_group_sessions
    for room_id, session in list(sessions.items()):
        if excluded & set(session.users_shared_with):
            del sessions[room_id]


def install(client: AsyncClient) -> None:
    """Check every key query nio makes from now on (the sync loop calls client.keys_query)."""
    query = client.keys_query

    async def keys_query(*args: Any, **kwargs: Any) -> Any:
        resp = await query(*args, **kwargs)
        if isinstance(resp, KeysQueryResponse):
            try:
                await apply(client, list(resp.device_keys))
            except Exception as exc:  # never stops the sync loop; fails closed instead
                log.warning("trust.check_failed", **fields(reason=type(exc).__name__))
                # The new devices get nothing until a check succeeds (the next sync asks again).
                for user, devices in (resp.changed or {}).items():
                    for device in devices.values():
                        if user != client.user_id and not device.deleted:
                            client.blacklist_device(device)
                client.olm.users_for_key_query.update(set(resp.device_keys) - {client.user_id})
        return resp

    client.keys_query = keys_query


def forget(client: AsyncClient) -> None:
    """[matrix].exclude_unsigned_devices = false: every device gets keys again."""
    for user in list(client.device_store.users):
        for device in client.device_store.active_user_devices(user):
            if client.olm.is_device_blacklisted(device):
                client.unblacklist_device(device)
