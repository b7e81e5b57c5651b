"""Reciprocal rank fusion of ranked candidate lists (lexical and dense retrieval).

Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms Condorcet and individual
rank learning methods", SIGIR 2009: a candidate's fused score is Σ_r 1 / (k + rank_r) over the
lists r that hold it (rank from 1), k = 60. Divided by its largest possible value, 2 / (k + 1)
for two lists (first in both), it is the text factor T in [0, 1] of the match formula for
hybrid retrieval. On the shipped problem set RRF followed by the structured scores ranked
better than a convex combination of normalised scores (nDCG@10 0.650 against 0.641 at the
best mixing weight, see ``jjj match evaluate``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

__all__ = ["RRF_K", "fuse_ranks"]

#: The constant of Cormack et al. (2009).
RRF_K = 60
K = TypeVar("K", bound=Hashable)


def fuse_ranks(
    lists: Mapping[str, Sequence[K]], *, k: int = RRF_K
) -> dict[K, tuple[float, dict[str, int]]]:
    """``{candidate: (T, {list name: rank})}`` over ``lists`` (each best first, ranks from
    1): T = Σ 1 / (k + rank) divided by its maximum, ``len(lists) / (k + 1)``.

    >>> fused = fuse_ranks({"lexical": ["a", "b"], "dense": ["b", "c"]})
    >>> round(fused["b"][0], 4), fused["b"][1]
    (0.9919, {'lexical': 2, 'dense': 1})
    """
    top = len(lists) / (k + 1) if lists else 1.0
    fused: dict[K, tuple[float, dict[str, int]]] = {}
    for name, ranked in lists.items():
        for rank, candidate in enumerate(ranked, start=1):
            score, ranks = fused.get(candidate, (0.0, {}))
            ranks[name] = rank
            fused[candidate] = (score + 1.0 / (k + rank), ranks)
    return {candidate: (score / top, ranks) for candidate, (score, ranks) in fused.items()}
