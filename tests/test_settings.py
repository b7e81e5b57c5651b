"""Settings: defaults, environment overrides, validation, and the README documents each."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from jingjinji.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "sqlite:///var/jjj.sqlite3"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.sqlite_path == Path("var/jjj.sqlite3")


def test_request_threads_default_by_database() -> None:
    sqlite = Settings(_env_file=None)  # type: ignore[call-arg]
    postgres = Settings(database_url="postgresql+psycopg://u:p@db:5432/jjj")
    assert (sqlite.request_threads, postgres.request_threads) == (4, 8)
    assert Settings(threads=2, database_url=postgres.database_url).request_threads == 2


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JJJ_PORT", "9001")
    monkeypatch.setenv("JJJ_DATABASE_URL", "postgresql+psycopg://u:p@db:5432/jjj")
    settings = Settings()
    assert settings.port == 9001
    assert settings.sqlite_path is None


@pytest.mark.parametrize("url", ["nonsense", "mysql://x@y/z", "oracle://a"])
def test_bad_database_url_names_the_variable(url: str) -> None:
    with pytest.raises(ValidationError, match="JJJ_DATABASE_URL"):
        Settings(database_url=url)


def test_every_setting_is_documented_in_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"JJJ_{name.upper()}" in text, f"README does not document JJJ_{name.upper()}"
