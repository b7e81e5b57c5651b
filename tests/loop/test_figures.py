"""协同成效 figures on a small hand-checked set, gaps, destinations and landed presence."""

from __future__ import annotations

from typing import Any

import pytest

from jingjinji.atlas import Atlas, load_atlas
from jingjinji.chains.coverage import ChainContext, coverage
from jingjinji.chains.places import scope_of
from jingjinji.loop import (
    AchievementRecord,
    DealRecord,
    DemandRecord,
    Gap,
    LandedProject,
    LoopProject,
    beijing_flows,
    gaps_of,
    landed_presence,
    landing_county,
    loop_figures,
    rank_destinations,
)


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def test_loop_figures_hand_checked() -> None:
    figures = loop_figures(
        gaps=[
            Gap("h", "s1", "S1", "thin", 1, closed_year=2023),
            Gap("h", "s2", "S2", "missing", 0),
            Gap("h", "s3", "S3", "thin", 2, closed_year=2024),
        ],
        demands=[DemandRecord(1, 2022, 2023), DemandRecord(2, 2023), DemandRecord(3, 2024, 2024)],
        deals=[DealRecord(1, 2023, "110108", "130600", "落地", 200.0)],
        outbound=[
            DealRecord(1, 2023, "110108", "130600", "落地", 200.0),
            DealRecord(2, 2024, "110105", "120101", "签约", 50.0),
            DealRecord(3, 2024, "110108", "110105", "签约", 400.0),  # stays in Beijing
            DealRecord(4, 2024, "120101", "130600", "签约", 80.0),  # not a Beijing achievement
            DealRecord(5, 2024, "110108", "440300", "签约", 150.0),
        ],
        projects=[
            LoopProject(1, 2022, 2023, 2.0, "投产", "110108", "130600", match_id=9),
            LoopProject(2, 2024, None, 1.5, "签约", "310000", "130600"),
            LoopProject(3, 2024, None, 0.5, "终止", "110101", "130600"),
        ],
        achievements=[
            AchievementRecord(1, 2022, "110108", ("s1",)),
            AchievementRecord(2, 2023, "110108", ("s2",)),
            AchievementRecord(3, 2023, "120101", ("s1", "s3")),
        ],
    )
    assert figures["years"] == [2022, 2023, 2024]
    s, t = figures["series"], figures["totals"]
    assert s["gaps_open"] == [3, 2, 1] and s["gaps_closed"] == [0, 1, 1]
    assert s["demands"] == [1, 1, 1] and s["demands_matched"] == [0, 1, 1]
    assert s["deals_signed"] == [0, 1, 0]
    assert s["projects_signed"] == [1, 0, 2] and s["projects_operating"] == [0, 1, 0]
    assert s["investment"] == [2.0, 0, 2.0]
    assert s["achievements"] == [1, 2, 0]
    # per year: 2023 one deal to Baoding (200); 2024 one to Tianjin (50), one within Beijing
    # (400), one to Shenzhen (150)
    assert s["beijing_deals_placed"] == [0, 1, 3]
    assert s["beijing_deal_value"] == [0, 200.0, 600.0]
    assert s["beijing_deal_value_share"] == [None, 1.0, pytest.approx(0.0833)]
    assert s["beijing_deals_count_share"] == [None, 1.0, pytest.approx(0.3333)]
    assert (t["gaps"], t["gaps_open"], t["gaps_closed"]) == (3, 1, 2)
    assert (t["demands"], t["demands_matched"], t["deals_signed"], t["deals_landed"]) == (
        3,
        2,
        1,
        1,
    )
    assert (t["projects"], t["projects_operating"], t["projects_from_matches"]) == (3, 1, 1)
    assert t["investment"] == 4.0
    assert (t["achievements"], t["achievements_beijing"]) == (3, 2)
    assert "achievements_present_share" not in t and "achievements_present" not in s
    assert (t["beijing_deals"], t["beijing_deals_local"], t["beijing_deals_placed"]) == (4, 1, 4)
    assert t["beijing_deals_to_tj_hb"] == 2
    assert t["beijing_deal_value"] == 800.0 and t["beijing_deal_value_to_tj_hb"] == 250.0
    assert t["beijing_deal_value_share"] == 0.3125  # 250 / 800, the deal within Beijing in
    assert t["beijing_deals_count_share"] == 0.5  # 2 of 4
    assert figures["notes"] == {}
    assert t["beijing_project_investment_share"] == 1.0  # the terminated project is left out


def test_empty_figures() -> None:
    figures = loop_figures(gaps=[], demands=[], deals=[], projects=[], achievements=[])
    assert figures["years"] == []
    assert figures["totals"]["beijing_deal_value_share"] is None
    assert figures["totals"]["beijing_deals_count_share"] is None
    assert set(figures["notes"]) == {"beijing_deal_value_share", "beijing_deals_count_share"}


def _deal(i: int, destination: str, amount: float | None, year: int = 2024) -> DealRecord:
    return DealRecord(i, year, "110108", destination, "签约", amount)


def test_share_of_contract_value_hand_computed() -> None:
    """Beijing → Tianjin 300 万元, → Hebei 100, → Shanghai 600, → Hebei with no amount:
    40% of the contract value, over the 3 deals with an amount; by number 3 of the 4 deals
    (amount or not). A deal whose demand has no place and a Tianjin achievement's deal are
    in neither share."""
    flows = beijing_flows(
        [
            _deal(1, "120116", 300.0),
            _deal(2, "130602", 100.0),
            _deal(3, "310104", 600.0),
            _deal(4, "131002", None),
            _deal(5, "", 70.0),
            DealRecord(6, 2024, "120101", "130600", "签约", 900.0),
        ]
    )
    assert flows == {
        "beijing_deals": 5,
        "beijing_deals_unplaced": 1,
        "beijing_deals_placed": 4,
        "beijing_deals_local": 0,
        "beijing_deals_to_tj_hb": 3,
        "beijing_deals_count_share": 0.75,
        "beijing_deals_with_amount": 3,
        "beijing_deals_without_amount": 1,
        "beijing_deal_value": 1000.0,
        "beijing_deal_value_to_tj_hb": 400.0,
        "beijing_deal_value_share": 0.4,
    }


