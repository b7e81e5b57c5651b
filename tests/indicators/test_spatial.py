"""Moran's I: a hand-computed chain, the real adjacency of the 13 units, NaN reasons."""

import itertools

import numpy as np
import pandas as pd
import pytest
from libpysal.weights import W

from jingjinji.indicators.spatial import (
    NOT_SIGNIFICANT,
    local_moran,
    moran_by_year,
    prefecture_adjacency,
)

# Queen contiguity of the prefecture-level units as on a map of Jing-Jin-Ji.
EXPECTED = {
    "110000": {"120000", "130600", "130700", "130800", "131000"},  # 北京
    "120000": {"110000", "130200", "130800", "130900", "131000"},  # 天津
    "130100": {"130500", "130600", "131100"},  # 石家庄
    "130200": {"120000", "130300", "130800"},  # 唐山
    "130300": {"130200", "130800"},  # 秦皇岛
    "130400": {"130500"},  # 邯郸
    "130500": {"130100", "130400", "131100"},  # 邢台
    "130600": {"110000", "130100", "130700", "130900", "131000", "131100", "133100"},  # 保定
    "130700": {"110000", "130600", "130800"},  # 张家口
    "130800": {"110000", "120000", "130200", "130300", "130700"},  # 承德
    "130900": {"120000", "130600", "131000", "131100", "133100"},  # 沧州
    "131000": {"110000", "120000", "130600", "130900", "133100"},  # 廊坊
    "131100": {"130100", "130500", "130600", "130900"},  # 衡水
    "133100": {"130600", "130900", "131000"},  # 雄安新区
}
UNITS = [c for c in EXPECTED if c != "133100"]  # the 13 units of the shipped panels


def by_year(values: dict[str, float], year: int = 2020) -> pd.Series:
    index = pd.MultiIndex.from_tuples([(p, year) for p in values], names=["place", "year"])
    return pd.Series(list(values.values()), index=index)


def moran_formula(y: np.ndarray, adjacency: np.ndarray) -> float:
    """I = (n / S0) sum_ij w_ij z_i z_j / sum z^2 with row-standardised w."""
    w = adjacency / adjacency.sum(axis=1, keepdims=True)
    z = y - y.mean()
    return float(len(y) / w.sum() * (z @ w @ z) / (z @ z))


CHAIN = W({"a": ["b"], "b": ["a", "c"], "c": ["b", "d"], "d": ["c"]})
CHAIN_A = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], dtype=float)


def test_global_moran_on_a_chain_by_hand() -> None:
    y = np.array([1.0, 2.0, 3.0, 4.0])
    row = moran_by_year(by_year(dict(zip("abcd", y, strict=True))), adjacency=CHAIN).loc[2020]
    # z = (-1.5, -0.5, 0.5, 1.5), Wz = (-0.5, -0.5, 0.5, 0.5): I = (4/4) * 2 / 5
    assert row["I"] == pytest.approx(0.4)
    assert row["I"] == pytest.approx(moran_formula(y, CHAIN_A))
    assert row["EI"] == pytest.approx(-1 / 3)
    assert row["n"] == 4
    # Cliff-Ord normality variance: S0 = 4, S1 = 5.5, S2 = 17
    n, s0, s1, s2 = 4, 4.0, 5.5, 17.0
    var = (n * n * s1 - n * s2 + 3 * s0**2) / ((n * n - 1) * s0**2) - (1 / 3) ** 2
    assert row["z"] == pytest.approx((0.4 + 1 / 3) / np.sqrt(var))
    # Exact permutation distribution: 2 of the 24 orders reach I = 0.4.
    perms = [moran_formula(np.array(p), CHAIN_A) for p in itertools.permutations(y)]
    exact = np.mean(np.array(perms) >= 0.4 - 1e-12)
    assert exact == pytest.approx(1 / 12)
    assert row["p_sim"] == pytest.approx(exact, abs=0.03)
    assert row["reason"] == "" and row["excluded"] == ""


def test_local_moran_on_a_chain_by_hand() -> None:
    out = local_moran(pd.Series([1.0, 2.0, 3.0, 4.0], index=list("abcd")), adjacency=CHAIN)
    # I_i = (n - 1) z_i (Wz)_i / sum z^2 = 3 z_i (Wz)_i / 5
    assert out["Ii"].tolist() == pytest.approx([0.45, 0.15, 0.15, 0.45])
    sd = np.sqrt(5 / 4)
    assert out["lag"].tolist() == pytest.approx([-0.5 / sd, -0.5 / sd, 0.5 / sd, 0.5 / sd])
    assert out["quadrant"].tolist() == ["低-低", "低-低", "高-高", "高-高"]
    # The end unit's one neighbour is drawn from the 3 others; 1 in 3 reaches 0.45.
    assert out.loc["a", "p_sim"] == pytest.approx(1 / 3, abs=0.06)
    assert (out["cluster"] == NOT_SIGNIFICANT).all()


def test_real_adjacency_of_the_prefecture_units() -> None:
    adjacency = prefecture_adjacency()
    assert {k: set(v) for k, v in adjacency.items()} == EXPECTED
    beijing = adjacency["110000"]
    assert {"120000", "130600", "130700", "130800", "131000"} <= beijing
    assert "130400" not in beijing  # 邯郸
    assert "133100" in adjacency["130600"]  # 保定 touches 雄安 without a shared vertex
    for a, nbrs in adjacency.items():
        assert all(a in adjacency[b] for b in nbrs)


