"""Configuration: a TOML file, validated once at start.

Every key is declared in SCHEMA with its type and default, so validation,
defaults and the error messages come from one place. Secrets may come from
the environment instead of the file.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENV_SECRETS = {
    ("matrix", "access_token"): "COPBOT_ACCESS_TOKEN",
    ("matrix", "password"): "COPBOT_PASSWORD",
}

USER_ID = re.compile(r"^@[a-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(:\d+)?$")


class ConfigError(Exception):
    """Raised with every problem found, each naming its key."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _url(value: str) -> str | None:
    if not re.match(r"^https?://[^\s/]+", value):
        return "must start with http:// or https://, e.g. https://matrix.example.org"
    return None


def _user_id(value: str) -> str | None:
    if not USER_ID.match(value):
        return "must be a full Matrix user id, e.g. @copbot:example.org"
    return None


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "is not an IANA timezone name, e.g. America/Toronto"
    return None


def _language(value: str) -> str | None:
    return None if value in ("en", "fr") else 'must be "en" or "fr"'


def _db_url(value: str) -> str | None:
    if value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        return None
    return "must start with sqlite+aiosqlite:// or postgresql+asyncpg://"


def _level(value: str) -> str | None:
    ok = ("DEBUG", "INFO", "WARNING", "ERROR")
    return None if value.upper() in ok else f"must be one of {', '.join(ok)}"


def _log_format(value: str) -> str | None:
    return None if value in ("text", "json") else 'must be "text" or "json"'


def _non_negative(value: int | float) -> str | None:
    return None if value >= 0 else "must not be negative"


def _prefix(value: str) -> str | None:
    if not value or any(c.isspace() for c in value):
        return "must be a non-empty word without spaces, e.g. !cop"
    return None


def _delay_pair(values: list) -> str | None:
    if (len(values) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in values)
            or not 0 <= values[0] <= values[1] <= 86_400):
        return "must be [min, max] seconds with 0 <= min <= max <= 86400, e.g. [120, 900]; [0, 0] turns it off"
    return None


def _positive(value: int) -> str | None:
    return None if value > 0 else "must be at least 1"


def _offsets(values: list) -> str | None:
    if values and all(isinstance(v, str) and re.fullmatch(r"\d{1,4}[smhdw]", v) for v in values):
        return None
    return 'must be a list of offsets before a workshop, e.g. ["7d", "1d", "1h"]'


def _offset(value: str) -> str | None:
    if re.fullmatch(r"\d{1,4}[smhdw]", value):
        return None
    return 'must be a number and a unit (s, m, h, d, w), e.g. "14d"'


def _at_least_five(value: int) -> str | None:
    # Never below 5 (issue 21 §3): a summary may show any group of this size or more.
    return None if 5 <= value <= 100 else "must be from 5 (the default and the floor) up to 100"


def _inviters(values: list) -> str | None:
    for v in values:
        if not isinstance(v, str) or not (USER_ID.match(v) or re.match(r"^:[A-Za-z0-9.\-]+(:\d+)?$", v)):
            return f"entry {v!r} must be a user id (@name:server) or a server (:server)"
    return None


