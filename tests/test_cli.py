"""The ``jjj`` command as a user runs it: version, errors in one line, database commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.jjj import run, run_process


def test_version() -> None:
    result = run_process("--version")  # the installed entry point
    assert result.returncode == 0
    assert result.stdout.strip() == "jjj 0.1.0"


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "db", "users", "orgs", "backup", "restore"):
        assert command in result.stdout


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("not a url", "JJJ_DATABASE_URL"),
        ("mysql://u:p@localhost/x", "JJJ_DATABASE_URL"),
        ("postgresql+psycopg://nobody:x@127.0.0.1:1/none", "JJJ_DATABASE_URL"),
    ],
)
def test_bad_database_url_is_one_readable_line(url: str, needle: str) -> None:
    result = run("serve", env={"JJJ_DATABASE_URL": url})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert "Traceback" not in result.stderr


def test_db_upgrade_and_status(tmp_path: Path) -> None:
    env = {"JJJ_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = run("db", "upgrade", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.sqlite3").exists()
    status = run("db", "status", env=env)
    from jingjinji.store import head_revision

    assert f"current: {head_revision()}" in status.stdout


def test_orgs_and_users_create(tmp_path: Path) -> None:
    env = {"JJJ_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    org = run(
        "orgs",
        "create",
        "--name",
        "河北省科技厅",
        "--kind",
        "government",
        "--place",
        "130000",
        env=env,
    )
    assert org.returncode == 0, org.stderr
    user = run(
        "users",
        "create",
        "--org",
        "河北省科技厅",
        "--role",
        "admin",
        "--username",
        "admin",
        env=env,
        input="a-long-password\na-long-password\n",
    )
    assert user.returncode == 0, user.stderr
    assert "admin (admin) in 河北省科技厅" in user.stdout
    weak = run(
        "users",
        "create",
        "--org",
        "河北省科技厅",
        "--role",
        "editor",
        "--username",
        "weak",
        "--password",
        "short",
        env=env,
    )
    assert weak.returncode == 1
    assert "at least 10 characters" in weak.stderr
    bad_role = run(
        "users",
        "create",
        "--org",
        "河北省科技厅",
        "--role",
        "root",
        "--username",
        "x1y",
        "--password",
        "a-long-password",
        env=env,
    )
    assert bad_role.returncode == 1 and "role" in bad_role.stderr
    listing = run("users", "list", env=env)
    assert "admin" in listing.stdout and "河北省科技厅" in listing.stdout
