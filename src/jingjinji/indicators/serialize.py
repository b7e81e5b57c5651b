"""An evaluation as compact JSON-ready data, back again, and the digest of its method.

``result_to_dict`` keeps what a reader needs to see and reproduce an evaluation: weights,
dimension sub-scores, the composite index, ranks, coupling coordination, the names of
places, dimensions and indicators, and the filled cells. The normalised data is left out
(it is recomputed from the panel). ``result_from_dict`` rebuilds an ``EvaluationResult``
from it (with an empty ``normalized`` table) so that ``report.result_workbook`` can write it.

``method_digest`` is the SHA-256 of the canonical JSON of the method parameters and the
full indicator system definition, so two evaluations with equal ``input_digest`` (the
panel, ``Panel.digest``) and equal ``method_digest`` give the same result.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import pandas as pd

from jingjinji.indicators.coupling import COORDINATION_LEVELS
from jingjinji.indicators.evaluate import EvaluationResult
from jingjinji.indicators.places import place_name
from jingjinji.indicators.system import Dimension, Indicator, IndicatorSystem

__all__ = ["DIGITS", "method_digest", "method_parameters", "result_from_dict", "result_to_dict"]

#: Significant decimals kept in the JSON form (scores lie in [0, 1]).
DIGITS = 6


def method_parameters(
    system: IndicatorSystem,
    *,
    weighting: str,
    aggregation: str,
    scope: str,
    fill: str | None,
    coupling: str | None,
    coupling_form: str = "corrected",
    shift: float = 0.0,
    normalization: str = "minmax",
    drop_dimensions: tuple[str, ...] = (),
    subjective: str | None = None,
    alpha: float = 0.5,
    ahp: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The parameters that, with the panel, determine an evaluation (``system`` is the one
    evaluated, i.e. without the dropped dimensions, which are recorded too)."""
    return {
        "system": system.model_dump(mode="json"),
        "weighting": weighting,
        "aggregation": aggregation,
        "scope": scope,
        "fill": fill,
        "coupling": coupling,
        "coupling_form": coupling_form,
        "shift": shift,
        "normalization": normalization,
        "drop_dimensions": list(drop_dimensions),
        "subjective": subjective,
        "alpha": alpha if subjective is not None else None,
        "ahp": ahp,
    }