Check = Callable[[Any], "str | None"]
# section -> key -> (type, default, check). A default of ... means required.
SCHEMA: dict[str, dict[str, tuple[type, Any, Check | None]]] = {
    "matrix": {
        "homeserver": (str, ..., _url),
        "user_id": (str, ..., _user_id),
        "access_token": (str, "", None),
        "password": (str, "", None),
        "device_id": (str, "COPBOT01", None),
        "store_path": (str, "data/store", None),
        "encryption": (bool, True, None),
        "exclude_unsigned_devices": (bool, True, None),
        "allowed_inviters": (list, [], _inviters),
        "ignored_users": (list, [], _inviters),
        "startup_timeout_seconds": (int, 30, _non_negative),
    },
    "bot": {
        "command_prefix": (str, "!cop", _prefix),
        "timezone": (str, "America/Toronto", _timezone),
        "language": (str, "en", _language),
        "catch_up_seconds": (int, 600, _non_negative),
        "facilitator_power_level": (int, 50, _non_negative),
        "secret_file": (str, "data/secret.key", None),
    },
    "consultations": {
        "posting_delay_seconds": (list, [120, 900], _delay_pair),
        "min_delay_seconds": (int, 60, _non_negative),
        "retention_days": (int, 90, _positive),
        "redact_on_expiry": (bool, True, None),
        "dm_cleanup_seconds": (int, 600, _positive),
        "require_encrypted_dm": (bool, True, None),
        "review": (bool, False, None),
        "draft_minutes": (int, 30, _positive),
        "max_per_day": (int, 3, _positive),
        "max_code_attempts_per_hour": (int, 5, _positive),
        "mention_experts": (int, 3, _positive),
        "nudge_after": (str, "48h", _offset),
    },
    "workshops": {
        "reminder_offsets": (list, ["7d", "1d", "1h"], _offsets),
        "allow_seconds_offsets": (bool, False, None),
        "grace_minutes": (int, 60, _non_negative),
        "duration_minutes": (int, 120, _positive),
        "mention_room": (bool, False, None),
    },
    "checkins": {
        "invite_after": (str, "14d", _offset),
        "remind_after": (str, "5d", _offset),
        "draft_hours": (int, 72, _positive),
    },
    "summaries": {
        "min_group_size": (int, 5, _at_least_five),
    },
    "database": {
        "url": (str, "sqlite+aiosqlite:///data/copbot.db", _db_url),
    },
    "logging": {
        "level": (str, "INFO", _level),
        "format": (str, "text", _log_format),
    },
}


@dataclass(frozen=True)
class MatrixConfig:
    homeserver: str
    user_id: str
    access_token: str
    password: str
    device_id: str
    store_path: Path
    encryption: bool
    allowed_inviters: tuple[str, ...]
    ignored_users: tuple[str, ...]
    startup_timeout_seconds: int = 30
    exclude_unsigned_devices: bool = True  # bot.device_trust


@dataclass(frozen=True)
class BotConfig:
    command_prefix: str
    timezone: str
    language: str
    catch_up_seconds: int
    facilitator_power_level: int
    secret_file: Path


@dataclass(frozen=True)
class ConsultationsConfig:
    posting_delay_seconds: tuple[int, int]
    min_delay_seconds: int
    retention_days: int
    redact_on_expiry: bool
    dm_cleanup_seconds: int
    require_encrypted_dm: bool
    review: bool
    draft_minutes: int
    max_per_day: int
    max_code_attempts_per_hour: int
    mention_experts: int = 3  # directory members mentioned in a consultation's thread (issue 23)
    nudge_after: str = "48h"  # then the next ones, once, if no wanted sector replied


@dataclass(frozen=True)
class WorkshopsConfig:
    reminder_offsets: tuple[str, ...]
    allow_seconds_offsets: bool
    grace_minutes: int
    duration_minutes: int
    mention_room: bool


@dataclass(frozen=True)
class CheckinsConfig:
    invite_after: str
    remind_after: str
    draft_hours: int


@dataclass(frozen=True)
class SummariesConfig:
    min_group_size: int


@dataclass(frozen=True)
class DatabaseConfig:
    url: str


@dataclass(frozen=True)
class LoggingConfig:
    level: str
    format: str


@dataclass(frozen=True)
class Config:
    matrix: MatrixConfig
    bot: BotConfig
    consultations: ConsultationsConfig
    workshops: WorkshopsConfig
    checkins: CheckinsConfig
    summaries: SummariesConfig
    database: DatabaseConfig
    logging: LoggingConfig
    source: Path | None = field(default=None, compare=False)


def _typed(expected: type, value: Any) -> bool:
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, expected)


