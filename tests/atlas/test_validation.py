"""validate_atlas and load_atlas on the shipped data and on broken copies."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jingjinji.atlas import AtlasError, Problem, load_atlas, validate_atlas


def _edit_yaml(path: Path, change: object) -> None:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")


def test_shipped_data_is_valid() -> None:
    assert validate_atlas() == []


def test_a_copy_is_valid_and_loads(data_copy: Path) -> None:
    assert validate_atlas(data_copy) == []
    atlas = load_atlas(data_copy)
    assert atlas.root == data_copy
    assert len(atlas.industries) == 9


def test_broken_edge_names_file_and_key(data_copy: Path) -> None:
    def break_edge(content: dict) -> None:  # type: ignore[type-arg]
        content["edges"][0]["target"] = "hydrogen-nonexistent"

    _edit_yaml(data_copy / "industries" / "hydrogen.yaml", break_edge)
    problems = validate_atlas(data_copy)
    assert problems == [
        Problem(
            file="industries/hydrogen.yaml",
            key="hydrogen-electrolyzer->hydrogen-nonexistent",
            message="edge refers to unknown segment 'hydrogen-nonexistent'",
        )
    ]
    with pytest.raises(AtlasError) as caught:
        load_atlas(data_copy)
    assert caught.value.problems == problems
    assert "industries/hydrogen.yaml: hydrogen-electrolyzer->hydrogen-nonexistent" in str(
        caught.value
    )


def test_cycle_is_detected(data_copy: Path) -> None:
    def add_cycle(content: dict) -> None:  # type: ignore[type-arg]
        content["edges"].append({"source": "hydrogen-fc-vehicle", "target": "hydrogen-fc-mea"})

    _edit_yaml(data_copy / "industries" / "hydrogen.yaml", add_cycle)
    problems = validate_atlas(data_copy)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == "industries/hydrogen.yaml"
    assert "cycle" in problem.message
    cycle = problem.key.split("->")
    assert cycle[0] == cycle[-1]
    assert {"hydrogen-fc-mea", "hydrogen-fc-stack", "hydrogen-fc-vehicle"} <= set(cycle)


def test_a_marked_cycle_is_accepted_and_unmarking_it_fails(data_copy: Path) -> None:
    def unmark(content: dict) -> None:  # type: ignore[type-arg]
        for edge in content["edges"]:
            edge.pop("cycle_ok", None)

    _edit_yaml(data_copy / "industries" / "nev-icv.yaml", unmark)
    problems = validate_atlas(data_copy)
    assert [p.file for p in problems] == ["industries/nev-icv.yaml"]
    assert "nev-battery-recycling" in problems[0].key


def test_unknown_gbt_code_and_too_few_segments(data_copy: Path) -> None:
    def damage(content: dict) -> None:  # type: ignore[type-arg]
        content["segments"][0]["gbt4754"] = ["9999"]
        removed = {s["slug"] for s in content["segments"][12:]}
        content["segments"] = content["segments"][:12]
        content["edges"] = [
            e for e in content["edges"] if e["source"] not in removed and e["target"] not in removed
        ]

    _edit_yaml(data_copy / "industries" / "robotics.yaml", damage)
    messages = {(p.key, p.message) for p in validate_atlas(data_copy)}
    assert ("robot-reducer", "GB/T 4754-2017 code '9999' does not exist") in messages
    assert not any("segments; an industry needs" in m for _, m in messages)

    def fewer(content: dict) -> None:  # type: ignore[type-arg]
        content["segments"] = content["segments"][:11]
        content["edges"] = []

    _edit_yaml(data_copy / "industries" / "robotics.yaml", fewer)
    messages = {(p.key, p.message) for p in validate_atlas(data_copy)}
    assert ("robotics", "has 11 segments; an industry needs 12–30") in messages
    assert ("robotics", "has no downstream segment") in messages


def test_schema_problem_names_the_field(data_copy: Path) -> None:
    def bad_stage(content: dict) -> None:  # type: ignore[type-arg]
        content["segments"][2]["stage"] = "sideways"

    _edit_yaml(data_copy / "industries" / "biomedicine.yaml", bad_stage)
    problems = validate_atlas(data_copy)
    assert [(p.file, p.key) for p in problems] == [
        ("industries/biomedicine.yaml", "biomedicine.segments[2].stage")
    ]


def test_duplicate_segment_slug_across_industries(data_copy: Path) -> None:
    def steal(content: dict) -> None:  # type: ignore[type-arg]
        content["segments"][0]["slug"] = "hydrogen-fc-mea"
        for edge in content["edges"]:
            for end in ("source", "target"):
                if edge[end] == "robot-reducer":
                    edge[end] = "hydrogen-fc-mea"

    _edit_yaml(data_copy / "industries" / "robotics.yaml", steal)
    problems = validate_atlas(data_copy)
    assert [(p.key, p.message) for p in problems] == [
        ("hydrogen-fc-mea", "slug is not unique (also in industries/hydrogen.yaml)")
    ]
    assert problems[0].file == "industries/robotics.yaml"


def test_unknown_references_in_spatial_files(data_copy: Path) -> None:
    def damage(content: dict) -> None:  # type: ignore[type-arg]
        content["corridors"][0]["places"].append("999999")
        content["corridors"][1]["industries"].append("steel")

    _edit_yaml(data_copy / "spatial" / "corridors.yaml", damage)
    problems = {(p.file, p.key, p.message) for p in validate_atlas(data_copy)}
    assert problems == {
        ("spatial/corridors.yaml", "beijing-tianjin-it", "places: unknown place '999999'"),
        (
            "spatial/corridors.yaml",
            "beijing-baoding-shijiazhuang-energy",
            "industries: unknown industry 'steel'",
        ),
    }


def test_place_without_existing_parent(data_copy: Path) -> None:
    path = data_copy / "places.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("130602,竞秀区,竞秀,county,130600", "130602,竞秀区,竞秀,county,130699"),
        encoding="utf-8",
    )
    assert validate_atlas(data_copy) == [
        Problem("places.csv", "130602", "parent '130699' does not exist")
    ]


def test_unknown_seed_is_reported(data_copy: Path) -> None:
    def damage(content: dict) -> None:  # type: ignore[type-arg]
        content["parks"][0]["provenance"] = ["seed:009_0000000000000000.txt"]

    _edit_yaml(data_copy / "spatial" / "parks.yaml", damage)
    assert validate_atlas(data_copy) == [
        Problem(
            "spatial/parks.yaml",
            "zhongguancun",
            "provenance names unknown seed file 'seed:009_0000000000000000.txt'",
        )
    ]


def test_not_a_directory(tmp_path: Path) -> None:
    problems = validate_atlas(tmp_path / "missing")
    assert len(problems) == 1 and problems[0].message == "not a directory"
