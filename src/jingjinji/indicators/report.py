"""An evaluation result as an Excel workbook (pure: result in, bytes out)."""

from __future__ import annotations

import io

import pandas as pd

from jingjinji.indicators.evaluate import EvaluationResult

__all__ = ["SHEETS", "result_workbook"]

SHEETS = ("about", "weights", "normalized", "sub-scores", "index-ranks", "coupling")
SAMPLE_NOTE = "示例数据：由程序以固定随机种子生成，并非真实统计数据"


def _with_names(result: EvaluationResult, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index()
    if "place" in out.columns:
        out.insert(1, "place_name", out["place"].map(lambda p: result.names.get(p, p)))
    return out


def result_workbook(result: EvaluationResult) -> bytes:
    """The workbook: about (methods, input hash, sample label), weights, normalized data,
    sub-scores per dimension, index and ranks, coupling coordination."""
    system = result.system
    about = pd.DataFrame(
        [
            ("指标体系 system", f"{system.name} ({system.id})"),
            ("赋权 weighting", result.weighting),
            ("集成 aggregation", result.aggregation),
            ("范围 scope", result.scope),
            ("耦合 coupling", result.coupling_between or "-"),
            ("输入哈希 input sha256", result.input_digest),
            ("插值单元格 filled cells", len(result.filled)),
            ("数据性质 data", SAMPLE_NOTE if result.is_sample else "真实数据 real data"),
        ],
        columns=["item", "value"],
    )
    names = {ind.id: ind.name for ind in system.indicators}
    weights = result.weights.T
    weights.insert(0, "name", [names[i] for i in weights.index])
    weights.insert(1, "dimension", [system.dimension_of[i] for i in weights.index])
    index_ranks = pd.concat([result.index, result.ranks], axis=1)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        about.to_excel(writer, sheet_name="about", index=False)
        weights.reset_index(names="indicator").to_excel(writer, sheet_name="weights", index=False)
        _with_names(result, result.normalized).to_excel(
            writer, sheet_name="normalized", index=False
        )
        _with_names(result, result.sub_scores).to_excel(
            writer, sheet_name="sub-scores", index=False
        )
        _with_names(result, index_ranks).to_excel(writer, sheet_name="index-ranks", index=False)
        coupling = (
            _with_names(result, result.coupling)
            if result.coupling is not None
            else pd.DataFrame({"note": ["no coupling requested (--coupling)"]})
        )
        coupling.to_excel(writer, sheet_name="coupling", index=False)
    return buffer.getvalue()
