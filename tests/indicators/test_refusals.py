"""A method that does not fit a panel is refused in Chinese, saying what to change; the
English stays in the log message."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from jingjinji.indicators import EvaluationError, EvaluationOptions, read_panel, run_evaluation
from jingjinji.indicators.refusals import refusal_zh
from jingjinji.indicators.system_table import read_system_table

DATA = Path(__file__).parent / "data"
LATIN = re.compile(r"[A-Za-z]{3,}")


def _constant_panel() -> bytes:
    table = pd.read_csv(DATA / "own_panel.csv")
    for column in table.columns[2:]:
        table[column] = 7.0
    return table.to_csv(index=False).encode()


@pytest.mark.parametrize(
    ("weighting", "says"), [("entropy", "熵值法权重无法确定"), ("critic", "CRITIC 法权重")]
)
def test_constant_panel_is_refused_in_chinese(weighting: str, says: str) -> None:
    system = read_system_table(DATA / "own_system.csv")
    panel = read_panel(_constant_panel(), system=system, filename="常数面板.csv")
    with pytest.raises(EvaluationError) as caught:
        run_evaluation(panel, system, EvaluationOptions(weighting=weighting))
    zh = caught.value.message_zh
    assert zh.startswith("无法评价：") and says in zh
    assert not [w for w in LATIN.findall(zh) if w != "CRITIC"], zh
    assert "undefined" in str(caught.value)  # the English, for the log


def test_known_messages_name_indicators_and_unknown_ones_stay_general() -> None:
    message = "df column(s) gdp, pm25 are all zero; vector normalisation is undefined"
    assert refusal_zh(message, {"gdp": "人均GDP", "pm25": "细颗粒物浓度"}) == (
        "指标“人均GDP”、“细颗粒物浓度”全为 0，无法向量归一化；请改用极差标准化"
    )
    per_year = "scope='per_year' needs two places per year; not in 2021, 2022"
    assert "2021、2022 年不足" in refusal_zh(per_year)
    assert not LATIN.search(refusal_zh("something nobody foresaw"))


def test_coupling_over_an_undefined_topsis_sub_score_names_the_dimension() -> None:
    system = read_system_table(DATA / "own_system.csv")
    table = pd.read_csv(DATA / "own_panel.csv")
    for column in ("R&D经费投入强度", "每万人发明专利拥有量", "工业资产负债率"):
        table[column] = 3.0  # every place alike in 创新与结构: TOPSIS is undefined there
    panel = read_panel(table.to_csv(index=False).encode(), system=system, filename="同值.csv")
    options = EvaluationOptions(aggregation="topsis", coupling="dimensions")
    with pytest.raises(EvaluationError) as caught:
        run_evaluation(panel, system, options)
    assert "维度“创新与结构”中各地区的指标值完全相同" in caught.value.message_zh
    done = run_evaluation(panel, system, EvaluationOptions(aggregation="topsis"))
    assert done.data["scores"]  # without coupling the evaluation goes through
