"""The import rules of the layers: `domain/` is pure (no bot/, storage/ or nio), and `storage/`
sits below the bot (no bot/). Read from the source, so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"domain": ("bot", "storage", "nio", "aiohttp"), "storage": ("bot", "nio")}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer):
    offences = []
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files  # the layer is there: the test is not vacuous
    for path in files:
        for name in imported(path):
            if name.split(".")[0] in FORBIDDEN[layer]:
                offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offences == []


def test_the_rule_catches_an_offence(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("def f():\n    from bot.sender import Sender\n")
    assert "bot.sender" in imported(bad)


def test_the_app_the_harness_close_and_forget_me_reach_features_only_through_bot_features():
    """One registration point: no provider, reaction handler or shutdown wired by hand elsewhere."""
    app = (ROOT / "bot" / "app.py").read_text()
    harness = (ROOT / "tests" / "fakes.py").read_text()
    for text in (app, harness):
        for wired_by_hand in ("ConsultJobs(", "WorkshopJobs(", "PromptJobs(", "CheckinJobs(", "on_reaction("):
            assert wired_by_hand not in text
    community = (ROOT / "bot" / "commands" / "community.py").read_text()
    assert "features.community_closed" in community and "stop_reminders" not in community
    assert "features.forget_member" in (ROOT / "bot" / "commands" / "checkins.py").read_text()
