"""What an evaluation says beyond its ranks: regional disparity of the index per year, its
spatial autocorrelation and how stable each rank is under perturbed weights.

``analysis_of(result)`` gathers :func:`regional.disparity_by_year` (CV, Gini, Theil with its
within/between decomposition over the provinces — or, for a province panel, over 京津冀
and the other provinces — Dagum Gini Gw + Gnb + Gt = G),
:func:`spatial.moran_by_year` and :func:`spatial.local_moran` (PySAL's esda on the
prefecture adjacency; undefined with a reason for province panels) and
:func:`sensitivity.rank_stability` (Monte Carlo weight perturbation of ±``spread``), as
JSON-ready records (NaN -> ``None``, a ``reason`` where a figure is undefined). Pure.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from jingjinji.indicators.evaluate import EvaluationResult, aggregator
from jingjinji.indicators.regional import disparity_by_year, disparity_records
from jingjinji.indicators.sensitivity import rank_stability
from jingjinji.indicators.spatial import local_moran, moran_by_year

__all__ = ["DRAWS", "SPREAD", "analysis_of"]

#: Monte Carlo draws and the ± share each weight is perturbed by (Saisana et al. 2005).
DRAWS, SPREAD = 500, 0.2
#: Above this many place-years fewer draws are made (the figure says how many).
_LARGE = 5000
_JJJ = ("11", "12", "13")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _records(frame: pd.DataFrame, keys: list[str]) -> list[dict[str, Any]]:
    table = frame.reset_index()
    table.columns = pd.Index([*keys, *map(str, table.columns[len(keys) :])])
    return [{str(k): _clean(v) for k, v in row.items()} for row in table.to_dict("records")]


def _weights(result: EvaluationResult, scope: str | int) -> pd.Series:
    row = result.weights.loc[scope]
    return pd.Series(row.to_numpy(dtype=float), index=result.weights.columns)


def _stability(result: EvaluationResult, draws: int, seed: int) -> pd.DataFrame:
    aggregate = None if result.aggregation == "weighted_sum" else aggregator(result.aggregation)
    if result.scope == "pooled":
        return rank_stability(
            result.normalized,
            _weights(result, "pooled"),
            aggregate=aggregate,
            draws=draws,
            spread=SPREAD,
            seed=seed,
        )
    years = result.normalized.index.get_level_values("year")
    parts = [
        rank_stability(
            result.normalized[years == year],
            _weights(result, int(year)),
            aggregate=aggregate,
            draws=draws,
            spread=SPREAD,
            seed=seed,
        )
        for year in sorted(set(years))
    ]
    return pd.concat(parts).sort_index()


def analysis_of(result: EvaluationResult, *, seed: int = 2026) -> dict[str, Any]:
    """Disparity, Moran's I (global per year, local per place-year) and rank stability of
    ``result``'s composite index; see the module docstring. Rank stability needs the
    normalised scores and is left out (``None``) for a result rebuilt from its saved form."""
    index = result.index
    places = sorted(set(index.index.get_level_values("place")))
    groups = None
    if all(str(p).endswith("0000") for p in places):  # a province panel: 京津冀 and the rest
        groups = {p: "京津冀" if str(p)[:2] in _JJJ else "其他省份" for p in places}
    disparity = disparity_records(disparity_by_year(index, groups))
    moran = _records(moran_by_year(index, seed=seed), ["year"])
    local: list[dict[str, Any]] = []
    if not moran or all(row["I"] is None for row in moran):
        local = []
    else:
        for year in sorted(set(index.index.get_level_values("year"))):
            values = index.xs(year, level="year")
            for row in _records(local_moran(values, seed=seed), ["place"]):
                local.append({"year": int(year), **row})
    stability: dict[str, Any] | None = None
    if not result.normalized.empty:
        draws = DRAWS if len(index) <= _LARGE else DRAWS // 5
        table = _stability(result, draws, seed)
        rows = _records(
            table[["rank", "rank_min", "rank_max", "base_share", "stable"]], ["place", "year"]
        )
        stability = {
            "method": "monte_carlo",
            "draws": draws,
            "spread": SPREAD,
            "rows": rows,
            "unstable": sum(1 for r in rows if not r["stable"]),
        }
    return {"disparity": disparity, "moran": moran, "local_moran": local, "stability": stability}
