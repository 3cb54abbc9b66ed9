"""`copbot export`: the series summary as Markdown, CSV files and the chart, for coordinators who
are not on Matrix. It reads the database only; attendance rates need the room, so they show "-"."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path
from types import SimpleNamespace

from sqlmodel import select

from bot.clock import SystemClock
from bot.config import Config
from bot.i18n import Catalogue
from bot.summaries.chart import chart_png
from bot.summaries.gather import gather, min_group
from bot.summaries.render import Renderer, csv_files, notes
from domain.summaries import Table
from storage.engine import make_engine, session_factory
from storage.migrate import migrate
from storage.models import Community


class ExportError(Exception):
    pass


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(table: Table) -> str:
    lines = ["| " + " | ".join(_cell(c) for c in table.header) + " |",
             "|" + "---|" * len(table.header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


async def export(config: Config, slug: str, out: Path, clock=None) -> list[Path]:
    engine = make_engine(config.database.url)
    try:
        await migrate(engine)
        db = session_factory(engine)
        async with db() as session:
            community = (await session.exec(select(Community).where(Community.slug == slug.lower()))).first()
        if community is None:
            raise ExportError(f"no community with the slug {slug!r}")
        services = SimpleNamespace(db=db, clock=clock or SystemClock(), config=config)
        k = await min_group(services, community.id)
        found = await gather(services, community, "series", members=0, k=k)
        columns, total = found.columns, found.total
        t = partial(Catalogue.load().render, community.language)
        r = Renderer(t, community.timezone, k, found.disclosure)
    finally:
        await engine.dispose()
    shown = columns + [total] if len(columns) > 1 else columns
    out.mkdir(parents=True, exist_ok=True)
    quotes = "\n".join(f"> {q}\n" for q in r.stories(total))
    markdown = "\n\n".join(part for part in (
        "# " + t("summary.title_series", name=community.name, number="", since="").plain,
        *[note.plain.strip() for note in notes(r, found)],
        t("summary.activity_title").plain, to_markdown(r.activity(shown)),
        t("summary.items_title").plain, to_markdown(r.items(shown)),
        t("summary.legend", n=r.min).plain,
        (t("summary.quotes_title").plain + "\n\n" + quotes) if quotes else "") if part) + "\n"
    written = {f"{community.slug}-summary.md": markdown.encode()}
    written |= {f"{community.slug}-{name}": data for name, data in csv_files(r, columns, total).items()}
    written[f"{community.slug}-summary.png"] = await asyncio.to_thread(chart_png, r, columns, community.name)
    paths = []
    for name, data in written.items():
        (out / name).write_bytes(data)
        paths.append(out / name)
    return paths
