"""Ranking quality: nDCG@k and recall@k with binary relevance.

nDCG@k (Järvelin & Kekäläinen, "Cumulated gain-based evaluation of IR techniques", ACM TOIS
2002): DCG@k = Σ_{i=1..k} rel_i / log2(i + 1), divided by the DCG of the ideal ranking.
Recall@k = |relevant ∩ top k| / |relevant|. MRR: the mean over queries of 1 / rank of the
first relevant item (0 when none is ranked; Voorhees, TREC-8 QA track, 1999). All are
averaged over queries by the caller.

>>> round(ndcg_at_k([3, 1, 2], {1, 2}, k=3), 4)
0.6934
>>> recall_at_k([3, 1, 2], {1, 2, 9}, k=2)
0.3333333333333333
>>> reciprocal_rank([3, 1, 2], {1, 2})
0.5
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

__all__ = ["mean", "ndcg_at_k", "recall_at_k", "reciprocal_rank"]


def ndcg_at_k(ranking: Sequence[object], relevant: Collection[object], *, k: int) -> float:
    """nDCG@k of ``ranking`` for the set ``relevant`` (0 when nothing is relevant)."""
    if not relevant:
        return 0.0
    dcg = sum(1 / math.log2(i + 2) for i, item in enumerate(ranking[:k]) if item in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal


def recall_at_k(ranking: Sequence[object], relevant: Collection[object], *, k: int) -> float:
    """Share of ``relevant`` found in the first ``k`` of ``ranking``."""
    if not relevant:
        return 0.0
    return len(set(ranking[:k]) & set(relevant)) / len(relevant)


def reciprocal_rank(ranking: Sequence[object], relevant: Collection[object]) -> float:
    """1 / the rank of the first item of ``ranking`` in ``relevant`` (0 when none is)."""
    for i, item in enumerate(ranking):
        if item in relevant:
            return 1 / (i + 1)
    return 0.0


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean (0 for no values)."""
    return sum(values) / len(values) if values else 0.0
