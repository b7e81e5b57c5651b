"""The two chains per segment and place, against figures computed by hand (docstring of
:mod:`jingjinji.patents.innovation`): location quotients, the four cases, partners, the
coupling coordination degree, and the filters of design and lapsed patents."""

from __future__ import annotations

import math

import pytest

from jingjinji.patents.innovation import PatentFact, innovation_table

A, B, C = "110100", "120100", "130100"


def _facts() -> list[PatentFact]:
    facts = [PatentFact("s1", A, 2023, "发明", False, f"a{i % 2}") for i in range(6)]
    facts.append(PatentFact("s1", B, 2023, "发明", False, "b"))
    facts += [PatentFact("s2", A, 2023, "发明", False, "a") for _ in range(2)]
    facts += [PatentFact("s2", C, 2023, "发明", False, f"c{i}") for i in range(3)]
    return facts


FIRMS = {("s1", B): 4, ("s1", C): 1, ("s2", A): 1, ("s2", C): 5}


def _cells(**kwargs: object) -> dict[tuple[str, str], object]:
    table = innovation_table(_facts(), FIRMS, places=[A, B, C], segments=["s1", "s2"], **kwargs)
    return {(c.segment, c.place): c for c in table}


def test_location_quotients_by_hand() -> None:
    cells = _cells()
    # patents: A 8, B 1, C 3 (12); s1 placed 7, s2 5
    assert cells[("s1", A)].lq_patents == pytest.approx((6 / 8) / (7 / 12))
    assert cells[("s1", B)].lq_patents == pytest.approx((1 / 1) / (7 / 12))
    assert cells[("s2", C)].lq_patents == pytest.approx((3 / 3) / (5 / 12))
    # enterprises: A 1, B 4, C 6 (11); s1 5, s2 6
    assert cells[("s1", B)].lq_enterprises == pytest.approx((4 / 4) / (5 / 11))
    assert cells[("s1", C)].lq_enterprises == pytest.approx((1 / 6) / (5 / 11))
    assert cells[("s2", C)].lq_enterprises == pytest.approx((5 / 6) / (6 / 11))


def test_four_cases_and_minimum_counts() -> None:
    cells = _cells()
    assert cells[("s1", A)].case == "成果外溢"  # LQ 1.29, 6 patents; no enterprise
    # B's single patent has LQ 1.71 but is below the minimum of 3: not an innovation strength
    assert cells[("s1", B)].case == "技术需求"
    assert cells[("s1", C)].case == "缺口"
    assert cells[("s2", C)].case == "协同"
    # A's one enterprise in s2 has LQ 1.83 but is below the minimum of 3
    assert cells[("s2", A)].case == "缺口"
    assert cells[("s2", B)].case == "缺口"
    looser = _cells(min_patents=1, min_enterprises=1)
    assert looser[("s1", B)].case == "协同"
    assert looser[("s2", A)].case == "技术需求"


def test_partners_name_where_to_go() -> None:
    cells = _cells()
    assert cells[("s1", A)].partners == [(B, 4), (C, 1)]  # enterprises to take A's patents
    assert cells[("s1", B)].partners == [(A, 6)]  # patents for B's enterprises' demands


def test_coupling_coordination_by_hand() -> None:
    cells = _cells()
    # s1: U1 = mean of min-max of patents [6,1,0], inventions [6,1,0], applicants [2,1,0]
    u1_b = (1 / 6 + 1 / 6 + 1 / 2) / 3
    assert cells[("s1", B)].u_innovation == pytest.approx(u1_b)
    assert cells[("s1", B)].u_industry == pytest.approx(1.0)  # firms [0,4,1]
    c = math.sqrt((1 - abs(u1_b - 1.0)) * u1_b / 1.0)  # corrected form, n = 2
    t = (u1_b + 1.0) / 2
    assert cells[("s1", B)].coupling == pytest.approx(c)
    assert cells[("s1", B)].coordination == pytest.approx(math.sqrt(c * t))
    assert cells[("s1", B)].level == "濒临失调"  # D = 0.421
    assert cells[("s1", A)].coordination == pytest.approx(0.0)  # U2 = 0: no coupling


def test_design_and_lapsed_patents_are_filtered_as_chosen() -> None:
    facts = [
        PatentFact("s", A, 2023, "发明", False, "x"),
        PatentFact("s", A, 2023, "外观设计", False, "x"),
        PatentFact("s", A, 2023, "发明", True, "x"),
    ]

    def patents(**kwargs: object) -> int:
        return innovation_table(facts, {}, places=[A], **kwargs)[0].patents

    assert patents() == 1
    assert patents(include_design=True) == 2
    assert patents(include_lapsed=True) == 2
    assert patents(include_design=True, include_lapsed=True) == 3


def test_growth_over_two_windows() -> None:
    facts = [PatentFact("s", A, y, "发明", False, "x") for y in (2018, 2019, 2022, 2023, 2024)]
    cell = innovation_table(facts, {}, places=[A])[0]
    # latest 2024, window 3: recent 2022–2024 (3), before 2019–2021 (1; 2018 is older)
    assert (cell.recent, cell.before) == (3, 1)
    assert cell.growth == pytest.approx(2.0)


def test_a_segment_nobody_has_is_none_and_undefined() -> None:
    cell = innovation_table([], {}, places=[A, B], segments=["s"])[0]
    assert cell.case == "无"
    assert cell.coordination is None and cell.level is None
