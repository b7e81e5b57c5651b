"""Reads behind the project statistics: place lookups by dictionary give what the loops over
every place gave, project records are read once per state of the table (one indexed query
after that) and a write shows in the figures at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, Place, load_atlas
from jingjinji.projects import DIMENSIONS, breakdown, flows, stage_funnel, totals
from jingjinji.projects.places import containing, covered_codes, unit_of
from jingjinji.projects.repository import (
    RECORDS_CACHE,
    ProjectFilter,
    filtered,
    filtered_projects,
    filtered_records,
    includes_sample,
    load_sample_projects,
    to_record,
)
from jingjinji.store import ReadCache, create_db_engine, table_stamp
from jingjinji.store.models import Project

FILTERS = [
    ProjectFilter(),
    ProjectFilter(destination="130600"),
    ProjectFilter(destination="133100"),
    ProjectFilter(origin="110000", year_from=2022),
    ProjectFilter(industry="hydrogen"),
    ProjectFilter(stage="投产"),
    ProjectFilter(q="氢"),
    ProjectFilter(origin="320000", destination="120000"),
]


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs while the test is on."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


# -- the place lookups, against the loops they replace ------------------------------------


def _new_areas(atlas: Atlas) -> list[Place]:
    return [
        p
        for p in atlas.places
        if p.level == "special" and "state-level-new-area" in p.tags and p.administers
    ]


def _old_unit_of(atlas: Atlas, adcode: str) -> Place | None:
    place: Place | None = atlas.place(adcode)
    for area in _new_areas(atlas):
        if adcode == area.adcode or adcode in area.administers:
            return area
    units = {p.adcode for p in atlas.places if p.level == "province" and p.adcode[:2] != "13"}
    units |= {p.adcode for p in atlas.places if p.level in ("prefecture",)}
    units |= {p.adcode for p in _new_areas(atlas)}
    while place is not None:
        if place.adcode in units:
            return place
        place = atlas.place(place.parent) if place.parent else None
    return None


def _old_descendants(atlas: Atlas, adcode: str) -> list[Place]:
    result: list[Place] = []
    for child in [p for p in atlas.places if p.parent == adcode]:
        result.append(child)
        result.extend(_old_descendants(atlas, child.adcode))
    return result


def _old_unit_counties(atlas: Atlas, adcode: str) -> frozenset[str]:
    place = atlas.place(adcode)
    if place.level == "county":
        return frozenset({adcode})
    if place.level == "special" and place.administers:
        found: set[str] = set()
        for code in place.administers:
            found |= _old_unit_counties(atlas, code)
        return frozenset(found)
    counties = {p.adcode for p in _old_descendants(atlas, adcode) if p.level == "county"}
    if place.level == "prefecture":
        unit = _old_unit_of(atlas, adcode)
        counties = {c for c in counties if _old_unit_of(atlas, c) == unit}
    return frozenset(counties)


def _old_containing(atlas: Atlas, adcode: str) -> set[str]:
    found = {adcode}
    place = atlas.place(adcode)
    for special in atlas.places:
        if special.level == "special" and adcode in special.administers:
            found.add(special.adcode)
    while place.parent:
        place = atlas.place(place.parent)
        found.add(place.adcode)
    return found


def test_place_lookups_by_dictionary_answer_as_the_loops_did(atlas: Atlas) -> None:
    units = [p.adcode for p in atlas.prefecture_units()]
    assert len(units) == 14 and units[-1] == "133100"
    for place in atlas.places:
        code = place.adcode
        assert atlas.prefecture_unit_of(code) == _old_unit_of(atlas, code), code
        assert atlas.descendants(code) == _old_descendants(atlas, code), code
        assert atlas.unit_counties(code) == _old_unit_counties(atlas, code), code
        assert containing(code, atlas) == _old_containing(atlas, code), code
        assert [p.adcode for p in atlas.administering(code)] == [
            p.adcode for p in atlas.places if p.level == "special" and code in p.administers
        ]
    # lists handed out are the caller's own
    atlas.prefecture_units().clear()
    atlas.descendants("130600").clear()
    assert len(atlas.prefecture_units()) == 14 and atlas.descendants("130600")
    assert unit_of("130638", atlas) == "133100" and unit_of("320583", atlas) == "320000"
    codes, prefix = covered_codes("130600", atlas)
    assert "130602" in codes and "130638" not in codes and prefix is None
    with pytest.raises(KeyError):
        atlas.prefecture_unit_of("999999")


# -- records and statistics ---------------------------------------------------------------


def _statistics(records: list[Any], atlas: Atlas) -> dict[str, Any]:
    return {
        "totals": totals(records),
        "flows": flows(records, atlas=atlas),
        "funnel": stage_funnel(records),
        **{by: breakdown(records, by=by, atlas=atlas) for by in DIMENSIONS},  # type: ignore[arg-type]
    }


@pytest.mark.db
def test_records_read_once_give_the_statistics_of_the_rows(
    db: Session, atlas: Atlas, statements: list[str]
) -> None:
    assert load_sample_projects(db, atlas) > 0
    db.commit()
    for filt in FILTERS:
        old = [to_record(row) for row in filtered_projects(db, filt, atlas)]  # ORM rows, as before
        new = filtered_records(db, filt, atlas)
        assert new == old, filt
        assert _statistics(new, atlas) == _statistics(old, atlas), filt
        query = filtered(filt, atlas).where(Project.provenance == "demo")
        demo = db.scalar(select(func.count()).select_from(query.subquery()))
        assert includes_sample(db, filt, atlas) is bool(demo)
    # read again: one statement (the stamp), nothing computed
    computed = RECORDS_CACHE.computed
    statements.clear()
    again = filtered_records(db, FILTERS[0], atlas)
    assert len(statements) == 1 and "count(*)" in statements[0], statements
    assert "investment" not in statements[0]  # no row is read
    assert RECORDS_CACHE.computed == computed
    again.clear()  # the caller's own list: the kept records stay
    assert len(filtered_records(db, FILTERS[0], atlas)) == len(
        [to_record(r) for r in filtered_projects(db, FILTERS[0], atlas)]
    )


@pytest.mark.db
def test_a_new_project_at_production_changes_the_figures_at_once(
    client: TestClient, db: Session, atlas: Atlas, make_org: Any
) -> None:
    load_sample_projects(db, atlas)
    db.commit()
    before = client.get("/api/projects/stats", params={"by": "stage"}).json()
    flows_before = client.get("/api/projects/flows", params={"destination": "130600"}).json()
    funnel_before = client.get("/api/projects/funnel").json()
    stamp = table_stamp(db, Project)
    assert client.get("/api/projects/stats", params={"by": "stage"}).json() == before
    org = make_org(place="130600")
    db.add(
        Project(
            name="测试氢能装备产业化项目",
            origin_adcode="110108",
            destination_adcode="130602",
            industry="hydrogen",
            segments=["hydrogen-fc-mea"],
            investment=12.5,
            stage="投产",
            signed_on=date(2024, 5, 1),
            operating_on=date(2025, 6, 1),
            provenance="manual",
            organization_id=org.id,
        )
    )
    db.commit()
    assert table_stamp(db, Project) != stamp
    after = client.get("/api/projects/stats", params={"by": "stage"}).json()
    assert after["total_count"] == before["total_count"] + 1
    assert after["total_investment"] == round(before["total_investment"] + 12.5, 4)
    stage = {b["key"]: b for b in after["data"]}
    was = {b["key"]: b for b in before["data"]}
    assert stage["投产"]["count"] == was["投产"]["count"] + 1
    assert {k: v for k, v in stage.items() if k != "投产"} == {
        k: v for k, v in was.items() if k != "投产"
    }
    beijing_baoding = {
        (f["source"], f["target"]): f
        for f in client.get("/api/projects/flows", params={"destination": "130600"}).json()["data"]
    }[("110000", "130600")]
    old_pair = {(f["source"], f["target"]): f for f in flows_before["data"]}[("110000", "130600")]
    assert beijing_baoding["count"] == old_pair["count"] + 1
    funnel = {b["key"]: b["count"] for b in client.get("/api/projects/funnel").json()["data"]}
    assert funnel == {
        b["key"]: b["count"] + 1 for b in funnel_before["data"]
    }  # a project at 投产 passed every stage
    # the figures come from the rows as they are now
    records = [to_record(row) for row in filtered_projects(db, ProjectFilter(), atlas)]
    assert after["total_count"] == totals(records).count
    assert after["data"] == [vars(b) for b in breakdown(records, by="stage", atlas=atlas)]


def test_one_caller_recomputes_a_changed_answer_while_others_get_the_previous_one(
    tmp_path: Path,
) -> None:
    """Single flight: while one caller recomputes a key whose stamp changed, another caller
    gets the answer kept for the previous stamp at once instead of computing it too."""
    engine = create_db_engine(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    cache = ReadCache("test", size=4)
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow() -> str:
        calls.append("slow")
        started.set()
        assert release.wait(30)
        return "new"

    with Session(engine) as first, Session(engine) as second:
        assert cache.get(first, "figures", 1, lambda: "old") == "old"
        worker = threading.Thread(target=lambda: cache.get(first, "figures", 2, slow))
        worker.start()
        assert started.wait(30)
        # the data changed (stamp 2) and a recomputation runs: the previous answer, no wait
        assert cache.get(second, "figures", 2, lambda: calls.append("again") or "dup") == "old"
        release.set()
        worker.join(30)
        assert cache.get(second, "figures", 2, lambda: "never") == "new"
    assert calls == ["slow"] and cache.computed == 2
    engine.dispose()
