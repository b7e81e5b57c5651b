"""Disparity against PySAL inequality and hand-computed Dagum; structure; growth."""

import numpy as np
import pandas as pd
import pytest
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from jingjinji.indicators import (
    cagr,
    coefficient_of_variation,
    dagum_gini,
    gini,
    krugman_specialization,
    location_quotient,
    structural_similarity,
    theil,
    total_growth,
)

RNG = np.random.default_rng(3)
Y = RNG.lognormal(10, 0.6, 40)
GROUPS = np.repeat(["bj", "tj", "hb", "sd"], 10)


def test_gini_matches_pysal() -> None:
    assert gini(Y) == pytest.approx(Gini(Y).g, rel=1e-12)
    assert gini([5.0, 5.0, 5.0]) == 0.0
    assert gini([0.0, 0.0, 0.0, 1.0]) == pytest.approx(0.75)


def test_weighted_gini_equals_replication() -> None:
    values, weights = [1.0, 2.0, 5.0], [1, 3, 2]
    assert gini(values, weights) == pytest.approx(Gini(np.repeat(values, weights)).g)


def test_theil_matches_pysal_with_decomposition() -> None:
    r = theil(Y, groups=GROUPS)
    d = TheilD(Y, GROUPS)
    assert r.total == pytest.approx(Theil(Y).T, rel=1e-10)
    assert r.between == pytest.approx(float(np.ravel(d.bg)[0]), rel=1e-10)
    assert r.within == pytest.approx(float(np.ravel(d.wg)[0]), rel=1e-10)
    assert r.within + r.between == pytest.approx(r.total)
    assert r.groups["value_share"].sum() == pytest.approx(1.0)


def test_theil_population_weights_equal_replication() -> None:
    values, pop = np.array([1.0, 2.0, 5.0]), np.array([2, 1, 3])
    r = theil(values, population=pop, groups=["a", "a", "b"])
    rep = theil(np.repeat(values, pop), groups=np.repeat(["a", "a", "b"], pop))
    assert r.total == pytest.approx(rep.total)
    assert r.between == pytest.approx(rep.between)
    no_groups = theil(values)
    assert no_groups.between == pytest.approx(0.0)
    assert no_groups.within == pytest.approx(no_groups.total)
    with pytest.raises(ValueError, match="population has 2 entries"):
        theil(values, population=[1, 2])
    with pytest.raises(ValueError, match="values must be non-negative"):
        theil([-1.0, 2.0])


def test_dagum_gini_hand_example() -> None:
    # A = {1, 3}, B = {2, 6}; mean 3. Worked out by hand in the module's notation.
    r = dagum_gini([1.0, 3.0, 2.0, 6.0], ["A", "A", "B", "B"])
    assert r.total == pytest.approx(1 / 3)
    assert r.group_gini.to_dict() == pytest.approx({"A": 0.25, "B": 0.25})
    assert r.within == pytest.approx(0.125)
    assert r.between_gini.loc["B", "A"] == pytest.approx(10 / 24)
    assert r.relative_impact.loc["B", "A"] == pytest.approx(0.8)
    assert r.between_net == pytest.approx(1 / 6)
    assert r.transvariation == pytest.approx(1 / 24)
    assert r.contributions.sum() == pytest.approx(1.0)


def test_dagum_identity_and_agreement_with_gini() -> None:
    r = dagum_gini(Y, GROUPS)
    assert r.within + r.between_net + r.transvariation == pytest.approx(r.total, rel=1e-12)
    assert r.total == pytest.approx(gini(Y))
    one = dagum_gini([1.0, 2.0, 4.0], ["x", "x", "x"])
    assert one.within == pytest.approx(one.total)
    assert one.between_net == 0.0


def test_coefficient_of_variation() -> None:
    assert coefficient_of_variation([2.0, 4.0, 6.0]) == pytest.approx(np.std([2, 4, 6]) / 4)
    # population-weighted (Williamson): same as replicating by weight
    assert coefficient_of_variation([1.0, 3.0], weights=[3, 1]) == pytest.approx(
        coefficient_of_variation([1.0, 1.0, 1.0, 3.0])
    )
    assert coefficient_of_variation([7.0]) == 0.0
    with pytest.raises(ValueError, match="mean 0"):
        coefficient_of_variation([0.0, 0.0])


def test_location_quotient() -> None:
    table = pd.DataFrame({"steel": [10.0, 60.0], "it": [90.0, 40.0]}, index=["bj", "hb"])
    lq = location_quotient(table)
    assert lq.loc["bj", "steel"] == pytest.approx(0.10 / 0.35)
    assert lq.loc["hb", "steel"] == pytest.approx(0.60 / 0.35)
    with pytest.raises(ValueError, match="sum to 0"):
        location_quotient(pd.DataFrame({"a": [0.0, 1.0]}, index=["x", "y"]))


def test_specialization_and_similarity() -> None:
    a = pd.Series({"steel": 10.0, "it": 90.0})
    b = pd.Series({"it": 40.0, "steel": 60.0})
    assert krugman_specialization(a, b) == pytest.approx(1.0)
    expected = (0.1 * 0.6 + 0.9 * 0.4) / np.sqrt((0.01 + 0.81) * (0.36 + 0.16))
    assert structural_similarity(a, b) == pytest.approx(expected)
    assert structural_similarity(a, a * 3) == pytest.approx(1.0)
    assert (
        krugman_specialization(pd.Series({"x": 1.0, "y": 0.0}), pd.Series({"x": 0.0, "y": 1.0}))
        == 2.0
    )
    with pytest.raises(ValueError, match="different industries: car"):
        krugman_specialization(a, pd.Series({"steel": 1.0, "it": 1.0, "car": 1.0}))


def test_beijing_index_growth_from_the_fact_sheet() -> None:
    """0.612 (2012) -> 0.960 (2021): 5.13% a year, 56.86% in total (seed 002)."""
    assert round(cagr(0.612, 0.960, 2021 - 2012) * 100, 2) == 5.13
    assert round(total_growth(0.612, 0.960) * 100, 2) == 56.86
    series = cagr(pd.Series([1.0, 2.0]), pd.Series([2.0, 2.0]), 1)
    assert series.tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match="first must be positive"):
        cagr(0.0, 1.0, 3)
    with pytest.raises(ValueError, match="years must be positive"):
        cagr(1.0, 2.0, 0)
