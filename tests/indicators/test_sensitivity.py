"""Rank stability: far-apart places stay put, near ties do not, leave-one-out by hand."""

import doctest

import numpy as np
import pandas as pd
import pytest

from jingjinji.indicators import sensitivity
from jingjinji.indicators.aggregate import topsis, weighted_sum
from jingjinji.indicators.sensitivity import (
    COLUMNS,
    STABLE_MAX_RANGE,
    STABLE_SHARE,
    rank_stability,
)


def table(rows: dict[tuple[str, int], list[float]], columns: list[str]) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples(list(rows), names=["place", "year"])
    return pd.DataFrame(list(rows.values()), index=index, columns=columns)


FAR = table(
    {
        ("110000", 2020): [0.9, 0.8, 0.95],
        ("120000", 2020): [0.5, 0.5, 0.5],
        ("130100", 2020): [0.1, 0.2, 0.05],
        ("110000", 2021): [0.2, 0.1, 0.1],
        ("120000", 2021): [0.9, 1.0, 0.8],
        ("130100", 2021): [0.5, 0.6, 0.4],
    },
    ["a", "b", "c"],
)
W3 = pd.Series({"a": 0.4, "b": 0.35, "c": 0.25})


def test_places_far_apart_are_stable() -> None:
    out = rank_stability(FAR, W3, draws=1000)
    assert list(out.columns) == list(COLUMNS)
    assert out["rank"].tolist() == [1, 2, 3, 3, 1, 2]  # within each year
    assert (out["rank_min"] == out["rank"]).all() and (out["rank_max"] == out["rank"]).all()
    assert (out["base_share"] == 1.0).all() and out["stable"].all()
    assert out.loc[("110000", 2020), "score"] == pytest.approx(0.4 * 0.9 + 0.35 * 0.8 + 0.25 * 0.95)
    assert out.attrs == {"method": "monte_carlo", "variants": 1000}


def tie_probability(c: float, spread: float) -> float:
    """P(u_a > c u_b) for independent u ~ U[1 - spread, 1 + spread], by quadrature."""
    lo, hi = 1 - spread, 1 + spread
    y = np.linspace(lo, hi, 200_001)
    inside = np.clip((hi - np.maximum(lo, c * y)) / (hi - lo), 0.0, 1.0)
    return float(np.trapezoid(inside, y) / (hi - lo))


def test_near_tie_is_unstable_with_the_expected_share() -> None:
    # S_P - S_Q = 0.21 w_a - 0.20 w_b: P keeps first place iff u_a / u_b > 20/21.
    z = table({("110000", 2020): [0.61, 0.40], ("120000", 2020): [0.40, 0.60]}, ["a", "b"])
    out = rank_stability(z, pd.Series({"a": 0.5, "b": 0.5}), draws=4000, spread=0.2)
    assert out["rank"].tolist() == [1, 2]
    assert out["rank_min"].tolist() == [1, 1] and out["rank_max"].tolist() == [2, 2]
    expected = tie_probability(20 / 21, 0.2)
    # closed form: 1 - [c/2 (1.2^2 - (0.8/c)^2) - 0.8 (1.2 - 0.8/c)] / 0.4^2 = 43/70
    assert expected == pytest.approx(43 / 70, abs=1e-6)
    sd = np.sqrt(expected * (1 - expected) / 4000)
    assert out["base_share"].iloc[0] == pytest.approx(expected, abs=4 * sd)
    assert out["base_share"].iloc[1] == pytest.approx(out["base_share"].iloc[0])
    assert out["rank_mean"].iloc[0] == pytest.approx(2 - out["base_share"].iloc[0])
    assert not out["stable"].any()


def test_leave_one_out_by_hand() -> None:
    z = table(
        {
            ("P", 2020): [1.0, 0.0, 0.5],
            ("Q", 2020): [0.4, 0.8, 0.6],
            ("R", 2020): [0.7, 0.4, 0.0],
        },
        ["a", "b", "c"],
    )
    w = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
    out = rank_stability(z, w, method="leave_one_out")
    # base: P 0.60, Q 0.56, R 0.47            -> 1, 2, 3
    # drop a (b 0.6, c 0.4): 0.20, 0.72, 0.24 -> 3, 1, 2
    # drop b (a 5/7, c 2/7): 6/7, 3.2/7, 3.5/7 -> 1, 3, 2
    # drop c (a 0.625, b 0.375): 0.625, 0.55, 0.5875 -> 1, 3, 2
    assert out["score"].tolist() == pytest.approx([0.60, 0.56, 0.47])
    assert out["rank"].tolist() == [1, 2, 3]
    assert out["rank_min"].tolist() == [1, 1, 2]
    assert out["rank_max"].tolist() == [3, 3, 2]
    assert out["rank_mean"].tolist() == pytest.approx([5 / 3, 7 / 3, 2.0])
    assert out["base_share"].tolist() == pytest.approx([2 / 3, 0.0, 0.0])
    assert out["rank_range"].tolist() == [2, 2, 0]
    assert out["stable"].tolist() == [False, False, False]
    assert out.attrs["variants"] == 3
    # The same through a custom aggregate, which gets the table without the dropped column.
    seen: list[list[str]] = []

    def spy(frame: pd.DataFrame, weights: pd.Series) -> pd.Series:
        seen.append(list(frame.columns))
        return weighted_sum(frame, weights)

    pd.testing.assert_frame_equal(rank_stability(z, w, method="leave_one_out", aggregate=spy), out)
    assert seen == [["a", "b", "c"], ["b", "c"], ["a", "c"], ["a", "b"]]


def test_vectorised_default_equals_the_aggregate_loop() -> None:
    rng = np.random.default_rng(5)
    rows = {
        (f"13{i:02d}00", y): list(rng.uniform(0, 1, 4)) for y in (2020, 2021) for i in range(1, 9)
    }
    z = table(rows, ["a", "b", "c", "d"])
    w = pd.Series({"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4})
    fast = rank_stability(z, w, draws=200, seed=9)
    slow = rank_stability(z, w, draws=200, seed=9, aggregate=lambda f, v: weighted_sum(f, v))
    pd.testing.assert_frame_equal(fast, slow)
    assert not fast.equals(rank_stability(z, w, draws=200, seed=10))  # the seed matters


def test_topsis_aggregate_and_zero_spread() -> None:
    out = rank_stability(FAR, W3, draws=20, aggregate=lambda f, v: topsis(f, v))
    assert out["score"].tolist() == pytest.approx(topsis(FAR, W3).tolist())
    still = rank_stability(FAR, W3, draws=10, spread=0.0)
    assert (still["base_share"] == 1.0).all() and still["stable"].all()


def test_stability_rule_and_refusals() -> None:
    assert (STABLE_SHARE, STABLE_MAX_RANGE) == (0.9, 1)
    with pytest.raises(ValueError, match="method"):
        rank_stability(FAR, W3, method="bootstrap")
    with pytest.raises(ValueError, match="spread"):
        rank_stability(FAR, W3, spread=1.5)
    with pytest.raises(ValueError, match="weights has no entry"):
        rank_stability(FAR, W3.drop("c"))
    with pytest.raises(ValueError, match="two indicators"):
        rank_stability(FAR[["a"]], pd.Series({"a": 1.0}), method="leave_one_out")


def test_doctests() -> None:
    result = doctest.testmod(sensitivity, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
