"""Disparity by year: hand-computed Gini / Theil / Dagum, PySAL cross-checks, NaN reasons."""

import doctest
import json
import math

import numpy as np
import pandas as pd
import pytest
from inequality.gini import Gini
from inequality.theil import TheilD

from jingjinji.indicators import regional
from jingjinji.indicators.regional import (
    COLUMNS,
    disparity_by_year,
    disparity_records,
    province_of,
)


def series(rows: list[tuple[str, int, float]]) -> pd.Series:
    index = pd.MultiIndex.from_tuples([(p, y) for p, y, _ in rows], names=["place", "year"])
    return pd.Series([v for _, _, v in rows], index=index, name="index")


# 2020: 北京 4, 天津 2, 石家庄 1, 唐山 1 -- groups 北京 / 天津 / 河北 by the adcode.
HAND = series(
    [("110000", 2020, 4.0), ("120000", 2020, 2.0), ("130100", 2020, 1.0), ("130200", 2020, 1.0)]
)


def test_hand_computed_year() -> None:
    row = disparity_by_year(HAND).loc[2020]
    assert list(disparity_by_year(HAND).columns) == list(COLUMNS)
    assert row["n"] == 4 and row["groups"] == 3
    assert row["mean"] == pytest.approx(2.0)
    # CV = sqrt((4 + 0 + 1 + 1) / 4) / 2
    assert row["cv"] == pytest.approx(math.sqrt(1.5) / 2)
    # sum_ij |x_i - x_j| = 20 over ordered pairs; G = 20 / (2 * 4^2 * 2)
    assert row["gini"] == pytest.approx(0.3125)
    # T = 1/4 (2 ln 2 + 0 + 2 * 0.5 ln 0.5) = ln 2 / 4; all of it between the provinces
    assert row["theil"] == pytest.approx(math.log(2) / 4)
    assert row["theil_within"] == pytest.approx(0.0, abs=1e-15)
    assert row["theil_between"] == pytest.approx(math.log(2) / 4)
    assert row["theil_between_share"] == pytest.approx(1.0)
    # Dagum: groups do not overlap (D_jh = 1), so Gt = 0 and Gnb is
    # 1/3 (1/16 + 1/8) + 0.6 (1/16 + 1/4) + 1/3 (1/16 + 1/8) = 0.3125 = G; Gw = 0.
    assert row["dagum_gini"] == pytest.approx(0.3125)
    assert row["dagum_gw"] == pytest.approx(0.0, abs=1e-15)
    assert row["dagum_gnb"] == pytest.approx(0.3125)
    assert row["dagum_gt"] == pytest.approx(0.0, abs=1e-15)
    assert row["dagum_gnb_share"] == pytest.approx(1.0)
    assert row["reason"] == ""


def test_matches_pysal_and_parts_add_up() -> None:
    rng = np.random.default_rng(7)
    codes = ["110000", "120000"] + [f"13{i:02d}00" for i in range(1, 12)]
    rows = [
        (c, y, float(v))
        for y in (2019, 2020)
        for c, v in zip(codes, rng.uniform(0.1, 1, 13), strict=True)
    ]
    s = series(rows)
    table = disparity_by_year(s)
    assert list(table.index) == [2019, 2020]
    labels = np.array(["北京", "天津"] + ["河北"] * 11)
    for year in (2019, 2020):
        y = s.xs(year, level="year").to_numpy()
        row = table.loc[year]
        assert row["gini"] == pytest.approx(Gini(y).g, rel=1e-12)
        td = TheilD(y, labels)
        assert row["theil"] == pytest.approx(float(np.squeeze(td.T)), rel=1e-12)
        assert row["theil_within"] == pytest.approx(float(np.squeeze(td.wg)), rel=1e-12)
        assert row["theil_between"] == pytest.approx(float(np.squeeze(td.bg)), rel=1e-12)
        parts = row["dagum_gw"] + row["dagum_gnb"] + row["dagum_gt"]
        assert parts == pytest.approx(row["dagum_gini"], rel=1e-12)
        assert row["dagum_gini"] == pytest.approx(row["gini"], rel=1e-12)
        assert row["dagum_gt"] > 0  # Hebei's cities overlap Beijing's and Tianjin's range
        shares = row["dagum_gw_share"] + row["dagum_gnb_share"] + row["dagum_gt_share"]
        assert shares == pytest.approx(1.0)


def test_single_place_and_empty_year_are_nan_with_reason() -> None:
    s = series([("110000", 2020, 0.7), ("110000", 2021, math.nan), ("120000", 2021, math.nan)])
    table = disparity_by_year(s)
    assert table.loc[2020, "n"] == 1
    assert table.loc[2020, "mean"] == pytest.approx(0.7)
    assert np.isnan(table.loc[2020, ["cv", "gini", "theil", "dagum_gini"]].astype(float)).all()
    assert table.loc[2020, "reason"] == "仅一个地区，差异无定义"
    assert table.loc[2021, "n"] == 0
    assert table.loc[2021, "reason"] == "该年没有数据"


