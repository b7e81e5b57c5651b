"""Fitting the weights of the match formula to judgements, with a held-out split.

The formula is linear in its weights (:mod:`jingjinji.matching.scoring`): a candidate's
score is Σ_f w_f · v_f over the factors text, segment, maturity, place, corridor, freshness
and price. For each query (a demand with the achievements judged relevant) the matcher's
candidates and their factor values v_f are computed once (:func:`tune_queries`, the 200
best BM25 candidates of the expanded query); a ranking for other weights is then a product
of matrices. :func:`fit_weights` maximises the mean nDCG@10 over the training queries by
coordinate ascent (Metzler & Croft 2007, *Linear feature-based models for information
retrieval*, Information Retrieval 10(3)): each weight in turn is set to the best of a grid
of multiples of its value, the others fixed, until a pass improves nothing; weights are
kept summing to 1. The held-out queries (a fixed share, chosen by a hash of the query's set
and id so the split does not depend on order) are only scored, before and after, to say
whether the change would generalise. Nothing is applied: the caller prints the weights as a
``JJJ_MATCH_WEIGHTS`` value for a person to decide.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from jingjinji.matching.engine import Matcher
from jingjinji.matching.eval_sets import EvalDemand
from jingjinji.matching.evaluation import mean, ndcg_at_k, reciprocal_rank
from jingjinji.matching.scoring import MatchWeights

__all__ = ["FACTORS", "TuneQuery", "TuneResult", "fit_weights", "split", "tune_queries"]

#: The weighted factors of the formula, in the order of the feature columns.
FACTORS: tuple[str, ...] = (
    "text",
    "segment",
    "maturity",
    "place",
    "corridor",
    "freshness",
    "price",
)
_GRID = (0.0, 0.25, 0.5, 0.75, 1.25, 1.5, 2.0, 3.0)


@dataclass(frozen=True)
class TuneQuery:
    """One query: where it comes from, its candidates' keys and factor values (rows in
    candidate order, columns :data:`FACTORS`), and the relevant keys."""

    source: str
    query_id: int
    keys: tuple[int, ...]
    features: np.ndarray
    relevant: frozenset[int]


@dataclass(frozen=True)
class TuneResult:
    """The fitted weights beside the current ones, with nDCG@10 and MRR before and after on
    the training and the held-out queries."""

    current: dict[str, float]
    proposed: dict[str, float]
    train: dict[str, float]
    held_out: dict[str, float]
    train_queries: int
    held_out_queries: int
    passes: int


def tune_queries(
    matcher: Matcher,
    demands: Sequence[EvalDemand],
    *,
    source: str,
    today: date | None = None,
    candidates: int = 200,
) -> list[TuneQuery]:
    """The candidates of each demand (expanded query, ``candidates`` BM25 hits) with their
    factor values, read from the reasons of :meth:`Matcher.match`."""
    queries = []
    for demand in demands:
        ranked = matcher.match(
            demand.profile, demand.text, top=candidates, candidates=candidates, today=today
        )
        if not ranked:
            continue
        rows = []
        for item in ranked:
            values = {reason.factor: reason.value for reason in item.reasons}
            rows.append([values.get(name, 0.0) for name in FACTORS])
        queries.append(
            TuneQuery(
                source=source,
                query_id=int(demand.profile.key),
                keys=tuple(item.key for item in ranked),
                features=np.asarray(rows, dtype=float),
                relevant=demand.relevant,
            )
        )
    return queries


def split(queries: Sequence[TuneQuery], held_out: float) -> tuple[list[TuneQuery], list[TuneQuery]]:
    """(training, held-out): a query is held out when the CRC-32 of ``source:id`` modulo
    1000 is below ``held_out`` × 1000 — stable whatever the order or number of queries."""
    train: list[TuneQuery] = []
    test: list[TuneQuery] = []
    for query in queries:
        bucket = zlib.crc32(f"{query.source}:{query.query_id}".encode()) % 1000
        (test if bucket < held_out * 1000 else train).append(query)
    return train, test


def _weights_vector(weights: MatchWeights) -> np.ndarray:
    return np.array([getattr(weights, name) for name in FACTORS], dtype=float)


def _ranked(query: TuneQuery, w: np.ndarray) -> list[int]:
    scores = np.round(query.features @ w, 4)
    order = np.lexsort((np.asarray(query.keys), -scores))
    return [query.keys[i] for i in order]


def _figures(queries: Sequence[TuneQuery], w: np.ndarray) -> dict[str, float]:
    ranked = [(_ranked(q, w), q.relevant) for q in queries]
    return {
        "ndcg@10": round(mean([ndcg_at_k(r, rel, k=10) for r, rel in ranked]), 4),
        "mrr": round(mean([reciprocal_rank(r, rel) for r, rel in ranked]), 4),
    }


def _objective(queries: Sequence[TuneQuery], w: np.ndarray) -> float:
    return mean([ndcg_at_k(_ranked(q, w), q.relevant, k=10) for q in queries])


def fit_weights(
    queries: Sequence[TuneQuery],
    weights: MatchWeights | None = None,
    *,
    held_out: float = 0.3,
    max_passes: int = 6,
) -> TuneResult:
    """Coordinate ascent on the training share (see the module docstring)."""
    base = weights or MatchWeights()
    train, test = split(queries, held_out)
    start = _weights_vector(base)
    start = start / start.sum()
    w = start.copy()
    best = _objective(train, w) if train else 0.0
    passes = 0
    while passes < max_passes:
        passes += 1
        improved = False
        for i in range(len(FACTORS)):
            trial_base = w[i] if w[i] > 0 else 0.05
            for factor in _GRID:
                trial = w.copy()
                trial[i] = trial_base * factor
                if trial.sum() <= 0:
                    continue
                trial = trial / trial.sum()
                value = _objective(train, trial)
                if value > best + 1e-4:
                    best, w, improved = value, trial, True
        if not improved:
            break
    return TuneResult(
        current={name: round(float(v), 4) for name, v in zip(FACTORS, start, strict=True)},
        proposed={name: round(float(v), 4) for name, v in zip(FACTORS, w, strict=True)},
        train={
            **{f"{k}_before": v for k, v in _figures(train, start).items()},
            **{f"{k}_after": v for k, v in _figures(train, w).items()},
        },
        held_out={
            **{f"{k}_before": v for k, v in _figures(test, start).items()},
            **{f"{k}_after": v for k, v in _figures(test, w).items()},
        },
        train_queries=len(train),
        held_out_queries=len(test),
        passes=passes,
    )


def as_setting(proposed: Mapping[str, float], weights: MatchWeights | None = None) -> str:
    """The ``JJJ_MATCH_WEIGHTS`` JSON that would apply ``proposed`` (the factor parameters
    kept as they are)."""
    import json

    base = weights or MatchWeights()
    values = {f.name: getattr(base, f.name) for f in fields(base)}
    values.update(proposed)
    return json.dumps(values, ensure_ascii=False)
