"""An evaluation result as an Excel workbook (pure: result in, bytes out)."""

from __future__ import annotations

import io

import pandas as pd

from jingjinji.indicators.evaluate import EvaluationResult
from jingjinji.indicators.places import place_name

__all__ = ["SHEETS", "result_workbook"]

SHEETS = ("about", "weights", "normalized", "sub-scores", "index-ranks", "coupling")
SAMPLE_NOTE = "示例数据：由程序以固定随机种子生成，并非真实统计数据"


#: Last column of every data sheet: whether the row derives from sample data.
NATURE_COLUMN = "数据性质"


def _nature(result: EvaluationResult) -> str:
    return "示例数据" if result.is_sample else "真实数据"


def _labelled(result: EvaluationResult, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with :data:`NATURE_COLUMN` appended, so a copied or filtered sheet still
    says 示例数据 on every row derived from sample data."""
    out = frame.copy()
    out[NATURE_COLUMN] = _nature(result)
    return out


def _with_names(result: EvaluationResult, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index()
    if "place" in out.columns:
        out.insert(
            1, "place_name", out["place"].map(lambda p: result.names.get(p) or place_name(p))
        )
    return _labelled(result, out)


def result_workbook(result: EvaluationResult) -> bytes:
    """The workbook: about (methods, input hash, sample label), weights, normalized data,
    sub-scores per dimension, index and ranks, coupling coordination. Every data sheet ends
    with a 数据性质 column (示例数据 or 真实数据) on each row."""
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
        _labelled(result, weights.reset_index(names="indicator")).to_excel(
            writer, sheet_name="weights", index=False
        )
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
            else _labelled(result, pd.DataFrame({"说明 note": ["未计算耦合协调度"]}))
        )
        coupling.to_excel(writer, sheet_name="coupling", index=False)
    return buffer.getvalue()