def test_one_group_has_no_decomposition() -> None:
    s = series([("130100", 2020, 1.0), ("130200", 2020, 2.0), ("130300", 2020, 3.0)])
    row = disparity_by_year(s).loc[2020]
    assert row["groups"] == 1
    assert row["gini"] == pytest.approx(8 / (2 * 9 * 2))  # sum |x_i - x_j| = 8, n = 3, m = 2
    assert row["theil"] == pytest.approx((0.5 * math.log(0.5) + 1.5 * math.log(1.5)) / 3)
    for col in ("theil_within", "theil_between", "dagum_gini", "dagum_gw", "dagum_gnb"):
        assert np.isnan(row[col])
    assert row["reason"] == "只有一个分组，无法分解"


def test_negative_values_keep_cv_only() -> None:
    s = series([("110000", 2020, -0.5), ("120000", 2020, 1.0), ("130100", 2020, 2.5)])
    row = disparity_by_year(s).loc[2020]
    x = np.array([-0.5, 1.0, 2.5])
    assert row["cv"] == pytest.approx(x.std() / x.mean())
    assert np.isnan(row["gini"]) and np.isnan(row["theil"]) and np.isnan(row["dagum_gini"])
    assert "负值" in row["reason"]


def test_zero_mean_and_constant_values() -> None:
    s = series(
        [
            ("110000", 2020, 0.0),
            ("120000", 2020, 0.0),
            ("110000", 2021, 0.4),
            ("120000", 2021, 0.4),
            ("130100", 2021, 0.4),
        ]
    )
    table = disparity_by_year(s)
    assert np.isnan(table.loc[2020, "cv"]) and "均值不为正" in table.loc[2020, "reason"]
    row = table.loc[2021]
    assert row["cv"] == 0.0 and row["gini"] == 0.0 and row["theil"] == 0.0
    assert row["dagum_gini"] == 0.0
    assert np.isnan(row["dagum_gnb_share"]) and np.isnan(row["theil_between_share"])
    assert "数值相同" in row["reason"]


def test_zeros_are_allowed_in_theil() -> None:
    s = series([("110000", 2020, 0.0), ("120000", 2020, 1.0)])
    row = disparity_by_year(s).loc[2020]
    assert row["theil"] == pytest.approx(math.log(2))  # 1/2 * 2 ln 2, with 0 ln 0 = 0
    assert row["gini"] == pytest.approx(0.5)


def test_groups_mapping_and_defaults() -> None:
    assert province_of("110000") == "北京"
    assert province_of("120000") == "天津"
    assert province_of("131100") == "河北"
    assert province_of("370000") == "山东"
    s = series([("110000", 2020, 4.0), ("120000", 2020, 2.0), ("130100", 2020, 1.0)])
    one = disparity_by_year(s, groups={"110000": "京津", "120000": "京津", "130100": "冀"})
    assert one.loc[2020, "groups"] == 2
    # Between: S = (6/7, 1/7), P = (2/3, 1/3)
    between = 6 / 7 * math.log((6 / 7) / (2 / 3)) + 1 / 7 * math.log((1 / 7) / (1 / 3))
    assert one.loc[2020, "theil_between"] == pytest.approx(between)
    provinces = series([("110000", 2020, 3.0), ("130000", 2020, 1.0), ("370000", 2020, 2.0)])
    row = disparity_by_year(provinces).loc[2020]
    assert row["groups"] == 3 and row["theil_between_share"] == pytest.approx(1.0)
    assert row["dagum_gw"] == 0.0 and row["reason"] == "每个分组只有一个地区，组内差异恒为0"
    with pytest.raises(ValueError, match="130100"):
        disparity_by_year(s, groups={"110000": "京", "120000": "津"})


def test_aggregate_rows_are_left_out() -> None:
    s = pd.concat([HAND, series([("100000", 2020, 9.0), ("jjj", 2020, 2.0)])])
    pd.testing.assert_frame_equal(disparity_by_year(s), disparity_by_year(HAND))


def test_records_are_json_ready() -> None:
    s = pd.concat([HAND, series([("110000", 2021, 1.0)])])
    records = disparity_records(disparity_by_year(s))
    assert [r["year"] for r in records] == [2020, 2021]
    assert records[0]["gini"] == pytest.approx(0.3125)
    assert records[1]["gini"] is None and records[1]["reason"] == "仅一个地区，差异无定义"
    assert isinstance(records[0]["n"], int) and isinstance(records[0]["year"], int)
    json.dumps(records, ensure_ascii=False, allow_nan=False)


def test_doctests() -> None:
    result = doctest.testmod(regional, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
