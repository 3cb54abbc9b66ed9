"""What a command sees: who asked, where, in which language, and the bot's services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.text import Text

if TYPE_CHECKING:
    from bot.services import Services


@dataclass
class Context:
    services: "Services"
    room_id: str
    sender: str
    event_id: str
    is_dm: bool
    thread_root: str | None
    lang: str
    community: Any = None  # storage.models.Community of this room, if any
    command: Any = None
    # The sender's roles, read once per message: `help` runs several role checks (bot.roles).
    sender_roles: set[str] | None = field(default=None, repr=False)

    @property
    def prefix(self) -> str:
        return self.services.config.bot.command_prefix

    def t(self, key: str, **params: object) -> Text:
        return self.services.catalogue.render(self.lang, key, **params)

    async def send(self, text: Text, **kwargs: Any) -> list[str]:
        """Answer in the room (and thread) the command came from.

        In a shared room an answer (m.notice) is a reply to its command, without a fallback quote,
        so two people typing at once can tell whose answer is whose. A DM has one person, and a
        reply there would show the member's own text again under every answer. Announcements
        (m.text) are news for the room, not replies.
        """
        kwargs.setdefault("thread_root", self.thread_root)
        if not self.is_dm and kwargs.get("msgtype", "m.notice") == "m.notice":
            kwargs.setdefault("reply_to", self.event_id)
        return await self.services.sender.send(self.room_id, text, **kwargs)

    async def reply(self, key: str, **params: object) -> list[str]:
        return await self.send(self.t(key, **params))

    def usage(self, cmd: Any) -> Text:
        return self.t("help.usage_block", prefix=self.prefix,
                      usage=self.services.catalogue.plain(self.lang, f"{cmd.key}.usage"),
                      example=self.services.catalogue.plain(self.lang, f"{cmd.key}.example"))

    async def reply_usage(self, cmd: Any, reason_key: str, **params: object) -> list[str]:
        return await self.send(self.t(reason_key, **params) + self.usage(cmd))
