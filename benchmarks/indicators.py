"""Benchmark: ``evaluate()`` end to end on 3000 places x 20 years x 60 indicators.

    .venv/bin/python benchmarks/indicators.py                 # full size
    .venv/bin/python benchmarks/indicators.py --places 300    # small
    .venv/bin/python benchmarks/indicators.py --profile       # + where evaluate() spends

Stages, each timed ``--repeat`` times (median printed), every time on a new ``Panel`` (a
panel keeps what it derived once, so the same object would be quicker the second time):

1. load: ``read_panel`` of a wide CSV (place, year, one column per indicator; values with
   8 significant digits, as in a statistical yearbook) written to a temporary directory,
   with an ``IndicatorSystem`` of the indicators in 6 dimensions (every 5th a cost);
2. checks/complete: ``Panel.complete`` of the loaded panel;
3. digest: ``Panel.digest``;
4. computation: ``score_table`` on the completed wide table, what ``evaluate`` computes
   after completing the panel (min-max with directions, entropy weights with the shift,
   composite index, the six dimension sub-scores, ranks per year, coupling coordination
   between the dimensions);
5. evaluate: ``evaluate(weighting="entropy", aggregation="weighted_sum", scope="pooled",
   coupling="dimensions", shift=SHIFT)``: stages 2, 3 and 4 together;
6. workbook: ``result_workbook(result)``.

End to end: the three as a user runs them (``jjj evaluate``, the page): ``read_panel`` of the
file, ``evaluate`` of the panel it returns, ``result_workbook`` of the result, timed together
(the panel read is complete already, so ``evaluate`` does not complete it again, which stage 5
does on a new ``Panel``); the sum of stages 1, 5 and 6 is printed beside it.

Beside them, on the same matrix: a minimal NumPy version of the same computation (stage 4:
min-max, entropy, z @ w, sub-scores, ranks, corrected coupling), to which stage 4 is
compared, and pymcdm (min-max normalisation with criterion types, entropy weights of the
scores shifted by SHIFT, since pymcdm's entropy refuses zeros, and its weighted sum WSM) for
the composite index. Index, sub-scores, ranks and D must agree to 1e-9.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from pymcdm import normalizations as pn
from pymcdm import weights as pw
from pymcdm.helpers import normalize_matrix
from pymcdm.methods import WSM

from jingjinji.indicators import entropy_weights, normalize, weighted_sum
from jingjinji.indicators.evaluate import EvaluationResult, Scores, evaluate, score_table
from jingjinji.indicators.panel import Panel, read_panel
from jingjinji.indicators.report import result_workbook
from jingjinji.indicators.system import IndicatorSystem

PLACES, YEARS, INDICATORS = 3000, 20, 60
DIMENSIONS = 6
SHIFT = 1e-4
TARGET_END_TO_END = 5.0  # seconds
TARGET_RATIO = 1.5  # computation / minimal NumPy

T = TypeVar("T")


def make_system(indicators: int) -> IndicatorSystem:
    """``indicators`` indicators x00, x01, ... in 6 dimensions; every 5th is a cost."""
    ids = [f"x{j:02d}" for j in range(indicators)]
    per = -(-indicators // DIMENSIONS)
    dimensions = [
        {
            "id": f"d{k}",
            "name": f"维度{k}",
            "indicators": [
                {"id": i, "name": f"指标{i}", "direction": -1 if int(i[1:]) % 5 == 0 else 1}
                for i in ids[k * per : (k + 1) * per]
            ],
        }
        for k in range(DIMENSIONS)
        if ids[k * per : (k + 1) * per]
    ]
    return IndicatorSystem.model_validate(
        {"id": "bench", "name": "基准测试", "dimensions": dimensions}
    )


def write_wide_csv(path: Path, places: int, years: int, ids: list[str], seed: int = 42) -> None:
    """A wide panel: one row per place-year, lognormal values with 8 significant digits."""
    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=3.0, sigma=1.0, size=(places * years, len(ids)))
    table = pd.DataFrame(values, columns=ids)
    table.insert(0, "year", np.tile(np.arange(2004, 2004 + years), places))
    table.insert(0, "place", np.repeat([f"{100000 + i:06d}" for i in range(places)], years))
    table.to_csv(path, index=False, float_format="%.8g")


def timed(func: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    assert out is not None
    return statistics.median(times), out


def minimal_numpy(
    x: np.ndarray, cost: np.ndarray, shift: float, members: list[np.ndarray], years: int
) -> dict[str, np.ndarray]:
    """Stage 4 in plain NumPy: min-max with directions, entropy weights of z + shift, the
    index z @ w, sub-scores with the weights renormalised per dimension, ranks per year
    (rows place-major, ``years`` per place; ties share the best), and the corrected coupling
    degree C, T (mean) and D = sqrt(C T) between the sub-scores."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    z = np.where(cost, hi - x, x - lo) / (hi - lo)
    p = (z + shift) / (z + shift).sum(axis=0)
    e = -(p * np.log(p)).sum(axis=0) / np.log(len(x))
    w = (1.0 - e) / (1.0 - e).sum()
    index = z @ w
    u = np.column_stack([z[:, m] @ (w[m] / w[m].sum()) for m in members])
    by_year = -index.reshape(-1, years)
    ranks = np.empty_like(by_year, dtype=np.int64)
    for j in range(years):
        ranks[:, j] = np.searchsorted(np.sort(by_year[:, j]), by_year[:, j]) + 1
    n = u.shape[1]
    i, k = np.triu_indices(n, k=1)
    spread = np.abs(u[:, i] - u[:, k]).sum(axis=1) / (n * (n - 1) / 2)
    top = u.max(axis=1)
    c = np.sqrt(
        np.clip(1.0 - spread, 0.0, 1.0) * np.prod(u / top[:, None], axis=1) ** (1 / (n - 1))
    )
    d = np.sqrt(c * u.mean(axis=1))
    return {"index": index, "sub_scores": u, "ranks": ranks.ravel(), "D": d}


