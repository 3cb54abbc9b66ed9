"""A throwaway PostgreSQL server for the tests, like devtools/synapse.py for Synapse.

initdb into a temporary folder, start with pg_ctl listening only on a Unix socket inside
that folder (no TCP port, so parallel runs never collide), create databases, stop and delete
everything. Settings are for speed, not durability (fsync off): never use it for real data.

initdb refuses to run as root, so under root the server runs as the `postgres` system user
(runuser), with the folder given to it; root can still reach the socket.

The test switch lives here too: COPBOT_TEST_DATABASE=postgres makes the fast harness and the
Synapse tests' bot use a fresh database per test on the server whose admin URL is in
COPBOT_TEST_POSTGRES_URL (set by the session fixture in tests/conftest.py, or by hand to use a
server of your own).

    python -m devtools.postgres check     # are the binaries there? (exit 1 if not)
    python -m devtools.postgres shell     # start one and print its URL until Ctrl-C
"""

from __future__ import annotations

import asyncio
import glob
import hashlib
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

ENV_BACKEND = "COPBOT_TEST_DATABASE"       # "postgres" runs the tests on PostgreSQL
ENV_SERVER = "COPBOT_TEST_POSTGRES_URL"    # admin URL of the server the tests use
ENV_DATA = "COPBOT_TEST_POSTGRES_DATA"    # that server's data folder, when it is ours (file scans)
ENV_REQUIRE = "COPBOT_REQUIRE_POSTGRES"    # "1": missing binaries fail the run instead of skipping it
ENV_BIN = "COPBOT_PG_BIN"                  # the folder holding initdb, pg_ctl, postgres (else searched)

SUPERUSER = "postgres"
_NEEDED = ("initdb", "pg_ctl", "postgres")


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not installed (or not found)."""


def _version_key(path: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.findall(r"\d+|\D+", path))


def find_bin_dir() -> Path:
    """The folder with initdb, pg_ctl and postgres: $COPBOT_PG_BIN, then PATH, then Debian's layout."""
    candidates: list[str] = []
    if os.environ.get(ENV_BIN):  # when set, the only place looked at
        candidates.append(os.environ[ENV_BIN])
    else:
        candidates += _searched()
    for folder in candidates:
        if all(os.access(os.path.join(folder, n), os.X_OK) for n in _NEEDED):
            return Path(folder)
    where = os.environ.get(ENV_BIN) or "PATH or /usr/lib/postgresql/*/bin"
    raise PostgresUnavailable(
        f"PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in {where}; "
        "on Debian/Ubuntu: apt-get install postgresql")


def _searched() -> list[str]:
    candidates = []
    for name in _NEEDED:
        found = shutil.which(name)
        if found:  # /usr/local/bin/pg_ctl is often a link into /usr/lib/postgresql/N/bin
            candidates += [os.path.dirname(os.path.realpath(found)), os.path.dirname(found)]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    candidates += sorted(glob.glob("/usr/pgsql-*/bin"), key=_version_key, reverse=True)
    return candidates


def selected() -> bool:
    """Whether this test run uses PostgreSQL (COPBOT_TEST_DATABASE=postgres)."""
    return os.environ.get(ENV_BACKEND, "").strip().lower() in ("postgres", "postgresql", "pg")


def required() -> bool:
    return os.environ.get(ENV_REQUIRE, "").strip() in ("1", "true", "yes")


class Postgres:
    """`with Postgres() as pg:` starts a server; leaving the block stops it and deletes its files."""

    def __init__(self, folder: Path | None = None, bin_dir: Path | None = None):
        self.bin = bin_dir or find_bin_dir()
        self._own_folder = folder is None
        # Not under pytest's tmp folders: those are 0700 and the postgres user could not enter them.
        self.folder = Path(folder or tempfile.mkdtemp(prefix="copbot-pg-"))
        self.data = self.folder / "data"
        self.socket_dir = self.folder / "sock"
        self.log = self.folder / "server.log"
        self.port = 5432  # only names the socket file: no TCP listener
        self.running = False
        self._as_postgres = os.geteuid() == 0

    # -- running the binaries -------------------------------------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            runuser = shutil.which("runuser")
            cmd = [runuser, "-u", SUPERUSER, "--", *cmd] if runuser else \
                ["su", SUPERUSER, "-s", "/bin/sh", "-c", " ".join(_sh_quote(c) for c in cmd)]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=self.folder)
        if check and out.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({out.returncode}): {out.stderr.strip()}\n{log}")
        return out

    def _give_to_postgres(self) -> None:
        try:
            user = pwd.getpwnam(SUPERUSER)
        except KeyError:
            raise PostgresUnavailable(
                "running as root, and there is no 'postgres' system user to run the server as "
                "(the Debian postgresql package creates it)") from None
        for path in [self.folder, *self.folder.rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid)

    # -- life cycle -----------------------------------------------------------------------
    def start(self, timeout: float = 60) -> "Postgres":
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            self._give_to_postgres()
        if not (self.data / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                      "--encoding=UTF8", "--locale=C", "--no-sync")
            with (self.data / "postgresql.conf").open("a") as conf:
                conf.write(
                    "\n# copbot test server: Unix socket only, fast and not durable\n"
                    "listen_addresses = ''\n"
                    f"unix_socket_directories = '{self.socket_dir}'\n"
                    f"port = {self.port}\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "max_connections = 200\nshared_buffers = 32MB\n"
                    "log_min_messages = warning\n")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(int(timeout)),
                  "start")
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
            self.running = False
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "Postgres":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- databases ------------------------------------------------------------------------
    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of one database, over the Unix socket."""
        return f"postgresql+asyncpg://{SUPERUSER}@/{database}?host={quote(str(self.socket_dir))}"

    def create_database(self, name: str) -> str:
        create_database(self.url(), name)
        return self.url(name)


def _sh_quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'"


# -- databases on any server, by URL (the test switch uses these) -------------------------
def _asyncpg_args(url: str) -> dict:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    args = {"user": u.username, "password": u.password, "database": u.database,
            "host": u.query.get("host") or u.host, "port": u.port}
    return {k: v for k, v in args.items() if v is not None}


def with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


@asynccontextmanager
async def _admin(admin_url: str):
    """A connection to the server's admin database, closed afterwards."""
    import asyncpg

    conn = await asyncpg.connect(**_asyncpg_args(admin_url))
    try:
        yield conn
    finally:
        await conn.close()


