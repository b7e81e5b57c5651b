"""The methods' refusals in Chinese: what an analyst reads when a panel and a method do not fit.

The measures raise ``ValueError`` with an English message (for logs and library users);
:func:`refusal_zh` turns the ones a run can reach into a Chinese sentence that says what to
change, naming the indicators by their Chinese names where the message names columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

__all__ = ["refusal_zh"]

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Mapping[str, str]], str]]

_METHODS = {"entropy": "熵值法", "CRITIC": "CRITIC 法", "std": "标准差法"}


def _names(text: str, names: Mapping[str, str]) -> str:
    ids = [part.strip().strip("'") for part in text.split(",")]
    return "、".join(f"“{names.get(i, i)}”" for i in ids if i)


def _undefined_scores(dimensions: str) -> str:
    tail = "因而无法计算耦合协调度；请改用线性加权，或不计算耦合协调"
    if dimensions == "-":
        return f"部分地区的综合得分无法计算，{tail}"
    named = "、".join(f"“{d}”" for d in dimensions.split(", "))
    return f"维度{named}中各地区的指标值完全相同，该维度的得分无法计算，{tail}"


_RULES: list[_Rule] = [
    (
        re.compile(r"every column is constant, so (\w+) weights are undefined"),
        lambda m, _: (
            f"所有指标在各地区、各年份都取同一数值，{_METHODS.get(m[1], m[1])}权重无法确定；"
            "请检查面板数据，或改用等权、指标体系给定权重"
        ),
    ),
    (
        re.compile(r"CRITIC weights are undefined"),
        lambda m, _: (
            "CRITIC 法权重无法确定：变化的指标少于两个，或它们完全相关；请改用熵值法或等权"
        ),
    ),
    (
        re.compile(r"negative values"),
        lambda m, _: "所选赋权方法需要非负的标准化得分；请改用极差标准化或向量归一化",
    ),
    (
        re.compile(r"needs two places per year; not in (.+)$"),
        lambda m, _: (
            f"逐年评价每年至少需要两个地区，{m[1].replace(', ', '、')} 年不足；请改用全局范围"
        ),
    ),
    (
        re.compile(r"at least two place-years"),
        lambda m, _: "面板至少需要两个地区-年份才能评价",
    ),
    (
        re.compile(r"coupling needs sub-scores in \[0, 1\]"),
        lambda m, _: "耦合协调度需要 [0, 1] 区间内的得分，请选择极差标准化",
    ),
    (
        re.compile(r"column\(s\) (.+) are all zero; vector normalisation"),
        lambda m, names: f"指标{_names(m[1], names)}全为 0，无法向量归一化；请改用极差标准化",
    ),
    (
        re.compile(r"weighting='fixed' needs weights"),
        lambda m, _: (
            "指标体系没有给每个指标填写权重，不能使用给定权重；请在“权重”列补全，或改用客观赋权"
        ),
    ),
    (
        re.compile(r"coupling='dimensions' needs at least 2 dimensions"),
        lambda m, _: "维度之间的耦合协调至少需要两个维度",
    ),
    (
        re.compile(r"coupling='places' needs at least 2 places"),
        lambda m, _: "地区之间的耦合协调至少需要两个地区",
    ),
    (
        re.compile(r"share no positive indicator|cover different indicators"),
        lambda m, _: (
            "主观权重与客观权重没有共同的正权重指标，无法组合；请检查判断矩阵或指标体系的权重"
        ),
    ),
    (
        re.compile(r"coupling needs every score; undefined sub-scores in dimension\(s\) (.+) \("),
        lambda m, _: _undefined_scores(m[1]),
    ),
    (
        re.compile(r"missing or infinite values|has infinite values|has missing values"),
        lambda m, _: "面板中有缺失或无穷大的数值；请补全，或选择线性插值、向前填充",
    ),
]


def refusal_zh(message: str, names: Mapping[str, str] | None = None) -> str:
    """The Chinese refusal for the English ``message`` of a method's ``ValueError``;
    ``names`` maps indicator ids to their Chinese names. A message no rule knows gives a
    general sentence (the English stays in the log)."""
    for pattern, sentence in _RULES:
        match = pattern.search(message)
        if match:
            return sentence(match, names or {})
    return "所选方法无法用于这个面板；请更换标准化、赋权或集成方法，或检查面板数据"
