"""`copbot run` and `copbot check-config` as an operator would use them."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from devtools.member import body_of

pytestmark = pytest.mark.synapse
ROOT = Path(__file__).resolve().parents[1]


def _write_config(path: Path, homeserver: str, user) -> None:
    text = (ROOT / "config.example.toml").read_text()
    text = text.replace('homeserver = "https://matrix.example.org"', f'homeserver = "{homeserver}"')
    text = text.replace('user_id = "@copbot:example.org"', f'user_id = "{user.user_id}"')
    text = text.replace('device_id = "COPBOT01"', f'device_id = "{user.device_id}"')
    text = text.replace('level = "INFO"', 'level = "DEBUG"')
    path.write_text(text)


async def test_copbot_run_joins_and_answers_ping_and_logs_no_text(synapse, bot_user, members, tmp_path):
    config = tmp_path / "my.toml"
    _write_config(config, synapse.url, bot_user)
    env = {**os.environ, "COPBOT_ACCESS_TOKEN": bot_user.access_token}

    check = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "check-config", "--config", str(config), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await check.communicate()
    assert check.returncode == 0, out.decode()
    assert f"as {bot_user.user_id}" in out.decode()

    bad = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "check-config", "--config", str(config),
        env={**env, "COPBOT_ACCESS_TOKEN": "wrong"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await bad.communicate()
    assert bad.returncode != 0 and "refused" in out.decode()

    log_path = tmp_path / "bot.log"
    with log_path.open("wb") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--config", str(config), env=env,
            stdout=log, stderr=log)
        try:
            (alice,) = await members("alice")
            room = await alice.create_room("Circle", invite=[bot_user.user_id])
            await alice.wait_for_member(room, bot_user.user_id, timeout=30)
            answer = await alice.ask(room, "!cop ping", bot_user.user_id, timeout=30)
            assert "pong" in body_of(answer)
            await alice.ask(room, "!cop zebra-marker-7731 my client Jane", bot_user.user_id)
        finally:
            proc.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(proc.wait(), 30) == 0
    logged = log_path.read_text()
    assert "bot.started" in logged and "bot.stopped" in logged
    assert "zebra-marker-7731" not in logged and "Jane" not in logged
    assert bot_user.access_token not in logged
    assert oct((tmp_path / "data" / "secret.key").stat().st_mode & 0o777) == "0o600"


async def test_copbot_login_writes_an_owner_only_file(synapse, register, tmp_path):
    user = await register("operator")
    out = tmp_path / "creds.toml"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "login", "--homeserver", synapse.url, "--user", user.user_id,
        "--output", str(out), env={**os.environ, "COPBOT_PASSWORD": user.password},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    printed, _ = await proc.communicate()
    assert proc.returncode == 0, printed.decode()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    text = out.read_text()
    assert 'access_token = "' in text and f'user_id = "{user.user_id}"' in text
    token = text.split('access_token = "')[1].split('"')[0]
    assert token and token not in printed.decode()  # the secret goes to the file only
