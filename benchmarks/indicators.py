"""Benchmark: pooled entropy weights + TOPSIS on 3000 places x 20 years x 60 indicators.

    .venv/bin/python benchmarks/indicators.py

Runs the same computation with jingjinji.indicators and with pymcdm: min-max normalisation
(cost indicators reversed), entropy weights on the normalised matrix shifted by 1e-4 (the
translation convention; pymcdm's entropy refuses zeros), TOPSIS with min-max normalisation.
Checks that both give the same scores and prints both times (best of 3) and the ratio.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from pymcdm import normalizations as pn
from pymcdm import weights as pw
from pymcdm.helpers import normalize_matrix
from pymcdm.methods import TOPSIS

from jingjinji.indicators import entropy_weights, normalize, topsis

PLACES, YEARS, INDICATORS = 3000, 20, 60
SHIFT = 1e-4


def make_panel(seed: int = 42) -> tuple[pd.DataFrame, dict[str, int]]:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=3.0, sigma=1.0, size=(PLACES * YEARS, INDICATORS))
    index = pd.MultiIndex.from_product(
        [[f"p{i:04d}" for i in range(PLACES)], range(2004, 2004 + YEARS)], names=["place", "year"]
    )
    columns = [f"x{j:02d}" for j in range(INDICATORS)]
    directions = {c: (-1 if j % 5 == 0 else 1) for j, c in enumerate(columns)}
    return pd.DataFrame(values, index=index, columns=columns), directions


def ours(df: pd.DataFrame, directions: dict[str, int]) -> np.ndarray:
    z = normalize(df, directions, "minmax")
    w = entropy_weights(z, shift=SHIFT)
    return topsis(z, w).to_numpy()


def theirs(df: pd.DataFrame, directions: dict[str, int]) -> np.ndarray:
    matrix = df.to_numpy()
    types = np.array([directions[c] for c in df.columns])
    z = normalize_matrix(matrix, pn.minmax_normalization, types)
    w = pw.entropy_weights(z + SHIFT)
    result: np.ndarray = TOPSIS(pn.minmax_normalization)(matrix, w, types)
    return result


def best_of(func: Callable[[], np.ndarray], repeat: int = 3) -> tuple[float, np.ndarray]:
    best, out = float("inf"), np.empty(0)
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    df, directions = make_panel()
    t_ours, s_ours = best_of(lambda: ours(df, directions))
    t_theirs, s_theirs = best_of(lambda: theirs(df, directions))
    diff = float(np.abs(s_ours - s_theirs).max())
    if diff > 1e-9:
        raise SystemExit(f"scores differ by {diff}")
    print(f"panel: {PLACES} places x {YEARS} years x {INDICATORS} indicators (pooled)")
    print(f"jingjinji.indicators entropy + TOPSIS: {t_ours:.3f} s")
    print(f"pymcdm               entropy + TOPSIS: {t_theirs:.3f} s")
    print(f"ratio pymcdm / ours: {t_theirs / t_ours:.1f}x; max score difference {diff:.1e}")


if __name__ == "__main__":
    main()
