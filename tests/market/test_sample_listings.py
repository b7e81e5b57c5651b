"""The sample listings (示例数据) read like the real thing: an organization offers or asks for
things in its own field, an instrument serves the segments it is used in, a listing tells one
story (the same figures in the summary and in the fields), and its dates are in order."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from typing import Any, get_args

import pytest

from jingjinji.atlas import Atlas, load_atlas
from jingjinji.market.samples import (
    _INSTRUMENTS,
    TODAY,
    SampleOrg,
    generate_listings,
    sample_organizations,
)
from jingjinji.web.schemas.listings import AchievementType

#: Institutes named after a field, and the field.
FIELD_INSTITUTES = {
    "未来科学城氢能研究所": "hydrogen",
    "海淀集成电路设计研究院": "integrated-circuits",
    "亦庄生物医药研究院": "biomedicine",
    "京北医科大学": "biomedicine",
    "京畿网络安全技术研究院": "cybersecurity",
    "京畿机器人创新研究院": "robotics",
    "北京应急装备研究院": "emergency-equipment",
    "清河电力科学研究院": "power-equipment",
    "京畿精密机械研究所": "machine-tools",
}


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="module")
def rows(atlas: Atlas) -> list[dict[str, Any]]:
    return list(generate_listings(atlas))


@pytest.fixture(scope="module")
def orgs() -> dict[str, SampleOrg]:
    return {org.name: org for org in sample_organizations()}


def _of(rows: list[dict[str, Any]], *kinds: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["kind"] in kinds]


def test_the_counts_are_kept(rows: list[dict[str, Any]]) -> None:
    counts = Counter(row["kind"] for row in rows)
    assert counts == {"achievement": 5000, "demand": 2000, "challenge": 100, "instrument": 300}


def test_fields_are_atlas_slugs_and_every_segment_has_someone(
    atlas: Atlas, orgs: dict[str, SampleOrg]
) -> None:
    industries = {industry.slug for industry in atlas.industries}
    segments = {seg.slug for industry in atlas.industries for seg in industry.segments}
    named = [(org.name, org.industries, org.segments) for org in orgs.values()]
    named += [(name, fields.split(), focus.split()) for name, _, fields, focus, _ in _INSTRUMENTS]
    for name, fields, focus in named:
        assert fields and set(fields) <= industries, name
        assert set(focus) <= segments, (name, set(focus) - segments)
        outside = {atlas.industry_of(slug).slug for slug in focus} - set(fields)
        assert not outside, (name, outside)  # a named segment is in one of its industries
    for kind in ("university", "enterprise"):
        covered = set().union(*(o.coverage(atlas) for o in orgs.values() if o.kind == kind))
        assert covered == segments, (kind, segments - covered)


def test_an_institute_named_after_a_field_works_in_that_field_only(
    orgs: dict[str, SampleOrg], rows: list[dict[str, Any]]
) -> None:
    for name, field in FIELD_INSTITUTES.items():
        assert orgs[f"{name}（示例）"].industries == (field,), name
    published = Counter(
        (row["_org"].removesuffix("（示例）"), row["industries"][0])
        for row in _of(rows, "achievement", "instrument")
    )
    for (name, industry), count in published.items():
        if name in FIELD_INSTITUTES:
            assert industry == FIELD_INSTITUTES[name], (name, industry, count)
    # the cybersecurity institute sells no fuel-cell membranes
    assert published["京畿网络安全技术研究院", "cybersecurity"] > 0
    assert published["京畿网络安全技术研究院", "hydrogen"] == 0
    # and a specialist publishes in its field as much as a university spread over all
    assert published["未来科学城氢能研究所", "hydrogen"] >= published["京华理工大学", "hydrogen"]


def test_every_listing_is_published_by_someone_working_in_its_segment(
    atlas: Atlas, orgs: dict[str, SampleOrg], rows: list[dict[str, Any]]
) -> None:
    coverage = {name: org.coverage(atlas) for name, org in orgs.items()}
    for row in rows:
        org = orgs[row["_org"]]
        assert row["segments"][0] in coverage[org.name], (row["kind"], org.name, row["segments"])
        assert atlas.industry_of(row["segments"][0]).slug == row["industries"][0]
        expected = "enterprise" if row["kind"] in ("demand", "challenge") else "university"
        assert org.kind == expected
    # an enterprise's trade word fits what it asks for
    by_trade: dict[str, set[str]] = {}
    for row in _of(rows, "demand", "challenge"):
        trade = re.sub(r"^..(.+)有限公司.*$", r"\1", row["_org"])
        by_trade.setdefault(trade, set()).add(row["industries"][0])
    assert by_trade["生物科技"] == {"biomedicine"} and by_trade["医药"] == {"biomedicine"}
    assert "cybersecurity" in by_trade["网络科技"]
    assert by_trade["汽车零部件"] <= {"nev-icv", "hydrogen", "machine-tools"}


def test_an_instrument_serves_its_segment_and_its_owner_works_there(
    atlas: Atlas, orgs: dict[str, SampleOrg], rows: list[dict[str, Any]]
) -> None:
    served = {
        name: (
            set(fields.split()),
            SampleOrg("", "", "", tuple(fields.split()), tuple(focus.split())),
        )
        for name, _, fields, focus, _ in _INSTRUMENTS
    }
    instruments = _of(rows, "instrument")
    for row in instruments:
        name = row["keywords"][0]
        industries, instrument = served[name]
        assert row["industries"][0] in industries, (name, row["industries"])
        assert row["segments"][0] in instrument.coverage(atlas), (name, row["segments"])
        assert row["title"].startswith(f"{name}（{row['_org'].removesuffix('（示例）')}")
        assert atlas.segment(row["segments"][0]).name in row["summary"]
    assert len({row["title"] for row in instruments}) == len(instruments)  # 2号机 for a second
    # the examples planners found: a thermogravimetric analyser for emergency radios, …
    assert served["热重分析仪"][0] == {
        "hydrogen", "nev-icv", "biomedicine", "power-equipment", "emergency-equipment"
    }  # fmt: skip
    segments = {(r["keywords"][0], r["segments"][0]) for r in instruments}
    assert ("热重分析仪", "em-communication") not in segments
    assert served["燃料电池测试台"][0] == {"hydrogen"}
    assert served["流式细胞仪"][0] == {"biomedicine"}
    assert served["半导体参数分析仪"][0] >= {"integrated-circuits"}
    low_high = {name: band for name, _, _, _, band in _INSTRUMENTS}
    for row in instruments:
        low, high = low_high[row["keywords"][0]]
        assert low <= row["price_per_hour"] <= high


def test_a_demand_or_challenge_tells_one_story(atlas: Atlas, rows: list[dict[str, Any]]) -> None:
    for row in _of(rows, "demand", "challenge"):
        summary = row["summary"]
        assert row["current_solution"] and row["current_solution"] in summary, summary
        assert row["target_indicators"] and row["target_indicators"] in summary, summary
        assert atlas.segment(row["segments"][0]).name in summary
        keywords = set(atlas.segment(row["segments"][0]).keywords)
        assert set(row["keywords"]) <= keywords
        assert any(keyword in row["title"] for keyword in row["keywords"]), row["title"]
        now = re.search(r"约(\d+)%", row["current_solution"])
        target = re.search(r"提高到(\d+)%", row["target_indicators"])
        if now and target:
            assert int(now[1]) < int(target[1]), (row["current_solution"], row["target_indicators"])
    for row in _of(rows, "challenge"):
        assert row["title"].startswith("揭榜挂帅：")
        assert row["conditions"].startswith("揭榜方须为京津冀高校、科研院所或企业")


def test_an_achievement_tells_one_story(atlas: Atlas, rows: list[dict[str, Any]]) -> None:
    types = set(get_args(AchievementType))
    for row in _of(rows, "achievement"):
        seg = atlas.segment(row["segments"][0])
        summary = row["summary"]
        assert f"面向{seg.name}领域" in summary
        assert row["advantage"] in summary  # the same result, with the same figure
        assert row["problem"].removeprefix(f"解决{seg.name}中") in summary
        assert row["title"].startswith(row["keywords"][0]) and row["keywords"][0] in seg.keywords
        cost = re.search(r"成本较进口\S*降低约(\d+)%", row["advantage"])
        saving = re.search(r"降低约(\d+)%", row["economics"])
        if cost and saving:
            assert cost[1] == saving[1], (row["advantage"], row["economics"])
        assert row["achievement_type"] in types
        if row["achievement_type"] in ("软件著作权", "技术秘密"):
            assert row["patent_numbers"] == []
        if row["achievement_type"] == "专利":
            assert row["patent_numbers"]
        for number in row["patent_numbers"]:
            digits, check = re.fullmatch(r"ZL(\d{12})\.([\dX])", number).groups()  # type: ignore[union-attr]
            total = sum(
                int(d) * w for d, w in zip(digits, (2, 3, 4, 5, 6, 7, 8, 9) * 2, strict=False)
            )
            assert check == ("X" if total % 11 == 10 else str(total % 11)), number
            assert int(digits[:4]) < row["published_at"].year  # filed before it was listed
    # software is not offered as a patent-free process, a membrane not as software
    by_segment = Counter(
        (r["segments"][0], r["achievement_type"]) for r in _of(rows, "achievement")
    )
    assert by_segment["hydrogen-fc-membrane", "软件著作权"] == 0
    assert by_segment["cyber-soc", "新工艺"] == 0


def test_dates_are_in_order(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        published = row["published_at"].date()
        assert TODAY - timedelta(days=700) < published < TODAY
        assert row["valid_from"] == published <= row["valid_until"]
        if row["valid_until"] < TODAY:  # expired after at least a month online
            assert (row["valid_until"] - published).days > 30
        if row["kind"] in ("demand", "challenge"):
            assert published <= row["deadline"] <= row["valid_until"]
        if row.get("challenge_stage") == "评审":
            assert (TODAY - published).days >= 120


def test_contacts_cannot_be_dialled_and_carry_the_local_area_code(
    rows: list[dict[str, Any]],
) -> None:
    for row in rows:
        assert re.search(r" 0\d{2,3}-0\d{7}（示例号码，不可拨打）$", row["contact"]), row["contact"]
        code = row["contact"].split()[1].split("-")[0]
        place = row["place_adcode"]
        if place.startswith("11"):
            assert code == "010"
        elif place.startswith("12"):
            assert code == "022"
        else:
            assert code.startswith("03"), (place, code)  # a Hebei city, not Tianjin


def test_generation_is_reproducible(atlas: Atlas, rows: list[dict[str, Any]]) -> None:
    again = generate_listings(atlas)
    assert all(a == b for a, b in zip(rows, again, strict=True))


def test_enterprises_keep_the_names_of_earlier_releases(orgs: dict[str, SampleOrg]) -> None:
    """`jjj demo remove` deletes sample organizations by name: those a database got from an
    earlier release must still be among them (the trades added since come after them)."""
    names = list(orgs)
    for name in (
        "华北装备制造有限公司01（示例）",
        "冀中智能科技有限公司04（示例）",
        "冀北生物科技有限公司36（示例）",
        "太行新能源科技有限公司54（示例）",
    ):
        assert name in names
    institutions = sum(org.kind == "university" for org in orgs.values())
    assert names.index("太行新能源科技有限公司54（示例）") == institutions + 53  # in its old place
