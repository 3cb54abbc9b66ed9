"""Config validation names the bad key; secrets can come from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load, parse

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = {"matrix": {"homeserver": "https://hs.example.org", "user_id": "@bot:example.org",
                      "access_token": "tok"}}


def test_example_config_is_valid_and_documents_every_key(tmp_path):
    from bot.config import SCHEMA

    text = (ROOT / "config.example.toml").read_text()
    for section, keys in SCHEMA.items():
        assert f"[{section}]" in text
        for key in keys:
            assert f"\n{key} = " in text, f"[{section}].{key} is not documented in config.example.toml"
    with pytest.raises(ConfigError) as err:  # the example has no secret: it must say so
        load(ROOT / "config.example.toml", env={})
    assert "[matrix].access_token" in str(err.value)
    config = load(ROOT / "config.example.toml", env={"COPBOT_ACCESS_TOKEN": "from-env"})
    assert config.matrix.access_token == "from-env"
    assert config.bot.command_prefix == "!cop" and config.bot.timezone == "America/Toronto"
    assert config.matrix.store_path == ROOT / "data" / "store"


@pytest.mark.parametrize("section,key,value,expect", [
    ("matrix", "homeserver", "matrix.example.org", "[matrix].homeserver: must start with http"),
    ("matrix", "user_id", "copbot", "[matrix].user_id: must be a full Matrix user id"),
    ("bot", "timezone", "Mars/Olympus", "[bot].timezone: is not an IANA timezone"),
    ("bot", "language", "de", '[bot].language: must be "en" or "fr"'),
    ("bot", "catch_up_seconds", "ten", "[bot].catch_up_seconds: must be an int"),
    ("bot", "prefx", "!x", "[bot].prefx: unknown key"),
    ("database", "url", "mysql://x", "[database].url: must start with sqlite+aiosqlite://"),
    ("logging", "level", "LOUD", "[logging].level: must be one of"),
    ("matrix", "allowed_inviters", ["alice"], "[matrix].allowed_inviters: entry 'alice'"),
    ("summaries", "min_group_size", 4, "[summaries].min_group_size: must be from 5"),  # issue 21 §3: floor 5
])
def test_bad_values_name_their_key(section, key, value, expect):
    raw = {s: dict(v) for s, v in MINIMAL.items()}
    raw.setdefault(section, {})[key] = value
    with pytest.raises(ConfigError) as err:
        parse(raw, Path("/tmp"), env={})
    assert expect in str(err.value)


def test_password_from_environment():
    raw = {"matrix": {"homeserver": "https://hs", "user_id": "@bot:hs"}}
    config = parse(raw, Path("/srv"), env={"COPBOT_PASSWORD": "pw"})
    assert config.matrix.password == "pw"
    assert config.database.url == "sqlite+aiosqlite:////srv/data/copbot.db"


def test_check_config_cli_exits_non_zero_naming_the_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[matrix]\nhomeserver = "https://hs"\nuser_id = "nope"\naccess_token = "t"\n')
    result = subprocess.run([sys.executable, "-m", "bot.cli", "check-config", "--config", str(bad)],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode != 0
    assert "[matrix].user_id" in result.stderr


@pytest.mark.parametrize("value,expect", [
    (-1, "[matrix].startup_timeout_seconds: must not be negative"),
    ("30s", "[matrix].startup_timeout_seconds: must be an int, got str"),
])
def test_startup_timeout_is_checked(value, expect):
    raw = {s: dict(v) for s, v in MINIMAL.items()}
    raw["matrix"]["startup_timeout_seconds"] = value
    with pytest.raises(ConfigError) as err:
        parse(raw, Path("/tmp"), env={})
    assert expect in str(err.value)
    assert parse(MINIMAL, Path("/tmp"), env={}).matrix.startup_timeout_seconds == 30


def test_a_config_path_that_cannot_be_read_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot be read: Is a directory"):
        load(tmp_path)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe[matrix]")
    with pytest.raises(ConfigError, match="not a text file in UTF-8"):
        load(binary)
