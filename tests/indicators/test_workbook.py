"""The workbook alone is enough to recompute an evaluation: normalised matrix, entropy
weights, sub-scores, index, ranks and coupling, from its sheets as Excel would."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from jingjinji.indicators import evaluate, read_panel, sample_panel
from jingjinji.indicators.report import SHEETS, result_workbook
from jingjinji.indicators.system_table import read_system_table

DATA = Path(__file__).parent / "data"


def _sheets(content: bytes) -> dict[str, pd.DataFrame]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    out = {}
    for name in book.sheetnames:
        rows = list(book[name].iter_rows(values_only=True))
        out[name] = pd.DataFrame(rows[1:], columns=rows[0])
    return out


def _recompute(sheets: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Everything recomputed from the sheets, with the formulas of the 重算方法 sheet."""
    raw, params = sheets["原始数据"], sheets["指标参数"]
    z = pd.DataFrame(index=raw.index)
    weights: dict[str, pd.Series] = {}
    for scope, p in params.groupby("范围", sort=False):
        rows = raw.index if scope == "全局" else raw.index[raw["年份"] == int(scope)]
        for _, ind in p.iterrows():
            x = raw.loc[rows, ind["指标"]].astype(float)
            if ind["方向"] == "适度":
                x = 1 - (x - ind["目标值"]).abs() / ind["最大偏离|x-k|"]
            lo, hi = ind["最小值"], ind["最大值"]
            if hi == lo:
                values = pd.Series(1.0, index=rows)
            elif ind["方向"] == "负向":
                values = (hi - x) / (hi - lo)
            else:
                values = (x - lo) / (hi - lo)
            z.loc[rows, ind["指标"]] = values
        shifted = z.loc[rows, p["指标"].tolist()] + p["平移量a"].iloc[0]
        share = shifted / shifted.sum()
        n = len(rows)
        e = -(share * np.log(share.where(share > 0, 1.0))).sum() / np.log(n)
        d = 1 - e
        weights[str(scope)] = pd.Series((d / d.sum()).to_numpy(), index=p["指标"].tolist())
        for column, expected in (("信息熵e_j", e), ("差异系数d_j", d)):
            np.testing.assert_allclose(p[column].astype(float), expected.to_numpy(), atol=1e-12)
    index = pd.Series(0.0, index=raw.index)
    subs = pd.DataFrame(index=raw.index)
    dims = params.drop_duplicates("指标").set_index("指标")["维度"]
    for scope, w in weights.items():
        rows = raw.index if scope == "全局" else raw.index[raw["年份"] == int(scope)]
        index.loc[rows] = z.loc[rows, w.index] @ w
        for dim in dict.fromkeys(dims):
            cols = dims.index[dims == dim]
            subs.loc[rows, dim] = z.loc[rows, cols] @ (w[cols] / w[cols].sum())
    return {"z": z, "weights": weights, "index": index, "subs": subs}


@pytest.mark.parametrize("scope", ["pooled", "per_year"])
def test_index_recomputes_from_the_sheets_alone(scope: str) -> None:
    system = read_system_table(DATA / "own_system.csv")
    panel = read_panel(DATA / "own_panel.csv", system=system)
    result = evaluate(panel, system, scope=scope, shift=0.0001, coupling="dimensions")
    sheets = _sheets(result_workbook(result))
    assert list(sheets) == list(SHEETS)
    again = _recompute(sheets)
    names = [i.name for i in system.indicators]
    np.testing.assert_allclose(
        again["z"][names].to_numpy(float), sheets["标准化矩阵"][names].to_numpy(float), atol=1e-12
    )
    for scope_label, w in again["weights"].items():
        params = sheets["指标参数"]
        kept = params[params["范围"] == scope_label]["权重w_j"].astype(float)
        np.testing.assert_allclose(kept.to_numpy(), w.to_numpy(), atol=1e-12)
    shown = sheets["综合指数"]
    np.testing.assert_allclose(again["index"], shown["综合指数"].astype(float), atol=1e-12)
    np.testing.assert_allclose(again["index"], result.index.to_numpy(), atol=1e-12)
    # rank =COUNTIFS(年份,本年,指数,">"&本行)+1
    ranks = [
        int(((shown["年份"] == y) & (shown["综合指数"] > v)).sum()) + 1
        for y, v in zip(shown["年份"], shown["综合指数"], strict=True)
    ]
    assert ranks == shown["排名"].tolist()
    dims = [d.name for d in system.dimensions]
    np.testing.assert_allclose(
        again["subs"][dims].to_numpy(float), sheets["维度得分"][dims].to_numpy(float), atol=1e-12
    )
    # corrected coupling for two subsystems: C = sqrt((1 - |U1-U2|) min U / max U)
    u = sheets["维度得分"][dims].to_numpy(float)
    c = np.sqrt((1 - np.abs(u[:, 0] - u[:, 1])) * u.min(axis=1) / u.max(axis=1))
    coupling = sheets["耦合协调"]
    np.testing.assert_allclose(coupling["耦合度C"].astype(float), c, atol=1e-12)
    np.testing.assert_allclose(
        coupling["耦合协调度D"].astype(float), np.sqrt(c * u.mean(axis=1)), atol=1e-12
    )


def test_about_sheet_states_every_method_choice() -> None:
    result = evaluate(sample_panel(), "high_quality_development", coupling="dimensions")
    sheets = _sheets(result_workbook(result, params_digest="f" * 64))
    about = dict(zip(sheets["说明"]["项目"], sheets["说明"]["内容"], strict=True))
    assert about["标准化方法"].startswith("极差标准化")
    assert about["赋权方法"] == "熵值法"
    assert about["耦合度模型"].startswith("修正耦合度模型")
    assert about["平移量 a（熵值法）"] == 0
    assert about["方法参数 SHA-256"] == "f" * 64
    assert about["数据性质"].startswith("示例数据")
    assert set(sheets["综合指数"]["数据性质"]) == {"示例数据"}
    text = " ".join(sheets["重算方法"]["Excel 公式与说明"])
    assert "SUMPRODUCT" in text and "LN(n)" in text and "COUNTIFS" in text


def test_control_characters_and_markup_survive() -> None:
    from jingjinji.indicators._xlsx import Sheet, write_workbook

    content = write_workbook(
        [
            Sheet(
                "表",
                ["名称", "值"],
                [("A<&>\x01B", 1.5), ("空", None)],
                np.array([[np.nan], [2.0]]),
            )
        ]
    )
    rows = list(load_workbook(io.BytesIO(content))["表"].iter_rows(values_only=True))
    assert rows[1] == ("A<&>B", 1.5, None)
    assert rows[2] == ("空", None, 2.0)
