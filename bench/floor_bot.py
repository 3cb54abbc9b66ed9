"""The floor: a bare matrix-nio bot that answers `!ping` with one m.notice.

    python -m bench.floor_bot --homeserver URL --user-id @floor:localhost --device-id DEV
    (the access token comes from the FLOOR_TOKEN environment variable)

Nothing but the minimum a bot must do: one sync loop (nio's sync_forever, 30 s long-poll),
joining on invite, and one room_send per `!ping`. No database, no encryption, no parsing; a timeline limit high enough for a burst.
The first sync is history and is skipped. It prints "ready" once the first sync is done.
The round trip a member measures against it is the floor copbot is compared to.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys

from nio import AsyncClient, AsyncClientConfig, InviteMemberEvent, MatrixRoom, RoomMessageText

# Synapse's default timeline limit is 10 events per room and sync: a burst of more would be cut
# ("limited") and the older commands never seen.
FILTER = {"room": {"timeline": {"limit": 1000}}}


async def main(homeserver: str, user_id: str, device_id: str, token: str) -> None:
    client = AsyncClient(homeserver, user_id, device_id=device_id,
                         config=AsyncClientConfig(encryption_enabled=False, store_sync_tokens=False))
    client.restore_login(user_id, device_id, token)

    async def on_message(room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender != user_id and event.body.strip() == "!ping":
            await client.room_send(room.room_id, "m.room.message", {"msgtype": "m.notice", "body": "pong"})

    async def on_invite(room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == user_id and event.membership == "invite":
            await client.join(room.room_id)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    first = await client.sync(timeout=0, full_state=True)  # history: not acted on
    for room_id in getattr(getattr(first, "rooms", None), "invite", {}) or {}:
        await client.join(room_id)
    client.add_event_callback(on_message, RoomMessageText)
    client.add_event_callback(on_invite, InviteMemberEvent)
    print("ready", flush=True)
    task = asyncio.create_task(client.sync_forever(timeout=30_000, since=client.next_batch, sync_filter=FILTER))
    task.add_done_callback(lambda _: stop.set())  # a sync loop that dies must not go unnoticed
    await stop.wait()
    task.cancel()
    (result,) = await asyncio.gather(task, return_exceptions=True)
    await client.close()
    if isinstance(result, Exception):
        raise result


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--homeserver", required=True)
    p.add_argument("--user-id", required=True)
    p.add_argument("--device-id", required=True)
    a = p.parse_args()
    asyncio.run(main(a.homeserver, a.user_id, a.device_id, os.environ["FLOOR_TOKEN"]))
    sys.exit(0)