async def _exists(conn, name: str) -> bool:
    return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))


async def create_database_async(admin_url: str, name: str) -> str:
    async with _admin(admin_url) as conn:
        await conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(admin_url, name)


async def drop_database_async(admin_url: str, name: str) -> None:
    async with _admin(admin_url) as conn:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _in_thread(coro_factory):
    """Run a coroutine to completion from sync code, even when called inside a running loop."""
    box: dict = {}

    def target():
        try:
            box["value"] = asyncio.run(coro_factory())
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def create_database(admin_url: str, name: str) -> str:
    return _in_thread(lambda: create_database_async(admin_url, name))


def drop_database(admin_url: str, name: str) -> None:
    _in_thread(lambda: drop_database_async(admin_url, name))


def new_database_name(prefix: str = "copbot_t") -> str:
    return f"{prefix}_{secrets.token_hex(6)}"


def database_name_for(folder: Path) -> str:
    """One database per test folder, as SQLite has one file: a second config for the same
    folder (a restarted bot) finds the same data."""
    digest = hashlib.sha256(str(Path(folder).resolve()).encode()).hexdigest()[:16]
    return f"copbot_t_{digest}"


async def ensure_database_async(admin_url: str, name: str, template: str | None = None) -> str:
    """Create database `name` unless it exists (as a copy of `template` if given); return its URL."""
    import asyncpg

    async with _admin(admin_url) as conn:
        if not await _exists(conn, name):
            # FILE_COPY: about twice as fast as the default for these small databases (fsync is off).
            like = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
            try:
                await conn.execute(f'CREATE DATABASE "{name}"{like}')
            except asyncpg.DuplicateDatabaseError:
                pass
    return with_database(admin_url, name)


async def migrated_template_async(admin_url: str) -> str:
    """A database holding the current schema, made once per server, for fast per-test copies.

    Migrating takes about half a second on PostgreSQL; a copy of this takes a fifth of that.
    Its name carries the newest migration, so a server kept across runs gets a new one when
    the schema grows. It is built under a temporary name and renamed when complete."""
    import asyncpg

    from storage.engine import make_engine
    from storage.migrate import available, migrate

    name = f"copbot_template_v{available()[-1].version:04d}"
    async with _admin(admin_url) as conn:
        if await _exists(conn, name):
            return name
    building = new_database_name("copbot_building")
    engine = make_engine(await ensure_database_async(admin_url, building))
    try:
        await migrate(engine)
    finally:
        await engine.dispose()
    async with _admin(admin_url) as conn:
        try:
            await conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        except asyncpg.DuplicateDatabaseError:  # built meanwhile by another run
            await conn.execute(f'DROP DATABASE "{building}" WITH (FORCE)')
    return name


def ensure_database(admin_url: str, name: str) -> str:
    return _in_thread(lambda: ensure_database_async(admin_url, name))


def server_url_for_tests() -> str:
    """The admin URL of the test server; set by the session fixture when the switch is on."""
    url = os.environ.get(ENV_SERVER)
    if not url:
        raise RuntimeError(f"{ENV_BACKEND}=postgres but {ENV_SERVER} is not set: the tests/conftest.py "
                           "session fixture starts a server and sets it")
    return url


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    what = args[0] if args else "check"
    try:
        folder = find_bin_dir()
    except PostgresUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1
    if what == "check":
        print(folder)
        return 0
    if what == "shell":
        with Postgres() as pg:
            print(pg.url(), flush=True)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
        return 0
    print("usage: python -m devtools.postgres [check|shell]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
