"""AHP matrices as tables: located refusals, consistency, weights over indicators or
dimensions, and their linear combination with objective weights at a stated alpha."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from jingjinji.indicators import EvaluationError, EvaluationOptions, read_panel, run_evaluation
from jingjinji.indicators.pairwise import PairwiseError, pairwise_weights, read_pairwise
from jingjinji.indicators.report import result_workbook
from jingjinji.indicators.system_table import read_system_table

DATA = Path(__file__).parent / "data"
SYSTEM = read_system_table(DATA / "own_system.csv")
NAMES = [i.name for i in SYSTEM.indicators]
TRUE = np.array([0.3, 0.2, 0.15, 0.15, 0.1, 0.1])


def _table(labels: list[str], matrix: list[list[str]]) -> bytes:
    lines = ["," + ",".join(labels)]
    lines += [label + "," + ",".join(row) for label, row in zip(labels, matrix, strict=True)]
    return ("\n".join(lines) + "\n").encode()


def _consistent() -> bytes:
    rows = [[f"{TRUE[i] / TRUE[j]:.12g}" for j in range(6)] for i in range(6)]
    return _table(NAMES, rows)


def test_a_consistent_matrix_gives_back_its_weights() -> None:
    weights, info = pairwise_weights(read_pairwise(_consistent(), filename="m.csv"), SYSTEM)
    np.testing.assert_allclose(weights.to_numpy(), TRUE, atol=1e-9)
    assert info["level"] == "indicators"
    assert info["cr"] == pytest.approx(0.0, abs=1e-9)
    assert info["lambda_max"] == pytest.approx(6.0)


def test_a_dimension_matrix_is_shared_within_each_dimension() -> None:
    matrix = read_pairwise(_table(["经济活力", "创新与结构"], [["1", "3"], ["1/3", "1"]]))
    weights, info = pairwise_weights(matrix, SYSTEM)
    assert info["level"] == "dimensions"
    np.testing.assert_allclose(weights.to_numpy(), [0.25] * 3 + [0.25 / 3] * 3, atol=1e-12)


def test_inconsistent_judgements_are_refused_with_their_cr() -> None:
    labels = ["经济活力", "创新与结构", "x"]
    bad = read_pairwise(_table(labels, [["1", "9", "1/9"], ["1/9", "1", "9"], ["9", "1/9", "1"]]))
    with pytest.raises(PairwiseError) as caught:
        pairwise_weights(bad, SYSTEM)
    assert "一致性比率 CR" in caught.value.message_zh


def test_table_problems_are_located() -> None:
    table = _table(["A", "B"], [["1", "abc"], ["2", "1"]])
    with pytest.raises(PairwiseError) as caught:
        read_pairwise(table, filename="矩阵.csv")
    assert "第 2 行“B”列：“abc”不是正数" in caught.value.message_zh
    not_reciprocal = _table(["A", "B"], [["1", "3"], ["3", "1"]])
    with pytest.raises(PairwiseError) as caught:
        read_pairwise(not_reciprocal, filename="矩阵.csv")
    assert "不互为倒数" in caught.value.message_zh


def test_combined_weights_are_alpha_s_plus_one_minus_alpha_o() -> None:
    panel = read_panel(DATA / "own_panel.csv", system=SYSTEM)
    matrix = read_pairwise(_consistent())
    options = EvaluationOptions(subjective="ahp", alpha=0.4, ahp=matrix, shift=1e-4)
    run = run_evaluation(panel, SYSTEM, options)
    objective = run_evaluation(panel, SYSTEM, EvaluationOptions(shift=1e-4)).result.weights
    expected = 0.4 * TRUE + 0.6 * objective.loc["pooled"].to_numpy()
    np.testing.assert_allclose(run.result.weights.loc["pooled"].to_numpy(), expected, atol=1e-12)
    assert run.data["subjective"]["source"] == "ahp"
    assert run.data["subjective"]["alpha"] == 0.4
    book = load_workbook(io.BytesIO(result_workbook(run.result)), read_only=True)
    rows = list(book["指标参数"].iter_rows(values_only=True))
    header = rows[0]
    s, o, w = (header.index(c) for c in ("主观权重s_j", "客观权重o_j", "权重w_j"))
    for row in rows[1:]:
        assert row[w] == pytest.approx(0.4 * row[s] + 0.6 * row[o], abs=1e-12)
    pure = run_evaluation(panel, SYSTEM, EvaluationOptions(weighting="ahp", ahp=matrix))
    np.testing.assert_allclose(pure.result.weights.loc["pooled"].to_numpy(), TRUE, atol=1e-9)


def test_subjective_weights_need_their_source() -> None:
    panel = read_panel(DATA / "own_panel.csv", system=SYSTEM)
    with pytest.raises(EvaluationError) as caught:
        run_evaluation(panel, SYSTEM, EvaluationOptions(weighting="ahp"))
    assert caught.value.message_zh == "层次分析法需要上传判断矩阵"
    with pytest.raises(EvaluationError) as caught:
        run_evaluation(panel, SYSTEM, EvaluationOptions(subjective="fixed"))
    assert "没有给出权重" in caught.value.message_zh
