"""The shipped evaluation sets of matching and their figures per retriever.

A set (``matching/data/*.yaml``, labelled 示例数据: hand-written, fictional) lists
achievements (title, summary, place, stage, segments, price) and demands with the ids of the
achievements relevant to each (the right technology at a sufficient maturity). Sets:

- ``eval_set``: demands written with the achievements' own vocabulary (the easy set);
- ``problem_set``: demands written as an enterprise states its problem, in lay words, with
  distractors that share its words (see the file's ``how_written``).

:func:`evaluate_set` ranks every demand's counterparts with each retriever and reports the
means of nDCG@10, MRR and recall@50 (:mod:`jingjinji.matching.evaluation`). Retrievers
(:data:`RETRIEVERS`): ``lexical`` (BM25 alone, Robertson & Zaragoza 2009); ``dense`` (the
cosine of the static embeddings of :mod:`jingjinji.matching.embedding` alone); ``fusion``
(both lists fused by reciprocal rank, text alone); ``full`` (BM25 candidates re-ranked by the
structured formula of :mod:`jingjinji.matching.scoring`); ``hybrid`` (the fused candidates
re-ranked by the formula: what the platform does by default, :meth:`Matcher.match`);
``+expansion``: the lexical query expanded with the vocabulary of the demand's segments
(``fusion`` and ``hybrid`` always expand it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from jingjinji.atlas import Atlas
from jingjinji.matching.embedding import StaticEmbedder
from jingjinji.matching.engine import Document, Matcher, document_text
from jingjinji.matching.evaluation import mean, ndcg_at_k, recall_at_k, reciprocal_rank
from jingjinji.matching.scoring import MatchWeights, Profile, atlas_context
from jingjinji.matching.text import pipeline_for

__all__ = [
    "EVAL_SETS",
    "LEXICAL_RETRIEVERS",
    "RETRIEVERS",
    "RETRIEVER_MODES",
    "EvalDemand",
    "EvalSet",
    "evaluate_demands",
    "evaluate_set",
    "load_eval_set",
]

DATA = Path(__file__).with_name("data")
#: The shipped sets by name.
EVAL_SETS: dict[str, Path] = {
    "eval_set": DATA / "eval_set.yaml",
    "problem_set": DATA / "problem_set.yaml",
}
#: Each retriever of the figures: (retrieval, text relevance alone, expanded lexical query).
RETRIEVER_MODES: dict[str, tuple[str, bool, bool]] = {
    "lexical": ("lexical", True, False),
    "lexical+expansion": ("lexical", True, True),
    "dense": ("dense", True, False),
    "fusion": ("hybrid", True, True),
    "full": ("lexical", False, False),
    "full+expansion": ("lexical", False, True),
    "hybrid": ("hybrid", False, True),
}
RETRIEVERS: tuple[str, ...] = tuple(RETRIEVER_MODES)
#: The retrievers that need no embedding model.
LEXICAL_RETRIEVERS: tuple[str, ...] = tuple(
    name for name, (how, _alone, _expand) in RETRIEVER_MODES.items() if how == "lexical"
)
#: The day the sets are evaluated as of (their achievements count as published that day).
TODAY = date(2026, 11, 28)


@dataclass(frozen=True)
class EvalDemand:
    """One query of a set: the demand's profile and text and its relevant achievements."""

    profile: Profile
    text: str
    relevant: frozenset[int]


@dataclass(frozen=True)
class EvalSet:
    """A labelled set: its achievements as documents, its demands, where it came from."""

    name: str
    documents: tuple[Document, ...]
    demands: tuple[EvalDemand, ...]
    provenance: dict[str, Any]