def with_pymcdm(x: np.ndarray, types: np.ndarray, shift: float) -> np.ndarray:
    z = normalize_matrix(x, pn.minmax_normalization, types)
    w = pw.entropy_weights(z + shift)
    scores: np.ndarray = WSM(pn.minmax_normalization)(x, w, types)
    return scores


def our_functions(x: pd.DataFrame, directions: dict[str, int], shift: float) -> np.ndarray:
    """The same computation with jingjinji.indicators' functions, without ``evaluate``."""
    z = normalize(x, directions, "minmax")
    return weighted_sum(z, entropy_weights(z, shift=shift)).to_numpy()


#: The method of stages 4 and 5.
OPTIONS: dict[str, Any] = {
    "weighting": "entropy",
    "aggregation": "weighted_sum",
    "scope": "pooled",
    "coupling": "dimensions",
    "shift": SHIFT,
}


def run_scores(x: pd.DataFrame, system: IndicatorSystem) -> Scores:
    return score_table(x, system, **OPTIONS)


def run_evaluate(panel: Panel, system: IndicatorSystem) -> EvaluationResult:
    return evaluate(panel, system, **OPTIONS)


def profile(func: Callable[[], Any], lines: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.runcall(func)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--places", type=int, default=PLACES)
    parser.add_argument("--years", type=int, default=YEARS)
    parser.add_argument("--indicators", type=int, default=INDICATORS)
    parser.add_argument("--repeat", type=int, default=3, help="timings per stage (median)")
    parser.add_argument("--profile", action="store_true", help="profile evaluate() once")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    system = make_system(args.indicators)
    ids = system.indicator_ids
    codes = {f"{100000 + i:06d}" for i in range(args.places)}
    resolver = {c: c for c in codes}.get  # 6-digit codes of made-up places
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "panel.csv"
        write_wide_csv(path, args.places, args.years, ids)
        size = path.stat().st_size / 1e6
        t_load, panel = timed(
            lambda: read_panel(path, system=system, resolver=resolver), args.repeat
        )
        t_pipeline, _ = timed(
            lambda: result_workbook(
                run_evaluate(read_panel(path, system=system, resolver=resolver), system)
            ),
            args.repeat,
        )
    t_complete, full = timed(lambda: replace(panel).complete(ids), args.repeat)
    t_digest, _ = timed(lambda: replace(panel).digest(), args.repeat)
    x = full.wide(ids)
    t_scores, scores = timed(lambda: run_scores(x, system), args.repeat)
    t_eval, result = timed(lambda: run_evaluate(replace(panel), system), args.repeat)
    t_book, book = timed(lambda: result_workbook(result), args.repeat)

    matrix = x.to_numpy()
    directions = system.directions
    cost = np.array([directions[i] < 0 for i in ids])
    types = np.where(cost, -1, 1)
    members = [np.array([ids.index(ind.id) for ind in d.indicators]) for d in system.dimensions]
    t_numpy, plain = timed(
        lambda: minimal_numpy(matrix, cost, SHIFT, members, args.years), args.repeat
    )
    t_pymcdm, s_pymcdm = timed(lambda: with_pymcdm(matrix, types, SHIFT), args.repeat)
    t_funcs, s_funcs = timed(lambda: our_functions(x, directions, SHIFT), args.repeat)

    assert result.coupling is not None and scores.coupling is not None
    s_ours = result.index.reindex(x.index).to_numpy()
    diffs = {
        "index: evaluate vs NumPy": float(np.abs(s_ours - plain["index"]).max()),
        "index: evaluate vs pymcdm": float(np.abs(s_ours - s_pymcdm).max()),
        "index: functions vs NumPy": float(np.abs(s_funcs - plain["index"]).max()),
        "sub-scores": float(np.abs(scores.sub_scores.to_numpy() - plain["sub_scores"]).max()),
        "ranks": float(np.abs(scores.ranks.to_numpy() - plain["ranks"]).max()),
        "D": float(np.abs(scores.coupling["D"].to_numpy() - plain["D"]).max()),
    }
    bad = {k: v for k, v in diffs.items() if not v <= 1e-9}
    if bad:
        raise SystemExit(f"results differ: {bad}")

    total = t_load + t_eval + t_book
    print(
        f"panel: {args.places} places x {args.years} years x {args.indicators} indicators "
        f"= {args.places * args.years * args.indicators:,} cells; wide CSV {size:.1f} MB; "
        f"median of {args.repeat}"
    )
    rows = [
        ("1 load (read_panel)", t_load),
        ("2 checks/complete (Panel.complete)", t_complete),
        ("3 digest (Panel.digest)", t_digest),
        ("4 computation (score_table)", t_scores),
        ("5 evaluate (2 + 3 + 4)", t_eval),
        (f"6 workbook (result_workbook, {len(book) / 1e6:.1f} MB)", t_book),
    ]
    for label, seconds in rows:
        print(f"  {label:<46} {seconds:8.3f} s")
    print(f"  {'sum of stages (1 + 5 + 6)':<46} {total:8.3f} s")
    print(
        f"  {'end to end (read_panel → evaluate → workbook)':<46} {t_pipeline:8.3f} s   "
        f"target < {TARGET_END_TO_END:g} s: {mark(t_pipeline < TARGET_END_TO_END)}"
    )
    print("same computation, same matrix:")
    print(f"  {'minimal NumPy (stage 4)':<46} {t_numpy:8.3f} s")
    print(f"  {'pymcdm (minmax, entropy, WSM: the index)':<46} {t_pymcdm:8.3f} s")
    print(f"  {'jingjinji functions (normalize, entropy, sum)':<46} {t_funcs:8.3f} s")
    ratio = t_scores / t_numpy
    print(
        f"  computation / minimal NumPy: {ratio:.2f}x   target <= {TARGET_RATIO:g}x: "
        f"{mark(ratio <= TARGET_RATIO)}"
    )
    print(f"  evaluate / minimal NumPy: {t_eval / t_numpy:.2f}x (with completing and hashing)")
    print(f"  functions / pymcdm: {t_funcs / t_pymcdm:.2f}x")
    print("  max |difference|: " + ", ".join(f"{k} {v:.1e}" for k, v in diffs.items()))
    if args.profile:
        print(profile(lambda: run_evaluate(replace(panel), system)))
        print(profile(lambda: result_workbook(result)))


if __name__ == "__main__":
    main()
