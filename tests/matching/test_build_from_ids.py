"""The NumPy chunked build gives the same score matrix as bm25s (Lucene variant), bit for bit,
whatever the chunk size; empty documents match nothing."""

from __future__ import annotations

import bm25s
import numpy as np

from jingjinji.matching import BM25Index


def _corpus() -> list[list[str]]:
    rng = np.random.default_rng(5)
    words = [f"词{i}" for i in range(400)]
    return [
        [words[int(j) % 400] for j in rng.zipf(1.4, size=int(rng.integers(0, 40)))]
        for _ in range(1500)
    ]


def test_same_scores_as_bm25s_in_any_chunking() -> None:
    corpus = _corpus()
    keys = list(range(1, len(corpus) + 1))
    ours = BM25Index.build(keys, corpus)
    vocab: dict[str, int] = {}
    ids = np.array([vocab.setdefault(t, len(vocab)) for doc in corpus for t in doc], np.int32)
    offsets = np.cumsum([0] + [len(doc) for doc in corpus])
    chunked = BM25Index.build_from_ids(keys, ids, offsets, list(vocab), chunk_docs=97)
    reference = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    reference.index([doc or ["\x00"] for doc in corpus], show_progress=False)
    scores = reference.scores
    for term, tid in reference.vocab_dict.items():
        if term in ("", "\x00"):
            continue
        span = slice(int(scores["indptr"][tid]), int(scores["indptr"][tid + 1]))
        for index in (ours, chunked):
            col = index._vocab[term]
            mine = slice(int(index._indptr[col]), int(index._indptr[col + 1]))
            assert np.array_equal(np.asarray(scores["indices"])[span], index._indices[mine])
            assert np.array_equal(np.asarray(scores["data"], np.float32)[span], index._data[mine])
    assert ours.search(["词1", "词7"], k=5) == chunked.search(["词1", "词7"], k=5)
    assert BM25Index.build([1, 2], [[], ["a"]]).search(["a"], k=5)[0][0] == 2
