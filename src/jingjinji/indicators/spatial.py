"""Spatial autocorrelation of a per-place value on the contiguity of prefecture-level units.

Global Moran's I (Moran 1950; Cliff and Ord 1981) of values x_i with z_i = x_i - mean(x) and
spatial weights w_ij (queen contiguity, row-standardised so that S0 = sum_ij w_ij = n):

    I = (n / S0) * sum_i sum_j w_ij z_i z_j / sum_i z_i^2,     E[I] = -1 / (n - 1),

and the local Moran's I_i of Anselin (1995, Geographical Analysis 27(2): 93-115), a LISA, in
PySAL's scaling I_i = (n - 1) z_i sum_j w_ij z_j / sum_k z_k^2, with pseudo p-values from
conditional permutations. Statistics come from PySAL ``esda``; the weights from ``libpysal``.

The adjacency is that of the atlas's prefecture boundaries (14 units: 北京 110000 and 天津
120000 under their province codes, Hebei's 11 cities and 雄安新区 133100), restricted to the
places in the data. Places outside the boundaries (province codes such as 130000, other
provinces, aggregates) and places without a neighbour among the others are left out and
reported, never guessed.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # PySAL, GeoPandas and Shapely take seconds to import: only when used
    from libpysal.weights import W

from jingjinji.indicators.places import place_name

__all__ = ["QUADRANTS", "local_moran", "moran_by_year", "prefecture_adjacency"]

#: PySAL's quadrant codes (z_i vs its spatial lag) as the page labels them.
QUADRANTS: dict[int, str] = {1: "高-高", 2: "低-高", 3: "低-低", 4: "高-低"}
NOT_SIGNIFICANT = "不显著"
Adjacency: TypeAlias = "W | Mapping[str, Iterable[str]]"

_RNG_LOCK = threading.Lock()


@functools.cache
def _prefecture_adjacency() -> dict[str, frozenset[str]]:
    import geopandas as gpd
    import shapely
    from libpysal.weights import Queen

    from jingjinji.atlas import boundaries

    frame = gpd.GeoDataFrame.from_features(boundaries("prefecture")["features"])
    codes = [str(c) for c in frame["adcode"]]
    queen = Queen.from_dataframe(frame, ids=codes, use_index=False, silence_warnings=True)
    neighbours = {c: {str(n) for n in queen.neighbors[c]} for c in codes}
    # The simplified boundaries of 保定 and 雄安新区 touch without sharing a vertex, which
    # vertex-based queen contiguity misses; add pairs whose (repaired) geometries intersect.
    geoms = shapely.make_valid(frame.geometry.to_numpy())
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i != j:
            neighbours[codes[i]].add(codes[j])
    return {c: frozenset(v) for c, v in neighbours.items()}


def prefecture_adjacency() -> dict[str, frozenset[str]]:
    """Queen contiguity of the atlas's 14 prefecture-level units: adcode -> neighbours.

    Built once from ``jingjinji.atlas.boundaries("prefecture")`` and cached.
    """
    return dict(_prefecture_adjacency())


def _neighbours(adjacency: Adjacency | None) -> dict[str, set[str]]:
    if adjacency is None:
        return {c: set(v) for c, v in _prefecture_adjacency().items()}
    from libpysal.weights import W

    source = adjacency.neighbors if isinstance(adjacency, W) else adjacency
    return {str(c): {str(n) for n in v} for c, v in source.items()}


def _why_left_out(code: str) -> str:
    if code.endswith("0000"):
        return "省级单位，不在地级边界中"
    return "不在地级边界中"


def _restrict(
    places: Iterable[str], adjacency: Adjacency | None
) -> tuple[W | None, dict[str, str]]:
    """Row-standardised weights among ``places`` with a neighbour, and the others' reasons."""
    full = _neighbours(adjacency)
    present = [p for p in places if p in full]
    excluded = {p: _why_left_out(p) for p in places if p not in full}
    keep = set(present)
    graph = {p: sorted(full[p] & (keep - {p})) for p in present}
    for p in present:
        if not graph[p]:
            excluded[p] = "数据中没有相邻单元"
    graph = {p: nbrs for p, nbrs in graph.items() if nbrs}
    if not graph:
        return None, excluded
    from libpysal.weights import W

    w = W(graph, silence_warnings=True)
    w.transform = "r"
    return w, excluded


