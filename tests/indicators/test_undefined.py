"""Undefined results are NaN (with a reason) or an error, never a made-up number."""

import math

import numpy as np
import pandas as pd
import pytest
from pymcdm import weights as pw

from jingjinji.indicators import critic_weights, entropy_weights, obstacle_degree, topsis
from jingjinji.indicators.aggregate import undefined_reason

# Hwang and Yoon (1981), Multiple Attribute Decision Making, Springer, p. 133: four fighter
# aircraft; maximum speed, ferry range, maximum payload, acquisition cost (a cost),
# reliability, manoeuvrability. Relative closeness as published: 0.643, 0.268, 0.613, 0.312
# (worked with 4-decimal intermediates, hence the tolerance of 1e-3).
AIRCRAFT = pd.DataFrame(
    [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ],
    index=["A1", "A2", "A3", "A4"],
    columns=["speed", "range", "payload", "cost", "reliability", "manoeuvre"],
)
AIRCRAFT_WEIGHTS = dict(zip(AIRCRAFT.columns, [0.2, 0.1, 0.1, 0.1, 0.2, 0.3], strict=True))
AIRCRAFT_DIRECTIONS = {c: (-1 if c == "cost" else 1) for c in AIRCRAFT.columns}


def test_topsis_reproduces_hwang_and_yoon() -> None:
    closeness = topsis(AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_DIRECTIONS)
    assert closeness.tolist() == pytest.approx([0.643, 0.268, 0.613, 0.312], abs=1e-3)
    assert undefined_reason(closeness) is None


def test_topsis_of_a_single_alternative_is_undefined() -> None:
    one = topsis(AIRCRAFT.iloc[:1], AIRCRAFT_WEIGHTS, AIRCRAFT_DIRECTIONS)
    assert one.index.tolist() == ["A1"] and np.isnan(one.iloc[0])
    assert "single alternative" in (undefined_reason(one) or "")
    assert "贴近度无定义" in (undefined_reason(one, "zh") or "")


@pytest.mark.parametrize("normalization", ["vector", "minmax", "sum", "zscore"])
def test_topsis_of_identical_alternatives_is_undefined(normalization: str) -> None:
    same = pd.concat([AIRCRAFT.iloc[[2]]] * 3)
    got = topsis(same, AIRCRAFT_WEIGHTS, AIRCRAFT_DIRECTIONS, normalization=normalization)
    assert got.isna().all() and undefined_reason(got) is not None


def test_topsis_rows_differing_only_where_the_weight_is_zero_are_identical() -> None:
    df = pd.DataFrame({"x": [1.0, 1.0], "y": [1.0, 2.0]})
    assert topsis(df, {"x": 1.0, "y": 0.0}).isna().all()
    assert topsis(df, {"x": 0.5, "y": 0.5}).tolist() == [0.0, 1.0]


def test_obstacle_degree_at_the_ideal_is_undefined() -> None:
    z = pd.DataFrame({"a": [0.0, 1.0, 0.5, 1.0], "b": [0.5, 1.0, 0.5, 0.2]}, index=list("pqrs"))
    o = obstacle_degree(z, {"a": 0.75, "b": 0.25})
    # p: gaps 0.75 * 1 and 0.25 * 0.5, so O = 0.75 / 0.875 and 0.125 / 0.875
    shares = o.to_numpy()
    assert shares[0].tolist() == pytest.approx([6 / 7, 1 / 7])
    assert np.isnan(shares[1]).all()  # q: every score 1, nothing to share out
    assert shares[[0, 2, 3]].sum(axis=1).tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert shares[3].tolist() == [0.0, 1.0]
    assert "at the ideal" in (undefined_reason(o) or "")
    assert undefined_reason(obstacle_degree(z.loc[["p"]], {"a": 0.5, "b": 0.5})) is None


def test_obstacle_degree_with_a_shortfall_only_where_the_weight_is_zero() -> None:
    z = pd.DataFrame({"a": [1.0], "b": [0.3]})
    assert obstacle_degree(z, {"a": 1.0, "b": 0.0}).isna().all(axis=None)


def test_critic_closed_form() -> None:
    # already min-max scores: r_ab = -1/2, r_ac = sqrt(3)/2, r_bc = -sqrt(3)/2,
    # s_a = s_b = 1/2, s_c = 1/sqrt(3) (ddof = 1), so C_j = s_j sum_k (1 - r_jk) is
    # C_a = (5 - sqrt 3) / 4, C_b = (5 + sqrt 3) / 4, C_c = 2 / sqrt 3.
    z = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [1.0, 0.0, 0.5], "c": [0.0, 1.0, 1.0]})
    r3 = math.sqrt(3.0)
    info = np.array([(5 - r3) / 4, (5 + r3) / 4, 2 / r3])
    np.testing.assert_allclose(critic_weights(z), info / info.sum(), rtol=1e-14)


def test_critic_constant_column_is_as_if_absent() -> None:
    rng = np.random.default_rng(7)
    raw = pd.DataFrame(rng.uniform(1, 100, size=(12, 4)), columns=list("abcd"))
    np.testing.assert_allclose(critic_weights(raw), pw.critic_weights(raw.to_numpy()))
    directions = {"a": 1, "b": -1, "c": 1, "d": -1, "k": -1, "m": 1}
    without = critic_weights(raw, {c: directions[c] for c in "abcd"})
    with_constants = critic_weights(raw.assign(k=3.0, m=-1.0), directions)
    assert with_constants["k"] == 0.0 and with_constants["m"] == 0.0
    np.testing.assert_allclose(with_constants[list("abcd")], without, rtol=0, atol=1e-12)
    assert with_constants.sum() == pytest.approx(1.0)


def test_critic_undefined_cases_raise() -> None:
    with pytest.raises(ValueError, match="every column is constant"):
        critic_weights(pd.DataFrame({"k": [1.0, 1.0], "m": [2.0, 2.0]}))
    # one varying column: C = s (1 - 1) = 0, so 0 / 0 (before: weight 1, from the
    # constant column counted as uncorrelated)
    with pytest.raises(ValueError, match="no varying column conflicts"):
        critic_weights(pd.DataFrame({"x": [1.0, 2.0, 4.0], "k": [5.0, 5.0, 5.0]}))
    with pytest.raises(ValueError, match="perfectly correlated"):
        critic_weights(pd.DataFrame({"x": [1.0, 2.0, 4.0], "y": [3.0, 5.0, 9.0]}))


def test_entropy_constant_column_has_weight_exactly_zero() -> None:
    rng = np.random.default_rng(3)
    raw = pd.DataFrame(rng.uniform(1, 9, size=(7, 3)), columns=list("abc"))
    for n in (3, 7, 10, 49):  # sizes where -sum p ln p / ln n is not exactly 1 in floats
        df = pd.concat([raw] * 7).iloc[:n].assign(k=0.1)
        w = entropy_weights(df, shift=0.01)
        assert w["k"] == 0.0
        np.testing.assert_allclose(
            w[list("abc")], entropy_weights(df[list("abc")], shift=0.01), atol=1e-15
        )
