"""An evaluation result as an Excel workbook anyone can recompute (pure: result in, bytes out).

The sheets (Chinese names and headers), in order: 说明 (system, every method choice and its
parameters, digests, data nature), 原始数据 (the panel evaluated, gaps filled), 标准化矩阵
(the normalised scores), 指标参数 (per scope and indicator: dimension, direction, target,
min, max, mean, standard deviation, root sum of squares, shift, entropy e_j, divergence d_j,
weight), 维度得分, 综合指数 (index and rank), 耦合协调 (C, T, D and level), 插值单元格 and
重算方法 (how to recompute each column with Excel formulas). Every data sheet ends with a
数据性质 column (示例数据 or 真实数据) on each row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jingjinji.indicators._xlsx import Sheet, write_workbook
from jingjinji.indicators.evaluate import EvaluationResult
from jingjinji.indicators.places import place_name

__all__ = [
    "METHOD_LABELS",
    "NATURE_COLUMN",
    "SAMPLE_NOTE",
    "SHEETS",
    "indicator_parameters",
    "result_workbook",
]

SHEETS = (
    "说明",
    "原始数据",
    "标准化矩阵",
    "指标参数",
    "维度得分",
    "综合指数",
    "耦合协调",
    "插值单元格",
    "重算方法",
)
SAMPLE_NOTE = "示例数据：由程序以固定随机种子生成，并非真实统计数据"
#: Last column of every data sheet: whether the row derives from sample data.
NATURE_COLUMN = "数据性质"

#: Chinese names of the method choices, per option (the keys of ``EvaluationOptions``).
METHOD_LABELS: dict[str, dict[str | None, str]] = {
    "weighting": {
        "entropy": "熵值法",
        "critic": "CRITIC 法",
        "std": "标准差法",
        "equal": "等权",
        "fixed": "指标体系给定的主观权重",
        "ahp": "层次分析法（判断矩阵）",
    },
    "aggregation": {
        "weighted_sum": "线性加权",
        "topsis": "TOPSIS（逼近理想解）",
        "grey": "灰色关联度",
    },
    "scope": {"pooled": "全局（所有年份合并，跨年可比）", "per_year": "逐年（每年横截面）"},
    "normalization": {
        "minmax": "极差标准化",
        "zscore": "Z 分数标准化",
        "vector": "向量归一化",
    },
    "coupling_form": {
        "corrected": "修正耦合度模型（王淑佳等 2021）",
        "traditional": "传统耦合度模型 C = n·[ΠU/(ΣU)^n]^(1/n)",
    },
    "coupling": {"dimensions": "各维度之间", "places": "各地区之间", None: "未计算"},
}
_DIRECTION = {1: "正向", -1: "负向", 0: "适度"}


def _nature(result: EvaluationResult) -> str:
    return "示例数据" if result.is_sample else "真实数据"


def _scopes(result: EvaluationResult) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """(scope label, raw rows, normalised rows) per weighting scope."""
    raw, z = result.raw, result.normalized
    if result.scope == "pooled":
        return [("全局", raw, z)]
    years = raw.index.get_level_values("year")
    return [(str(y), raw[years == y], z[years == y]) for y in sorted(set(years))]


def indicator_parameters(result: EvaluationResult) -> pd.DataFrame:
    """Per scope and indicator what recomputing the evaluation needs: the statistics of the
    values that were normalised (the raw value, or for a 适度 indicator x' = 1 - |x - k| /
    max|x - k| with its largest deviation), the shift a and, for the entropy method,
    p_ij = (z_ij + a) / Σ_i (z_ij + a), e_j = -Σ_i p_ij ln p_ij / ln n, d_j = 1 - e_j;
    and the weight used."""
    system = result.system
    dimension_names = {i.id: d.name for d in system.dimensions for i in d.indicators}
    rows: list[dict[str, Any]] = []
    for label, raw, z in _scopes(result):
        key: str | int = "pooled" if label == "全局" else int(label)
        row = result.weights.loc[key].to_numpy(dtype=float)
        weights = dict(zip(map(str, result.weights.columns), row.tolist(), strict=True))
        n = len(z)
        for ind in system.indicators:
            x = raw[ind.id].to_numpy(dtype=float)
            deviation = None
            if ind.direction == 0:
                dev = np.abs(x - float(ind.target or 0.0))
                deviation = float(dev.max())
                x = 1.0 - dev / deviation if deviation > 0 else np.ones_like(x)
            e = d = None
            if result.weighting == "entropy" and n > 1:
                p = z[ind.id].to_numpy(dtype=float) + result.shift
                total = p.sum()
                if total > 0:
                    p = p / total
                    logs = np.log(np.where(p > 0, p, 1.0))
                    e = float(-(p * logs).sum() / np.log(n))
                    d = 1.0 - e
            parts: dict[str, Any] = {}
            if result.subjective is not None:
                parts["主观权重s_j"] = float(result.subjective[ind.id])
            if result.objective is not None:
                parts["客观权重o_j"] = float(result.objective[ind.id].to_dict()[key])
            rows.append(
                {
                    "范围": label,
                    "指标代码": ind.id,
                    "指标": ind.name,
                    "维度": dimension_names[ind.id],
                    "单位": ind.unit,
                    "方向": _DIRECTION[ind.direction],
                    "目标值": ind.target,
                    "最大偏离|x-k|": deviation,
                    "样本数n": n,
                    "最小值": float(x.min()),
                    "最大值": float(x.max()),
                    "均值": float(x.mean()),
                    "标准差(样本)": float(x.std(ddof=1)) if n > 1 else None,
                    "平方和的平方根": float(np.sqrt((x**2).sum())),
                    "平移量a": result.shift,
                    "信息熵e_j": e,
                    "差异系数d_j": d,
                    **parts,
                    "权重w_j": weights[ind.id],
                }
            )
    return pd.DataFrame(rows)


def _about(result: EvaluationResult, params_digest: str | None) -> list[tuple[str, Any]]:
    system = result.system
    return [
        ("指标体系", system.name),
        ("指标体系代码", system.id),
        ("维度数", len(system.dimensions)),
        ("指标数", len(system.indicators)),
        (
            "标准化方法",
            METHOD_LABELS["normalization"].get(result.normalization, result.normalization),
        ),
        ("平移量 a（熵值法）", result.shift),
        ("赋权方法", METHOD_LABELS["weighting"].get(result.weighting, result.weighting)),
        (
            "主客观组合",
            "未组合"
            if result.alpha is None
            else f"w = α·s + (1-α)·o，α = {result.alpha:g}（s 为主观权重，o 为上行的客观权重）",
        ),
        ("集成方法", METHOD_LABELS["aggregation"].get(result.aggregation, result.aggregation)),
        ("标准化与赋权范围", METHOD_LABELS["scope"].get(result.scope, result.scope)),
        ("耦合协调", METHOD_LABELS["coupling"].get(result.coupling_between, "未计算")),
        (
            "耦合度模型",
            METHOD_LABELS["coupling_form"].get(result.coupling_form, result.coupling_form),
        ),
        ("协调等级划分", "十级：D 每 0.1 一级（廖重斌 1999），[0,0.1) 极度失调 … [0.9,1] 优质协调"),
        ("维度得分为 0 的地区-年份数", result.zero_sub_scores),
        ("插值单元格数", len(result.filled)),
        ("输入数据 SHA-256", result.input_digest),
        ("方法参数 SHA-256", params_digest or "—"),
        ("数据性质", SAMPLE_NOTE if result.is_sample else "真实数据"),
    ]


def _recompute(result: EvaluationResult) -> list[tuple[str, str]]:
    """How to recompute each sheet's columns with Excel formulas (row 2 of each sheet)."""
    form = result.coupling_form
    c_formula = (
        "n = 2 时 C = SQRT((1-ABS(U1-U2))*MIN(U1,U2)/MAX(U1,U2))；"
        "一般地 C = SQRT((1 - Σ_{i<j}|Ui-Uj| / (n(n-1)/2)) * (ΠUi / MAX(U)^n)^(1/(n-1)))"
        "（王淑佳等 2021）"
        if form == "corrected"
        else "C = n*GEOMEAN(U1:Un)/SUM(U1:Un)，即 n·[ΠU/(ΣU)^n]^(1/n)（传统模型）"
    )
    steps = [
        (
            "原始数据",
            "面板原值；插值单元格见“插值单元格”表（规则：linear 线性插值，ffill 向前填充）",
        ),
        (
            "适度指标正向化",
            "x' = 1 - ABS(x - 目标值)/最大偏离|x-k|，"
            "最大偏离取同一范围内 MAX(ABS(x-目标值))（叶宗裕 2003）",
        ),
        (
            "标准化矩阵（极差标准化）",
            "正向：=(x-最小值)/(最大值-最小值)；负向：=(最大值-x)/(最大值-最小值)；"
            "适度：对 x' 按正向计算；最大值=最小值时记 1；最小值、最大值见“指标参数”表同一范围",
        ),
        ("标准化矩阵（Z 分数）", "=(x-均值)/标准差(样本)，负向取相反数；标准差为 0 时记 0"),
        ("标准化矩阵（向量归一化）", "正向：=x/平方和的平方根；负向：=1-x/平方和的平方根"),
        (
            "熵值法",
            "p_ij =(z_ij+a)/SUM(z_j+a)；e_j =-SUMPRODUCT(p_j,LN(p_j))/LN(n)（p=0 时该项记 0）；"
            "d_j =1-e_j；w_j =d_j/SUM(d)",
        ),
        ("其他赋权", "权重见“指标参数”表的“权重w_j”列（CRITIC、标准差法、等权或体系给定权重）"),
        (
            "层次分析法",
            "主观权重 s_j 为判断矩阵最大特征值对应的特征向量归一化（Saaty 1980）；"
            "按维度给出的矩阵，维度权重由该维度各指标平分；一致性比率 CR = CI/RI < 0.1",
        ),
        ("主客观组合", "=α*主观权重s_j+(1-α)*客观权重o_j，α 见“说明”表"),
        (
            "维度得分（线性加权）",
            "=SUMPRODUCT(该维度各指标的 z, 其权重)/SUM(该维度权重)；"
            "TOPSIS、灰色关联度按同一权重在该维度内计算",
        ),
        ("综合指数（线性加权）", "=SUMPRODUCT(z_1..z_m, w_1..w_m)，权重为同一范围的“权重w_j”"),
        ("排名", '同一年份内按综合指数从高到低：=COUNTIFS(年份列,本年,指数列,">"&本行指数)+1'),
        ("耦合度 C", c_formula),
        ("综合发展指数 T", "=AVERAGE(U1:Un)（各子系统等权）"),
        ("耦合协调度 D", "=SQRT(C*T)；等级 =MIN(INT(D*10),9)+1，对应十级名称"),
    ]
    if result.zero_sub_scores:
        steps.append(
            (
                "注意",
                f"有 {result.zero_sub_scores} 个地区-年份的某一维度得分为 0"
                "（该维度各指标都处在最小值），其耦合度 C 与协调度 D 因而为 0",
            )
        )
    return steps


