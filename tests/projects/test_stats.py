"""Statistics of the project library on a small set computed by hand."""

from __future__ import annotations

import pytest

from jingjinji.atlas import Atlas, load_atlas
from jingjinji.projects import ProjectRecord, breakdown, flows, stage_funnel, totals
from jingjinji.projects.sample import sample_projects
from jingjinji.projects.table import validate_project


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


#: Five projects; by hand: destinations 天津市 (120000 + 滨海 120116) 2 projects 30.0 亿元,
#: 保定市 (130602) 1, 5.0; 雄安新区 (133100, a unit of its own) 1, 7.5; 廊坊市 1, 7.5.
#: Origins: 北京 3 (110108 ×2, 110000) 22.5; 江苏省 (320500) 1, 20.0; 天津 1, 7.5.
#: Total 5 projects, 50.0 亿元.
PROJECTS = [
    ProjectRecord("a", "110108", "120000", 10.0, "签约", 2020, "hydrogen", platform=None),
    ProjectRecord(
        "b",
        "320500",
        "120116",
        20.0,
        "投产",
        2021,
        "integrated-circuits",
        platform="tianjin-binhai-new-area",
    ),
    ProjectRecord("c", "110108", "130602", 5.0, "在建", 2021, "hydrogen"),
    ProjectRecord("d", "110000", "133100", 7.5, "终止", 2022, None, platform="xiongan-new-area"),
    ProjectRecord("e", "120000", "131000", 7.5, "开工", None, "robotics"),
]


def _table(atlas: Atlas, by: str) -> list[tuple[str, int, float]]:
    return [(b.key, b.count, b.investment) for b in breakdown(PROJECTS, by=by, atlas=atlas)]  # type: ignore[arg-type]


def test_totals() -> None:
    assert totals(PROJECTS).count == 5
    assert totals(PROJECTS).investment == 50.0


def test_by_destination_groups_prefecture_units(atlas: Atlas) -> None:
    assert _table(atlas, "destination") == [
        ("120000", 2, 30.0),
        ("131000", 1, 7.5),
        ("133100", 1, 7.5),
        ("130600", 1, 5.0),
    ]


def test_by_origin_groups_provinces_outside_the_region(atlas: Atlas) -> None:
    assert _table(atlas, "origin") == [
        ("110000", 3, 22.5),
        ("320000", 1, 20.0),
        ("120000", 1, 7.5),
    ]


def test_by_industry_platform_stage_year(atlas: Atlas) -> None:
    assert _table(atlas, "industry") == [
        ("integrated-circuits", 1, 20.0),
        ("hydrogen", 2, 15.0),
        ("", 1, 7.5),
        ("robotics", 1, 7.5),
    ]
    assert _table(atlas, "platform") == [
        ("", 3, 22.5),
        ("tianjin-binhai-new-area", 1, 20.0),
        ("xiongan-new-area", 1, 7.5),
    ]
    assert _table(atlas, "stage") == [
        ("签约", 1, 10.0),
        ("开工", 1, 7.5),
        ("在建", 1, 5.0),
        ("投产", 1, 20.0),
        ("终止", 1, 7.5),
    ]
    assert _table(atlas, "year") == [
        ("2020", 1, 10.0),
        ("2021", 2, 25.0),
        ("2022", 1, 7.5),
        ("", 1, 7.5),
    ]
    labels = {b.key: b.label for b in breakdown(PROJECTS, by="platform", atlas=atlas)}
    assert labels[""] == "未注明" and labels["xiongan-new-area"] == "雄安新区"


def test_by_corridor_counts_every_corridor_through_the_destination(atlas: Atlas) -> None:
    table = dict((k, (n, v)) for k, n, v in _table(atlas, "corridor"))
    # 京津 IT corridor: 天津 (a), 滨海新区 (b), 廊坊 (e) → 3 projects, 37.5
    assert table["beijing-tianjin-it"] == (3, 37.5)
    # 京保石: 保定 (130602 lies in 130600) → c only; 京雄: 雄安新区 → d only
    assert table["beijing-baoding-shijiazhuang-energy"] == (1, 5.0)
    assert table["beijing-xiongan-aerospace"] == (1, 7.5)
    assert "beijing-tangshan-qinhuangdao-robotics" not in table


def test_flows_between_units(atlas: Atlas) -> None:
    result = [(f.source, f.target, f.count, f.investment) for f in flows(PROJECTS, atlas=atlas)]
    assert (
        result
        == [
            ("320000", "120000", 1, 20.0),
            ("110000", "120000", 1, 10.0),
            ("110000", "133100", 1, 7.5),
            ("120000", "131000", 1, 7.5),
            ("110000", "130600", 1, 5.0),
        ]
        or sorted(result, key=lambda r: -r[3]) == result
    )
    assert sum(f.count for f in flows(PROJECTS, atlas=atlas)) == 5
    pairs = {(f.source, f.target): (f.count, f.investment) for f in flows(PROJECTS, atlas=atlas)}
    assert pairs[("110000", "130600")] == (1, 5.0)
    assert pairs[("110000", "133100")] == (1, 7.5)


def test_stage_funnel_never_widens() -> None:
    funnel = [(b.key, b.count, b.investment) for b in stage_funnel(PROJECTS)]
    # live: a 签约, b 投产, c 在建, e 开工 (d terminated is left out)
    assert funnel == [("签约", 4, 42.5), ("开工", 3, 32.5), ("在建", 2, 25.0), ("投产", 1, 20.0)]


def test_unknown_dimension_is_refused(atlas: Atlas) -> None:
    with pytest.raises(ValueError, match="by must be one of"):
        breakdown(PROJECTS, by="colour", atlas=atlas)  # type: ignore[arg-type]


def test_sample_projects_are_valid_plausible_and_reproducible(atlas: Atlas) -> None:
    rows = sample_projects(atlas, n=300)
    assert rows == sample_projects(atlas, n=300)
    assert all(not validate_project(r, atlas) for r in rows)
    assert all(r.source.startswith("示例数据") for r in rows)
    beijing_or_outside = sum(1 for r in rows if r.origin_adcode[:2] not in ("12", "13"))
    to_tianjin_hebei = sum(1 for r in rows if r.destination_adcode[:2] in ("12", "13"))
    assert beijing_or_outside > 0.75 * len(rows) and to_tianjin_hebei > 0.9 * len(rows)
    assert {r.signed_on.year for r in rows if r.signed_on} <= set(range(2014, 2026))
