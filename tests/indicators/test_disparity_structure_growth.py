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


def test_location_quotient_against_national_totals() -> None:
    """bj (steel 10, it 90) and hb (60, 40) against a nation of steel 1000, it 3000.

    E = 4000, E_steel / E = 0.25, E_it / E = 0.75: LQ(bj, steel) = 0.10 / 0.25 = 0.4,
    LQ(bj, it) = 0.90 / 0.75 = 1.2, LQ(hb, steel) = 0.60 / 0.25 = 2.4, LQ(hb, it) = 0.40 / 0.75.
    """
    table = pd.DataFrame({"steel": [10.0, 60.0], "it": [90.0, 40.0]}, index=["bj", "hb"])
    national = pd.Series({"it": 3000.0, "steel": 1000.0})  # order does not matter
    lq = location_quotient(table, national)
    assert lq.loc["bj", "steel"] == pytest.approx(0.4)
    assert lq.loc["bj", "it"] == pytest.approx(1.2)
    assert lq.loc["hb", "steel"] == pytest.approx(2.4)
    assert lq.loc["hb", "it"] == pytest.approx(0.4 / 0.75)
    # The old advice — the nation as a row — counts it inside the benchmark: steel share
    # (1000 + 70) / (4000 + 200) = 0.2548, LQ(bj, steel) 0.3925, not 0.4; it is refused now.
    with_row = pd.concat([table, pd.DataFrame({"steel": [1000.0], "it": [3000.0]}, ["100000"])])
    for call in (
        lambda: location_quotient(with_row, national),
        lambda: location_quotient(with_row),
    ):
        with pytest.raises(ValueError, match=r"\['100000'\] look like the nation"):
            call()
    for label in ("全国", "京津冀", "jjj", "合计", 100000):
        other = table.rename(index={"hb": label})
        with pytest.raises(ValueError, match="national="):
            location_quotient(other, national=national)
    # A dict works as well; industries beyond the table are left out of E.
    as_dict = location_quotient(table, {"steel": 1000.0, "it": 3000.0, "car": 5000.0})
    pd.testing.assert_frame_equal(as_dict, lq)


def test_location_quotient_national_equal_to_column_sums_is_the_regional_form() -> None:
    table = pd.DataFrame(
        {"steel": [10.0, 60.0, 5.0], "it": [90.0, 40.0, 0.0], "car": [3.0, 7.0, 20.0]},
        index=["bj", "hb", "tj"],
    )
    regional = location_quotient(table)
    pd.testing.assert_frame_equal(location_quotient(table, national=table.sum()), regional)
    assert regional.loc["tj", "car"] == pytest.approx((20 / 25) / (30 / 235))


def test_location_quotient_with_all_activity_totals() -> None:
    """E = 8000 (all activities), e_bj = 200, e_hb = 400: LQ(bj, steel) = (10/200)/(1000/8000)
    = 0.4, LQ(hb, it) = (40/400)/(3000/8000) = 0.2667."""
    table = pd.DataFrame({"steel": [10.0, 60.0], "it": [90.0, 40.0]}, index=["bj", "hb"])
    national = pd.Series({"steel": 1000.0, "it": 3000.0})
    lq = location_quotient(
        table, national, national_total=8000.0, place_totals={"bj": 200.0, "hb": 400.0}
    )
    assert lq.loc["bj", "steel"] == pytest.approx(0.4)
    assert lq.loc["hb", "it"] == pytest.approx(0.1 / 0.375)
    with pytest.raises(ValueError, match="go together"):
        location_quotient(table, national, national_total=8000.0)
    with pytest.raises(ValueError, match="below the sum of national"):
        location_quotient(table, national, national_total=10.0, place_totals=table.sum(axis=1))
    with pytest.raises(ValueError, match="below the table's sum for place"):
        location_quotient(table, national, national_total=8000.0, place_totals={"bj": 1, "hb": 1})
    with pytest.raises(ValueError, match="no total for industry"):
        location_quotient(table, pd.Series({"steel": 1000.0}))
    with pytest.raises(ValueError, match="national total is 0 for industry"):
        location_quotient(table, pd.Series({"steel": 0.0, "it": 3000.0}))


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
