"""Commands every user has: help and ping."""

from __future__ import annotations

from bot import __version__
from bot.framework import command
from bot.text import Text


@command("help", aliases=("aide", "?"))
async def help_(ctx, *, topic: str = "") -> None:
    registry = ctx.services.registry
    catalogue = ctx.services.catalogue
    if topic:
        cmd = registry.get(topic.removeprefix(ctx.prefix).strip(), ctx.is_dm)
        if cmd is None or cmd.hidden:
            await ctx.reply("error.unknown_command", word=topic.split()[0][:40], prefix=ctx.prefix)
            return
        await ctx.send(ctx.t("help.one", name=cmd.name,
                             help=catalogue.plain(ctx.lang, f"{cmd.key}.help")) + ctx.usage(cmd))
        return
    allowed = await registry.allowed(ctx)
    key = "help.intro_dm" if ctx.is_dm else "help.intro"

    def build() -> Text:
        lines = [ctx.t("help.line", prefix=ctx.prefix, usage=catalogue.plain(ctx.lang, f"{cmd.key}.usage"),
                       help=catalogue.plain(ctx.lang, f"{cmd.key}.help")) for cmd in allowed]
        listing = Text.of("\n".join(t.plain for t in lines),
                          "<ul>" + "".join(f"<li>{t.html.removeprefix('<p>').removesuffix('</p>')}</li>"
                                           for t in lines) + "</ul>")
        return ctx.t(key, prefix=ctx.prefix, commands=listing)

    # The same few listings over and over (per language and set of commands): built once.
    await ctx.send(catalogue.built((key, ctx.lang, ctx.prefix, tuple(cmd.key for cmd in allowed)), build))

@command("ping")
async def ping(ctx) -> None:
    await ctx.reply("ping.pong", version=__version__)
