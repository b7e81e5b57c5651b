"""The project library's import template: the columns of :data:`jingjinji.projects.table.COLUMNS`
(the labels of the project form) with what goes in each, and one fictional example (示例)."""

from __future__ import annotations

from typing import Any

from jingjinji.projects.records import STAGES
from jingjinji.projects.table import COLUMNS, REQUIRED
from jingjinji.store.tabular import TemplateColumn

__all__ = ["project_template"]

_NOTES: dict[str, tuple[str, Any]] = {
    "name": (
        "同一落地地内唯一；重复导入时据“项目名称＋落地地”更新",
        "氢燃料电池电堆产业化项目（示例）",
    ),
    "origin": ("地市或区县名称（京津冀以外可写省份）", "海淀区"),
    "destination": ("京津冀内的地市或区县名称", "保定市"),
    "industry": ("九条产业链之一的名称，如 氢能", "氢能"),
    "segments": ("产业链环节名称，多项用、分隔", "燃料电池电堆"),
    "platform": ("承接平台名称（可选）", ""),
    "park": ("园区名称（可选）", ""),
    "investment": ("非负数，单位亿元", 12.5),
    "stage": ("可选：" + "、".join(STAGES), "签约"),
    "signed_on": ("日期，如 2025-05-08", "2025-05-08"),
    "started_on": ("日期（可选）", ""),
    "operating_on": ("日期（可选）", ""),
    "terminated_on": ("日期（可选）", ""),
    "enterprises": ("多项用、分隔", "某某氢能科技有限公司（示例）"),
    "addresses": ("对应的缺口编号或指标（可选）", ""),
    "match_id": ("来自供需对接时的对接编号（可选）", ""),
    "source": ("记录来源，如 签约公告", "示例"),
}


def project_template() -> tuple[list[TemplateColumn], list[Any]]:
    """Columns and example row of the project import template."""
    columns = [TemplateColumn(zh, _NOTES[name][0], name in REQUIRED) for name, zh in COLUMNS]
    return columns, [_NOTES[name][1] for name, _zh in COLUMNS]
