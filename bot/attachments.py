"""Sending a file: upload it for the room (encrypted there if the room is), then one message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.sender import relates_to

if TYPE_CHECKING:
    from bot.services import Services


async def attach(services: "Services", room_id: str, filename: str, data: bytes, mimetype: str,
                 msgtype: str = "m.file", thread_root: str | None = None) -> str:
    """A file asked for in a thread goes to that thread, like the answer that announces it."""
    media = await services.matrix.upload(room_id, data, filename, mimetype)
    content = {"msgtype": msgtype, "body": filename, "filename": filename,
               "info": {"mimetype": mimetype, "size": len(data)}, **media, "m.mentions": {}}
    relation = relates_to(thread_root, None)
    if relation:
        content["m.relates_to"] = relation
    return await services.sender.send_event(room_id, "m.room.message", content)
