"""The `copbot` command line: run, check-config, login, cross-sign, export, copy-db, redact."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import signal
import sys
from pathlib import Path

from bot import __version__, logs
from bot.config import ConfigError, load
from domain.redact.cli import add_arguments as redact_arguments


def _run(args: argparse.Namespace) -> int:
    from bot.app import CopBot
    from bot.framework import incident_id
    from bot.startup import FatalError, Stopped

    config = load(args.config)
    logs.setup(config.logging.level, config.logging.format,
               secrets=(config.matrix.access_token, config.matrix.password))
    log = logging.getLogger("copbot")

    async def main() -> None:
        bot = CopBot(config)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, bot.stop)
        await bot.run()

    try:
        asyncio.run(main())
    except Stopped:  # asked to stop while still starting
        return 0
    except FatalError as exc:
        log.error("bot.fatal", **logs.fields(reason=str(exc)))
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: its traceback goes to the log without messages (they may quote input)
        incident = incident_id()
        log.error("bot.crashed", exc_info=exc, **logs.fields(incident=incident))
        print(f"error: the bot stopped on an unexpected {type(exc).__name__} (incident {incident}); "
              f"the log above has its traceback.", file=sys.stderr)
        return 1
    return 0


def _check_config(args: argparse.Namespace) -> int:
    from bot.startup import FatalError, check_login

    config = load(args.config)
    print(f"{args.config}: the configuration is valid.")
    if args.offline:
        return 0
    try:
        user = asyncio.run(check_login(config))
    except FatalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Logged in to {config.matrix.homeserver} as {user}.")
    return 0


def _show_recovery_key(identity) -> None:
    print("\nThe bot's cross-signing recovery key (shown once; `copbot cross-sign --show-recovery-key` "
          "reads it from the store again):\n")
    print(f"    {identity.recovery_key()}\n")
    print("Write it down and keep it offline, apart from the backups of the store. With it, "
          "`copbot cross-sign --recovery-key` signs a new device of the bot after the store is lost.")


def _login(args: argparse.Namespace) -> int:
    from nio import AsyncClient, AsyncClientConfig, LoginResponse

    from bot import cross_signing_setup as xs
    from bot.cross_signing import CrossSigningError
    from bot.keys import create_private_file, make_private_dir

    password = os.environ.get("COPBOT_PASSWORD") or getpass.getpass(f"Password for {args.user}: ")
    store = Path(args.store) if args.store else Path(args.output).parent / "store"
    crossed: list[str] = []  # what cross-signing did, or why it did not

    async def login() -> LoginResponse | object:
        if not args.no_cross_sign:
            make_private_dir(store)
        client = AsyncClient(args.homeserver.rstrip("/"), args.user, device_id=args.device_id,
                             store_path=None if args.no_cross_sign else str(store),
                             config=AsyncClientConfig(encryption_enabled=not args.no_cross_sign,
                                                      store_sync_tokens=False))
        try:
            resp = await client.login(password, device_name="copbot")
            if isinstance(resp, LoginResponse) and not args.no_cross_sign:
                try:  # the store then holds this device's keys and the identity; run reads them
                    crossed.append(await xs.ensure(client, store, xs.bare_password(password)))
                except (CrossSigningError, OSError) as exc:
                    crossed.append(f"not done: {exc}")
            return resp
        finally:
            await client.close()

    try:
        resp = asyncio.run(login())
    except Exception as exc:  # network errors: say which, without a traceback
        print(f"error: cannot reach {args.homeserver}: {type(exc).__name__}", file=sys.stderr)
        return 1
    if not isinstance(resp, LoginResponse):
        print(f"error: login refused: {getattr(resp, 'message', resp)}", file=sys.stderr)
        return 1
    out = Path(args.output)
    if out.exists():
        out.unlink()
    create_private_file(out, (  # owner-only from the start (0600, a new folder 0700), whatever the umask
        "# Written by `copbot login`. Keep this file private (mode 0600).\n"
        "# Copy these keys into the [matrix] table of your config, or point\n"
        "# COPBOT_ACCESS_TOKEN at the token.\n"
        "[matrix]\n"
        f'homeserver = "{args.homeserver.rstrip("/")}"\n'
        f'user_id = "{resp.user_id}"\n'
        f'access_token = "{resp.access_token}"\n'
        f'device_id = "{resp.device_id}"\n'
    ))
    print(f"Logged in as {resp.user_id} (device {resp.device_id}); credentials written to {out} (mode 0600).")
    if crossed:
        _report_cross_signing(crossed[0], store, "copbot cross-sign --config <your config>")
    return 0


def _report_cross_signing(outcome: str, store: Path, command: str) -> None:
    from bot import cross_signing as cs, cross_signing_setup as xs

    if outcome.startswith("not done"):
        print(f"Cross-signing {outcome}\nFix that, then run `{command}`.", file=sys.stderr)
        return
    print({xs.UNCHANGED: "The bot's identity is published and this device is signed already: nothing to do.",
           xs.DEVICE_SIGNED: "This device of the bot is now signed by its cross-signing identity.",
           xs.CREATED: f"The bot's cross-signing identity is published and this device signed; "
                       f"the private keys are in {cs.key_file(store)} (mode 0600).",
           xs.RECOVERED: "The bot's identity was recovered: new self-signing and user-signing keys are "
                         "published, signed by its master key, and this device is signed.",
           xs.REPLACED: "A new cross-signing identity replaces the old one; this device is signed. Members "
                        "who verified the bot must verify it again.",
           xs.REPUBLISHED: "The store's self-signing keys are published again and this device is signed.",
           }[outcome])
    if outcome in (xs.CREATED, xs.REPLACED):
        _show_recovery_key(cs.load(store))


def _cross_sign(args: argparse.Namespace) -> int:
    from aiohttp.client_exceptions import ClientError

    from bot import cross_signing as cs, cross_signing_setup as xs
    from bot.app import new_client
    from bot.cross_signing import CrossSigningError
    from bot.startup import FatalError, preflight

    config = load(args.config)
    store = config.matrix.store_path
    if args.show_recovery_key:
        try:
            identity = cs.load(store)
        except CrossSigningError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if identity is None:
            print(f"error: {cs.key_file(store)} does not exist: run `copbot cross-sign --config {args.config}`",
                  file=sys.stderr)
            return 1
        _show_recovery_key(identity)
        return 0
    logs.setup(config.logging.level, config.logging.format,
               secrets=(config.matrix.access_token, config.matrix.password))
    recovery = None
    if args.recovery_key:
        recovery = os.environ.get("COPBOT_RECOVERY_KEY") or getpass.getpass("Recovery key: ")

    async def password() -> str | None:
        if config.matrix.password:  # [matrix].password or COPBOT_PASSWORD
            return config.matrix.password
        if not sys.stdin.isatty():
            return None
        return await asyncio.to_thread(getpass.getpass, f"Password for {config.matrix.user_id}: ")

    async def cross_sign() -> str:
        checked = await preflight(config)
        client = new_client(checked)
        m = checked.matrix
        client.restore_login(m.user_id, m.device_id, m.access_token)
        try:
            return await xs.ensure(client, store, password, recovery_key=recovery, reset=args.reset)
        finally:
            await client.close()

    try:
        outcome = asyncio.run(cross_sign())
    except (FatalError, CrossSigningError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (ClientError, asyncio.TimeoutError) as exc:  # say which, without a traceback
        print(f"error: cannot reach {config.matrix.homeserver}: {type(exc).__name__}", file=sys.stderr)
        return 1
    except OSError as exc:  # the key file or the store
        print(f"error: {exc.filename or 'a file'}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return 1
    _report_cross_signing(outcome, store, f"copbot cross-sign --config {args.config}")
    return 0


def _redact(args: argparse.Namespace) -> int:
    from domain.redact import cli as redact_cli

    argv = ["--lang", args.lang] + (["--explain"] if args.explain else [])
    return redact_cli.main(argv, sys.stdin, sys.stdout)


def _export(args: argparse.Namespace) -> int:
    from bot.summaries.export import ExportError, export

    config = load(args.config)
    try:
        paths = asyncio.run(export(config, args.cop, Path(args.out)))
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


def _copy_db(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from storage.copy import CopyError, copy_database, shown

    try:
        copied = asyncio.run(copy_database(args.source, args.target))
    except CopyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a server that cannot be reached: say so, no traceback
        print(f"error: cannot open a database: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except DBAPIError as exc:  # refused login, missing database, …: the server's own words
        print(f"error: {str(exc.orig).splitlines()[0] if exc.orig else exc}; nothing was copied", file=sys.stderr)
        return 1
    width = max(len(c.table) for c in copied)
    for c in copied:
        print(f"{c.table:<{width}}  {c.rows:>8}")
    print(f"Copied {sum(c.rows for c in copied)} rows in {len(copied)} tables from {shown(args.source)} "
          f"to {shown(args.target)}.")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="copbot", description="A Matrix bot for communities of practice.")
    p.add_argument("--version", action="version", version=f"copbot {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the bot")
    run.add_argument("--config", required=True, help="path to the TOML config")
    run.set_defaults(func=_run)
    check = sub.add_parser("check-config", help="validate the config and try the login")
    check.add_argument("--config", required=True)
    check.add_argument("--offline", action="store_true", help="validate only, do not contact the homeserver")
    check.set_defaults(func=_check_config)
    login = sub.add_parser("login", help="log in with a password and write an access token")
    login.add_argument("--homeserver", required=True, help="e.g. https://matrix.example.org")
    login.add_argument("--user", required=True, help="e.g. @copbot:example.org")
    login.add_argument("--device-id", default="COPBOT01")
    login.add_argument("--output", default="data/credentials.toml", help="file to write (mode 0600)")
    login.add_argument("--store", help="the encryption store, as [matrix].store_path (default: `store` next "
                                       "to --output): the device's keys and the cross-signing keys go there")
    login.add_argument("--no-cross-sign", action="store_true",
                       help="do not publish a cross-signing identity (`copbot cross-sign` does it later)")
    login.set_defaults(func=_login)
    xsign = sub.add_parser(
        "cross-sign", help="publish the bot's cross-signing identity and sign its device (safe to repeat)",
        description="Makes members' clients trust the bot's device. Repeating it changes nothing. The "
                    "first time it may ask for the account's password ([matrix].password or "
                    "COPBOT_PASSWORD, else a prompt) and shows the recovery key.")
    xsign.add_argument("--config", required=True)
    xsign.add_argument("--recovery-key", action="store_true",
                       help="the store was lost: sign this device with the recovery key "
                            "(read from COPBOT_RECOVERY_KEY, else a prompt)")
    xsign.add_argument("--show-recovery-key", action="store_true",
                       help="print the recovery key kept in the store, and nothing else")
    xsign.add_argument("--reset", action="store_true",
                       help="replace the account's identity with a new one (members verify the bot again)")
    xsign.set_defaults(func=_cross_sign)
    exp = sub.add_parser("export", help="write a community's series summary: Markdown, CSV files and the chart")
    exp.add_argument("--config", required=True)
    exp.add_argument("--cop", required=True, help="the community's slug")
    exp.add_argument("--out", required=True, help="the folder to write into")
    exp.set_defaults(func=_export)
    copy = sub.add_parser("copy-db", help="copy every table into a new, empty database (e.g. SQLite to PostgreSQL)",
                          description="Stop the bot first. The target is migrated, must be empty, and is "
                                      "filled in one transaction; row counts are printed.")
    copy.add_argument("--from", dest="source", required=True, metavar="URL",
                      help="e.g. sqlite+aiosqlite:///data/copbot.db")
    copy.add_argument("--to", dest="target", required=True, metavar="URL",
                      help="e.g. postgresql+asyncpg://copbot@/copbot?host=/run/postgresql")
    copy.set_defaults(func=_copy_db)
    redact = sub.add_parser("redact", help="remove identifiers from a request read from stdin")
    redact_arguments(redact).set_defaults(func=_redact)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print("error: the configuration is not valid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