def _resolve(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _resolve_sqlite(base: Path, url: str) -> str:
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str(base / url[len(prefix):])
    return url


def parse(raw: dict[str, Any], base: Path, env: dict[str, str] | None = None) -> Config:
    """Validate a parsed TOML document; relative paths are taken from `base`."""
    env = os.environ if env is None else env
    problems: list[str] = []
    values: dict[str, dict[str, Any]] = {}
    for section in raw:
        if section not in SCHEMA:
            problems.append(f"[{section}]: unknown section (known: {', '.join(SCHEMA)})")
        elif not isinstance(raw[section], dict):
            problems.append(f"[{section}]: must be a table")
    for section, keys in SCHEMA.items():
        given = raw.get(section, {}) if isinstance(raw.get(section, {}), dict) else {}
        values[section] = {}
        for key in given:
            if key not in keys:
                problems.append(f"[{section}].{key}: unknown key (known: {', '.join(keys)})")
        for key, (expected, default, check) in keys.items():
            name = f"[{section}].{key}"
            value = given.get(key, default)
            env_name = ENV_SECRETS.get((section, key))
            if env_name and env.get(env_name):
                value = env[env_name]
            if value is ...:
                problems.append(f"{name}: required")
                continue
            if not _typed(expected, value):
                article = "an" if expected.__name__[0] in "aeiou" else "a"
                problems.append(f"{name}: must be {article} {expected.__name__}, got {type(value).__name__}")
                continue
            problem = check(value) if check else None
            if problem:
                problems.append(f"{name}: {problem}")
            values[section][key] = value
    m = values["matrix"]
    if not problems and not m["access_token"] and not m["password"]:
        problems.append(
            "[matrix].access_token: required (or [matrix].password, or the environment "
            "variable COPBOT_ACCESS_TOKEN / COPBOT_PASSWORD); `copbot login` writes one"
        )
    if problems:
        raise ConfigError(problems)
    b, d, lg = values["bot"], values["database"], values["logging"]
    return Config(
        matrix=MatrixConfig(
            homeserver=m["homeserver"].rstrip("/"),
            user_id=m["user_id"],
            access_token=m["access_token"],
            password=m["password"],
            device_id=m["device_id"],
            store_path=_resolve(base, m["store_path"]),
            encryption=m["encryption"],
            allowed_inviters=tuple(m["allowed_inviters"]),
            ignored_users=tuple(m["ignored_users"]),
            startup_timeout_seconds=m["startup_timeout_seconds"],
            exclude_unsigned_devices=m["exclude_unsigned_devices"],
        ),
        bot=BotConfig(
            command_prefix=b["command_prefix"],
            timezone=b["timezone"],
            language=b["language"],
            catch_up_seconds=b["catch_up_seconds"],
            facilitator_power_level=b["facilitator_power_level"],
            secret_file=_resolve(base, b["secret_file"]),
        ),
        consultations=ConsultationsConfig(**{
            **values["consultations"],
            "posting_delay_seconds": tuple(values["consultations"]["posting_delay_seconds"])}),
        workshops=WorkshopsConfig(**{**values["workshops"],
                                     "reminder_offsets": tuple(values["workshops"]["reminder_offsets"])}),
        checkins=CheckinsConfig(**values["checkins"]),
        summaries=SummariesConfig(**values["summaries"]),
        database=DatabaseConfig(url=_resolve_sqlite(base, d["url"])),
        logging=LoggingConfig(level=lg["level"].upper(), format=lg["format"]),
    )


def load(path: str | Path, env: dict[str, str] | None = None) -> Config:
    """Read and validate a config file; relative paths are relative to the file."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found (start from config.example.toml)"]) from None
    except tomllib.TOMLDecodeError as exc:  # the message names a line and column, never a value
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not a text file in UTF-8"]) from None
    except OSError as exc:  # a folder, no permission, ...
        raise ConfigError([f"{path}: cannot be read: {exc.strerror or type(exc).__name__}"]) from None
    config = parse(raw, path.resolve().parent, env)
    return replace(config, source=path)