def test_global_moran_on_the_13_units_matches_the_formula() -> None:
    rng = np.random.default_rng(11)
    first, second = rng.uniform(0.1, 1.0, 13), rng.uniform(0.1, 1.0, 13)
    index = pd.concat(
        [
            by_year(dict(zip(UNITS, first, strict=True))),
            by_year(dict(zip(UNITS, second, strict=True)), 2021),
        ]
    )
    table = moran_by_year(index)
    a = np.array([[float(j in EXPECTED[i]) for j in UNITS] for i in UNITS])
    for year, y in ((2020, first), (2021, second)):
        row = table.loc[year]
        assert row["n"] == 13
        assert row["I"] == pytest.approx(moran_formula(y, a), rel=1e-12)
        assert row["EI"] == pytest.approx(-1 / 12)
        assert 0 < row["p_sim"] <= 1
    pd.testing.assert_frame_equal(moran_by_year(index), table)  # seeded


def test_gradient_north_south_is_positive_and_significant() -> None:
    # A value falling from the north-east (承德, 秦皇岛) to the south (邯郸).
    north = {"130800": 1.0, "130300": 0.95, "130200": 0.9, "130700": 0.85, "110000": 0.8}
    middle = {"120000": 0.7, "131000": 0.65, "130600": 0.55, "130900": 0.5}
    south = {"130100": 0.3, "131100": 0.3, "130500": 0.2, "130400": 0.1}
    row = moran_by_year(by_year({**north, **middle, **south})).loc[2020]
    assert row["I"] > 0.4 and row["p_sim"] < 0.01
    lisa = local_moran(pd.Series({**north, **middle, **south}))
    assert lisa.loc["130400", "quadrant"] == "低-低"
    assert lisa.loc["130800", "quadrant"] == "高-高"


def test_province_level_places_are_refused_with_reason() -> None:
    row = moran_by_year(by_year({"110000": 1.0, "120000": 0.8, "130000": 0.4, "140000": 0.3})).loc[
        2020
    ]
    assert np.isnan(row["I"]) and np.isnan(row["p_sim"])
    assert "省级单位" in row["reason"] and "130000" not in row["reason"]
    assert "山西" in row["excluded"] and "140000" not in row["excluded"]
    many = {f"{i}0000": 0.1 * (i % 7) for i in (11, 12, 13, 14, 15, 21, 22, 23)}
    reason = moran_by_year(by_year(many)).loc[2020, "reason"]
    assert "等6个" in reason and "吉林" not in reason


def test_unknown_places_are_reported_not_fatal() -> None:
    values = dict(zip(UNITS, np.linspace(0.2, 0.9, 13), strict=True))
    alone = moran_by_year(by_year(values)).loc[2020]
    mixed = moran_by_year(by_year({**values, "130000": 0.5, "370200": 0.4})).loc[2020]
    assert mixed["I"] == pytest.approx(alone["I"])
    assert mixed["n"] == 13
    assert "河北省：" in mixed["excluded"] and "370200" in mixed["excluded"]
    lisa = local_moran(pd.Series({**values, "130000": 0.5}))
    assert lisa.loc["130000", "reason"] == "省级单位，不在地级边界中"
    assert np.isnan(lisa.loc["130000", "Ii"]) and lisa.loc["130000", "quadrant"] is None
    assert lisa.loc[UNITS, "Ii"].notna().all()


def test_too_few_units_with_neighbours_and_constant_values() -> None:
    # 北京, 天津 and 邯郸: 邯郸 has no neighbour among them.
    few = moran_by_year(by_year({"110000": 1.0, "120000": 0.5, "130400": 0.1})).loc[2020]
    assert np.isnan(few["I"]) and few["n"] == 2
    assert "至少需要3个" in few["reason"] and "邯郸市：数据中没有相邻单元" in few["excluded"]
    flat = moran_by_year(by_year(dict.fromkeys(UNITS, 0.5))).loc[2020]
    assert np.isnan(flat["I"]) and flat["reason"] == "各地区数值相同，莫兰指数无定义"
    lisa = local_moran(pd.Series(dict.fromkeys(UNITS, 0.5)))
    assert (
        lisa["Ii"].isna().all() and (lisa["reason"] == "各地区数值相同，局部莫兰指数无定义").all()
    )


def test_place_at_the_mean_is_not_significant() -> None:
    values = pd.Series(dict(zip(UNITS, np.arange(13.0), strict=True)))  # 邢台 130500 = 6 = the mean
    lisa = local_moran(values)
    assert lisa.loc["130500", "Ii"] == 0.0
    assert lisa.loc["130500", "p_sim"] == 1.0 and lisa.loc["130500", "cluster"] == NOT_SIGNIFICANT


def test_global_random_state_is_untouched() -> None:
    np.random.seed(123)
    before = np.random.get_state()
    local_moran(pd.Series(dict(zip(UNITS, np.linspace(0, 1, 13), strict=True))))
    moran_by_year(by_year(dict(zip(UNITS, np.linspace(0, 1, 13), strict=True))))
    after = np.random.get_state()
    assert before[2] == after[2] and (before[1] == after[1]).all()


def test_local_moran_wants_one_cross_section() -> None:
    with pytest.raises(ValueError, match="one year"):
        local_moran(by_year({"110000": 1.0}))
    with pytest.raises(ValueError, match="permutations"):
        local_moran(pd.Series({"110000": 1.0}), permutations=0)