def method_digest(parameters: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces) of ``method_parameters(...)``.

    >>> method_digest({"a": 1, "b": 2}) == method_digest({"b": 2, "a": 1})
    True
    >>> len(method_digest({}))
    64
    """
    text = json.dumps(parameters, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _num(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else round(number, DIGITS)


def result_to_dict(result: EvaluationResult) -> dict[str, Any]:
    """Compact JSON-ready form of ``result`` (see the module docstring for the keys)."""
    system = result.system
    dims = [d.id for d in system.dimensions]
    ids = system.indicator_ids
    places = sorted(result.index.index.get_level_values("place").unique())
    years = sorted(int(y) for y in result.index.index.get_level_values("year").unique())
    subs = result.sub_scores[dims]
    scores = [
        {
            "place": str(place),
            "year": int(year),
            "index": _num(result.index.loc[(place, year)]),
            "rank": int(result.ranks.loc[(place, year)]),
            "dims": [_num(v) for v in subs.loc[(place, year)].to_numpy()],
        }
        for place, year in result.index.index
    ]
    coupling: dict[str, Any] | None = None
    if result.coupling is not None:
        rows = []
        for key, row in result.coupling.iterrows():
            place, year = key if isinstance(key, tuple) else (None, key)
            rows.append(
                {
                    "place": None if place is None else str(place),
                    "year": int(year),
                    "C": _num(row["C"]),
                    "T": _num(row["T"]),
                    "D": _num(row["D"]),
                    "grade": int(row["grade"]),
                    "level": str(row["level"]),
                }
            )
        coupling = {"between": result.coupling_between, "rows": rows}
    return {
        "system": {"id": system.id, "name": system.name},
        "weighting": result.weighting,
        "aggregation": result.aggregation,
        "scope": result.scope,
        "normalization": result.normalization,
        "shift": result.shift,
        "coupling_form": result.coupling_form,
        "zero_sub_scores": result.zero_sub_scores,
        "dimensions": [{"id": d.id, "name": d.name} for d in system.dimensions],
        "indicators": [
            {
                "id": ind.id,
                "name": ind.name,
                "unit": ind.unit,
                "direction": ind.direction,
                "target": ind.target,
                "dimension": system.dimension_of[ind.id],
            }
            for ind in system.indicators
        ],
        "places": [
            {"code": str(p), "name": result.names.get(p) or place_name(str(p))} for p in places
        ],
        "years": years,
        "weights": {
            "scopes": [str(s) for s in result.weights.index],
            "values": [[_num(v) for v in row] for row in result.weights[ids].to_numpy()],
        },
        "scores": scores,
        "coupling": coupling,
        "levels": list(COORDINATION_LEVELS),
        "filled": [
            [str(p), int(str(y)), str(i)]
            for p, y, i in result.filled[["place", "year", "indicator"]].itertuples(index=False)
        ],
        "is_sample": result.is_sample,
        "input_digest": result.input_digest,
    }


def _system_of(data: dict[str, Any]) -> IndicatorSystem:
    """The part of the indicator system a result names (ids, names, units, directions)."""
    dims = [
        Dimension(
            id=d["id"],
            name=d["name"],
            indicators=tuple(
                Indicator(
                    id=i["id"],
                    name=i["name"],
                    unit=i["unit"],
                    direction=i["direction"],
                    target=i.get("target"),
                )
                for i in data["indicators"]
                if i["dimension"] == d["id"]
            ),
        )
        for d in data["dimensions"]
    ]
    return IndicatorSystem(
        id=data["system"]["id"], name=data["system"]["name"], dimensions=tuple(dims)
    )


def result_from_dict(
    data: dict[str, Any],
    system: IndicatorSystem | None = None,
    *,
    normalized: pd.DataFrame | None = None,
) -> EvaluationResult:
    """An ``EvaluationResult`` rebuilt from ``result_to_dict`` output.

    ``system`` defaults to the dimensions and indicators the result names; ``normalized``
    (not kept in the JSON form) defaults to an empty table.
    """
    system = system or _system_of(data)
    dims = [d["id"] for d in data["dimensions"]]
    ids = [i["id"] for i in data["indicators"]]
    keys = pd.MultiIndex.from_tuples(
        [(s["place"], s["year"]) for s in data["scores"]], names=["place", "year"]
    )
    sub_scores = pd.DataFrame([s["dims"] for s in data["scores"]], index=keys, columns=dims)
    index = pd.Series([s["index"] for s in data["scores"]], index=keys, name="index")
    ranks = pd.Series([s["rank"] for s in data["scores"]], index=keys, name="rank")
    weights = pd.DataFrame(
        data["weights"]["values"],
        index=pd.Index(
            [int(s) if s.isdigit() else s for s in data["weights"]["scopes"]], name="scope"
        ),
        columns=ids,
    )
    coupling: pd.DataFrame | None = None
    raw = data.get("coupling")
    if raw is not None:
        rows = raw["rows"]
        by_place = raw["between"] == "dimensions"
        c_index: pd.Index = (
            pd.MultiIndex.from_tuples(
                [(r["place"], r["year"]) for r in rows], names=["place", "year"]
            )
            if by_place
            else pd.Index([r["year"] for r in rows], name="year")
        )
        coupling = pd.DataFrame(
            {k: [r[k] for r in rows] for k in ("C", "T", "D", "level", "grade")}, index=c_index
        )
    filled = pd.DataFrame(
        [(*f, "") for f in data.get("filled", [])],
        columns=["place", "year", "indicator", "rule"],
    )
    return EvaluationResult(
        system=system,
        weighting=data["weighting"],
        aggregation=data["aggregation"],
        scope=data["scope"],
        weights=weights,
        normalized=pd.DataFrame() if normalized is None else normalized,
        sub_scores=sub_scores.sort_index(),
        index=index.sort_index(),
        ranks=ranks.sort_index(),
        coupling=coupling,
        coupling_between=raw["between"] if raw is not None else None,
        names={p["code"]: p["name"] for p in data["places"]},
        is_sample=bool(data["is_sample"]),
        input_digest=str(data["input_digest"]),
        filled=filled,
        normalization=str(data.get("normalization") or "minmax"),
        shift=float(data.get("shift") or 0.0),
        coupling_form=str(data.get("coupling_form") or "corrected"),
    )
