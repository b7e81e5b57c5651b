"""Benchmark: classify 1,000,000 generated enterprise records and 1,000,000 patent rows into
chain segments.

    .venv/bin/python benchmarks/classify.py [--records 1000000] [--processes 2]
        [--only enterprises|patents]

Records come from the sample generator (``jingjinji.chains.sample``, fixed seed): 100,000
distinct records are generated and cycled to the requested count (the classifier keeps no
per-text cache, so repeats cost the same as new texts). Each record has a name, business
scope, products and an industry code.

Prints, in one run:

* ours, one process: records/s over all records;
* ours, ``--processes`` worker processes (fork; each holds its own automaton): records/s;
* the naive baseline — one compiled regex per keyword, every regex searched in every field
  (no automaton) — on a 20,000-record slice, records/s, and the ratio to ours;
* peak memory: peak RSS of this process and of the workers (``resource.getrusage``), and
  the tracemalloc peak of classifying 100,000 records in-process;
* patents (``jingjinji.patents.sample``, fixed seed, 100,000 distinct rows cycled): the
  patent classifier (IPC concordance + the same automaton over title and abstract) in one
  process and in ``--processes`` workers, rows/s, beside the enterprise figures of the same
  run (ratio), against the target of 50,000 rows/s on 2 cores.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing as mp
import os
import re
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from typing import Any

from jingjinji.atlas import load_atlas
from jingjinji.chains import Classifier, classifier_for
from jingjinji.chains.sample import iter_sample_enterprises
from jingjinji.patents import PatentClassifier, patent_classifier_for
from jingjinji.patents.sample import sample_patents

DISTINCT = 100_000
BASELINE_RECORDS = 20_000
_WORKER: Classifier | None = None
_POOL: list[dict[str, Any]] = []  # inherited by the forked workers; only ranges are sent
_PATENT_WORKER: PatentClassifier | None = None
_PATENTS: list[tuple[str, str, list[str]]] = []


def records(count: int, pool: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    return itertools.islice(itertools.cycle(pool), count)


def _init() -> None:
    global _WORKER
    _WORKER = classifier_for(load_atlas())


def _work(task: tuple[int, int]) -> int:
    assert _WORKER is not None
    start, count = task
    found = 0
    for i in range(start, start + count):
        found += len(_WORKER.classify(_POOL[i % len(_POOL)], include_rejected=False))
    return found


def _init_patents() -> None:
    global _PATENT_WORKER
    _PATENT_WORKER = patent_classifier_for(load_atlas())


def _work_patents(task: tuple[int, int]) -> int:
    assert _PATENT_WORKER is not None
    start, count = task
    found = 0
    for i in range(start, start + count):
        title, abstract, codes = _PATENTS[i % len(_PATENTS)]
        found += len(_PATENT_WORKER.classify(title, abstract, codes))
    return found


def bench_patents(count: int, processes: int) -> tuple[float, float, float]:
    """Patent rows/s: one process (wall), ``processes`` workers (wall), CPU-normalised."""
    atlas = load_atlas()
    started = time.perf_counter()
    rows = sample_patents(atlas, count=min(DISTINCT, count), seed=7)
    _PATENTS[:] = [(r["title"], r["abstract"], r["ipc"]) for r in rows]
    print(f"generated {len(_PATENTS):,} distinct patents in {time.perf_counter() - started:.1f} s")
    classifier = patent_classifier_for(atlas)
    started = time.perf_counter()
    found = 0
    for i in range(count):
        title, abstract, codes = _PATENTS[i % len(_PATENTS)]
        found += len(classifier.classify(title, abstract, codes))
    single = count / (time.perf_counter() - started)
    print(f"patents, 1 process:     {single:>10,.0f} rows/s wall  ({found:,} segment matches)")
    context = mp.get_context("fork")
    chunk = 10_000
    children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    started = time.perf_counter()
    with context.Pool(processes, initializer=_init_patents) as workers:
        tasks = [(i, min(chunk, count - i)) for i in range(0, count, chunk)]
        found_parallel = sum(workers.imap_unordered(_work_patents, tasks))
    parallel = count / (time.perf_counter() - started)
    used = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - children_cpu
    normalised = processes * count / used
    print(
        f"patents, {processes} processes:   {parallel:>10,.0f} rows/s wall, about "
        f"{normalised:,.0f} rows/s on {processes} dedicated cores  ({found_parallel:,} matches)"
    )
    return single, parallel, normalised


class NaiveBaseline:
    """One regex per keyword, synonym and registry term; a segment matches when any does."""

    def __init__(self) -> None:
        atlas = load_atlas()
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        for industry in atlas.industries:
            for segment in industry.segments:
                for word in (*segment.keywords, *segment.synonyms, *segment.registry_terms):
                    self.patterns.append((re.compile(re.escape(word), re.IGNORECASE), segment.slug))

    def classify(self, record: dict[str, Any]) -> set[str]:
        found: set[str] = set()
        for field in ("name", "scope", "products"):
            text = record.get(field) or ""
            for pattern, slug in self.patterns:
                if pattern.search(text):
                    found.add(slug)
        return found


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--only", choices=("enterprises", "patents"), default=None)
    args = parser.parse_args(argv)
    if args.only == "patents":
        bench_patents(args.records, args.processes)
        return
    atlas = load_atlas()

    started = time.perf_counter()
    pool = list(iter_sample_enterprises(atlas, count=min(DISTINCT, args.records), seed=7))
    _POOL[:] = pool
    print(f"generated {len(pool):,} distinct records in {time.perf_counter() - started:.1f} s")

    classifier = classifier_for(atlas)
    tracemalloc.start()
    for record in pool:
        classifier.classify(record, include_rejected=False)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    started, cpu = time.perf_counter(), time.process_time()
    found = 0
    for record in records(args.records, pool):
        found += len(classifier.classify(record, include_rejected=False))
    single = args.records / (time.perf_counter() - started)
    per_cpu = args.records / (time.process_time() - cpu)
    print(
        f"ours, 1 process:        {single:>10,.0f} records/s wall, {per_cpu:,.0f} records per "
        f"CPU-second  ({found:,} segment matches)"
    )

    context = mp.get_context("fork")
    chunk = 10_000
    children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    started = time.perf_counter()
    with context.Pool(args.processes, initializer=_init) as workers:
        tasks = [(i, min(chunk, args.records - i)) for i in range(0, args.records, chunk)]
        found_parallel = sum(workers.imap_unordered(_work, tasks))
    parallel = args.records / (time.perf_counter() - started)
    used = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - children_cpu
    print(
        f"ours, {args.processes} processes:      {parallel:>10,.0f} records/s wall, "
        f"{args.records / used:,.0f} records per worker CPU-second  "
        f"({found_parallel:,} segment matches)"
    )
    print(
        f"  -> on {args.processes} dedicated cores: about "
        f"{args.processes * args.records / used:,.0f} records/s (wall figures above are lower "
        f"when other jobs share the cores; load average now {os.getloadavg()[0]:.1f})"
    )

    baseline = NaiveBaseline()
    sample = pool[:BASELINE_RECORDS]
    started, cpu = time.perf_counter(), time.process_time()
    for record in sample:
        baseline.classify(record)
    naive = len(sample) / (time.perf_counter() - started)
    naive_cpu = len(sample) / (time.process_time() - cpu)
    print(
        f"naive regex, 1 process: {naive:>10,.0f} records/s wall, {naive_cpu:,.0f} per CPU-second  "
        f"({len(baseline.patterns):,} regexes, on {len(sample):,} records)"
    )
    print(
        f"ratio ours/naive (1 process): {single / naive:,.1f}x wall, "
        f"{per_cpu / naive_cpu:,.1f}x per CPU-second"
    )
    print(
        f"peak memory: RSS {peak_rss_mb(resource.RUSAGE_SELF):,.0f} MB (main), "
        f"{peak_rss_mb(resource.RUSAGE_CHILDREN):,.0f} MB (largest worker); "
        f"tracemalloc peak while classifying {len(pool):,} records: {traced_peak / 2**10:,.0f} KB"
    )
    memory_ok = max(peak_rss_mb(resource.RUSAGE_SELF), peak_rss_mb(resource.RUSAGE_CHILDREN)) < 2048
    wall_ok = parallel >= 50_000 and memory_ok
    cpu_ok = args.processes * args.records / used >= 50_000 and memory_ok
    print(
        "target (>= 50,000 records/s on 2 cores, < 2 GB): "
        f"wall {'met' if wall_ok else 'NOT met'}, CPU-normalised {'met' if cpu_ok else 'NOT met'}"
    )
    sys.stdout.flush()
    if args.only == "enterprises":
        return
    p_single, p_parallel, p_normalised = bench_patents(args.records, args.processes)
    print(
        f"ratio patents/enterprises: {p_single / single:.2f}x (1 process), "
        f"{p_parallel / parallel:.2f}x ({args.processes} processes)"
    )
    print(
        "patent target (>= 50,000 rows/s on 2 cores): "
        f"wall {'met' if p_parallel >= 50_000 else 'NOT met'}, "
        f"CPU-normalised {'met' if p_normalised >= 50_000 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
