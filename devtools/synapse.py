"""A throwaway Synapse homeserver on 127.0.0.1, for the tests, the demo and the benchmarks.

SQLite in a temporary folder, rate limits relaxed, no federation, users
registered through the shared-secret admin API.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SERVER_NAME = "localhost"

_RELAXED = {"per_second": 10000, "burst_count": 10000}

CONFIG_TEMPLATE = {
    "server_name": SERVER_NAME,
    "report_stats": False,
    "enable_registration": False,
    "trusted_key_servers": [],
    "suppress_key_server_warning": True,
    "federation_domain_whitelist": [],
    "url_preview_enabled": False,
    "enable_metrics": False,
    "presence": {"enabled": False},
    # Otherwise /sync answers are cached for two minutes and a restarted client gets stale tokens.
    "caches": {"sync_response_cache_duration": 0, "global_factor": 0.5},
    "rc_message": _RELAXED,
    "rc_registration": _RELAXED,
    "rc_registration_token_validity": _RELAXED,
    "rc_login": {"address": _RELAXED, "account": _RELAXED, "failed_attempts": _RELAXED},
    "rc_admin_redaction": _RELAXED,
    "rc_joins": {"local": _RELAXED, "remote": _RELAXED},
    "rc_joins_per_room": _RELAXED,
    "rc_3pid_validation": _RELAXED,
    "rc_invites": {"per_room": _RELAXED, "per_user": _RELAXED, "per_issuer": _RELAXED},
    "rc_third_party_invite": _RELAXED,
    "rc_media_create": _RELAXED,
    "rc_delayed_event_mgmt": _RELAXED,
    "rc_reports": _RELAXED,
    "rc_room_creation": _RELAXED,
    "rc_presence": {"per_user": _RELAXED},
    "rc_key_requests": _RELAXED,
    "rc_federation": {"window_size": 1000, "sleep_limit": 10000, "reject_limit": 10000, "concurrent": 100},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RegisteredUser:
    user_id: str
    access_token: str
    device_id: str
    password: str


class Synapse:
    """`with Synapse(folder) as hs:` starts it; leaving the block stops it."""

    def __init__(self, folder: Path, port: int | None = None):
        self.folder = Path(folder)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.shared_secret = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None

    def write_config(self) -> Path:
        from signedjson.key import generate_signing_key, write_signing_keys

        self.folder.mkdir(parents=True, exist_ok=True)
        key_path = self.folder / "signing.key"
        if not key_path.exists():
            with key_path.open("w") as fh:
                write_signing_keys(fh, [generate_signing_key("copbot_test")])
        log_config = self.folder / "log.yaml"
        log_config.write_text(json.dumps({
            "version": 1,
            "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
            "handlers": {"file": {"class": "logging.FileHandler", "formatter": "plain",
                                  "filename": str(self.folder / "homeserver.log")}},
            "root": {"level": "WARNING", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }))
        config = dict(CONFIG_TEMPLATE)
        config.update({
            "pid_file": str(self.folder / "homeserver.pid"),
            "listeners": [{"port": self.port, "bind_addresses": ["127.0.0.1"], "type": "http",
                           "tls": False, "x_forwarded": False,
                           "resources": [{"names": ["client"], "compress": False}]}],
            "database": {"name": "sqlite3", "args": {"database": str(self.folder / "homeserver.db")}},
            "log_config": str(log_config),
            "media_store_path": str(self.folder / "media"),
            "signing_key_path": str(key_path),
            "registration_shared_secret": self.shared_secret,
            "macaroon_secret_key": secrets.token_hex(16),
            "form_secret": secrets.token_hex(16),
        })
        path = self.folder / "homeserver.yaml"
        path.write_text(json.dumps(config, indent=1))  # JSON is valid YAML
        return path

    def start(self, timeout: float = 60) -> "Synapse":
        config = self.folder / "homeserver.yaml"
        if not config.exists():
            config = self.write_config()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(config)],
            stdout=(self.folder / "stdout.log").open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.folder / "stdout.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"Synapse exited with {self.process.returncode}:\n{log}")
            try:
                with urllib.request.urlopen(f"{self.url}/_matrix/client/versions", timeout=1):
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Synapse did not answer within {timeout} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> "Synapse":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def register(self, localpart: str, password: str | None = None, admin: bool = False) -> RegisteredUser:
        """Register through the shared-secret admin API (a blocking call: use from threads)."""
        password = password or secrets.token_urlsafe(12)
        nonce = self._request("GET", "/_synapse/admin/v1/register")["nonce"]
        digest = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        digest.update(b"\x00".join(p.encode() for p in
                                   (nonce, localpart, password, "admin" if admin else "notadmin")))
        out = self._request("POST", "/_synapse/admin/v1/register", {
            "nonce": nonce, "username": localpart, "password": password,
            "mac": digest.hexdigest(), "admin": admin,
        })
        return RegisteredUser(out["user_id"], out["access_token"], out["device_id"], password)
