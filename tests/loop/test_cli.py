"""``jjj loop``: the 协同成效 figures as a table or JSON; a bad industry is one line, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run


def test_loop_json_and_table(tmp_path: Path) -> None:
    env = {"JJJ_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "JJJ_LOAD_SAMPLE": "false"}
    assert run("db", "upgrade", env=env).returncode == 0
    result = run("loop", "--industry", "hydrogen", "--place", "130600", "--json", env=env)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["place_name"] == "保定市" and payload["industry"] == "hydrogen"
    assert payload["reference"]["value"] == 7.8
    assert payload["totals"]["projects"] == 0 and payload["is_sample"] is False
    table = run("loop", "--industry", "hydrogen", "--place", "130600", env=env)
    assert table.returncode == 0 and "协同成效" in table.stdout and "7.8%" in table.stdout
    bad = run("loop", "--industry", "no-such-industry", env=env)
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