def test_deals_within_beijing_are_in_the_denominator() -> None:
    """The platform records places in the region only: over the deals leaving Beijing the
    share would be 100% by construction, so deals staying in Beijing count in the
    denominator (unlike the source documents' 流向外省市)."""
    flows = beijing_flows([_deal(1, "120116", 300.0), _deal(2, "110105", 1200.0)])
    assert flows["beijing_deal_value_share"] == 0.2  # 300 / 1500
    assert flows["beijing_deals_count_share"] == 0.5
    assert flows["beijing_deals_local"] == 1


def test_share_of_contract_value_undefined_is_never_zero() -> None:
    def figures(deals: list[DealRecord]) -> dict[str, Any]:
        return loop_figures(gaps=[], demands=[], deals=deals, projects=[], achievements=[])

    # no amount at all: undefined, with the reason; the share of deals is still there
    none = figures([_deal(1, "120116", None), _deal(2, "110105", None)])
    assert none["totals"]["beijing_deal_value_share"] is None
    assert none["totals"]["beijing_deals_count_share"] == 0.5
    assert none["totals"]["beijing_deals_without_amount"] == 2
    assert "2 项" in none["notes"]["beijing_deal_value_share"]
    assert "没有登记合同金额" in none["notes"]["beijing_deal_value_share"]
    assert "beijing_deals_count_share" not in none["notes"]
    # amounts that sum to 0 (an amount of 0 is an amount): undefined too
    zero = figures([_deal(1, "120116", 0.0), _deal(2, "110105", 0.0)])
    assert zero["totals"]["beijing_deal_value_share"] is None
    assert zero["totals"]["beijing_deals_with_amount"] == 2
    assert "合计为 0" in zero["notes"]["beijing_deal_value_share"]
    # no Beijing deal with a placed demand: neither share
    unplaced = figures([_deal(1, "", 300.0), DealRecord(2, 2024, "120101", "130600", "签约", 5.0)])
    assert unplaced["totals"]["beijing_deal_value_share"] is None
    assert unplaced["totals"]["beijing_deals_count_share"] is None
    assert set(unplaced["notes"]) == {"beijing_deal_value_share", "beijing_deals_count_share"}
    # a real 0%: amounts recorded, none of them to Tianjin or Hebei
    home = figures([_deal(1, "110105", 600.0), _deal(2, "120116", None)])
    assert home["totals"]["beijing_deal_value_share"] == 0.0
    assert home["notes"] == {}


def _context(atlas: Atlas, rows: list[tuple[int, str, str]]) -> ChainContext:
    return ChainContext(
        atlas,
        [
            {
                "enterprise_id": i,
                "name": f"企业{i}",
                "county": c,
                "segment": s,
                "key": False,
                "revenue": 1.0,
            }
            for i, c, s in rows
        ],
    )


def test_gaps_and_landed_projects(atlas: Atlas) -> None:
    mea, elec = "hydrogen-fc-mea", "hydrogen-electrolyzer"
    rows = [(1, "120116", mea), (2, "120116", mea), (3, "120116", mea), (4, "130602", elec)]
    context = _context(atlas, rows)
    industry = atlas.industry("hydrogen")
    cov = coverage(industry, place=scope_of(atlas, "130600"), context=context)
    gaps = gaps_of(cov, registry_counts={elec: 1}, landed_years={})
    assert mea in {g.segment for g in gaps} and all(g.closed_year is None for g in gaps)
    # a project in production in Baoding lands in its seat district and closes the gap
    assert landing_county(atlas, "130600") in scope_of(atlas, "130600").counties
    landed = landed_presence([LandedProject(7, "膜电极项目", "130600", (mea, "unknown"))], atlas)
    assert [(r["enterprise_id"], r["segment"]) for r in landed] == [(-7, mea)]
    assert landed[0]["name"].startswith("项目落地")
    context = _context(atlas, rows)
    context = ChainContext(atlas, [*context.presence.to_dict("records"), *landed])
    cov = coverage(industry, place=scope_of(atlas, "130600"), context=context)
    assert cov.segment(mea).count == 1
    gaps = gaps_of(cov, registry_counts={elec: 1}, landed_years={mea: (2025, (7,))})
    closed = [g for g in gaps if g.segment == mea]
    assert closed and closed[0].closed_year == 2025 and closed[0].closed_by == (7,)


def test_destinations_rank_tianjin_first_and_leave_out_beijing(atlas: Atlas) -> None:
    mea = "hydrogen-fc-mea"
    rows = [(i, "110108", mea) for i in range(1, 6)]
    rows += [(10, "120116", mea), (11, "120116", mea), (12, "120116", mea), (13, "130602", mea)]
    rows += [(20, "130203", "hydrogen-electrolyzer")]
    context = _context(atlas, rows)
    ranked = rank_destinations(context, [mea], limit=5)
    assert ranked[0].adcode == "120000"
    assert all(not d.adcode.startswith("11") for d in ranked)
    assert ranked[0].reasons[0]["count"] == 3 and "区位商" in ranked[0].reasons[0]["text"]
    assert ranked[0].score > ranked[1].score
    counties = rank_destinations(context, [mea], level="county", limit=3)
    assert counties[0].adcode == "120116"
    assert rank_destinations(context, ["no-such-segment"]) == []
