"""``jjj atlas validate`` and ``jjj atlas show`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.jjj import Completed
from tests.jjj import run as jjj


def run(*args: str) -> Completed:
    return jjj("atlas", *args)


def test_validate_passes_on_shipped_data() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "atlas ok: 214 places, 9 industries" in " ".join(result.stdout.split())


def test_validate_fails_with_file_and_key(data_copy: Path) -> None:
    path = data_copy / "industries" / "hydrogen.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    content["edges"][0]["target"] = "hydrogen-nonexistent"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    result = run("validate", "--path", str(data_copy))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "industries/hydrogen.yaml: hydrogen-electrolyzer->hydrogen-nonexistent: "
        "edge refers to unknown segment 'hydrogen-nonexistent'"
    )
    assert "1 problem(s) in the atlas data" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_industries_as_json() -> None:
    result = run("show", "industries", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [item["slug"] for item in data][:2] == ["hydrogen", "nev-icv"]
    assert len(data) == 9
    assert data[2]["roles"] == ["chain", "cluster"]


def test_show_parks_table() -> None:
    result = run("show", "parks")
    assert result.returncode == 0, result.stderr
    assert "parks (9)" in result.stdout
    assert "yanjiao-hitech" in result.stdout


def test_show_rejects_an_unknown_kind() -> None:
    result = run("show", "rivers")
    assert result.returncode != 0
