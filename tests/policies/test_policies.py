"""Eligibility (met, unmet, unknown), search with hostile strings, comparison, policy tables."""

from __future__ import annotations

from datetime import date

import pytest

from jingjinji.atlas import Atlas, load_atlas
from jingjinji.policies import (
    EnterpriseProfile,
    PolicyIndex,
    PolicyRecord,
    compare,
    conditions_from_targets,
    evaluate,
    match_policies,
    parse_policies,
)
from jingjinji.policies.sample import sample_policies
from jingjinji.policies.table import EXPORT_HEADER, export_row
from jingjinji.store.tabular import read_table, write_xlsx

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def _policy(pid: int, title: str, place: str, **targets: object) -> PolicyRecord:
    conditions = conditions_from_targets(**targets)  # type: ignore[arg-type]
    return PolicyRecord(
        title=title,
        place=place,
        type="资金",
        id=pid,
        conditions=tuple(conditions),
        issued_on=date(2024, 1, pid),
        target_industries=tuple(targets.get("industries", ())),
    )  # type: ignore[arg-type]


def test_eligibility_lists_met_and_unmet_conditions(atlas: Atlas) -> None:
    conditions = conditions_from_targets(
        places=["130600"],
        segments=["pe-transformers"],
        tags=["专精特新“小巨人”"],
        revenue_min=1000,
        founded_after=date(2015, 1, 1),
    )
    profile = EnterpriseProfile(
        place="130602", segments=("pe-transformers",), tags=("高新技术企业",), revenue=5000.0
    )
    checks = evaluate(conditions, profile, atlas=atlas)
    assert [(c.kind, c.status) for c in checks] == [
        ("place_in", "met"),
        ("industry_in", "met"),
        ("tag_in", "unmet"),
        ("revenue_range", "met"),
        ("founded_after", "unknown"),
    ]
    assert checks[0].text == "注册地在：保定市" and "竞秀区" in checks[0].reason
    assert checks[2].reason == "不具备所需资质"


def test_place_conditions_follow_the_hierarchy(atlas: Atlas) -> None:
    # 雄县 (130638) lies in 雄安新区, in 保定 and in 河北
    for place in ("133100", "130600", "130000"):
        condition = conditions_from_targets(places=[place])
        assert (
            evaluate(condition, EnterpriseProfile(place="130638"), atlas=atlas)[0].status == "met"
        )
    beijing = conditions_from_targets(places=["110000"])
    assert evaluate(beijing, EnterpriseProfile(place="130638"), atlas=atlas)[0].status == "unmet"


def test_ranking_eligible_first_and_expired_left_out(atlas: Atlas) -> None:
    policies = [
        _policy(1, "保定补贴", "130600", places=["130600"], sizes=["大型"]),
        _policy(2, "河北普惠", "130000", places=["130000"]),
        PolicyRecord(
            title="过期", place="130000", type="资金", id=3, expires_on=date(2024, 12, 31)
        ),
    ]
    profile = EnterpriseProfile(place="130602", size="中型")
    results = match_policies(policies, profile, atlas=atlas, today=TODAY)
    assert [(r.policy.id, r.eligible) for r in results] == [(2, True), (1, False)]
    assert [c.kind for c in results[1].unmet] == ["size_in"]
    everything = match_policies(policies, profile, atlas=atlas, today=TODAY, include_expired=True)
    assert len(everything) == 3


HOSTILE = [
    '"',
    "'",
    "%",
    "_",
    "\\",
    "%_\\",
    "' OR 1=1 --",
    '"未闭合',
    "“”",
    "「」",
    "\x00",
    "<script>alert(1)</script>",
    "氢" * 5000,
    "  ",
    "；；；",
    "*?[]",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_search_takes_hostile_strings_as_plain_text(query: str, atlas: Atlas) -> None:
    index = PolicyIndex([(1, "100%_达标奖励", "支持 C:\\path 与 'quoted' 文本")], atlas=atlas)
    hits = index.search(query)
    assert all(hit.key == 1 for hit in hits)


def test_search_ranks_and_honours_phrases(atlas: Atlas) -> None:
    index = PolicyIndex(
        [
            (1, "氢能产业支持措施", "对电解槽装备给予补贴"),
            (2, "人才安居办法", "氢能企业人才安家补贴"),
            (3, "集成电路设计补贴", "芯片设计企业流片补贴"),
        ],
        atlas=atlas,
    )
    assert [h.key for h in index.search("氢能")] == [1, 2]
    assert [h.key for h in index.search('"人才安家"')] == [2]
    assert index.search("完全无关的词语") == []
    assert index.search('"%"') == []


def test_compare_puts_the_three_places_side_by_side(atlas: Atlas) -> None:
    policies = [
        _policy(1, "北京氢能", "110000", industries=["hydrogen"]),
        _policy(2, "天津电解槽", "120116", segments=["hydrogen-electrolyzer"]),
        _policy(3, "河北普惠", "130600", places=["130600"]),
        _policy(4, "河北芯片", "130100", industries=["integrated-circuits"]),
    ]
    columns = compare(policies, industry="hydrogen", atlas=atlas, today=TODAY)
    assert [c.place for c in columns] == ["110000", "120000", "130000"]
    assert [[p.id for p in c.targeted] for c in columns] == [[1], [2], []]
    assert [[p.id for p in c.general] for c in columns] == [[], [], [3]]


def test_sample_policies_are_labelled_and_round_trip(atlas: Atlas) -> None:
    samples = sample_policies(atlas)
    assert 20 <= len(samples) <= 30
    assert all(
        p.title.startswith("【示例】") and (p.number or "").startswith("示例") for p in samples
    )
    assert {p.place_adcode[:2] for p in samples} == {"11", "12", "13"}
    assert len({p.type for p in samples}) == 7
    rows = [
        export_row(p, id=i, expired=False, provenance="demo", atlas=atlas)
        for i, p in enumerate(samples, 1)
    ]
    sheet = read_table(write_xlsx({"政策清单": (EXPORT_HEADER, rows)}), "x.xlsx")[0]
    parsed, problems = parse_policies(
        ((sheet.name, n, c) for n, c in sheet.rows), atlas=atlas, header=sheet.header
    )
    assert problems == []
    for (_n, again), original in zip(parsed, samples, strict=True):
        assert again.resolved_conditions() == original.resolved_conditions()
        assert again.title == original.title and again.expires_on == original.expires_on


def test_policy_import_names_row_and_column(atlas: Atlas) -> None:
    header = ["标题", "发文地区", "政策类型", "企业规模", "失效日期", "生效日期"]
    rows = [
        ["好", "天津", "资金", "小型", "", ""],
        ["坏", "纽约", "奖励", "超大型", "2020-01-01", "2021-01-01"],
    ]
    sheet = read_table(write_xlsx({"政策": (header, rows)}), "p.xlsx")[0]
    parsed, problems = parse_policies(
        ((sheet.name, n, c) for n, c in sheet.rows), atlas=atlas, header=sheet.header
    )
    assert parsed == []
    assert {(p.row, p.column) for p in problems} == {(3, "发文地区")}
    rows[1][1] = "北京"
    sheet = read_table(write_xlsx({"政策": (header, rows)}), "p.xlsx")[0]
    _parsed, problems = parse_policies(
        ((sheet.name, n, c) for n, c in sheet.rows), atlas=atlas, header=sheet.header
    )
    assert {(p.row, p.column) for p in problems} == {
        (3, "政策类型"),
        (3, "企业规模"),
        (3, "失效日期"),
    }
