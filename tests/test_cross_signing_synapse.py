"""The bot's cross-signing identity, as another user's client sees it on a real Synapse."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from pathlib import Path

import aiohttp
import pytest
from signedjson.key import decode_verify_key_bytes
from signedjson.sign import verify_signed_json

from bot import cross_signing as cs
from devtools.botrun import RunningBot
from devtools.synapse import RegisteredUser
from tests.logcapture import captured_logs

pytestmark = pytest.mark.synapse
ROOT = Path(__file__).resolve().parents[1]


async def _post(url: str, token: str | None, path: str, body: dict) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http:
        async with http.post(url + path, json=body, headers=headers) as resp:
            assert resp.status == 200, await resp.text()
            return await resp.json()


def _verify(obj: dict, user_id: str, signer: str, key_id: str | None = None) -> None:
    verify_signed_json(obj, user_id, decode_verify_key_bytes(key_id or f"ed25519:{signer}", cs.unb64(signer)))


async def _query(synapse, token: str, user_id: str) -> dict:
    return await _post(synapse.url, token, "/_matrix/client/v3/keys/query", {"device_keys": {user_id: []}})


async def trusted_chain(synapse, observer: RegisteredUser, user_id: str, device_id: str, own_token: str) -> str:
    """What a member's client checks before it trusts the bot's device; returns the master key.

    The master key signs the self-signing key, which signs the device; the device signs the
    master key back, as Element's devices do (Synapse shows that signature to the account
    itself only, hence the second query). Each signature is checked, not just present.
    """
    data = await _query(synapse, observer.access_token, user_id)
    master = data["master_keys"][user_id]
    self_signing = data["self_signing_keys"][user_id]
    device = data["device_keys"][user_id][device_id]
    master_key, ssk = cs.only_key(master), cs.only_key(self_signing)
    assert master["usage"] == ["master"] and self_signing["usage"] == ["self_signing"]
    _verify(self_signing, user_id, master_key)
    _verify(device, user_id, ssk)
    own_view = (await _query(synapse, own_token, user_id))["master_keys"][user_id]
    _verify(own_view, user_id, device["keys"][f"ed25519:{device_id}"], f"ed25519:{device_id}")
    return master_key


async def _copbot(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, cwd=ROOT, stdin=asyncio.subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode, out.decode(), err.decode()


def _write_config(folder: Path, homeserver: str, user_id: str, device_id: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "my.toml"
    path.write_text(f'[matrix]\nhomeserver = "{homeserver}"\nuser_id = "{user_id}"\ndevice_id = "{device_id}"\n'
                    f'store_path = "data/store"\n[bot]\nsecret_file = "data/secret.key"\n'
                    f'[database]\nurl = "sqlite+aiosqlite:///{folder}/copbot.db"\n')
    return path


def _recovery_key(printed: str) -> str:
    lines = [line.strip() for line in printed.splitlines() if line.startswith("    ")]
    assert len(lines) == 1, printed
    return lines[0]


async def test_a_bot_with_its_password_publishes_its_identity_and_signs_its_device_at_start(
        synapse, register, bot_user, bot_cfg):
    observer = await register("observer")
    config = bot_cfg(matrix={"password": bot_user.password})
    with captured_logs() as logged:
        async with RunningBot(config):
            pass
    assert "crosssign.created" in logged.getvalue()
    master = await trusted_chain(synapse, observer, bot_user.user_id, bot_user.device_id, bot_user.access_token)
    key_file = cs.key_file(config.matrix.store_path)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) & 0o077 == 0
    saved = key_file.read_bytes()
    identity = cs.load(config.matrix.store_path)
    text = logged.getvalue()  # neither the private keys nor the recovery key reach the log
    assert identity.recovery_key() not in text and all(cs.b64(identity.seed(u)) not in text for u in cs.USAGES)

    with captured_logs() as again:  # a restart changes nothing
        async with RunningBot(config):
            pass
    assert "crosssign.unchanged" in again.getvalue()
    assert await trusted_chain(synapse, observer, bot_user.user_id, bot_user.device_id, bot_user.access_token) == master
    assert key_file.read_bytes() == saved


async def test_without_a_password_or_an_identity_the_bot_starts_and_says_how_to_fix_it(
        synapse, bot_user, bot_cfg):
    config = bot_cfg()
    with captured_logs() as logged:
        async with RunningBot(config):
            pass
    text = logged.getvalue()
    assert "crosssign.missing" in text and "copbot cross-sign --config" in text
    assert not cs.key_file(config.matrix.store_path).exists()


async def test_copbot_cross_sign_once_twice_and_after_the_store_is_lost(synapse, register, bot_user, tmp_path):
    observer = await register("observer")
    user = bot_user.user_id
    config = _write_config(tmp_path / "one", synapse.url, user, bot_user.device_id)
    env = {"COPBOT_ACCESS_TOKEN": bot_user.access_token}

    status, out, err = await _copbot("cross-sign", "--config", str(config), env=env)
    assert status == 0, err
    key = _recovery_key(out)
    master = await trusted_chain(synapse, observer, user, bot_user.device_id, bot_user.access_token)
    assert cs.public_key(cs.decode_recovery_key(key)) == master
    assert key not in err  # shown to the operator on stdout only

    status, out, err = await _copbot("cross-sign", "--config", str(config), env=env)
    assert status == 0 and "nothing to do" in out and "    " not in out, err
    assert await trusted_chain(synapse, observer, user, bot_user.device_id, bot_user.access_token) == master
    status, out, _ = await _copbot("cross-sign", "--config", str(config), "--show-recovery-key", env=env)
    assert status == 0 and _recovery_key(out) == key

    # The store is lost; the bot logs in again as a new device, with a new, empty store.
    login = await _post(synapse.url, None, "/_matrix/client/v3/login", {
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": user},
        "password": bot_user.password, "device_id": "COPBOTNEW"})
    config = _write_config(tmp_path / "two", synapse.url, user, "COPBOTNEW")
    env = {"COPBOT_ACCESS_TOKEN": login["access_token"]}
    status, out, err = await _copbot("cross-sign", "--config", str(config), env=env)
    assert status == 1 and "--recovery-key" in err  # the identity is not replaced behind the operator's back
    wrong = cs.encode_recovery_key(bytes(32))
    status, out, err = await _copbot("cross-sign", "--config", str(config), "--recovery-key",
                                     env={**env, "COPBOT_RECOVERY_KEY": wrong, "COPBOT_PASSWORD": bot_user.password})
    assert status == 1 and "does not belong" in err
    status, out, err = await _copbot("cross-sign", "--config", str(config), "--recovery-key",
                                     env={**env, "COPBOT_RECOVERY_KEY": key, "COPBOT_PASSWORD": bot_user.password})
    assert status == 0 and "recovered" in out, err
    assert await trusted_chain(synapse, observer, user, "COPBOTNEW", login["access_token"]) == master
    assert stat.S_IMODE(cs.key_file(tmp_path / "two" / "data" / "store").stat().st_mode) == 0o600
    status, out, err = await _copbot("cross-sign", "--config", str(config), env=env)
    assert status == 0 and "nothing to do" in out, err


async def test_copbot_login_publishes_the_identity_and_shows_the_recovery_key(synapse, register, tmp_path):
    observer, user = await register("observer"), await register("copbot")
    out_file = tmp_path / "data" / "credentials.toml"
    status, out, err = await _copbot("login", "--homeserver", synapse.url, "--user", user.user_id,
                                     "--device-id", "COPBOTLOGIN", "--output", str(out_file),
                                     env={"COPBOT_PASSWORD": user.password})
    assert status == 0, err
    token = out_file.read_text().split('access_token = "')[1].split('"')[0]
    master = await trusted_chain(synapse, observer, user.user_id, "COPBOTLOGIN", token)
    assert cs.public_key(cs.decode_recovery_key(_recovery_key(out))) == master
    assert cs.key_file(tmp_path / "data" / "store").exists()
