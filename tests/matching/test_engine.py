"""The BM25 index (incremental adds, removal, expiry, persistence) and the matcher's reasons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import bm25s
import numpy as np
import pytest

from jingjinji.atlas import load_atlas
from jingjinji.matching import (
    BM25Index,
    Document,
    Matcher,
    MatchWeights,
    Profile,
    atlas_context,
    pipeline_for,
)

CORPUS = [["氢能", "电解槽", "电解槽"], ["电池", "电堆"], ["电解槽", "电源", "氢能"], ["机器人"]]


def test_scores_equal_bm25s_lucene() -> None:
    index = BM25Index.build([1, 2, 3, 4], CORPUS)
    reference = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    reference.index(CORPUS, show_progress=False)
    expected = reference.get_scores(["电解槽", "氢能"])
    found = dict(index.search(["电解槽", "氢能"], k=4))
    assert found[1] == pytest.approx(float(expected[0]), rel=1e-5)
    assert found[3] == pytest.approx(float(expected[2]), rel=1e-5)
    assert sum(index.contributions(["电解槽", "氢能"], 1).values()) == pytest.approx(found[1])


def test_contributions_of_many_documents_sum_to_their_scores() -> None:
    """The per-term parts of several documents at once, built and added (delta) alike, sum
    to each document's BM25 score, equal bm25s's for the built ones, and leave out absent
    or unknown keys' terms."""
    index = BM25Index.build([1, 2, 3, 4], CORPUS)
    reference = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    reference.index(CORPUS, show_progress=False)
    query = ["电解槽", "氢能", "电堆"]
    expected = reference.get_scores(query)
    parts = index.contributions_of(query, [3, 1, 4, 2, 77])
    assert set(parts) == {1, 2, 3, 4, 77}
    for key in (1, 2, 3):
        assert sum(parts[key].values()) == pytest.approx(float(expected[key - 1]), rel=1e-5)
    assert parts[4] == {} and parts[77] == {}
    assert set(parts[1]) == {"电解槽", "氢能"} and set(parts[2]) == {"电堆"}
    index.add(9, ["电堆", "电堆", "氢能"])  # a delta document beside the built ones
    found = dict(index.search(query, k=10))
    both = index.contributions_of(query, [9, 1])
    assert sum(both[9].values()) == pytest.approx(found[9])
    assert sum(both[1].values()) == pytest.approx(found[1])
    assert both[9] == index.contributions(query, 9)


def test_add_remove_expire_and_persist(tmp_path: Path) -> None:
    index = BM25Index.build([1, 2], CORPUS[:2])
    index.add(9, ["膜电极", "电堆"])
    assert [key for key, _s in index.search(["膜电极"])] == [9]
    index.add(1, ["机器人"])  # an edit replaces the old text
    assert 1 not in [key for key, _s in index.search(["电解槽"])]
    index.remove(2)
    assert index.search(["电池"]) == []
    index.add(10, ["膜电极"], expires=date(2020, 1, 1).toordinal())
    assert 10 not in [k for k, _s in index.search(["膜电极"], today=date(2026, 1, 1).toordinal())]
    index.save(tmp_path / "idx")
    again = BM25Index.load(tmp_path / "idx")
    assert again.search(["膜电极", "机器人"]) == index.search(["膜电极", "机器人"])
    assert again.keys() == index.keys() == {1, 9, 10}


