"""Aggregation (TOPSIS against pymcdm, grey relational by hand), coupling and obstacles."""

import numpy as np
import pandas as pd
import pytest
from pymcdm import normalizations as pn
from pymcdm.methods import TOPSIS

from jingjinji.indicators import (
    COORDINATION_LEVELS,
    coordination_level,
    coupling_coordination,
    grey_relational,
    obstacle_degree,
    topsis,
    weighted_sum,
)
from jingjinji.indicators.aggregate import undefined_reason

RNG = np.random.default_rng(11)
RAW = pd.DataFrame(RNG.uniform(1, 50, size=(15, 5)), columns=list("abcde"))
DIRS = {"a": 1, "b": -1, "c": 1, "d": 1, "e": -1}
TYPES = np.array([DIRS[c] for c in RAW.columns])
W = pd.Series([0.3, 0.2, 0.2, 0.2, 0.1], index=RAW.columns)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [("vector", pn.vector_normalization), ("minmax", pn.minmax_normalization)],
)
def test_topsis_matches_pymcdm(ours: str, theirs: object) -> None:
    expected = TOPSIS(theirs)(RAW.to_numpy(), W.to_numpy(), TYPES)
    got = topsis(RAW, W, DIRS, normalization=ours)
    np.testing.assert_allclose(got.to_numpy(), expected, rtol=1e-10)
    assert ((got >= 0) & (got <= 1)).all()


def test_topsis_edge_cases() -> None:
    # a single alternative is both the ideal and the anti-ideal: closeness undefined
    one = topsis(pd.DataFrame({"x": [3.0], "y": [1.0]}), {"x": 0.5, "y": 0.5}, {"x": 1, "y": -1})
    assert np.isnan(one).all() and undefined_reason(one) is not None
    with pytest.raises(ValueError, match="weights has no entry for column"):
        topsis(RAW, {"a": 1.0}, DIRS)


def test_weighted_sum_normalises_with_directions() -> None:
    df = pd.DataFrame({"x": [1.0, 3.0], "cost": [10.0, 20.0]})
    s = weighted_sum(df, {"x": 0.5, "cost": 0.5}, {"x": 1, "cost": -1})
    assert s.tolist() == [0.5, 0.5]


def test_grey_relational_hand_example() -> None:
    z = pd.DataFrame({"x": [1.0, 0.0, 0.5], "y": [0.0, 1.0, 0.5]})
    g = grey_relational(z, {"x": 0.5, "y": 0.5})
    assert g.tolist() == pytest.approx([2 / 3, 2 / 3, 0.5])
    same = grey_relational(pd.DataFrame({"x": [1.0, 1.0]}), {"x": 1.0})
    assert same.tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="rho"):
        grey_relational(z, {"x": 0.5, "y": 0.5}, rho=0)


def test_coupling_two_subsystems_hand_values() -> None:
    r = coupling_coordination(pd.DataFrame({"econ": [0.6, 0.0], "eco": [0.4, 0.0]}))
    # corrected: C = sqrt((1 - 0.2) * 0.4 / 0.6)
    assert r["C"].iloc[0] == pytest.approx(np.sqrt(0.8 * 0.4 / 0.6))
    assert r["T"].iloc[0] == pytest.approx(0.5)
    assert r["D"].iloc[0] == pytest.approx(0.604275, abs=1e-6)
    assert r["level"].tolist() == ["初级协调", "极度失调"]
    assert r["C"].iloc[1] == 0.0
    trad = coupling_coordination(pd.DataFrame({"a": [0.6], "b": [0.4]}), form="traditional")
    assert trad["C"].iloc[0] == pytest.approx(2 * np.sqrt(0.24) / 1.0)


def test_coupling_three_subsystems_hand_values() -> None:
    u = pd.DataFrame({"a": [0.2], "b": [0.4], "c": [0.8]})
    r = coupling_coordination(u).iloc[0]
    # 1 - (0.2 + 0.6 + 0.4) / 3 = 0.6; (0.25 * 0.5 * 1)^(1/2) = 0.353553
    assert r["C"] == pytest.approx(np.sqrt(0.6 * np.sqrt(0.125)))
    assert r["C"] == pytest.approx(0.460578, abs=1e-6)
    assert r["D"] == pytest.approx(0.463613, abs=1e-6)
    assert r["level"] == "濒临失调"
    t = coupling_coordination(u, form="traditional").iloc[0]
    assert t["C"] == pytest.approx(3 * 0.4 / 1.4)
    assert t["D"] == pytest.approx(np.sqrt(0.4))
    w = coupling_coordination(u, weights={"a": 0.5, "b": 0.25, "c": 0.25}).iloc[0]
    assert w["T"] == pytest.approx(0.1 + 0.1 + 0.2)


def test_coupling_equal_subsystems_is_fully_coupled_and_errors() -> None:
    r = coupling_coordination(pd.DataFrame({"a": [0.95], "b": [0.95], "c": [0.95]}))
    assert r["C"].iloc[0] == pytest.approx(1.0)
    assert r["level"].iloc[0] == "优质协调"
    with pytest.raises(ValueError, match="at least 2 subsystem"):
        coupling_coordination(pd.DataFrame({"a": [0.5]}))
    with pytest.raises(ValueError, match=r"scores must lie in \[0, 1\]"):
        coupling_coordination(pd.DataFrame({"a": [1.5], "b": [0.5]}))
    with pytest.raises(ValueError, match="form must be"):
        coupling_coordination(pd.DataFrame({"a": [0.5], "b": [0.5]}), form="x")


def test_coordination_levels() -> None:
    assert len(COORDINATION_LEVELS) == 10
    assert [coordination_level(d) for d in (0.0, 0.1, 0.39, 0.5, 0.9999, 1.0)] == [
        "极度失调",
        "严重失调",
        "轻度失调",
        "勉强协调",
        "优质协调",
        "优质协调",
    ]


def test_obstacle_degree() -> None:
    z = pd.DataFrame({"a": [0.0, 1.0, 0.5], "b": [0.5, 1.0, 0.5]})
    o = obstacle_degree(z, {"a": 0.75, "b": 0.25})
    assert o.iloc[0].tolist() == pytest.approx([0.75 / 0.875, 0.125 / 0.875])
    assert o.iloc[1].isna().all()  # at the ideal: no shortfall to share, undefined
    assert undefined_reason(o) is not None
    assert o.iloc[2].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="normalized must hold"):
        obstacle_degree(z * 2, {"a": 0.5, "b": 0.5})
