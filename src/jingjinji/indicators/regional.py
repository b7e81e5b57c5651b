"""Regional disparity of a composite index, year by year (区域差异的逐年测度).

For each year of an evaluation's index (a Series over (place, year)): the coefficient of
variation, the Gini coefficient, Theil's T with its within/between-group decomposition and
Dagum's (1997) Gini decomposition, all from :mod:`jingjinji.indicators.disparity`. Groups
default to the province of each adcode (北京 / 天津 / 河北 for the 13 units of Jing-Jin-Ji), so
the decompositions answer "how much of the gap lies between the three provinces".

A measure that is undefined for a year is NaN and ``reason`` says why in Chinese: a single
place, a non-positive mean, negative values (Gini, Theil and Dagum need a ratio scale), or a
single group (no decomposition). Nothing is filled in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from jingjinji.indicators.disparity import coefficient_of_variation, dagum_gini, gini, theil
from jingjinji.indicators.places import NATIONAL, PROVINCES, REGION, place_name

__all__ = ["COLUMNS", "disparity_by_year", "disparity_records", "province_of"]

#: Output columns of :func:`disparity_by_year` with their Chinese labels, in order.
COLUMNS: dict[str, str] = {
    "n": "地区数",
    "groups": "分组数",
    "mean": "均值",
    "cv": "变异系数",
    "gini": "基尼系数",
    "theil": "泰尔指数",
    "theil_within": "组内泰尔",
    "theil_between": "组间泰尔",
    "theil_between_share": "组间贡献率",
    "dagum_gini": "Dagum基尼系数",
    "dagum_gw": "组内差异Gw",
    "dagum_gnb": "组间净差异Gnb",
    "dagum_gt": "超变密度Gt",
    "dagum_gw_share": "Gw贡献率",
    "dagum_gnb_share": "Gnb贡献率",
    "dagum_gt_share": "Gt贡献率",
    "reason": "说明",
}

_AGGREGATES = (NATIONAL, REGION)


def province_of(code: str) -> str:
    """The province of an adcode by its first two digits: "130600" -> "河北".

    >>> province_of("110000"), province_of("130600"), province_of("370200")
    ('北京', '河北', '山东')
    """
    prefix = str(code)[:2] + "0000"
    return PROVINCES.get(prefix) or place_name(prefix)


def _year_row(values: pd.Series, labels: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS, math.nan)
    x = values.to_numpy(dtype=float)
    n, k = len(x), len(set(labels))
    row.update(n=n, groups=k, reason="")
    reasons: list[str] = []
    if n == 0:
        row["reason"] = "该年没有数据"
        return row
    mean = float(x.mean())
    row["mean"] = mean
    if n < 2:
        row["reason"] = "仅一个地区，差异无定义"
        return row
    if mean <= 0:
        row["reason"] = "均值不为正，差异指标无定义"
        return row
    if x.min() == x.max():
        row.update(cv=0.0, gini=0.0, theil=0.0)
        if k >= 2:
            row.update(theil_within=0.0, theil_between=0.0, dagum_gini=0.0, dagum_gw=0.0)
            row.update(dagum_gnb=0.0, dagum_gt=0.0)
        reasons.append("各地区数值相同，差异为0，贡献率无定义")
        if k < 2:
            reasons.append("只有一个分组，无法分解")
        row["reason"] = "；".join(reasons)
        return row
    row["cv"] = coefficient_of_variation(x)
    if (x < 0).any():
        row["reason"] = "存在负值，基尼系数、泰尔指数和Dagum基尼系数无定义（需非负数值）"
        return row
    row["gini"] = gini(x)
    t = theil(x, groups=labels)
    row["theil"] = t.total
    if k < 2:
        reasons.append("只有一个分组，无法分解")
    else:
        if k == n:
            reasons.append("每个分组只有一个地区，组内差异恒为0")
        row.update(
            theil_within=t.within,
            theil_between=t.between,
            theil_between_share=t.between / t.total,
        )
        d = dagum_gini(x, labels)
        parts = d.within + d.between_net + d.transvariation
        if not (np.isclose(parts, d.total, atol=1e-12) and np.isclose(d.total, row["gini"])):
            raise ArithmeticError(f"Dagum decomposition does not add up: {parts} != {d.total}")
        row.update(dagum_gini=d.total, dagum_gw=d.within, dagum_gnb=d.between_net)
        row["dagum_gt"] = d.transvariation
        row.update(
            dagum_gw_share=d.within / d.total,
            dagum_gnb_share=d.between_net / d.total,
            dagum_gt_share=d.transvariation / d.total,
        )
    row["reason"] = "；".join(reasons)
    return row


def disparity_by_year(index: pd.Series, groups: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Disparity measures of ``index`` (MultiIndex (place, year)) for each year.

    Per year, over the n places with a value (x_i, mean m):

    - ``cv`` = sqrt(sum_i (x_i - m)^2 / n) / m  (Williamson 1965, unweighted);
    - ``gini`` = sum_i sum_j |x_i - x_j| / (2 n^2 m)  (Gini 1912);
    - ``theil`` T = (1/n) sum_i (x_i/m) ln(x_i/m) = T_within + T_between (Theil 1967;
      Shorrocks 1980), ``theil_between_share`` = T_between / T;
    - ``dagum_gini`` G = Gw + Gnb + Gt (Dagum 1997, Empirical Economics 22: 515-531): within
      groups, net between groups and transvariation, with their shares of G.

    ``groups`` maps each place to a group label; by default the province (:func:`province_of`).
    Rows for the national total and the region as a whole (``100000``, ``jjj``) are aggregates,
    not places, and are left out; missing values are skipped. Undefined measures are NaN with
    the reason in ``reason`` (Chinese; empty when everything is defined). Columns:
    :data:`COLUMNS`; rows: years, ascending.

    >>> s = pd.Series([1.0, 2.0, 3.0, 4.0], pd.MultiIndex.from_tuples(
    ...     [("110000", 2020), ("120000", 2020), ("130100", 2020), ("130200", 2020)],
    ...     names=["place", "year"]))
    >>> float(disparity_by_year(s).loc[2020, "gini"])
    0.25
    """
    if not isinstance(index, pd.Series) or index.index.nlevels != 2:
        raise ValueError("index must be a Series with a (place, year) MultiIndex")
    names = list(index.index.names)
    place_level = "place" if "place" in names else 0
    year_level = "year" if "year" in names else 1
    series = index.astype(float)
    places = series.index.get_level_values(place_level).astype(str)
    keep = ~places.isin(_AGGREGATES) & series.notna().to_numpy()
    series, places = series[keep], places[keep]
    if groups is None:
        labels = [province_of(p) for p in places]
    else:
        missing = sorted(set(places) - {str(p) for p in groups})
        if missing:
            raise ValueError(f"groups has no entry for place(s) {', '.join(missing)}")
        lookup = {str(p): str(g) for p, g in groups.items()}
        labels = [lookup[p] for p in places]
    years = series.index.get_level_values(year_level)
    rows = {}
    for year in sorted(pd.unique(index.index.get_level_values(year_level))):
        mask = np.asarray(years == year)
        rows[year] = _year_row(series[mask], [g for g, m in zip(labels, mask, strict=True) if m])
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(COLUMNS))
    table.index.name = "year"
    return table.astype({"n": int, "groups": int})


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def disparity_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of :func:`disparity_by_year` as JSON-ready dicts (``year`` first; NaN -> None)."""
    out = []
    for year, row in table.iterrows():
        record: dict[str, Any] = {"year": _plain(year)}
        record.update({str(k): _plain(v) for k, v in row.items()})
        out.append(record)
    return out