def load_eval_set(source: str | Path) -> EvalSet:
    """A set by name (:data:`EVAL_SETS`) or from a YAML file of the same form."""
    path = EVAL_SETS.get(str(source), Path(source))
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    documents = tuple(
        Document(
            profile=Profile(
                key=int(a["id"]),
                kind="achievement",
                segments=tuple(a.get("segments") or ()),
                stage=a.get("stage"),
                place=a.get("place"),
                price_min=a.get("price_min"),
                published=TODAY,
            ),
            text=document_text(a["title"], a.get("summary", "")),
        )
        for a in spec["achievements"]
    )
    demands = tuple(
        EvalDemand(
            profile=Profile(
                key=-int(d["id"]),
                kind="demand",
                segments=tuple(d.get("segments") or ()),
                stage=d.get("stage"),
                place=d.get("place"),
                budget=d.get("budget"),
            ),
            text=document_text(d["title"], d.get("summary", "")),
            relevant=frozenset(int(r) for r in d["relevant"]),
        )
        for d in spec["demands"]
    )
    name = path.stem
    return EvalSet(name, documents, demands, dict(spec.get("provenance") or {}))


def evaluate_set(
    atlas: Atlas,
    evaluation: EvalSet,
    *,
    retrievers: Sequence[str] | None = None,
    weights: MatchWeights | None = None,
    feedback_docs: int = 0,
    feedback_terms: int = 8,
    embedder: StaticEmbedder | None = None,
    segments: bool = True,
    suggest_segments: int | None = None,
) -> dict[str, dict[str, float]]:
    """``{retriever: {"ndcg@10", "mrr", "recall@50"}}`` on a set, each the mean over its
    demands (see :func:`evaluate_demands`); ``feedback_docs`` > 0 adds pseudo-relevance
    feedback to the expanded lexical queries (:meth:`Matcher.feedback`); the dense
    retrievers need the ``embedder`` (default ``retrievers``: all of them with one, else
    :data:`LEXICAL_RETRIEVERS`). Without ``segments`` the demands are ranked as if they
    named none (how well matching copes with listings nobody assigned to the chain);
    ``suggest_segments`` overrides :attr:`Matcher.suggest_segments`."""
    matcher = Matcher(pipeline_for(atlas), atlas_context(atlas), weights, embedder)
    matcher.feedback_docs, matcher.feedback_terms = feedback_docs, feedback_terms
    if suggest_segments is not None:
        matcher.suggest_segments = suggest_segments
    demands = evaluation.demands
    if not segments:
        demands = tuple(
            replace(demand, profile=replace(demand.profile, segments=())) for demand in demands
        )
    matcher.build(evaluation.documents)
    if retrievers is None:
        retrievers = RETRIEVERS if embedder is not None else LEXICAL_RETRIEVERS
    return evaluate_demands(matcher, demands, retrievers=retrievers, today=TODAY)


def evaluate_demands(
    matcher: Matcher,
    demands: Sequence[EvalDemand],
    *,
    retrievers: Sequence[str] = RETRIEVERS,
    today: date | None = None,
) -> dict[str, dict[str, float]]:
    """``{retriever: {"ndcg@10", "mrr", "recall@50"}}``: the means over ``demands`` (rounded
    to 4 places) of their counterparts ranked by ``matcher`` (the top 50 of 200 candidates)."""
    unknown = [name for name in retrievers if name not in RETRIEVERS]
    if unknown:
        raise ValueError(f"unknown retrievers {unknown}; known: {list(RETRIEVERS)}")
    if matcher.embedder is None and set(retrievers) - set(LEXICAL_RETRIEVERS):
        raise ValueError("the dense retrievers need a matcher with an embedding model")
    figures: dict[str, dict[str, list[float]]] = {
        name: {"ndcg@10": [], "mrr": [], "recall@50": []} for name in retrievers
    }
    for demand in demands:
        for name in retrievers:
            how, alone, expand = RETRIEVER_MODES[name]
            ranked = matcher.match(
                demand.profile,
                demand.text,
                top=50,
                candidates=200,
                today=today,
                text_only=alone,
                expand=expand,
                retrieval=how,
            )
            keys = [item.key for item in ranked]
            figures[name]["ndcg@10"].append(ndcg_at_k(keys, demand.relevant, k=10))
            figures[name]["mrr"].append(reciprocal_rank(keys, demand.relevant))
            figures[name]["recall@50"].append(recall_at_k(keys, demand.relevant, k=50))
    return {
        name: {metric: round(mean(values), 4) for metric, values in by_metric.items()}
        for name, by_metric in figures.items()
    }
