"""Settings read from the environment (prefix ``ORION_``) and the data directory."""

from __future__ import annotations

import os
import secrets
import stat
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_data_dir
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "lb")
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "lb": "Lëtzebuergesch",
}
SECRET_KEY_FILE = "secret_key"
UNSAFE_SECRETS = {"", "changeme", "changethis", "secret", "development"}


class ConfigurationError(RuntimeError):
    """The settings cannot be used; the message says which one and why."""


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """Orion's settings; every field can be set as ``ORION_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="ORION_", extra="ignore")

    env: Literal["development", "production", "test"] = Field(
        default="production", description="development relaxes safety checks; test is for the suite"
    )
    data_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("orion", appauthor=False)),
        description="Folder for the SQLite database, secret key, task queue and logs",
    )
    database_url: str = Field(default="", description="SQLAlchemy URL; empty means SQLite in data_dir")
    secret_key: str = Field(default="", description="Signs sessions and tokens; generated on first run")
    main_platform_code: str = Field(default="main", description="The platform served at the root URL")
    platform_domain: str = Field(default="localhost", description="Domain of the main platform in host mode")
    base_url: str = Field(
        default="http://localhost:8000", description="Absolute URL prefix for every link the server writes"
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"],
        description="Addresses whose X-Forwarded-* headers are believed",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names served besides localhost, IP addresses, this computer's name, the "
        "base URL's host and the platform and store domains; any other Host gets 400 (DNS rebinding)",
    )
    staff_from_lan: bool = Field(
        default=False,
        description="Let other computers open /admin and the store dashboards (off: only this computer)",
    )
    supported_languages: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(SUPPORTED_LANGUAGES), description="Languages offered to users"
    )
    default_language: str = Field(default="fr", description="Language when nothing else decides")
    project_name: str = Field(default="Orion", description="Name shown in page titles")
    module_paths: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, description="Extra folders holding module packages (os.pathsep separated)"
    )
    tasks_url: str = Field(default="", description="huey storage: empty = SQLite in data_dir, redis://... = Redis")
    tasks_immediate: bool = Field(default=False, description="Run tasks inline (tests)")
    max_body_bytes: int = Field(default=10 * 1024 * 1024, description="Largest request body accepted")
    enable_docs: bool = Field(default=False, description="Serve OpenAPI docs at /docs")
    session_days: int = Field(default=14, description="Lifetime of a login session")
    revision_poll_seconds: float = Field(
        default=0.5, description="How often a process re-reads the configuration revision"
    )
    page_cache_seconds: float = Field(
        default=0.8,
        ge=0,
        le=1,
        description="Longest a storefront page made for every shopper is served again (0 = never); "
        "a change shows within this time",
    )
    log_level: str = Field(default="INFO", description="Lowest level written to the logs")
    logs_max_days: int = Field(
        default=30, ge=1, le=3650,
        description="Log records (logs.db) and rotated JSON log files older than this many days are deleted",
    )
    logs_max_mb: int = Field(
        default=200, ge=1, le=1_000_000,
        description="Largest size in MB of logs.db, and of the JSON log files together: the oldest "
        "records and files go first (checked every 10 minutes and when a task consumer starts)",
    )
    metrics_token: str = Field(
        default="",
        description="Bearer token a Prometheus scraper sends to GET /metrics; empty turns the "
        "metrics off (/metrics answers 404 and nothing is counted)",
    )

    @field_validator("trusted_proxies", "supported_languages", "allowed_hosts", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("module_paths", mode="before")
    @classmethod
    def _path_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [Path(p) for p in value.split(os.pathsep) if p.strip()]
        return value

    @field_validator("supported_languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if code not in SUPPORTED_LANGUAGES]
        if unknown:
            raise ValueError(f"unsupported language(s) {', '.join(unknown)}; choose from en, de, fr, lb")
        return value

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _default_language_supported(self) -> Settings:
        if self.default_language not in self.supported_languages:
            raise ValueError(
                f"default_language {self.default_language!r} is not among the supported languages"
            )
        return self

    @property
    def is_development(self) -> bool:
        return self.env in ("development", "test")

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "orion.db"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")


def ensure_secret_key(settings: Settings) -> str:
    """Return the secret key, creating it in the data directory (mode 0600) on first run."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def protect_data_dir(settings: Settings) -> None:
    """Keep the data folder private to the account running Orion: the database, the task
    queue, logs, backups, media and the secret key hold customers' data and credentials.

    Files this process creates from now on are owner-only (umask 077), the folder is 0700, and
    what an older version left readable by others is closed (files 0600, folders 0700). POSIX
    only: on Windows the folder under the user's profile is private already."""
    if os.name != "posix":
        return
    os.umask(0o077)
    root = settings.data_dir
    root.mkdir(parents=True, exist_ok=True)
    for folder, _folders, files in os.walk(root):
        _restrict(Path(folder), 0o700)
        for name in files:
            _restrict(Path(folder) / name, 0o600)


def _restrict(path: Path, mode: int) -> None:
    try:
        current = path.lstat().st_mode
        if not stat.S_ISLNK(current) and current & 0o077:
            path.chmod(mode)
    except OSError:  # a file that vanished or is not ours: leave it to its owner
        pass


def check_secret(settings: Settings, key: str) -> None:
    """Refuse an unsafe secret key outside development."""
    if settings.is_development:
        return
    if key.lower() in UNSAFE_SECRETS or len(key) < 32:
        raise ConfigurationError(
            "ORION_SECRET_KEY is unsafe: use at least 32 random characters, "
            "or unset it so Orion generates one in the data directory"
        )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, with the secret key filled in and checked."""
    try:
        settings = Settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ConfigurationError(f"invalid settings: {exc}") from exc
    protect_data_dir(settings)
    key = ensure_secret_key(settings)
    check_secret(settings, key)
    settings.secret_key = key
    return settings


def reset_settings() -> None:
    """Forget cached settings (tests, the first-run wizard)."""
    get_settings.cache_clear()
