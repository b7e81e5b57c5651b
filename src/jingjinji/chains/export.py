"""Tables of coverage and suggestions for export (header + rows; the caller writes the file)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jingjinji.chains.coverage import STATUS_LABELS, Coverage
from jingjinji.chains.relatedness import QUADRANTS
from jingjinji.chains.suggest import KIND_LABELS, Suggestion

__all__ = ["coverage_table", "suggestion_table"]

Table = tuple[list[str], list[list[Any]]]
_STAGES = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}


def coverage_table(cov: Coverage, *, is_sample: bool = False) -> Table:
    """One row per segment: stage, name, count, key enterprises, LQ, status, density, quadrant,
    and the status's bootstrap stability when computed (:mod:`jingjinji.chains.uncertainty`)."""
    header = [
        "地点",
        "环节",
        "环节代码",
        "链位",
        "企业数",
        "重点企业数",
        "重点企业",
        "区位商",
        "同级75分位区位商",
        "状态",
        "密度",
        "象限",
        "区域企业数",
        "状态稳定性（自助抽样）",
        "状态不确定",
        "数据",
    ]
    rows = [
        [
            cov.place.name,
            row.name,
            row.segment,
            _STAGES.get(row.stage, row.stage),
            row.count,
            row.key_count,
            "、".join(item["name"] for item in row.key_enterprises),
            round(row.lq, 3),
            round(row.lq_p75, 3),
            STATUS_LABELS[row.status],
            round(row.density, 3),
            QUADRANTS[row.quadrant],
            row.region_count,
            "" if row.status_stability is None else round(row.status_stability, 3),
            "不确定" if row.status_uncertain else "",
            "示例数据" if is_sample else "",
        ]
        for row in cov.segments
    ]
    return header, rows


def suggestion_table(items: Sequence[Suggestion], *, is_sample: bool = False) -> Table:
    """One row per suggestion: rank, kind, segment, score, reason, partners."""
    header = [
        "排名",
        "编号",
        "类型",
        "环节",
        "状态",
        "密度",
        "得分",
        "理由",
        "候选合作企业",
        "数据",
    ]
    rows = [
        [
            rank,
            item.id,
            KIND_LABELS[item.kind],
            item.segment_name,
            STATUS_LABELS.get(
                item.status,
                item.status,  # type: ignore[call-overload]
            ),
            round(item.density, 3),
            round(item.score, 3),
            item.reason,
            "；".join(
                f"{p.name}（{p.prefecture}{p.county_name}，{p.distance_km:.0f} km）"
                for p in item.partners
            ),
            "示例数据" if is_sample else "",
        ]
        for rank, item in enumerate(items, start=1)
    ]
    return header, rows
