"""AHP pairwise-comparison matrices (判断矩阵) as tables, and the subjective weights they give.

A matrix is a square table: the first row names the criteria (indicators or dimensions, by
name or code), so does the first column, and cell (i, j) says how much more important
criterion i is than j on Saaty's 1-9 scale (``3``, ``1/3``, ``0.2``). :func:`read_pairwise`
checks the table (square, same labels in the same order, positive numbers, reciprocal
a_ji = 1 / a_ij within 1%) and names every problem with its row and column;
:func:`pairwise_weights` maps the labels onto a system and returns the weights of its
indicators with the consistency of the judgements (Saaty 1980: CR = CI / RI < 0.1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jingjinji.indicators.panel_read import _rows_csv, _rows_xlsx
from jingjinji.indicators.system import IndicatorSystem
from jingjinji.indicators.weights import ahp_weights

__all__ = ["CR_LIMIT", "Pairwise", "PairwiseError", "pairwise_weights", "read_pairwise"]

#: Saaty's bound on the consistency ratio of acceptable judgements.
CR_LIMIT = 0.1
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(\d+(?:\.\d+)?))?\s*$")


class PairwiseError(ValueError):
    """A matrix that cannot be used: ``problems`` (English) and ``problems_zh``."""

    def __init__(self, source: str, problems: list[str], problems_zh: list[str]) -> None:
        self.source, self.problems, self.problems_zh = source, problems, problems_zh
        self.message_zh = f"判断矩阵 {source} 有 {len(problems_zh)} 处问题：" + "；".join(
            problems_zh
        )
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class Pairwise:
    """A pairwise-comparison matrix: criteria labels and the n × n judgements."""

    labels: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.values), index=list(self.labels), columns=list(self.labels))


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    match = _NUMBER.match(str(value or ""))
    if not match:
        return None
    top, bottom = match.group(1), match.group(2)
    return float(Fraction(top) / Fraction(bottom)) if bottom else float(top)


def read_pairwise(source: str | Path | bytes, *, filename: str | None = None) -> Pairwise:
    """The matrix in a CSV or XLSX table (layout: the module docstring); raises
    :class:`PairwiseError` naming every problem with its row and column."""
    if isinstance(source, str | Path):
        path = Path(source)
        raw, file = path.read_bytes(), filename or path.name
    else:
        raw, file = source, filename or "判断矩阵"
    file = Path(file).name
    if file.lower().endswith((".xlsx", ".xlsm")) or raw[:2] == b"PK":
        _sheet, rows = _rows_xlsx(raw, None, file)
    else:
        rows = list(_rows_csv(raw))
    body = [
        (n, [("" if c is None else c) for c in r])
        for n, r in rows
        if any(str(c or "").strip() for c in r)
    ]
    en: list[str] = []
    zh: list[str] = []
    if len(body) < 3:
        raise PairwiseError(
            file,
            ["a matrix needs a header row and at least two criteria"],
            ["判断矩阵至少需要表头和两个指标"],
        )
    header_row, header = body[0]
    labels = [str(h).strip() for h in header[1:] if str(h).strip()]
    n = len(labels)
    if len(body) - 1 != n:
        en.append(f"{len(body) - 1} rows for {n} columns: the matrix must be square")
        zh.append(f"判断矩阵有 {len(body) - 1} 行、{n} 列，应为方阵")
    values = np.full((n, n), np.nan)
    for i, (number, row) in enumerate(body[1 : n + 1]):
        label = str(row[0]).strip()
        if i < n and label != labels[i]:
            en.append(
                f"row {number}: label {label!r}, expected {labels[i]!r} (same order as the header)"
            )
            zh.append(f"第 {number} 行：行标签“{label}”应与表头第 {i + 1} 个“{labels[i]}”相同")
        for j in range(n):
            cell = row[j + 1] if j + 1 < len(row) else ""
            value = _number(cell)
            if value is None or value <= 0:
                en.append(f"row {number}, column {labels[j]!r}: {cell!r} is not a positive number")
                zh.append(f"第 {number} 行“{labels[j]}”列：“{cell}”不是正数（可写 3 或 1/3）")
            else:
                values[i, j] = value
    if not en:
        for i in range(n):
            if abs(values[i, i] - 1) > 1e-9:
                en.append(f"row {body[i + 1][0]}: the diagonal must be 1")
                zh.append(f"第 {body[i + 1][0]} 行：对角线上应为 1")
            for j in range(i + 1, n):
                if abs(values[i, j] * values[j, i] - 1) > 0.01:
                    en.append(f"{labels[i]!r} vs {labels[j]!r}: a_ij * a_ji is not 1")
                    zh.append(f"“{labels[i]}”对“{labels[j]}”与其反向判断不互为倒数")
    if en:
        raise PairwiseError(file, en, zh)
    del header_row
    return Pairwise(tuple(labels), tuple(tuple(float(v) for v in row) for row in values))


def pairwise_weights(matrix: Pairwise, system: IndicatorSystem) -> tuple[pd.Series, dict[str, Any]]:
    """The indicator weights ``matrix`` gives in ``system`` and its consistency.

    Labels are either the system's indicators (names, codes or ids: the weights are AHP's,
    Saaty's principal eigenvector) or its dimensions (names or ids: a dimension's AHP weight
    is shared equally by its indicators). Refuses (``PairwiseError``) labels that are
    neither, a matrix that misses some, and inconsistent judgements (CR >= 0.1)."""
    lookup = system.lookup()
    dims = {key: d.id for d in system.dimensions for key in (d.id, d.name)}
    labels = list(matrix.labels)
    try:
        result = ahp_weights(matrix.frame())
    except ValueError as exc:
        raise PairwiseError("判断矩阵", [str(exc)], [f"判断矩阵无法计算权重：{exc}"]) from None
    info = {
        "labels": labels,
        "lambda_max": float(result.lambda_max),
        "ci": float(result.ci),
        "cr": float(result.cr),
    }
    if result.cr >= CR_LIMIT:
        raise PairwiseError(
            "判断矩阵",
            [f"consistency ratio CR = {result.cr:.3f} >= {CR_LIMIT}"],
            [f"一致性比率 CR = {result.cr:.3f}，不小于 {CR_LIMIT}，请调整判断后重新上传"],
        )
    if all(label in lookup for label in labels):
        ids = [lookup[label] for label in labels]
        missing = [i.name for i in system.indicators if i.id not in ids]
        if missing or len(set(ids)) != len(ids):
            raise PairwiseError(
                "判断矩阵",
                [f"the matrix misses indicators {missing}"],
                ["判断矩阵须包含指标体系的全部指标，缺少：" + "、".join(missing)],
            )
        info["level"] = "indicators"
        weights = pd.Series(result.weights.to_numpy(), index=ids)
        return weights.reindex(system.indicator_ids), info
    if all(label in dims for label in labels):
        ids = [dims[label] for label in labels]
        missing = [d.name for d in system.dimensions if d.id not in ids]
        if missing or len(set(ids)) != len(ids):
            raise PairwiseError(
                "判断矩阵",
                [f"the matrix misses dimensions {missing}"],
                ["按维度给出的判断矩阵须包含全部维度，缺少：" + "、".join(missing)],
            )
        info["level"] = "dimensions"
        by_dim = dict(zip(ids, result.weights.to_numpy(), strict=True))
        out = {
            ind.id: by_dim[dim.id] / len(dim.indicators)
            for dim in system.dimensions
            for ind in dim.indicators
        }
        return pd.Series(out).reindex(system.indicator_ids), info
    unknown = [label for label in labels if label not in lookup and label not in dims]
    raise PairwiseError(
        "判断矩阵",
        [f"labels {unknown} are neither indicators nor dimensions of the system"],
        ["以下标签既不是指标体系的指标也不是维度：" + "、".join(unknown)],
    )
