"""A BM25 index over tokenized listings: a bm25s segment plus a small live delta.

Scoring is Lucene's BM25 (Robertson et al., "Okapi at TREC-3", 1994; variant as in Kamphuis
et al., "Which BM25 do you mean?", ECIR 2020):

    score(q, d) = Σ_{t ∈ q} idf(t) · tf(t, d) / (tf(t, d) + k1 · (1 − b + b · |d| / avgdl))
    idf(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))

with each distinct query term counted once. The bulk of the corpus lives in an eager index as
in bm25s (Lù, "BM25S: Orders of magnitude faster lexical search via eager sparse scoring",
2024): the score of every (term, document) pair is precomputed in a sparse column matrix, so a
query sums a few posting lists. The matrix is built with NumPy from integer token ids, in
chunks of documents (:meth:`BM25Index.build_from_ids`), with the same float32 scores as
``bm25s.BM25(method="lucene")`` but without its per-document Python buffers. Documents added
later (a newly published listing) go to a *delta* scored at query time with the same formula
and the main segment's statistics plus the delta's own document frequencies, so a new listing
is searchable at once without a rebuild; a changed or withdrawn document is tombstoned in the
main segment. The owner rebuilds the whole index when the delta grows past
:attr:`BM25Index.delta_limit`.

Query pruning keeps latency bounded on large corpora: from ``prune_above`` documents on, terms
found in more than ``max_df_ratio`` of the documents are dropped (unless nothing else is left);
at most ``max_terms`` terms with the highest idf are kept. The ``rescore_pool`` best documents
by the kept terms are then scored with every query term (a sorted lookup per dropped term),
so the top k is exact BM25 among them: a document outside the pool that only the dropped,
frequent terms would lift into the top k is missed (``benchmarks/matching.py`` prints how
often, as the top-10 overlap with exact BM25).

>>> corpus = [["氢能", "电解槽"], ["电池", "电堆"], ["电解槽", "电源"]]
>>> index = BM25Index.build([10, 11, 12], corpus)
>>> [key for key, _score in index.search(["电解槽"], k=5)]
[10, 12]
>>> index.add(13, ["电解槽", "电解槽", "膜电极"])
>>> [key for key, _score in index.search(["电解槽", "膜电极"], k=2)]
[13, 10]
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["NEVER", "BM25Index"]

#: ``expires`` value of a document that never expires (days since 0001-01-01, like
#: :meth:`datetime.date.toordinal`).
NEVER = 2**31 - 1

_FORMAT = 1


class BM25Index:
    """Keys are integers chosen by the caller (listing ids); see the module docstring."""

    delta_limit = 5_000
    #: how many documents a pruned query's kept terms find before every term scores them
    rescore_pool = 500

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.max_terms = 48
        self.max_df_ratio = 0.1
        #: measured (benchmarks/matching.py, 2 cores): exact retrieval is faster up to some
        #: 300k documents (p50 0.6 vs 3.1 ms at 20k, 3.6 vs 5.2 ms at 100k, 5.4 vs 5.1 at
        #: 300k), pruning beyond (22.1 vs 13.9 ms at 1M)
        self.prune_above = 300_000
        self._vocab: dict[str, int] = {}
        self._data: npt.NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        self._indices: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._indptr: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._keys: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._alive: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self._expires: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._position: dict[int, int] = {}
        self._avgdl = 1.0
        self._delta: dict[int, tuple[Counter[str], int, int]] = {}  # key → (tf, length, expires)
        self._postings: dict[str, dict[int, int]] = {}

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        keys: Sequence[int],
        corpus: Sequence[list[str]],
        *,
        expires: Sequence[int] | None = None,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> BM25Index:
        """Index ``corpus[i]`` (a token list) under ``keys[i]``; ``expires[i]`` is the last
        day (ordinal) the document may be returned."""
        if len(keys) != len(corpus):
            raise ValueError(f"keys has {len(keys)} entries but corpus has {len(corpus)}")
        if len(set(keys)) != len(keys):
            raise ValueError("keys must be unique")
        vocab: dict[str, int] = {}
        lengths = np.fromiter((len(doc) for doc in corpus), dtype=np.int64, count=len(corpus))
        token_ids = np.fromiter(
            (vocab.setdefault(token, len(vocab)) for doc in corpus for token in doc),
            dtype=np.int32,
            count=int(lengths.sum()),
        )
        offsets = np.zeros(len(corpus) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return cls.build_from_ids(
            keys, token_ids, offsets, list(vocab), expires=expires, k1=k1, b=b
        )

    @classmethod
    def build_from_ids(
        cls,
        keys: Sequence[int],
        token_ids: npt.NDArray[np.integer[Any]],
        offsets: npt.NDArray[np.integer[Any]],
        vocab: Sequence[str],
        *,
        expires: Sequence[int] | None = None,
        k1: float = 1.2,
        b: float = 0.75,
        chunk_docs: int = 50_000,
    ) -> BM25Index:
        """Index documents given as integer token ids: document ``i`` is
        ``token_ids[offsets[i]:offsets[i + 1]]`` and id ``t`` is the term ``vocab[t]``.

        The score matrix is built with NumPy in chunks of ``chunk_docs`` documents (two passes:
        document frequencies, then the scores written into their column), so the peak memory
        is the final arrays plus the (term, document, tf) triples, about 10 bytes per nonzero,
        instead of Python lists per document. Scores equal those of ``bm25s.BM25(method=
        "lucene")`` bit for bit (same float32 arithmetic); an empty document counts as one
        token long and matches nothing, as with the placeholder token bm25s needs.
        """
        n = len(keys)
        if len(offsets) != n + 1:
            raise ValueError(f"keys has {n} entries but offsets describe {len(offsets) - 1}")
        if len(set(keys)) != n:
            raise ValueError("keys must be unique")
        index = cls(k1=k1, b=b)
        index._keys = np.asarray(keys, dtype=np.int64)
        index._alive = np.ones(n, dtype=bool)
        index._expires = np.asarray(expires if expires is not None else [NEVER] * n, dtype=np.int32)
        index._position = {int(key): pos for pos, key in enumerate(index._keys.tolist())}
        if n == 0:
            return index
        offsets = np.asarray(offsets, dtype=np.int64)
        n_vocab = len(vocab)
        lengths = np.maximum(np.diff(offsets), 1)
        avgdl = float(lengths.mean())
        # bm25s evaluates idf in double precision and stores it as float32, then the score as
        # float32(idf · tf / (k1 · ((1 − b) + b · l_d / l_avg) + tf)) computed in double
        # precision: the same order of operations here.
        norm = k1 * ((1 - b) + (b * lengths) / avgdl)
        triples: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[Any]]] = []
        df = np.zeros(n_vocab, dtype=np.int64)
        tf_type = np.uint16 if int(lengths.max()) < 2**16 else np.int32
        for start in range(0, n, chunk_docs):
            end = min(n, start + chunk_docs)
            span = end - start
            tokens = np.asarray(token_ids[offsets[start] : offsets[end]], dtype=np.int64)
            local = np.repeat(np.arange(span, dtype=np.int64), np.diff(offsets[start : end + 1]))
            pairs, counts = np.unique(tokens * span + local, return_counts=True)
            del tokens, local
            terms = (pairs // span).astype(np.int32)
            docs = (pairs % span + start).astype(np.int32)
            del pairs
            df += np.bincount(terms, minlength=n_vocab)
            triples.append((terms, docs, counts.astype(tf_type)))
        idf = np.zeros(n_vocab, dtype=np.float32)
        seen = df > 0
        idf[seen] = np.log(1 + (n - df[seen] + 0.5) / (df[seen] + 0.5))
        indptr = np.zeros(n_vocab + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        data = np.empty(int(indptr[-1]), dtype=np.float32)
        indices = np.empty(int(indptr[-1]), dtype=np.int32)
        fill = indptr[:-1].copy()
        while triples:
            terms, docs, counts = triples.pop(0)
            m = len(terms)
            first = np.ones(m, dtype=bool)
            first[1:] = terms[1:] != terms[:-1]
            group_start = np.maximum.accumulate(np.where(first, np.arange(m), 0))
            where = fill[terms] + (np.arange(m) - group_start)
            tf = counts.astype(np.float64)
            data[where] = idf[terms].astype(np.float64) * (tf / (norm[docs] + tf))
            indices[where] = docs
            fill += np.bincount(terms, minlength=n_vocab)
            del terms, docs, counts, first, group_start, where, tf
        index._data, index._indices, index._indptr = data, indices, indptr
        index._vocab = {str(token): i for i, token in enumerate(vocab)}
        index._avgdl = avgdl
        return index

    def fork(self) -> BM25Index:
        """A copy to change while this one keeps serving: the main segment's score matrix,
        keys and vocabulary are shared (never changed after a build); the tombstones and
        the delta are copied."""
        other = BM25Index(k1=self.k1, b=self.b)
        other.max_terms, other.max_df_ratio, other.prune_above = (
            self.max_terms,
            self.max_df_ratio,
            self.prune_above,
        )
        other._vocab, other._data, other._indices, other._indptr = (
            self._vocab,
            self._data,
            self._indices,
            self._indptr,
        )
        other._keys, other._expires, other._position = self._keys, self._expires, self._position
        other._alive = self._alive.copy()
        other._avgdl = self._avgdl
        other._delta = dict(self._delta)
        other._postings = {term: dict(keys) for term, keys in self._postings.items()}
        return other

    def __len__(self) -> int:
        return int(self._alive.sum()) + len(self._delta)

    def __contains__(self, key: object) -> bool:
        if key in self._delta:
            return True
        pos = self._position.get(key) if isinstance(key, int) else None
        return pos is not None and bool(self._alive[pos])

    @property
    def nbytes(self) -> int:
        """Bytes held by the main segment's arrays (vocabulary and delta not counted)."""
        arrays = (self._data, self._indices, self._indptr, self._keys, self._alive, self._expires)
        return sum(int(array.nbytes) for array in arrays)

    @property
    def delta_size(self) -> int:
        """Documents held in the live delta (added or changed since the last build)."""
        return len(self._delta)

    def keys(self) -> set[int]:
        """The keys of all live documents."""
        live = {int(key) for key in self._keys[self._alive]}
        return live | set(self._delta)

    def add(self, key: int, tokens: list[str], *, expires: int = NEVER) -> None:
        """Add or replace the document ``key``; searchable immediately."""
        self.remove(key)
        tf = Counter(tokens)
        self._delta[key] = (tf, max(len(tokens), 1), expires)
        for term, count in tf.items():
            self._postings.setdefault(term, {})[key] = count

    def remove(self, key: int) -> None:
        """Withdraw ``key`` (no error when absent)."""
        pos = self._position.get(key)
        if pos is not None:
            self._alive[pos] = False
        old = self._delta.pop(key, None)
        if old is not None:
            for term in old[0]:
                postings = self._postings.get(term)
                if postings is not None:
                    postings.pop(key, None)
                    if not postings:
                        del self._postings[term]

    # -- searching ----------------------------------------------------------------------------

    def _n_main(self) -> int:
        return len(self._keys)

    def _df_main(self, term: str) -> int:
        tid = self._vocab.get(term)
        return 0 if tid is None else int(self._indptr[tid + 1] - self._indptr[tid])

    def _idf(self, term: str) -> float:
        n = self._n_main() + len(self._delta)
        df = self._df_main(term) + len(self._postings.get(term, ()))
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """The BM25 idf of ``term`` over the indexed documents (Lucene's, ≥ 0)."""
        return self._idf(term)

    def known_terms(self, tokens: Iterable[str]) -> list[str]:
        """The distinct query terms the index holds, in query order (what an exact score
        sums over)."""
        return [
            term for term in dict.fromkeys(tokens) if term in self._vocab or term in self._postings
        ]

    def query_terms(self, tokens: Iterable[str]) -> list[str]:
        """The distinct query terms that select the candidates, after pruning (see module
        docstring)."""
        n = max(self._n_main() + len(self._delta), 1)
        known = self.known_terms(tokens)
        if not known:
            return []
        dfs = {term: self._df_main(term) + len(self._postings.get(term, ())) for term in known}
        kept = known
        if n >= self.prune_above:
            kept = [term for term in known if dfs[term] <= self.max_df_ratio * n] or known
        kept.sort(key=lambda term: (dfs[term], term))
        return kept[: self.max_terms]

    def search(
        self, tokens: Iterable[str], *, k: int = 10, today: int = 0
    ) -> list[tuple[int, float]]:
        """The ``k`` best (key, BM25 score) pairs with a positive score, best first; documents
        whose ``expires`` is before ``today`` (an ordinal) are skipped."""
        terms = self.query_terms(tokens)
        if not terms or k <= 0:
            return []
        every = self.known_terms(tokens)
        dropped = [term for term in every if term not in set(terms)]
        found: list[tuple[int, float]] = self._search_main(
            terms, max(k, self.rescore_pool) if dropped else k, today
        )
        if dropped and found:
            found = self._rescored(found, dropped)
        found.extend(self._search_delta(every, today))
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found[:k]

    def _rescored(
        self, found: list[tuple[int, float]], dropped: list[str]
    ) -> list[tuple[int, float]]:
        """``found`` (main-segment keys and scores by the kept terms) with the parts of the
        ``dropped`` terms added: their exact BM25 over every query term."""
        positions = np.fromiter(
            (self._position[key] for key, _score in found), dtype=self._indices.dtype
        )
        scores = np.fromiter((score for _key, score in found), dtype=np.float64)
        for term in dropped:
            hit, values = self._parts_at(term, positions)
            scores[hit] += values[hit]
        return [
            (key, float(score)) for (key, _old), score in zip(found, scores.tolist(), strict=True)
        ]

    def _search_main(self, terms: list[str], k: int, today: int) -> list[tuple[int, float]]:
        n = self._n_main()
        ids = [self._vocab[term] for term in terms if term in self._vocab]
        if n == 0 or not ids:
            return []
        spans = [(int(self._indptr[i]), int(self._indptr[i + 1])) for i in ids]
        total = sum(end - start for start, end in spans)
        if total == 0:
            return []
        docs = np.concatenate([self._indices[s:e] for s, e in spans])
        weights = np.concatenate([self._data[s:e] for s, e in spans])
        if total * 8 < n:
            positions, inverse = np.unique(docs, return_inverse=True)
            scores = np.bincount(inverse, weights=weights)
        else:
            # Dense: take a generous top slice first, filter it, widen only if needed.
            dense = np.bincount(docs, weights=weights, minlength=n)
            want = min(n, 4 * k + 64)
            while True:
                top = np.argpartition(-dense, want - 1)[:want] if want < n else np.arange(n)
                ok = self._alive[top] & (self._expires[top] >= today) & (dense[top] > 0)
                if ok.sum() >= k or want >= n:
                    break
                want = min(n, want * 8)
            positions, scores = top, dense[top]
        ok = self._alive[positions] & (self._expires[positions] >= today) & (scores > 0)
        positions, scores = positions[ok], scores[ok]
        if len(scores) > k:
            top = np.argpartition(-scores, k - 1)[:k]
            positions, scores = positions[top], scores[top]
        return [(int(self._keys[p]), float(s)) for p, s in zip(positions, scores, strict=True)]

    def _search_delta(self, terms: list[str], today: int) -> list[tuple[int, float]]:
        if not self._delta:
            return []
        totals: dict[int, float] = {}
        for term in terms:
            postings = self._postings.get(term)
            if not postings:
                continue
            idf = self._idf(term)
            for key, tf in postings.items():
                _tf, length, expires = self._delta[key]
                if expires < today:
                    continue
                totals[key] = totals.get(key, 0.0) + idf * self._tf_part(tf, length)
        return list(totals.items())

    def _tf_part(self, tf: int, length: int) -> float:
        return tf / (tf + self.k1 * (1 - self.b + self.b * length / self._avgdl))

    def contributions(self, tokens: Iterable[str], key: int) -> dict[str, float]:
        """Each query term's part of the BM25 score of document ``key`` (terms with 0 left out);
        the parts sum to the score :meth:`search` returns."""
        return self.contributions_of(tokens, [key])[key]

    def contributions_of(
        self, tokens: Iterable[str], keys: Sequence[int]
    ) -> dict[int, dict[str, float]]:
        """:meth:`contributions` of several documents at once (one sorted lookup per query
        term for all of them): ``{key: {term: part}}``, every key present. Every query term
        the index holds counts, as in the scores :meth:`search` returns."""
        terms = self.known_terms(tokens)
        parts: dict[int, dict[str, float]] = {key: {} for key in keys}
        main: list[tuple[int, int]] = []
        for key in keys:
            if key in self._delta:
                tf_all, length, _expires = self._delta[key]
                for term in terms:
                    if tf_all.get(term):
                        parts[key][term] = self._idf(term) * self._tf_part(tf_all[term], length)
            elif (pos := self._position.get(key)) is not None:
                main.append((pos, key))
        if not main:
            return parts
        positions = np.fromiter((pos for pos, _key in main), dtype=self._indices.dtype)
        for term in terms:
            hit, values = self._parts_at(term, positions)
            for i in np.flatnonzero(hit):
                parts[main[i][1]][term] = float(values[i])
        return parts

    def _parts_at(
        self, term: str, positions: npt.NDArray[Any]
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float32]]:
        """Which main-segment ``positions`` hold ``term``, and the term's score part at each
        (0 where absent): one sorted lookup into its posting column for all of them."""
        hit = np.zeros(len(positions), dtype=bool)
        values = np.zeros(len(positions), dtype=np.float32)
        tid = self._vocab.get(term)
        if tid is None:
            return hit, values
        start, end = int(self._indptr[tid]), int(self._indptr[tid + 1])
        column = self._indices[start:end]
        if not len(column):
            return hit, values
        at = np.minimum(np.searchsorted(column, positions), len(column) - 1)
        hit = column[at] == positions
        values[hit] = self._data[start + at[hit]]
        return hit, values

    # -- persistence --------------------------------------------------------------------------

    def save(self, folder: Path | str) -> None:
        """Write the index to ``folder`` (NumPy arrays and JSON; no pickle)."""
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, npt.NDArray[Any]] = {
            "data": self._data,
            "indices": self._indices,
            "indptr": self._indptr,
            "keys": self._keys,
            "alive": self._alive,
            "expires": self._expires,
        }
        for name, array in arrays.items():
            np.save(path / f"{name}.npy", array, allow_pickle=False)
        delta = [
            {"key": key, "tf": dict(tf), "length": length, "expires": expires}
            for key, (tf, length, expires) in self._delta.items()
        ]
        meta = {
            "format": _FORMAT,
            "k1": self.k1,
            "b": self.b,
            "avgdl": self._avgdl,
            "vocab": self._vocab,
            "delta": delta,
        }
        (path / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path | str) -> BM25Index:
        """Read an index written by :meth:`save`; ``ValueError`` when it is not one."""
        path = Path(folder)
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            if meta.get("format") != _FORMAT:
                raise ValueError(f"{path}: unknown index format {meta.get('format')!r}")
            index = cls(k1=float(meta["k1"]), b=float(meta["b"]))
            index._data = np.load(path / "data.npy", allow_pickle=False)
            index._indices = np.load(path / "indices.npy", allow_pickle=False)
            index._indptr = np.load(path / "indptr.npy", allow_pickle=False)
            index._keys = np.load(path / "keys.npy", allow_pickle=False)
            index._alive = np.load(path / "alive.npy", allow_pickle=False)
            index._expires = np.load(path / "expires.npy", allow_pickle=False)
        except (OSError, KeyError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: not a saved index ({exc})") from exc
        index._avgdl = float(meta["avgdl"])
        index._vocab = {str(k): int(v) for k, v in meta["vocab"].items()}
        index._position = {int(key): pos for pos, key in enumerate(index._keys)}
        for item in meta["delta"]:
            key = int(item["key"])
            tf = Counter({str(t): int(c) for t, c in item["tf"].items()})
            index._delta[key] = (tf, int(item["length"]), int(item["expires"]))
            for term, count in tf.items():
                index._postings.setdefault(term, {})[key] = count
        return index