def _too_few(n: int, excluded: Mapping[str, str]) -> str:
    provinces = [p for p, why in excluded.items() if why.startswith("省级")]
    if provinces:
        listed = "、".join(place_name(p) for p in provinces[:3])
        if len(provinces) > 3:
            listed += f"等{len(provinces)}个"
        return f"地区为省级单位而非地级单位（{listed}），无法按地级邻接计算"
    return f"有相邻单元的地级单位只有{n}个（至少需要3个），莫兰指数无定义"


@contextlib.contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """esda draws from NumPy's global generator: seed it, then restore the caller's state."""
    with _RNG_LOCK:
        state = np.random.get_state()
        np.random.seed(seed)
        try:
            with warnings.catch_warnings():
                # esda 2.9 warns that conditional randomisation's default alternative will
                # change; Moran_Local offers no way to choose it, and its p_sim is recomputed
                # from the kept simulations (folded, as for the global statistic).
                warnings.filterwarnings(
                    "ignore", message="The alternative hypothesis", category=DeprecationWarning
                )
                with np.errstate(divide="ignore", invalid="ignore"):  # degenerate z_sim
                    yield
        finally:
            np.random.set_state(state)


def _listed(excluded: Mapping[str, str]) -> str:
    return "；".join(f"{place_name(p)}：{why}" for p, why in excluded.items())


def moran_by_year(
    index: pd.Series,
    *,
    permutations: int = 999,
    seed: int = 2026,
    adjacency: Adjacency | None = None,
) -> pd.DataFrame:
    """Global Moran's I of ``index`` (MultiIndex (place, year)) in each year.

    I = (n / S0) sum_i sum_j w_ij z_i z_j / sum_i z_i^2 on row-standardised queen contiguity
    (``adjacency``: a libpysal ``W`` or a mapping place -> neighbours; by default
    :func:`prefecture_adjacency`; only its neighbour structure is used). Columns: ``n`` (units
    used), ``I``, ``EI`` = -1/(n-1), ``z`` and ``p_norm`` under the normality assumption
    (two-sided), ``z_sim`` and ``p_sim`` from ``permutations`` random permutations (pseudo
    p-value (k + 1) / (permutations + 1), one-tailed in the observed direction), ``excluded``
    (places left out and why) and ``reason`` (Chinese; why I is NaN, else empty). I is NaN
    with fewer than 3 units with neighbours (e.g. province-level places) or constant values.
    """
    if not isinstance(index, pd.Series) or index.index.nlevels != 2:
        raise ValueError("index must be a Series with a (place, year) MultiIndex")
    names = list(index.index.names)
    year_level = "year" if "year" in names else 1
    rows = {}
    for year, part in index.astype(float).groupby(level=year_level, sort=True):
        values = part.droplevel(year_level).dropna()
        values.index = values.index.astype(str)
        rows[year] = _global_row(values, permutations, seed, adjacency)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "year"
    return out


def _global_row(
    values: pd.Series, permutations: int, seed: int, adjacency: Adjacency | None
) -> dict[str, Any]:
    nan = float("nan")
    w, excluded = _restrict(list(values.index), adjacency)
    n = 0 if w is None else w.n
    row: dict[str, Any] = {"n": n, "I": nan, "EI": nan, "z": nan, "p_norm": nan}
    row.update(z_sim=nan, p_sim=nan, excluded=_listed(excluded), reason="")
    if w is None or n < 3:
        row["reason"] = _too_few(n, excluded)
        return row
    y = values.reindex(w.id_order).to_numpy()
    if y.min() == y.max():
        row["reason"] = "各地区数值相同，莫兰指数无定义"
        return row
    with _seeded(seed):
        import esda

        mi = esda.Moran(y, w, transformation="r", permutations=permutations)
    row.update(I=float(mi.I), EI=float(mi.EI), z=float(mi.z_norm), p_norm=float(mi.p_norm))
    if permutations:
        row.update(z_sim=float(mi.z_sim), p_sim=float(mi.p_sim))
    return row


