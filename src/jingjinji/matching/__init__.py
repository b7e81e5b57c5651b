"""Supply–demand matching: Chinese text pipeline, BM25 and dense indexes, rank fusion,
structured scores, reasons.

Pure analytics: plain objects in and out, no database or web imports. ``jingjinji.market``
feeds it listings and stores the matches.

>>> from datetime import date
>>> from jingjinji.atlas import load_atlas
>>> ctx = atlas_context(load_atlas())
>>> need = Profile(key=1, kind="demand", segments=("hydrogen-electrolyzer",), stage="中试",
...                place="130700")
>>> offer = Profile(key=2, kind="achievement", segments=("hydrogen-electrolyzer",),
...                 stage="小批量", place="110108")
>>> scored = score_candidate(need, offer, bm25=3.0, bm25_max=3.0, terms=[("电解槽", 3.0)],
...                          ctx=ctx, weights=MatchWeights(), today=date(2026, 1, 1))
>>> [reason.factor for reason in scored.reasons][:3]
['text', 'segment', 'maturity']
"""

from jingjinji.matching.dense import DenseIndex
from jingjinji.matching.embedding import (
    EMBEDDER_VERSION,
    StaticEmbedder,
    distil,
    load_or_distil,
    sentences,
)
from jingjinji.matching.engine import KINDS, RETRIEVALS, TARGETS, Document, Matcher, document_text
from jingjinji.matching.eval_sets import (
    EVAL_SETS,
    LEXICAL_RETRIEVERS,
    RETRIEVER_MODES,
    RETRIEVERS,
    EvalDemand,
    EvalSet,
    evaluate_demands,
    evaluate_set,
    load_eval_set,
)
from jingjinji.matching.evaluation import mean, ndcg_at_k, recall_at_k, reciprocal_rank
from jingjinji.matching.fusion import RRF_K, SHARPNESS, fuse_ranks
from jingjinji.matching.index import NEVER, BM25Index
from jingjinji.matching.scoring import (
    MATURITY_STAGES,
    RETRIEVER_NAMES,
    TRL_RANGES,
    AtlasContext,
    MatchWeights,
    Profile,
    Reason,
    Scored,
    atlas_context,
    score_candidate,
    stage_index,
)
from jingjinji.matching.text import STOPWORDS, TextPipeline, domain_terms, pipeline_for
from jingjinji.matching.token_cache import TokenCache, text_digest

__all__ = [
    "EMBEDDER_VERSION",
    "EVAL_SETS",
    "KINDS",
    "LEXICAL_RETRIEVERS",
    "MATURITY_STAGES",
    "NEVER",
    "RETRIEVALS",
    "RETRIEVERS",
    "RETRIEVER_MODES",
    "RETRIEVER_NAMES",
    "RRF_K",
    "SHARPNESS",
    "STOPWORDS",
    "TARGETS",
    "TRL_RANGES",
    "AtlasContext",
    "BM25Index",
    "DenseIndex",
    "Document",
    "EvalDemand",
    "EvalSet",
    "MatchWeights",
    "Matcher",
    "Profile",
    "Reason",
    "Scored",
    "StaticEmbedder",
    "TextPipeline",
    "TokenCache",
    "atlas_context",
    "distil",
    "document_text",
    "domain_terms",
    "evaluate_demands",
    "evaluate_set",
    "fuse_ranks",
    "load_eval_set",
    "load_or_distil",
    "mean",
    "ndcg_at_k",
    "pipeline_for",
    "recall_at_k",
    "reciprocal_rank",
    "score_candidate",
    "sentences",
    "stage_index",
    "text_digest",
]
