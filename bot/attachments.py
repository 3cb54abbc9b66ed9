"""Sending a file: upload it for the room (encrypted there if the room is), then one message."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services import Services


async def attach(services: "Services", room_id: str, filename: str, data: bytes, mimetype: str,
                 msgtype: str = "m.file") -> str:
    media = await services.matrix.upload(room_id, data, filename, mimetype)
    return await services.sender.send_event(room_id, "m.room.message", {
        "msgtype": msgtype, "body": filename, "filename": filename,
        "info": {"mimetype": mimetype, "size": len(data)}, **media, "m.mentions": {}})