def _data_sheet(
    name: str, result: EvaluationResult, frame: pd.DataFrame, columns: list[str]
) -> Sheet:
    """Rows (place, year) of ``frame`` as 地区代码, 地区, 年份, the columns, 数据性质."""
    places = frame.index.get_level_values("place")
    codes, distinct = pd.factorize(places)
    names = np.array([result.names.get(p) or place_name(p) for p in distinct], dtype=object)
    years = frame.index.get_level_values("year").to_numpy(dtype=np.int64)
    return Sheet(
        name,
        ["地区代码", "地区", "年份", *columns, NATURE_COLUMN],
        block=frame.to_numpy(dtype=float),
        widths=(10, 12, 8),
        tail=(_nature(result),),
        columns=[np.asarray(distinct, dtype=object)[codes], names[codes], years],
    )


def _table_sheet(name: str, result: EvaluationResult, frame: pd.DataFrame) -> Sheet:
    """The columns of ``frame`` (NaN as empty cells), then 数据性质."""
    columns = [frame[c].to_numpy() for c in frame.columns]
    return Sheet(
        name,
        [*map(str, frame.columns), NATURE_COLUMN],
        columns=columns,
        tail=(_nature(result),),
    )


def result_workbook(result: EvaluationResult, params_digest: str | None = None) -> bytes:
    """The workbook of ``result`` (sheets: :data:`SHEETS`; see the module docstring), with
    the method's digest when given (``EvaluationRun.params_digest``). A
    result rebuilt from its saved form (no raw panel kept) has notes instead of the raw and
    normalised sheets and the parameters that depend on them."""
    system = result.system
    names = [ind.name for ind in system.indicators]
    ids = system.indicator_ids
    sheets: list[Sheet] = [
        Sheet("说明", ["项目", "内容"], _about(result, params_digest), widths=(28, 80))
    ]
    has_raw = not result.raw.empty and not result.normalized.empty
    if has_raw:
        sheets.append(_data_sheet("原始数据", result, result.raw[ids], names))
        sheets.append(_data_sheet("标准化矩阵", result, result.normalized[ids], names))
        sheets.append(_table_sheet("指标参数", result, indicator_parameters(result)))
    else:
        note = [
            (
                "评价结果由已保存的结果重建：原始数据与标准化矩阵未随评价保存；重新上传同一面板（输入哈希相同）即可重算。",
            )
        ]
        sheets.append(Sheet("原始数据", ["说明"], note))
        sheets.append(Sheet("标准化矩阵", ["说明"], note))
        weights = result.weights[ids].T
        weights.columns = [("全局" if s == "pooled" else str(s)) for s in weights.columns]
        table = weights.reset_index(drop=True)
        table.insert(0, "指标", names)
        table.insert(0, "指标代码", ids)
        sheets.append(_table_sheet("指标参数", result, table))
    dims = [d.id for d in system.dimensions]
    sheets.append(
        _data_sheet(
            "维度得分", result, result.sub_scores[dims], [d.name for d in system.dimensions]
        )
    )
    index_ranks = pd.concat([result.index.rename("综合指数"), result.ranks.rename("排名")], axis=1)
    sheets.append(_data_sheet("综合指数", result, index_ranks, ["综合指数", "排名"]))
    if result.coupling is not None:
        coupling = result.coupling.rename(
            columns={
                "C": "耦合度C",
                "T": "综合发展指数T",
                "D": "耦合协调度D",
                "level": "协调等级",
                "grade": "等级序号",
            }
        )
        if isinstance(coupling.index, pd.MultiIndex):
            table = coupling.reset_index().rename(columns={"place": "地区代码", "year": "年份"})
            table.insert(
                1, "地区", [result.names.get(p) or place_name(p) for p in table["地区代码"]]
            )
        else:
            table = coupling.reset_index().rename(columns={"year": "年份"})
        sheets.append(_table_sheet("耦合协调", result, table))
    else:
        sheets.append(Sheet("耦合协调", ["说明"], [("本次评价未计算耦合协调度",)]))
    filled = result.filled.rename(
        columns={"place": "地区代码", "year": "年份", "indicator": "指标代码", "rule": "规则"}
    )
    sheets.append(_table_sheet("插值单元格", result, filled))
    sheets.append(
        Sheet("重算方法", ["列或步骤", "Excel 公式与说明"], _recompute(result), widths=(26, 110))
    )
    return write_workbook(sheets)
