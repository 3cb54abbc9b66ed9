"""Secrets: never in the logs, owner-only files made at first start, warnings about readable files,
and the start-up check of the credentials."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot import logs
from bot.config import parse
from bot.keys import DERIVED_PURPOSES, Keyring, SecretError, load_or_create_secret
from bot.startup import FatalError, check_credentials, prepare_files, readable_files, secret_forms
from devtools.botrun import RunningBot, bot_config
from devtools.member import body_of

TOKEN = "syt_Y29wYm90_ZmFrZXRva2VuZm9ydGVzdHM_1a2b3c"
SECRET = bytes(range(32))
SECRET_HEX = SECRET.hex()
PEPPER_HEX = Keyring(SECRET).derive("case-code").hex()


@contextmanager
def everything_logged(level: str = "DEBUG", fmt: str = "text", secrets: tuple[str, ...] = ()):
    """The handler `copbot run` installs, with every library logger opened up to DEBUG too."""
    text = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    names = ("nio", "aiohttp", "asyncio", "apscheduler", "sqlalchemy", "peewee")
    saved = {name: logging.getLogger(name).level for name in names}
    logs.setup(level, fmt, stream=text, secrets=secrets)
    for name in names:  # stricter than production, where these stay at WARNING/ERROR
        logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy").setLevel(logging.INFO)  # statements and their parameters
    try:
        yield text
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
        for name, lvl in saved.items():
            logging.getLogger(name).setLevel(lvl)


def _secrets_in(text: str) -> list[str]:
    found = [s for s in (TOKEN, SECRET_HEX, SECRET_HEX.upper(), PEPPER_HEX) if s in text]
    return found


# ----- the filter, on crafted records -------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_log_filter_masks_secrets_from_any_logger_and_any_part_of_a_record(fmt):
    with everything_logged("DEBUG", fmt, secrets=(TOKEN,)) as out:
        logs.protect(SECRET_HEX, PEPPER_HEX)
        logging.getLogger("nio.client.async_client").debug(
            "Sending request with headers %s", {"Authorization": f"Bearer {TOKEN}"})
        logging.getLogger("aiohttp.client").debug(
            "GET http://hs/_matrix/client/v3/sync?since=s1&access_token=%s&timeout=0", "other_token_abc123")
        logging.getLogger("copbot").info("login.answer", **logs.fields(
            body=json.dumps({"access_token": "yet_another_token_42", "device_id": "DEV"}),
            secret=SECRET_HEX, token="anything", key=SECRET_HEX.upper()))
        try:
            raise RuntimeError(f"request failed for Authorization: Bearer {TOKEN} with {PEPPER_HEX}")
        except RuntimeError as exc:
            logging.getLogger("asyncio").error("Task exception was never retrieved %s", PEPPER_HEX, exc_info=exc)
        logging.getLogger("copbot").warning("with stack %s", "x", stack_info=True,
                                            extra={"fields": {"path": f"/k/{SECRET_HEX}"}})
        logging.getLogger("copbot").info("bot.started", **logs.fields(
            version="0.1.0", room="0123456789abcdef0123456789abcdef"))
        logging.getLogger("copbot").info("password=hunter2 was given")
    text = out.getvalue()
    assert _secrets_in(text) == []
    for leaked in ("other_token_abc123", "yet_another_token_42", "hunter2", "anything"):
        assert leaked not in text
    assert text.count(logs.MASK) >= 9
    # what is not secret stays readable, so the log still helps
    assert "Sending request with headers {'Authorization': 'Bearer [masked]'}" in text
    assert "sync?since=s1&access_token=[masked]&timeout=0" in text
    assert "0123456789abcdef0123456789abcdef" in text  # a keyed hash (32 hex) is not a secret
    assert "version" in text and "0.1.0" in text and "DEV" in text
    assert "RuntimeError: <message withheld>" in text


def test_a_masked_record_is_also_safe_for_a_handler_with_the_standard_formatter():
    other = io.StringIO()
    plain = logging.StreamHandler(other)
    plain.setFormatter(logging.Formatter("%(name)s %(message)s"))
    with everything_logged("INFO", secrets=(TOKEN,)) as ours:
        logging.getLogger().addHandler(plain)  # after ours: sees the record once masked
        try:
            raise ValueError(f"bad token {TOKEN}")
        except ValueError as exc:
            logging.getLogger("nio.responses").error("failed with %s", TOKEN, exc_info=exc)
    assert TOKEN not in ours.getvalue() and TOKEN not in other.getvalue()
    assert "failed with [masked]" in other.getvalue()
    assert "ValueError: <message withheld>" in other.getvalue()


def test_short_values_are_not_masked_everywhere_but_still_as_a_token():
    with everything_logged("INFO", secrets=("t", "")) as out:
        logging.getLogger("copbot").info("the start of it, access_token=t")
    assert "the start of it, access_token=[masked]" in out.getvalue()


# ----- owner-only files at first start ---------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_first_start_creates_owner_only_files_whatever_the_umask(tmp_path, umask):
    config = bot_config("http://127.0.0.1:1", _user(), tmp_path / "srv",
                        bot={"secret_file": "data/keys/secret.key"},
                        database={"url": "sqlite+aiosqlite:///data/db/copbot.db"})
    old = os.umask(umask)
    try:
        secret = prepare_files(config)
    finally:
        os.umask(old)
    srv = tmp_path / "srv"
    assert _mode(srv / "data/keys/secret.key") == 0o600
    assert _mode(srv / "data/keys") == 0o700 and _mode(srv / "data") == 0o700
    assert _mode(srv / "store") == 0o700
    assert _mode(srv / "data/db/copbot.db") == 0o600 and _mode(srv / "data/db") == 0o700
    assert re.fullmatch(r"[0-9a-f]{64}\n", (srv / "data/keys/secret.key").read_text())
    assert readable_files(config) == []
    # the second start reuses the same secret and leaves the files as they are
    assert prepare_files(config) == secret
    assert bytes.fromhex((srv / "data/keys/secret.key").read_text()) == secret


def test_an_existing_folder_keeps_its_mode(tmp_path):
    (tmp_path / "shared").mkdir(mode=0o755)
    os.chmod(tmp_path / "shared", 0o755)
    load_or_create_secret(tmp_path / "shared" / "secret.key", env={})
    assert _mode(tmp_path / "shared") == 0o755 and _mode(tmp_path / "shared" / "secret.key") == 0o600


@pytest.mark.parametrize("content", ["", "abc\n", "zz" * 32, SECRET_HEX + "00", "not a key at all"],
                         ids=["empty", "short", "not-hex", "too-long", "words"])
def test_a_malformed_secret_file_is_a_clear_error_that_does_not_quote_it(tmp_path, content):
    path = tmp_path / "secret.key"
    path.write_text(content)
    with pytest.raises(SecretError) as err:
        load_or_create_secret(path, env={})
    message = str(err.value)
    assert str(path) in message and "64 hexadecimal characters" in message and "backup" in message
    if content.strip():
        assert content.strip() not in message
    assert path.read_text() == content  # never replaced: the stored pseudonyms depend on it
    config = bot_config("http://127.0.0.1:1", _user(), tmp_path, bot={"secret_file": "secret.key"})
    with pytest.raises(FatalError, match="does not hold a valid secret"):
        prepare_files(config)


def test_the_secret_can_come_from_the_environment_and_is_checked_there_too(tmp_path):
    path = tmp_path / "secret.key"
    assert load_or_create_secret(path, env={"COPBOT_SECRET_KEY": SECRET_HEX}) == SECRET
    assert not path.exists()
    with pytest.raises(SecretError, match="COPBOT_SECRET_KEY does not hold a valid secret"):
        load_or_create_secret(path, env={"COPBOT_SECRET_KEY": "short"})


def test_the_derived_secrets_the_log_masks_are_the_ones_in_use():
    assert secret_forms(SECRET) == [SECRET_HEX, PEPPER_HEX]
    root = Path(__file__).resolve().parents[1]
    used = {m for folder in ("bot", "domain", "storage") for path in (root / folder).rglob("*.py")
            for m in re.findall(r"\.derive\(\s*[\"']([^\"']+)[\"']", path.read_text())}
    assert used and used <= set(DERIVED_PURPOSES), used - set(DERIVED_PURPOSES)


# ----- warnings about files others can read ---------------------------------------


def _user():
    from devtools.synapse import RegisteredUser
    return RegisteredUser("@copbot:localhost", TOKEN, "DEV1", "pw")


def _setup(tmp_path: Path, token_in_file: bool, mode: int):
    cfg = tmp_path / "my.toml"
    cfg.write_text('[matrix]\nhomeserver = "http://127.0.0.1:1"\nuser_id = "@copbot:localhost"\n'
                   + (f'access_token = "{TOKEN}"\n' if token_in_file else "")
                   + '[bot]\nsecret_file = "data/secret.key"\n')
    from bot.config import load
    config = load(cfg, env={} if token_in_file else {"COPBOT_ACCESS_TOKEN": TOKEN})
    prepare_files(config)
    (tmp_path / "data" / "credentials.toml").write_text(f'access_token = "{TOKEN}"\n')
    (tmp_path / "data" / "store" / "copbot_DEV.db").write_text("olm")
    files = [cfg, tmp_path / "data/secret.key", tmp_path / "data/credentials.toml",
             tmp_path / "data/copbot.db", tmp_path / "data/store/copbot_DEV.db"]
    for path in files:
        os.chmod(path, mode)
    os.chmod(tmp_path / "data/store", 0o700 if mode == 0o600 else 0o755)
    return config, files


def test_files_with_secrets_readable_by_others_are_named_with_their_mode_and_the_fix(tmp_path):
    config, files = _setup(tmp_path, token_in_file=True, mode=0o644)
    from bot.startup import warn_readable_files

    with everything_logged("INFO", "json", secrets=(TOKEN,)) as out:
        assert warn_readable_files(config) == 6
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    warned = {r["file"]: r for r in records if r["event"] == "startup.file_readable_by_others"}
    assert len(warned) == 6 and all(r["level"] == "WARNING" for r in warned.values())
    for path in files:
        assert warned[str(path)]["mode"] == "0644"
        assert warned[str(path)]["fix"] == f"chmod 600 {path}"
    assert warned[str(tmp_path / "data/store")]["fix"] == f"chmod 700 {tmp_path / 'data/store'}"
    assert _secrets_in(out.getvalue()) == [] and "olm" not in out.getvalue()


def test_owner_only_files_and_a_config_without_secrets_get_no_warning(tmp_path):
    config, _ = _setup(tmp_path, token_in_file=True, mode=0o600)
    assert readable_files(config) == []
    os.chmod(tmp_path / "data/store/copbot_DEV.db", 0o644)  # as nio makes it, but in a 0700 folder
    assert readable_files(config) == []
    other = tmp_path / "other"
    other.mkdir()
    config, files = _setup(other, token_in_file=False, mode=0o600)
    os.chmod(files[0], 0o644)  # the token comes from the environment: the config holds no secret
    assert readable_files(config) == []
    os.chmod(files[1], 0o640)  # group-readable is readable by others too
    assert [(p.name, m) for p, m, _ in readable_files(config)] == [("secret.key", 0o640)]


# ----- the credentials, on the real Synapse -------------------------------------------


@pytest.mark.synapse
async def test_refused_and_foreign_tokens_stop_the_start_with_a_clear_message(synapse, bot_user, register, tmp_path):
    good = bot_config(synapse.url, bot_user, tmp_path / "a")
    user_id, config = await check_credentials(good, timeout=5)
    assert user_id == bot_user.user_id and config == good

    bad = bot_config(synapse.url, bot_user, tmp_path / "b", matrix={"access_token": TOKEN})
    with pytest.raises(FatalError) as err:
        await check_credentials(bad, timeout=30)  # refused: no retry, even with time to spare
    message = str(err.value)
    assert "refused the access token" in message and "M_UNKNOWN_TOKEN" in message
    assert "[matrix].access_token" in message and "copbot login" in message and TOKEN not in message

    other = await register("someone")
    foreign = bot_config(synapse.url, bot_user, tmp_path / "c", matrix={"access_token": other.access_token})
    with pytest.raises(FatalError, match=f"belongs to {re.escape(other.user_id)}, not to "
                                         f"\\[matrix\\].user_id {re.escape(bot_user.user_id)}"):
        await check_credentials(foreign, timeout=5)

    wrong_device = bot_config(synapse.url, bot_user, tmp_path / "d", matrix={"device_id": "ELSEWHERE"})
    with pytest.raises(FatalError, match=r"not for \[matrix\].device_id ELSEWHERE"):
        await check_credentials(wrong_device, timeout=5)


@pytest.mark.synapse
async def test_a_password_gives_a_token_at_start_and_a_wrong_one_is_refused(synapse, register, tmp_path):
    user = await register("pwbot")
    raw = {"matrix": {"homeserver": synapse.url, "user_id": user.user_id, "password": user.password,
                      "device_id": "PWDEV"}}
    user_id, config = await check_credentials(parse(raw, tmp_path, env={}), timeout=5)
    assert user_id == user.user_id and config.matrix.access_token and config.matrix.device_id == "PWDEV"
    raw["matrix"]["password"] = "not-the-password"
    with pytest.raises(FatalError, match=r"refused the password \(\[matrix\].password or COPBOT_PASSWORD\)"):
        await check_credentials(parse(raw, tmp_path, env={}), timeout=5)


# ----- a whole run at DEBUG, every logger captured ------------------------------------


@pytest.mark.synapse
async def test_a_debug_run_with_commands_and_a_consultation_logs_no_secret(bot_cfg, bot_user, members, tmp_path):
    fac, asker = await members("fac", "asker")
    bot = bot_user.user_id
    cfg = bot_cfg(consultations={"posting_delay_seconds": [0, 0]}, logging={"level": "DEBUG"})
    with everything_logged("DEBUG", secrets=(cfg.matrix.access_token,)) as out:
        async with RunningBot(cfg):
            room = await fac.room_with("Circle", bot, (asker,))
            assert "pong" in body_of(await fac.ask(room, "!cop ping", bot))
            await fac.ask(room, "!cop setup Secret circle", bot)
            await fac.ask(room, "!cop status", bot)
            dm = await asker.dm_with(bot)
            await asker.ask(dm, "consult A colleague asks how to plan a safe custody exchange. #custody", bot)
            ack = await asker.ask(dm, "send", bot)
            code = re.search(r"`([a-z]+(?:-[a-z]+){3})`", body_of(ack)).group(1)
            mark = len(asker.events)
            await asker.say(dm, f"status {code}")
            await asker.wait_for(lambda r, e: r == dm and e.get("sender") == bot
                                 and "Your request" in body_of(e), timeout=30, since=mark)
            # what a library might log with the live handler chain: masked too
            logging.getLogger("nio.client").debug("headers %s", {"Authorization": f"Bearer {cfg.matrix.access_token}"})
    secret_hex = (tmp_path / "bot" / "secret.key").read_text().strip()
    pepper_hex = Keyring(bytes.fromhex(secret_hex)).derive("case-code").hex()
    text = out.getvalue()
    assert "bot.started" in text and "startup.credentials_ok" in text  # the log was captured...
    loggers = set(re.findall(r"^\S+ +[A-Z]+ +([a-z_]+)[.:]", text, re.M))
    assert {"nio", "sqlalchemy", "bot"} <= loggers, loggers  # ...from the libraries too
    assert "headers {'Authorization': 'Bearer [masked]'}" in text
    for secret in (cfg.matrix.access_token, secret_hex, secret_hex.upper(), pepper_hex):
        assert secret not in text


async def test_sql_and_its_parameters_stay_out_of_a_debug_log(tmp_path):
    """aiosqlite logs every call it runs at DEBUG (the statement with its parameters): as copbot
    run sets logging up at DEBUG, a case text written to the database is not in the log."""
    from sqlalchemy import text as sql

    from storage.engine import make_engine

    marker = "Samira Haddad told me on 514-555-0199"
    out = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    try:
        logs.setup("DEBUG", stream=out)
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
        async with engine.begin() as conn:
            await conn.execute(sql("CREATE TABLE t (body TEXT)"))
            await conn.execute(sql("INSERT INTO t VALUES (:b)"), {"b": marker})
        await engine.dispose()
        logging.getLogger("bot.test").debug("still logging at DEBUG")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
    assert "still logging at DEBUG" in out.getvalue()
    assert "Samira" not in out.getvalue() and "INSERT" not in out.getvalue()