def test_load_refuses_garbage(tmp_path: Path) -> None:
    (tmp_path / "meta.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match=r"not a saved index|unknown index format"):
        BM25Index.load(tmp_path)


def test_query_pruning_on_large_corpus() -> None:
    rng = np.random.default_rng(1)
    docs = [["常见词", f"词{int(rng.integers(1000))}"] for _ in range(12_000)]
    index = BM25Index.build(list(range(12_000)), docs)
    # below prune_above every query term selects candidates (exact BM25 is faster there)
    assert index.prune_above == 300_000
    assert index.query_terms(["常见词", "词5"]) == ["词5", "常见词"]
    index.prune_above = 10_000
    assert index.query_terms(["常见词", "词5"]) == ["词5"]
    assert index.query_terms(["常见词"]) == ["常见词"]  # nothing else left: kept


def test_pruned_search_rescores_its_candidates_with_every_term() -> None:
    """A frequent term dropped from candidate selection still counts in the scores: among
    the documents the rare term finds, the one that also has the frequent term comes first,
    with exactly the score bm25s gives it over both terms."""
    rng = np.random.default_rng(3)
    docs = [["常见词", f"词{int(rng.integers(2000))}"] for _ in range(12_000)]
    docs += [["稀有词", "填充"], ["稀有词", "常见词"]]  # keys 12000 and 12001: same length
    index = BM25Index.build(list(range(len(docs))), docs)
    index.prune_above = 10_000
    query = ["稀有词", "常见词"]
    assert index.query_terms(query) == ["稀有词"]  # 常见词 is in > 10% of the documents
    found = index.search(query, k=2)
    assert [key for key, _score in found] == [12001, 12000]
    reference = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    reference.index(docs, show_progress=False)
    expected = reference.get_scores(query)
    assert found[0][1] == pytest.approx(float(expected[12001]), rel=1e-5)
    assert found[1][1] == pytest.approx(float(expected[12000]), rel=1e-5)
    assert sum(index.contributions(query, 12001).values()) == pytest.approx(found[0][1])


def test_match_reasons_name_terms_segment_place_and_maturity() -> None:
    atlas = load_atlas()
    matcher = Matcher(pipeline_for(atlas), atlas_context(atlas), MatchWeights())
    offer = Profile(
        key=1,
        kind="achievement",
        segments=("robot-reducer",),
        stage="量产",
        place="110108",
        price_min=100,
        published=date(2026, 1, 1),
    )
    early = Profile(
        key=2,
        kind="achievement",
        segments=("robot-reducer",),
        stage="概念验证",
        place="130200",
        price_min=100,
        published=date(2026, 1, 1),
    )
    matcher.build(
        [
            Document(profile=offer, text="谐波减速器 精密减速器 批量供货"),
            Document(profile=early, text="谐波减速器 精密减速器 新构型 谐波减速器"),
        ]
    )
    need = Profile(
        key=99,
        kind="demand",
        segments=("robot-reducer",),
        stage="小批量",
        place="130200",
        budget=200,
    )
    ranked = matcher.match(need, "寻求谐波减速器技术", today=date(2026, 6, 1))
    assert [item.key for item in ranked] == [1, 2]
    reasons = {reason.factor: reason for reason in ranked[0].reasons}
    assert "谐波减速器" in dict(reasons["text"].terms)
    assert reasons["segment"].value == 1.0 and "精密减速器" in reasons["segment"].detail
    assert reasons["place"].value == 1.0 and "北京成果对接河北需求" in reasons["place"].detail
    assert reasons["maturity"].value == 1.0
    assert sum(r.points for r in ranked[0].reasons) == pytest.approx(ranked[0].score, abs=1e-3)
    # text only: BM25 order (the early one repeats the term more)
    assert matcher.match(need, "寻求谐波减速器技术", text_only=True)[0].key == 2


def test_weights_from_mapping_names_bad_input() -> None:
    assert MatchWeights.from_mapping({"text": 0.5}).text == 0.5
    with pytest.raises(ValueError, match="unknown match weight 'txt'"):
        MatchWeights.from_mapping({"txt": 0.5})
    with pytest.raises(ValueError, match="must be a number"):
        MatchWeights.from_mapping({"text": -1})


def test_kept_answers_are_dropped_when_the_matcher_changes() -> None:
    atlas = load_atlas()
    matcher = Matcher(pipeline_for(atlas), atlas_context(atlas), MatchWeights())
    offer = Profile(key=1, kind="achievement", segments=("robot-reducer",), place="110108")
    matcher.build([Document(profile=offer, text="谐波减速器 精密减速器")])
    need = Profile(key=99, kind="demand", segments=("robot-reducer",), place="130200")
    day = date(2026, 6, 1)
    first = matcher.match(need, "寻求谐波减速器", today=day)
    assert [item.key for item in first] == [1]
    first.clear()  # a caller's list is its own: the kept answer is unchanged
    assert [item.key for item in matcher.match(need, "寻求谐波减速器", today=day)] == [1]

    better = Profile(key=2, kind="achievement", segments=("robot-reducer",), place="130200")
    matcher.upsert(Document(profile=better, text="谐波减速器 谐波减速器 精密减速器"))
    assert {item.key for item in matcher.match(need, "寻求谐波减速器", today=day)} == {1, 2}
    matcher.remove(1)
    assert [item.key for item in matcher.match(need, "寻求谐波减速器", today=day)] == [2]
    matcher.profiles = {}
    assert matcher.match(need, "寻求谐波减速器", today=day) == []


def test_answers_survive_changes_for_the_stale_window_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``stale_seconds`` a change (a new listing published) does not make every page
    compute its matches again: a fork serves the answers it took along until they are that
    old; without it, the next ask after a change is computed afresh."""
    import jingjinji.matching.engine as engine

    clock = [1000.0]
    monkeypatch.setattr(engine.time, "monotonic", lambda: clock[0])
    atlas = load_atlas()
    need = Profile(key=99, kind="demand", segments=("robot-reducer",))
    first = Document(profile=Profile(key=1, kind="achievement"), text="谐波减速器 批量供货")
    newer = Document(profile=Profile(key=2, kind="achievement"), text="谐波减速器 谐波减速器")
    forks = {}
    for stale, expect_new in ((5.0, False), (0.0, True)):
        matcher = Matcher(pipeline_for(atlas), atlas_context(atlas))
        matcher.stale_seconds = stale
        matcher.build([first])
        assert [s.key for s in matcher.match(need, "谐波减速器")] == [1]
        fork = forks[stale] = matcher.fork()
        fork.upsert(newer)
        clock[0] += 1.0
        keys = {s.key for s in fork.match(need, "谐波减速器")}
        assert (2 in keys) is expect_new, stale
    clock[0] += 10.0  # past the window: computed again, the new listing found
    assert 2 in {s.key for s in forks[5.0].match(need, "谐波减速器")}


def test_stale_windows_are_spread_over_half_to_all_of_the_setting() -> None:
    """Answers computed together do not fall due together: each key's window lies in
    [stale_seconds / 2, stale_seconds], and 200 keys spread over most of that range."""
    atlas = load_atlas()
    matcher = Matcher(pipeline_for(atlas), atlas_context(atlas))
    matcher.stale_seconds = 30.0
    windows = [matcher._window((Profile(key=k, kind="demand"), "文本", 10)) for k in range(200)]
    assert all(15.0 <= w <= 30.0 for w in windows)
    assert max(windows) - min(windows) > 10.0
    assert matcher._window("same") == matcher._window("same")


def test_pseudo_relevance_feedback_takes_terms_of_the_first_hits() -> None:
    atlas = load_atlas()
    matcher = Matcher(pipeline_for(atlas), atlas_context(atlas))
    matcher.build(
        [
            Document(Profile(key=1, kind="achievement"), "谐波减速器 柔轮 波发生器 批量供货"),
            Document(Profile(key=2, kind="achievement"), "燃料电池 电堆 双极板"),
            Document(Profile(key=3, kind="achievement"), "机器人 控制器 示教器"),
        ]
    )
    need = Profile(key=99, kind="demand")
    query = matcher.pipeline.tokens("谐波减速器")
    assert matcher.feedback(need, query) == []  # off by default
    matcher.feedback_docs, matcher.feedback_terms = 1, 3
    terms = matcher.feedback(need, query)
    first = set(matcher.pipeline.tokens("谐波减速器 柔轮 波发生器 批量供货"))
    assert len(terms) == 3 and set(terms) <= first - set(query)


def test_feedback_raises_recall_on_the_problem_set() -> None:
    """Pseudo-relevance feedback trades early precision for recall on demands written in lay
    words (figures of `jjj match evaluate --feedback-docs 2 --feedback-terms 20`)."""
    from jingjinji.matching import evaluate_set, load_eval_set

    atlas = load_atlas()
    evaluation = load_eval_set("problem_set")
    plain = evaluate_set(atlas, evaluation, retrievers=["full+expansion"])["full+expansion"]
    fed = evaluate_set(
        atlas, evaluation, retrievers=["full+expansion"], feedback_docs=2, feedback_terms=20
    )["full+expansion"]
    assert fed["recall@50"] >= plain["recall@50"] + 0.05
    assert fed["ndcg@10"] >= plain["ndcg@10"] - 0.02
