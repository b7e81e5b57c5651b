"""The policy list's import template: the columns of :data:`jingjinji.policies.table.COLUMNS`
with what goes in each, and one fictional example (示例)."""

from __future__ import annotations

from typing import Any

from jingjinji.policies.records import POLICY_TYPES, SIZES
from jingjinji.policies.table import COLUMNS, REQUIRED
from jingjinji.store.tabular import TemplateColumn

__all__ = ["policy_template"]

_LIST = "多项用、分隔"
_NOTES: dict[str, tuple[str, Any]] = {
    "title": (
        "政策标题；有文号时据文号更新，否则据“标题＋发文地区”",
        "【示例】氢能产业链补链项目奖励办法",
    ),
    "place": ("发文地区名称，如 河北省、保定市", "保定市"),
    "department": ("发文部门", "某某局（示例）"),
    "number": ("文号（可选）", ""),
    "issued_on": ("日期，如 2025-03-01", "2025-03-01"),
    "effective_on": ("日期（可选）", "2025-03-01"),
    "expires_on": ("日期（可选）", "2027-12-31"),
    "type": ("可选：" + "、".join(POLICY_TYPES), "资金"),
    "target_places": ("适用地区名称，" + _LIST, "保定市"),
    "target_industries": ("产业链名称，" + _LIST, "氢能"),
    "target_segments": ("产业链环节名称，" + _LIST, ""),
    "target_tags": ("企业标签，如 专精特新“小巨人”，" + _LIST, ""),
    "target_sizes": ("可选：" + "、".join(SIZES) + "，" + _LIST, ""),
    "revenue_min": ("非负数，单位万元（可选）", ""),
    "revenue_max": ("非负数，单位万元（可选）", ""),
    "founded_after": ("日期（可选）", ""),
    "benefits": ("支持内容", "对补链项目按设备投资的 10% 给予奖励（示例）"),
    "summary": ("摘要", "示例政策，仅用于演示模板格式。"),
    "full_text": ("全文（可选）", ""),
    "link": ("原文链接（可选）", ""),
    "source": ("记录来源", "示例"),
}


def policy_template() -> tuple[list[TemplateColumn], list[Any]]:
    """Columns and example row of the policy import template."""
    columns = [TemplateColumn(zh, _NOTES[name][0], name in REQUIRED) for name, zh in COLUMNS]
    return columns, [_NOTES[name][1] for name, _zh in COLUMNS]