def local_moran(
    values: pd.Series,
    *,
    permutations: int = 999,
    seed: int = 2026,
    alpha: float = 0.05,
    adjacency: Adjacency | None = None,
) -> pd.DataFrame:
    """Local Moran's I (LISA; Anselin 1995) of one cross-section ``values`` (index = place).

    I_i = (n - 1) z_i sum_j w_ij z_j / sum_k z_k^2 on row-standardised contiguity (as in
    :func:`moran_by_year`), pseudo p-values from ``permutations`` conditional permutations
    (esda ``Moran_Local``, seeded by ``seed``). One row per place of ``values``: ``name``,
    ``value``, ``Ii``, ``lag`` (sum_j w_ij z_j of the standardised value), ``p_sim``,
    ``quadrant`` (高-高, 低-高, 低-低, 高-低: the place's value against its neighbours'),
    ``cluster`` (the quadrant when p_sim < ``alpha``, else 不显著) and ``reason`` (why a place
    has no statistic: outside the boundaries, no neighbour, too few units, constant values).
    """
    if isinstance(values.index, pd.MultiIndex):
        raise ValueError("values must be indexed by place; select one year first")
    if permutations < 1:
        raise ValueError("local_moran needs permutations >= 1 for its pseudo p-values")
    series = values.astype(float).dropna()
    series.index = series.index.astype(str)
    out = pd.DataFrame(
        {
            "name": [place_name(p) for p in series.index],
            "value": series.to_numpy(),
            "Ii": np.nan,
            "lag": np.nan,
            "p_sim": np.nan,
            "quadrant": None,
            "cluster": None,
            "reason": "",
        },
        index=pd.Index(series.index, name="place"),
    )
    w, excluded = _restrict(list(series.index), adjacency)
    for place, why in excluded.items():
        out.loc[place, "reason"] = why
    if w is None or w.n < 3:
        used = [] if w is None else list(w.id_order)
        out.loc[used, "reason"] = _too_few(len(used), excluded)
        return out
    ids = list(w.id_order)
    y = series.reindex(ids).to_numpy()
    if y.min() == y.max():
        out.loc[ids, "reason"] = "各地区数值相同，局部莫兰指数无定义"
        return out
    with _seeded(seed):
        import esda

        lisa = esda.Moran_Local(y, w, transformation="r", permutations=permutations, seed=seed)
    # A place at the mean (z_i = 0) has I_i = 0 under every permutation: esda folds that
    # degenerate distribution to p = 1 / (permutations + 1); it is p = 1, with no quadrant.
    at_mean = np.isclose(lisa.z, 0.0, atol=1e-12)
    quadrant = [None if m else QUADRANTS[int(q)] for q, m in zip(lisa.q, at_mean, strict=True)]
    p_sim = np.where(at_mean, 1.0, np.asarray(lisa.p_sim, dtype=float))
    out.loc[ids, "Ii"] = np.asarray(lisa.Is, dtype=float)
    out.loc[ids, "lag"] = np.asarray(w.sparse @ lisa.z, dtype=float)
    out.loc[ids, "p_sim"] = p_sim
    out.loc[ids, "quadrant"] = quadrant
    out.loc[ids, "cluster"] = [
        q if q is not None and p < alpha else NOT_SIGNIFICANT
        for q, p in zip(quadrant, p_sim, strict=True)
    ]
    out.loc[[i for i, m in zip(ids, at_mean, strict=True) if m], "reason"] = "数值等于均值，I_i = 0"
    return out
