"""The cross-signing keys without a homeserver: signed JSON, the recovery key, the key file."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat

import pytest
from Crypto.Cipher import AES
from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import HKDF
from Crypto.Util import Counter
from nacl.signing import SigningKey
from signedjson.key import decode_verify_key_bytes
from signedjson.sign import SignatureVerifyException, verify_signed_json

from bot import cross_signing as cs
from bot.cross_signing import CrossSigningError, Identity

USER = "@copbot:example.org"


def _verify(obj: dict, signer: str) -> None:
    """signedjson (Synapse's own library, on PyNaCl) checks what our pycryptodome code signed."""
    key = decode_verify_key_bytes(f"ed25519:{signer}", cs.unb64(signer))
    verify_signed_json(obj, USER, key)


def test_canonical_json_sorts_keys_drops_signatures_and_keeps_unicode():
    obj = {"b": 1, "a": {"é": "ü", "c": [1, 2]}, "signatures": {"x": 1}, "unsigned": {"y": 2}}
    assert cs.canonical_json(obj) == '{"a":{"c":[1,2],"é":"ü"},"b":1}'.encode()


def test_public_keys_and_signatures_agree_with_pynacl_and_signedjson():
    seed = bytes(range(32))
    assert cs.unb64(cs.public_key(seed)) == bytes(SigningKey(seed).verify_key)
    signed = cs.sign({"user_id": USER, "keys": {"k": "v"}, "unsigned": {"note": "not covered"}}, seed, USER)
    _verify(signed, cs.public_key(seed))
    signed["keys"]["k"] = "changed"
    with pytest.raises(SignatureVerifyException):
        _verify(signed, cs.public_key(seed))


def test_the_upload_body_has_the_master_key_and_the_other_two_signed_by_it():
    identity = Identity.generate(USER)
    body = identity.upload_body()
    master = identity.public("master")
    assert body["master_key"] == {"user_id": USER, "usage": ["master"], "keys": {f"ed25519:{master}": master}}
    for usage in ("self_signing", "user_signing"):
        obj = body[f"{usage}_key"]
        assert obj["usage"] == [usage] and cs.only_key(obj) == identity.public(usage)
        _verify(obj, master)
    assert set(identity.upload_body(("self_signing",))) == {"self_signing_key"}


def test_recovery_key_matches_matrix_js_sdk_encoding():
    # matrix-js-sdk spec/unit/crypto-api/recovery-key.spec.ts: the key 0..31 encodes to a string with "EsSz"
    key = cs.encode_recovery_key(bytes(range(32)))
    assert key.startswith("EsSz ") and all(len(group) == 4 for group in key.split()[:-1])
    assert cs.decode_recovery_key(key) == bytes(range(32))
    assert cs.decode_recovery_key(key.replace(" ", "")) == bytes(range(32))
    with pytest.raises(CrossSigningError, match="mistyped"):
        cs.decode_recovery_key(key.replace("EsSz", "EsSZ"))
    with pytest.raises(CrossSigningError):
        cs.decode_recovery_key("not a key 0OIl")


def test_a_recovery_key_made_by_element_decodes_to_its_secret_storage_key():
    # From mautrix-python's ssss/key_test.py: a real key and the MAC Element stored for it in the
    # key description; the MAC only matches if the 32 decoded bytes are exactly right.
    seed = cs.decode_recovery_key("EsUC xSxt XJgQ dz19 8WBZ rHdE GZo7 ybsn EFmG Y5HY MDAG GNWe")
    aes_key, hmac_key = HKDF(seed, 32, b"\0" * 32, SHA256, 2, context=b"")
    iv = cs.unb64("O0BOvTqiIAYjC+RMcyHfWw==".rstrip("="))
    zeros = AES.new(aes_key, AES.MODE_CTR, counter=Counter.new(128, initial_value=int.from_bytes(iv))).encrypt(
        b"\0" * 32)
    assert cs.b64(hmac.digest(hmac_key, zeros, hashlib.sha256)) == "7k6OruQlWg0UmQjxGZ0ad4Q6DdwkgnoI7G6X3IjBYtI"
    assert cs.encode_recovery_key(seed) == "EsUC xSxt XJgQ dz19 8WBZ rHdE GZo7 ybsn EFmG Y5HY MDAG GNWe"


def test_the_key_file_is_owner_only_never_overwritten_and_read_back(tmp_path):
    old = os.umask(0o022)
    try:
        store = tmp_path / "data" / "store"
        identity = Identity.generate(USER)
        cs.save(store, identity)
    finally:
        os.umask(old)
    assert stat.S_IMODE(cs.key_file(store).stat().st_mode) == 0o600
    assert stat.S_IMODE(store.stat().st_mode) == 0o700
    assert cs.load(store) == identity
    with pytest.raises(FileExistsError):
        cs.save(store, Identity.generate(USER))
    assert cs.load(tmp_path / "elsewhere") is None
    cs.key_file(store).write_text("{not json")
    with pytest.raises(CrossSigningError, match="damaged") as err:
        cs.load(store)
    assert "{not" not in str(err.value)


def test_start_up_checks_warn_about_a_readable_key_file(tmp_path):
    from devtools.botrun import bot_config
    from devtools.synapse import RegisteredUser
    from bot.startup import readable_files

    config = bot_config("http://127.0.0.1:1", RegisteredUser(USER, "tok", "DEV", "pw"), tmp_path)
    cs.save(config.matrix.store_path, Identity.generate(USER))
    assert readable_files(config) == []
    cs.key_file(config.matrix.store_path).chmod(0o644)
    assert [p.name for p, _, _ in readable_files(config)] == [cs.FILE_NAME]


class _Answer:
    def __init__(self, status: int, body: dict):
        self.status, self._body = status, body

    async def json(self, content_type=None):
        return self._body

    def release(self):
        pass


class _Homeserver:
    """Just enough of nio's AsyncClient: answers /keys/query with no identity, refuses uploads."""

    user_id, device_id, access_token, should_upload_keys = USER, "DEV", "tok", False

    def __init__(self, fail: Exception | None = None):
        self.fail, self.paths = fail, []
        self.olm = type("Olm", (), {"account": None})()
        self.device_store = type("Devices", (), {"users": []})()  # no member's devices yet

    async def keys_query(self):
        raise AssertionError("not called at start")

    async def send(self, method, path, data=None, headers=None):
        self.paths.append(path.rsplit("/v3", 1)[1])
        if self.fail is not None:
            raise self.fail
        if path.endswith("/keys/query"):
            return _Answer(200, {"master_keys": {}, "device_keys": {USER: {}}})
        return _Answer(400, {"errcode": "M_INVALID_PARAM", "error": "no"})


@pytest.mark.parametrize("fail,event", [(None, "crosssign.missing"), (OSError(104, "reset"), "crosssign.failed")])
async def test_the_bot_starts_with_a_warning_when_the_homeserver_refuses_the_keys(tmp_path, fail, event):
    from devtools.botrun import bot_config
    from devtools.synapse import RegisteredUser
    from bot.cross_signing_setup import at_start
    from tests.logcapture import captured_logs

    config = bot_config("http://127.0.0.1:1", RegisteredUser(USER, "tok", "DEV", "pw"), tmp_path,
                        matrix={"password": "a-password"})
    client = _Homeserver(fail)
    with captured_logs() as logged:
        await at_start(client, config)  # returns: the start goes on
    text = logged.getvalue()
    assert event in text and "copbot cross-sign --config" in text and "a-password" not in text
    if fail is None:
        assert client.paths == ["/keys/query", "/keys/device_signing/upload"]
        assert "HTTP 400" in text and "M_INVALID_PARAM" in text
        identity = cs.load(config.matrix.store_path)  # kept: the next start publishes the same keys
        assert identity.recovery_key() not in text


def test_a_device_counts_as_cross_signed_only_through_its_owners_valid_chain():
    from bot.device_trust import cross_signed

    owner, device_seed = Identity.generate(USER), bytes(range(1, 33))
    ed = cs.public_key(device_seed)
    body = owner.upload_body()
    device = {"user_id": USER, "device_id": "D1", "keys": {"ed25519:D1": ed}}
    data = {"master_keys": {USER: body["master_key"]}, "self_signing_keys": {USER: body["self_signing_key"]},
            "device_keys": {USER: {"D1": cs.sign(device, owner.self_signing, USER)}}}
    assert cross_signed(USER, data, "D1", ed) is True
    assert cross_signed(USER, {"device_keys": data["device_keys"]}, "D1", ed) is None  # no identity
    assert cross_signed(USER, {**data, "device_keys": {USER: {"D1": device}}}, "D1", ed) is False  # unsigned
    assert cross_signed(USER, data, "D1", cs.public_key(bytes(32))) is False  # not the keys nio holds
    forged = cs.sign(body["self_signing_key"] | {"signatures": {}}, Identity.generate(USER).master, USER)
    assert cross_signed(USER, {**data, "self_signing_keys": {USER: forged}}, "D1", ed) is False
    user_key = {**data, "self_signing_keys": {USER: body["user_signing_key"]}}  # wrong usage
    assert cross_signed(USER, user_key, "D1", ed) is False
