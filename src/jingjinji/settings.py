"""Settings: one declarative table, read from ``JJJ_*`` environment variables.

Every setting is documented in README.md (a test checks that the two agree).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

__all__ = ["Settings", "get_settings"]

SUPPORTED_DRIVERS = ("sqlite", "postgresql")


class Settings(BaseSettings):
    """Platform settings; each field is read from the variable ``JJJ_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="JJJ_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/jjj.sqlite3",
        description="SQLAlchemy URL of the database (SQLite file or postgresql+psycopg://…)",
    )
    host: str = Field(default="127.0.0.1", description="address `jjj serve` listens on")
    port: int = Field(default=8000, ge=1, le=65535, description="port `jjj serve` listens on")
    debug: bool = Field(default=False, description="show tracebacks in logs and CLI errors")
    log_level: str = Field(default="info", description="logging level (debug, info, warning)")
    load_sample: bool = Field(
        default=True, description="load generated sample data (labelled 示例数据) on `jjj db init`"
    )
    secure_cookies: bool | None = Field(
        default=None,
        description="mark cookies Secure; default: only when the request came over HTTPS",
    )
    session_hours: int = Field(default=12, ge=1, description="lifetime of a login session, hours")
    max_upload_mb: float = Field(default=10.0, gt=0, description="largest accepted upload, MiB")
    login_max_failures: int = Field(
        default=5, ge=1, description="failed logins per account and per address before a lock-out"
    )
    login_window_minutes: int = Field(
        default=15, ge=1, description="window and lock-out length for failed logins, minutes"
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="worker processes `jjj serve` starts (SQLite in WAL mode and PostgreSQL both "
        "allow several)",
    )
    threads: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="threads each worker process runs synchronous requests in (imports and "
        "exports each hold one while they run); default 4 on SQLite, 8 on PostgreSQL, where "
        "a request spends part of its time waiting for the database server",
    )

    @property
    def request_threads(self) -> int:
        """:attr:`threads`, or its default for the database in use."""
        if self.threads is not None:
            return self.threads
        return 8 if self.database_url.startswith("postgresql") else 4

    matches_refresh_seconds: float = Field(
        default=30.0,
        ge=0,
        le=3600,
        description="how old, in seconds, a listing's kept matches may be while other "
        "listings are published or changed: within it a new or changed counterpart may be "
        "missing from them (the listing's own change, and counterparts leaving publication, "
        "count at once); visitors' listing pages and match lists are kept as long (and "
        "dropped when a listing they may show changes); 0: every change makes all matches "
        "be computed anew",
    )
    public_refresh_seconds: float = Field(
        default=5.0,
        ge=0,
        le=3600,
        description="how old, in seconds, what visitors who are not signed in are shown may "
        "be: their pages and API answers are kept this long for all of them, and summary "
        "figures (协同成效, 总览, market and project statistics) computed once for them while "
        "writes go on; signed-in users get summary figures as old, except that their own "
        "changes show at once, and always current pages and records; 0: always current",
    )
    warm_up: bool = Field(
        default=True,
        description="compute the figures of the first pages in the background when the server "
        "starts (each industry's coverage, the matches of the newest listings), then render "
        "the visitors' answers of the front pages, chain views and those listings, so the "
        "first visitors find them ready",
    )
    db_pool_size: int = Field(
        default=20, ge=1, le=500, description="database connections each worker process keeps"
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses of reverse proxies whose X-Forwarded-For is believed, as JSON, "
        'e.g. ["127.0.0.1"]; empty: the peer address is the client',
    )
    dense_retrieval: bool = Field(
        default=True,
        description="match by meaning as well as by shared words: dense vectors of the "
        "listings fused with BM25 (hybrid retrieval); false: BM25 alone",
    )
    model_dir: Path = Field(
        default=Path("var/models"),
        description="folder of the embedding model of dense retrieval, distilled there once "
        "(about 20 s) when missing; `jjj match distil` makes it ahead of time",
    )
    match_weights: dict[str, float] = Field(
        default_factory=dict,
        description="matching formula weights overriding the defaults, as JSON, e.g. "
        '{"text": 0.5, "place": 0}; names in jingjinji.matching.MatchWeights',
    )

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"JJJ_DATABASE_URL is not a database URL: {value!r}") from exc
        if url.get_backend_name() not in SUPPORTED_DRIVERS:
            raise ValueError(
                f"JJJ_DATABASE_URL uses {url.get_backend_name()!r}; "
                f"supported: {', '.join(SUPPORTED_DRIVERS)}"
            )
        return value

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the database is SQLite, else ``None``."""
        url = make_url(self.database_url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return Path(url.database)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
