"""Normalisation and weights against pymcdm, Saaty's worked example and hand values."""

import numpy as np
import pandas as pd
import pytest
from pymcdm import normalizations as pn
from pymcdm import weights as pw

from jingjinji.indicators import (
    ahp_weights,
    combine_weights,
    critic_weights,
    entropy_weights,
    normalize,
    std_weights,
)

RNG = np.random.default_rng(7)
RAW = pd.DataFrame(RNG.uniform(1, 100, size=(12, 4)), columns=["a", "b", "c", "d"])
DIRS = {"a": 1, "b": -1, "c": 1, "d": -1}
TYPES = np.array([1, -1, 1, -1])


@pytest.mark.parametrize(
    ("method", "func"),
    [
        ("minmax", pn.minmax_normalization),
        ("vector", pn.vector_normalization),
        ("sum", pn.sum_normalization),
    ],
)
def test_normalize_matches_pymcdm(method: str, func: object) -> None:
    ours = normalize(RAW, DIRS, method).to_numpy()
    for j, t in enumerate(TYPES):
        expected = func(RAW.to_numpy()[:, j], cost=t < 0)  # type: ignore[operator]
        np.testing.assert_allclose(ours[:, j], expected, rtol=1e-12)


def test_normalize_zscore_and_cost() -> None:
    z = normalize(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), {"x": -1}, "zscore")
    assert z["x"].tolist() == pytest.approx([1.0, 0.0, -1.0])


def test_normalize_edge_cases() -> None:
    df = pd.DataFrame({"const": [5.0, 5.0, 5.0], "x": [0.0, 0.0, 2.0]})
    assert normalize(df, None)["const"].tolist() == [1.0, 1.0, 1.0]
    assert normalize(df, None, "zscore")["const"].tolist() == [0.0, 0.0, 0.0]
    one = normalize(pd.DataFrame({"x": [3.0]}), {"x": 1})
    assert one["x"].tolist() == [1.0]
    with pytest.raises(ValueError, match="directions has no entry for column"):
        normalize(df, {"x": 1})
    with pytest.raises(ValueError, match=r"directions\['x'\] must be"):
        normalize(df, {"const": 1, "x": 0})
    with pytest.raises(ValueError, match="column 'x': sum normalisation of a cost"):
        normalize(df, {"const": 1, "x": -1}, "sum")
    with pytest.raises(ValueError, match="method must be one of"):
        normalize(df, None, "log")
    with pytest.raises(ValueError, match="missing values in column"):
        normalize(pd.DataFrame({"x": [1.0, None]}), None)


def test_entropy_matches_pymcdm_on_positive_data() -> None:
    ours = entropy_weights(RAW)
    np.testing.assert_allclose(ours.to_numpy(), pw.entropy_weights(RAW.to_numpy()), rtol=1e-10)
    assert ours.sum() == pytest.approx(1.0)


def test_entropy_with_directions_uses_minmax_and_shift() -> None:
    z = normalize(RAW, DIRS)
    np.testing.assert_allclose(entropy_weights(RAW, DIRS), entropy_weights(z))
    shifted = entropy_weights(RAW, DIRS, shift=0.01)
    np.testing.assert_allclose(shifted, entropy_weights(z + 0.01))
    # the shift pulls weights towards equality
    assert shifted.std() < entropy_weights(RAW, DIRS).std()


def test_entropy_hand_value_and_edge_cases() -> None:
    # p = (1/3, 2/3): e = -(1/3 ln 1/3 + 2/3 ln 2/3) / ln 2 = 0.918296; d = 0.081704
    df = pd.DataFrame({"x": [1.0, 2.0], "y": [1.0, 1.0], "z": [0.0, 1.0]})
    w = entropy_weights(df)
    d_x, d_z = 1 - 0.9182958340544896, 1.0
    assert w["x"] == pytest.approx(d_x / (d_x + d_z))
    assert w["y"] == 0.0  # constant column
    assert w["z"] == pytest.approx(d_z / (d_x + d_z))  # zero handled as 0 ln 0 = 0
    with pytest.raises(ValueError, match="at least 2 row"):
        entropy_weights(df.iloc[:1])
    with pytest.raises(ValueError, match="every column is constant"):
        entropy_weights(df[["y"]])
    with pytest.raises(ValueError, match="negative values"):
        entropy_weights(pd.DataFrame({"x": [-1.0, 1.0]}))


def test_critic_and_std_match_pymcdm() -> None:
    np.testing.assert_allclose(critic_weights(RAW), pw.critic_weights(RAW.to_numpy()), rtol=1e-10)
    np.testing.assert_allclose(
        std_weights(RAW), pw.standard_deviation_weights(RAW.to_numpy()), rtol=1e-10
    )
    z = normalize(RAW, DIRS)
    np.testing.assert_allclose(std_weights(RAW, DIRS), std_weights(z))


def test_critic_constant_column_gets_zero() -> None:
    df = RAW.assign(k=3.0)
    w = critic_weights(df)
    assert w["k"] == 0.0
    assert w.sum() == pytest.approx(1.0)


SAATY_1990 = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def test_ahp_saaty_1990_house_example() -> None:
    """Saaty (1990), How to make a decision, EJOR 48: criteria of buying a house."""
    r = ahp_weights(SAATY_1990)
    assert r.weights.round(3).tolist() == [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert r.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert r.ci == pytest.approx(0.238, abs=5e-4)
    assert r.cr == pytest.approx(0.169, abs=5e-4)
    assert r.ri == 1.41
    assert not r.consistent


def test_ahp_consistent_matrix_and_errors() -> None:
    m = pd.DataFrame(
        [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]], index=list("abc"), columns=list("abc")
    )
    for method in ("eigenvector", "geometric"):
        r = ahp_weights(m, method=method)
        assert r.weights.tolist() == pytest.approx([4 / 7, 2 / 7, 1 / 7])
        assert r.lambda_max == pytest.approx(3.0)
        assert r.cr == pytest.approx(0.0, abs=1e-9)
        assert r.consistent
    with pytest.raises(ValueError, match=r"not reciprocal: matrix\[a\]\[b\] = 2"):
        ahp_weights(m.assign(a=[1, 1, 0.25]))
    with pytest.raises(ValueError, match="square"):
        ahp_weights([[1, 2]])


def test_combine_weights() -> None:
    s = {"a": 0.6, "b": 0.4}
    o = {"a": 0.2, "b": 0.8}
    assert combine_weights(s, o).tolist() == pytest.approx([0.12 / 0.44, 0.32 / 0.44])
    assert combine_weights(s, o, method="linear", alpha=0.25).tolist() == pytest.approx(
        [0.30, 0.70]
    )
    game = combine_weights(s, o, method="game")
    assert game.sum() == pytest.approx(1.0)
    assert 0.2 < game["a"] < 0.6
    with pytest.raises(ValueError, match="cover different indicators: c"):
        combine_weights(s, {"a": 0.5, "b": 0.3, "c": 0.2})
    with pytest.raises(ValueError, match="alpha"):
        combine_weights(s, o, method="linear", alpha=2)
