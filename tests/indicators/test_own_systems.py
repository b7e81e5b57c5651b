"""Analysts' own indicator systems as tables: reading, errors located by row and column,
evaluation with a negative and a 适度 indicator, subsets only by dropping dimensions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jingjinji.indicators import (
    EvaluationError,
    EvaluationOptions,
    IndicatorSystemError,
    PanelError,
    evaluate,
    read_panel,
    run_evaluation,
)
from jingjinji.indicators.normalize import oriented
from jingjinji.indicators.system import load_system
from jingjinji.indicators.system_table import read_system_table, system_table, template_table

DATA = Path(__file__).parent / "data"
SYSTEM = DATA / "own_system.csv"
PANEL = DATA / "own_panel.csv"


def _system():  # type: ignore[no-untyped-def]
    return read_system_table(SYSTEM)


def test_the_table_gives_dimensions_directions_and_the_target() -> None:
    system = _system()
    assert system.name == "京津冀城市协同发展"
    assert [d.name for d in system.dimensions] == ["经济活力", "创新与结构"]
    by_name = {i.name: i for i in system.indicators}
    assert by_name["城镇登记失业率"].direction == -1
    assert by_name["工业资产负债率"].direction == 0
    assert by_name["工业资产负债率"].target == 55.0
    assert by_name["人均地区生产总值"].source == "城市统计年鉴"
    assert system.fixed_weights is None


def test_written_table_reads_back_as_the_same_system() -> None:
    system = _system()
    again = read_system_table(system_table(system), filename="体系.xlsx")
    assert again.model_dump(exclude={"source", "id"}) == system.model_dump(exclude={"source", "id"})
    shipped = load_system("high_quality_development")
    copy = read_system_table(system_table(shipped), filename="高质量发展.xlsx")
    assert copy.indicator_ids == shipped.indicator_ids  # codes kept as ids
    assert copy.directions == shipped.directions


def test_template_has_a_negative_and_a_moderate_indicator() -> None:
    template = read_system_table(template_table(), filename="指标体系模板.xlsx")
    assert sorted(template.directions.values()) == [-1, 0, 1, 1, 1, 1]


def test_errors_name_row_and_column_in_chinese() -> None:
    table = (
        "准则层,指标,方向,目标值,权重\n"
        "经济,人均GDP,正向,,0.5\n"
        "经济,人均GDP,负向,,0.2\n"
        "生态,PM2.5,越低越好,,0.3\n"
        "生态,水质达标率,适度,,\n"
    ).encode()
    with pytest.raises(IndicatorSystemError) as caught:
        read_system_table(table, filename="我的体系.csv")
    zh = caught.value.message_zh
    assert "我的体系.csv" in zh
    assert "第 3 行“指标”列：“人均GDP”已在第 2 行使用" in zh
    assert "第 4 行“方向”列：方向“越低越好”无法识别" in zh
    assert "第 5 行“目标值”列：适度指标需要填写目标值" in zh
    assert "第 5 行未填" in zh
    assert "row 4, column '方向'" in str(caught.value)


def test_missing_columns_are_named() -> None:
    with pytest.raises(IndicatorSystemError) as caught:
        read_system_table("指标,方向\nA,正向\n".encode(), filename="t.csv")
    assert "缺少“准则层”列" in caught.value.message_zh


def test_moderate_indicator_scores_best_at_its_target() -> None:
    system = _system()
    panel = read_panel(PANEL, system=system)
    result = evaluate(panel, system, shift=0.0001)
    debt = next(i.id for i in system.indicators if i.direction == 0)
    raw = result.raw[debt]
    deviation = (raw - 55.0).abs()
    # x' = 1 - |x - 55| / max|x - 55|, then min-max over x'
    forward = 1 - deviation / deviation.max()
    expected = (forward - forward.min()) / (forward.max() - forward.min())
    np.testing.assert_allclose(result.normalized[debt], expected, atol=1e-12)
    assert result.normalized[debt].idxmax() == deviation.idxmin()
    unemployment = next(i.id for i in system.indicators if i.direction == -1)
    assert result.normalized[unemployment].idxmax() == result.raw[unemployment].idxmin()


def test_oriented_leaves_other_columns_alone() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [50.0, 60.0]})
    out = oriented(frame, {"b": 55.0})
    assert out["a"].tolist() == [1.0, 2.0]
    assert out["b"].tolist() == [0.0, 0.0]  # both 5 away: the farthest, x' = 0


def test_panel_without_a_dimension_needs_it_dropped() -> None:
    system = _system()
    table = pd.read_csv(PANEL).drop(
        columns=["R&D经费投入强度", "每万人发明专利拥有量", "工业资产负债率"]
    )
    raw = table.to_csv(index=False).encode()
    with pytest.raises(PanelError):
        read_panel(raw, system=system, filename="部分面板.csv")
    options = EvaluationOptions(drop_dimensions=("创新与结构",))
    reduced = options.system_for(system)
    panel = read_panel(raw, system=reduced, filename="部分面板.csv")
    run = run_evaluation(panel, system, options)
    assert [d["name"] for d in run.data["dimensions"]] == ["经济活力"]
    with pytest.raises(EvaluationError) as caught:
        run_evaluation(panel, system, EvaluationOptions(drop_dimensions=("不存在",)))
    assert "没有维度“不存在”" in caught.value.message_zh


def test_missing_indicators_are_named_in_chinese_not_by_id() -> None:
    system = load_system("high_quality_development")
    panel = read_panel(PANEL, system=None)
    with pytest.raises(PanelError) as caught:
        run_evaluation(panel, system, EvaluationOptions())
    zh = caught.value.message_zh
    assert "tertiary_share" not in zh and "gdp_per_capita" not in zh
    assert "人均地区生产总值" in zh and "属于维度“经济”" in zh


@pytest.mark.parametrize("form", ["corrected", "traditional"])
def test_coupling_form_is_the_one_chosen(form: str) -> None:
    system = _system()
    panel = read_panel(PANEL, system=system)
    run = run_evaluation(
        panel, system, EvaluationOptions(coupling="dimensions", coupling_form=form, shift=1e-4)
    )
    assert run.data["coupling_form"] == form
    u = run.result.sub_scores.to_numpy()
    if form == "traditional":
        c = 2 * np.sqrt(u[:, 0] * u[:, 1]) / (u[:, 0] + u[:, 1])
    else:
        c = np.sqrt((1 - np.abs(u[:, 0] - u[:, 1])) * u.min(axis=1) / u.max(axis=1))
    np.testing.assert_allclose(run.result.coupling["C"], c, atol=1e-12)
    assert (
        run.params_digest
        != run_evaluation(
            panel,
            system,
            EvaluationOptions(
                coupling="dimensions",
                coupling_form="traditional" if form == "corrected" else "corrected",
                shift=1e-4,
            ),
        ).params_digest
    )
