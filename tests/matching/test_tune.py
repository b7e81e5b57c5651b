"""Fitting the match weights: coordinate ascent recovers the factor that decides relevance,
the split is stable, the current weights rank as the matcher does, nothing is applied."""

from __future__ import annotations

import numpy as np

from jingjinji.atlas import load_atlas
from jingjinji.matching import Matcher, atlas_context, evaluate_set, load_eval_set, pipeline_for
from jingjinji.matching.eval_sets import TODAY
from jingjinji.matching.tune import FACTORS, TuneQuery, fit_weights, split, tune_queries
from tests.jjj import run


def _synthetic(n: int = 60) -> list[TuneQuery]:
    """Queries whose relevant candidates are those with the highest *place* value, while the
    text factor (weighted most by default) is noise."""
    rng = np.random.default_rng(3)
    queries = []
    for q in range(n):
        features = rng.random((30, len(FACTORS)))
        place = FACTORS.index("place")
        relevant = frozenset(int(i) for i in np.argsort(-features[:, place])[:3])
        queries.append(TuneQuery("synthetic", q, tuple(range(30)), features, relevant))
    return queries


def test_coordinate_ascent_finds_the_deciding_factor() -> None:
    result = fit_weights(_synthetic(), held_out=0.3)
    assert max(result.proposed, key=result.proposed.get) == "place"  # type: ignore[arg-type]
    assert abs(sum(result.proposed.values()) - 1) < 1e-3
    assert result.train["ndcg@10_after"] > result.train["ndcg@10_before"] + 0.2
    assert result.held_out["ndcg@10_after"] > result.held_out["ndcg@10_before"] + 0.2


def test_the_split_is_stable_and_near_its_share() -> None:
    queries = _synthetic(200)
    train, test = split(queries, 0.3)
    _, again_test = split(list(reversed(queries)), 0.3)
    assert {q.query_id for q in test} == {q.query_id for q in again_test}
    assert 0.2 < len(test) / len(queries) < 0.4 and len(train) + len(test) == 200


def test_current_weights_rank_as_the_matcher_does() -> None:
    atlas = load_atlas()
    evaluation = load_eval_set("problem_set")
    matcher = Matcher(pipeline_for(atlas), atlas_context(atlas))
    matcher.build(evaluation.documents)
    queries = tune_queries(matcher, evaluation.demands, source="problem_set", today=TODAY)
    result = fit_weights(queries, held_out=0.0)
    shipped = evaluate_set(atlas, evaluation, retrievers=["full+expansion"])["full+expansion"]
    assert abs(result.train["ndcg@10_before"] - shipped["ndcg@10"]) < 0.01
    assert result.train["ndcg@10_after"] >= result.train["ndcg@10_before"]


def test_the_command_prints_a_setting_and_applies_nothing(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("JJJ_MATCH_WEIGHTS", raising=False)
    done = run("match", "tune", "--no-judgements", "--set", "eval_set", "--json")
    assert done.returncode == 0, done.stderr
    import json

    report = json.loads(done.stdout)
    assert set(report["proposed"]) == set(FACTORS)
    assert json.loads(report["setting"])["half_life_days"] == 365.0
    assert report["held_out_queries"] > 0 and report["train_queries"] > 0
    import os

    assert "JJJ_MATCH_WEIGHTS" not in os.environ
