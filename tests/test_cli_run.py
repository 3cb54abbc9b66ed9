"""`copbot run` and `copbot check-config` as an operator would use them."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
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
    out = tmp_path / "new" / "creds.toml"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "login", "--homeserver", synapse.url, "--user", user.user_id,
        "--output", str(out), env={**os.environ, "COPBOT_PASSWORD": user.password, "PYTHONPATH": str(ROOT)},
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        preexec_fn=lambda: os.umask(0))  # a careless umask: the file must still be owner-only
    printed, _ = await proc.communicate()
    assert proc.returncode == 0, printed.decode()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert oct(out.parent.stat().st_mode & 0o777) == "0o700"
    text = out.read_text()
    assert 'access_token = "' in text and f'user_id = "{user.user_id}"' in text
    token = text.split('access_token = "')[1].split('"')[0]
    assert token and token not in printed.decode()  # the secret goes to the file only


# ----- a bad configuration: a clear message on one screen, a non-zero exit, no traceback --------

FAKE_TOKEN = "syt_Ym9ndXM_notARealTokenAtAll_0f0f0f"


async def _copbot(*args: str, env: dict[str, str] | None = None, limit: float = 120) -> tuple[int, str, float]:
    """Run `copbot ARGS` as an operator would; (exit status, stderr, seconds)."""
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        _, err = await asyncio.wait_for(proc.communicate(), limit)
    except asyncio.TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError(f"copbot {' '.join(args)} still running after {limit} s") from None
    return proc.returncode, err.decode(), time.monotonic() - started


def _assert_clear(stderr: str, *expected: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert len(stderr.splitlines()) <= 20, stderr  # one screen
    for text in expected:
        assert text in stderr, stderr


def _minimal(tmp_path: Path, extra: str = "", homeserver: str = "http://127.0.0.1:9") -> Path:
    path = tmp_path / "my.toml"
    path.write_text(f'[matrix]\nhomeserver = "{homeserver}"\nuser_id = "@copbot:localhost"\n'
                    f'startup_timeout_seconds = 2\n{extra}')
    return path


@pytest.mark.parametrize("content,expected", [
    ('[bot]\nprefx = "!x"\n', ["error: the configuration is not valid:", "[bot].prefx: unknown key (known: command_prefix"]),
    ('[bot]\ncatch_up_seconds = "ten"\n', ["[bot].catch_up_seconds: must be an int, got str"]),
    ('[bot\ncommand_prefix = "!x"\n', ["my.toml: not valid TOML", "line 5"]),
    ('[matrix]\nstore_path = "x"\n', ["my.toml: not valid TOML"]),  # the table twice
    (None, ["my.toml: file not found (start from config.example.toml)"]),
], ids=["unknown-key", "wrong-type", "invalid-toml", "duplicate-table", "missing-file"])
async def test_copbot_run_with_a_bad_config_file_exits_2_naming_the_problem(tmp_path, content, expected):
    path = _minimal(tmp_path, content or "")
    if content is None:
        path.unlink()
    status, stderr, took = await _copbot("run", "--config", str(path), env={"COPBOT_ACCESS_TOKEN": FAKE_TOKEN})
    assert status == 2
    _assert_clear(stderr, *expected)
    assert not (tmp_path / "data").exists()  # nothing was created


async def test_copbot_run_with_an_unreachable_homeserver_stops_after_the_start_up_timeout(tmp_path):
    from devtools.synapse import free_port

    url = f"http://127.0.0.1:{free_port()}"
    status, stderr, took = await _copbot("run", "--config", str(_minimal(tmp_path, homeserver=url)),
                                         env={"COPBOT_ACCESS_TOKEN": FAKE_TOKEN})
    assert status == 1
    _assert_clear(stderr, f"error: cannot reach the homeserver at {url} after 2 s",
                  "[matrix].startup_timeout_seconds", "startup.retry")
    assert FAKE_TOKEN not in stderr
    assert took < 90  # 2 s of retries plus the interpreter's start on a busy machine


async def test_copbot_run_with_a_malformed_secret_file_exits_1_before_contacting_anyone(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "secret.key").write_text("0123\n")
    status, stderr, _ = await _copbot("run", "--config", str(_minimal(tmp_path)),
                                      env={"COPBOT_ACCESS_TOKEN": FAKE_TOKEN})
    assert status == 1
    _assert_clear(stderr, f"error: the secret file {tmp_path / 'data' / 'secret.key'} does not hold a valid secret",
                  "Restore it from your backup")
    assert "startup.retry" not in stderr and "0123" not in stderr.split("secret.key")[-1]
    assert (tmp_path / "data" / "secret.key").read_text() == "0123\n"


async def test_copbot_run_with_a_bad_token_exits_1_at_once_naming_the_setting(synapse, bot_user, tmp_path):
    config = tmp_path / "my.toml"
    _write_config(config, synapse.url, bot_user)
    status, stderr, _ = await _copbot("run", "--config", str(config), env={"COPBOT_ACCESS_TOKEN": FAKE_TOKEN})
    assert status == 1
    _assert_clear(stderr, f"error: the homeserver at {synapse.url} refused the access token",
                  "M_UNKNOWN_TOKEN", "[matrix].access_token", "COPBOT_ACCESS_TOKEN",
                  f"copbot login --homeserver {synapse.url} --user {bot_user.user_id}")
    assert FAKE_TOKEN not in stderr and "startup.retry" not in stderr  # refused: not retried
    assert oct((tmp_path / "data" / "secret.key").stat().st_mode & 0o777) == "0o600"


async def test_copbot_run_warns_about_a_config_with_a_token_that_others_can_read(synapse, bot_user, tmp_path):
    config = tmp_path / "my.toml"
    _write_config(config, synapse.url, bot_user)
    config.write_text(config.read_text().replace('access_token = ""', f'access_token = "{FAKE_TOKEN}"'))
    os.chmod(config, 0o644)
    status, stderr, _ = await _copbot("run", "--config", str(config))
    assert status == 1  # the token is refused, after the warning
    _assert_clear(stderr, "startup.file_readable_by_others", "mode=0644", f'fix="chmod 600 {config}"')
    assert FAKE_TOKEN not in stderr
