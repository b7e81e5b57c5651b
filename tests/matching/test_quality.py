"""Ranking quality on the labelled evaluation set (示例数据) and on real CSL abstracts.

Recorded values (update only with a reason): see RECORDED below. The full formula must beat
BM25 alone, and neither may fall below its recorded value.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import yaml

from jingjinji.atlas import load_atlas
from jingjinji.matching import (
    BM25Index,
    Document,
    Matcher,
    Profile,
    atlas_context,
    document_text,
    mean,
    ndcg_at_k,
    pipeline_for,
    recall_at_k,
)

DATA = Path(__file__).with_name("data")
TODAY = date(2026, 11, 28)

#: Measured on this set when the formula was introduced (rounded down).
RECORDED = {
    "bm25": {"ndcg@10": 0.97, "recall@50": 1.0},
    "full": {"ndcg@10": 0.99, "recall@50": 1.0},
    "csl_keywords_mrr": 0.98,
}


def evaluate_set() -> dict[str, dict[str, float]]:
    spec = yaml.safe_load((DATA / "eval_set.yaml").read_text(encoding="utf-8"))
    atlas = load_atlas()
    matcher = Matcher(pipeline_for(atlas), atlas_context(atlas))
    docs = [
        Document(
            profile=Profile(
                key=a["id"],
                kind="achievement",
                segments=tuple(a["segments"]),
                stage=a["stage"],
                place=a["place"],
                price_min=a["price_min"],
                published=TODAY,
            ),
            text=document_text(a["title"], a["summary"]),
        )
        for a in spec["achievements"]
    ]
    matcher.build(docs)
    scores: dict[str, dict[str, list[float]]] = {
        m: {"ndcg@10": [], "recall@50": []} for m in ("bm25", "full")
    }
    for d in spec["demands"]:
        need = Profile(
            key=-d["id"],
            kind="demand",
            segments=tuple(d["segments"]),
            stage=d["stage"],
            place=d["place"],
            budget=d["budget"],
        )
        text = document_text(d["title"], d["summary"])
        for method in ("bm25", "full"):
            ranked = matcher.match(
                need, text, top=50, candidates=200, today=TODAY, text_only=method == "bm25"
            )
            keys = [item.key for item in ranked]
            scores[method]["ndcg@10"].append(ndcg_at_k(keys, set(d["relevant"]), k=10))
            scores[method]["recall@50"].append(recall_at_k(keys, set(d["relevant"]), k=50))
    return {m: {k: round(mean(v), 4) for k, v in s.items()} for m, s in scores.items()}


def test_full_formula_beats_bm25_and_keeps_recorded_quality() -> None:
    result = evaluate_set()
    print(result)
    assert result["full"]["ndcg@10"] > result["bm25"]["ndcg@10"]
    assert result["full"]["recall@50"] >= result["bm25"]["recall@50"]
    for method, metrics in RECORDED.items():
        if isinstance(metrics, dict):
            for metric, floor in metrics.items():
                assert result[method][metric] >= floor, (method, metric, result[method][metric])


def csl_rows() -> list[dict[str, str]]:
    with (DATA / "csl_subset.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_csl_title_and_keywords_retrieve_their_abstract() -> None:
    """Real text: each paper's keywords as the query, all abstracts as the corpus;
    the mean reciprocal rank of the paper's own abstract must stay at its recorded value."""
    rows = csl_rows()
    pipeline = pipeline_for(load_atlas())
    index = BM25Index.build(
        list(range(len(rows))), [pipeline.tokens(row["abstract"]) for row in rows]
    )
    reciprocal = []
    for i, row in enumerate(rows):
        query = pipeline.tokens(row["keywords"].replace("_", " "))
        ranked = [key for key, _score in index.search(query, k=50)]
        reciprocal.append(1 / (ranked.index(i) + 1) if i in ranked else 0.0)
    mrr = mean(reciprocal)
    print({"csl_mrr": round(mrr, 4), "csl_hit@1": mean([r == 1.0 for r in reciprocal])})
    assert mrr >= RECORDED["csl_keywords_mrr"]


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
