"""A draft demand or 揭榜挂帅 challenge call pre-filled from a chain-map gap."""

from __future__ import annotations

from typing import Any, Literal

from jingjinji.atlas import Industry, Segment

__all__ = ["draft_listing"]

_KIND_ZH = {"fill": "补链", "extend": "延链", "strengthen": "强链"}
_STATE_ZH = {"missing": "尚无企业", "thin": "企业薄弱", "present": "已有企业", "strong": "具备优势"}


def draft_listing(
    *,
    kind: Literal["demand", "challenge"],
    suggestion: dict[str, Any],
    industry: Industry,
    segment: Segment,
    place_adcode: str,
    place_name: str,
) -> dict[str, Any]:
    """Listing fields for a draft naming the segment, the place and the gap's reason.

    ``suggestion`` is :meth:`jingjinji.chains.suggest.Suggestion.as_dict`. The draft needs
    中试 or later (the place wants production, not a laboratory result) and names the
    suggestion in words (its id is kept with the draft's gap link, not in the text a reader
    sees).

    >>> from jingjinji.atlas import load_atlas
    >>> atlas = load_atlas()
    >>> seg = atlas.segment("hydrogen-fc-mea")
    >>> d = draft_listing(kind="demand", suggestion={"id": "fill.130600.hydrogen-fc-mea",
    ...     "kind": "fill", "status": "missing", "reason": "保定市“膜电极”环节尚无企业"},
    ...     industry=atlas.industry_of(seg.slug), segment=seg, place_adcode="130600",
    ...     place_name="保定市")
    >>> d["title"], d["segments"]
    ('保定市膜电极环节技术需求（补链）', ['hydrogen-fc-mea'])
    """
    gap = _KIND_ZH.get(str(suggestion.get("kind")), "补链")
    state = _STATE_ZH.get(str(suggestion.get("status")), "")
    reason = str(suggestion.get("reason", "")).rstrip("。；;")
    if kind == "challenge":
        title = f"揭榜挂帅：{place_name}{segment.name}关键技术攻关（{gap}）"
    else:
        title = f"{place_name}{segment.name}环节技术需求（{gap}）"
    summary = (
        f"{place_name}{industry.name}产业链“{segment.name}”环节{state}（{gap}缺口）。"
        f"征集可在{place_name}转化落地的“{segment.name}”技术成果与合作方。"
        f"缺口依据：{reason}。来源：产业链图谱中{place_name}“{segment.name}”环节的{gap}建议。"
    )
    values: dict[str, Any] = {
        "kind": kind,
        "title": title[:200],
        "summary": summary,
        "place_adcode": place_adcode,
        "segments": [segment.slug],
        "industries": [industry.slug],
        "keywords": list(segment.keywords[:6]),
        "stage": "中试",
        "current_solution": f"{place_name}本地{state or '缺少该环节企业'}，依赖区域外供给",
        "target_indicators": f"在{place_name}形成“{segment.name}”环节的产业化能力"
        "（新增企业或投产项目）",
        "status": "draft",
    }
    if kind == "challenge":
        values["conditions"] = "具备该环节成果中试或小批量验证基础；优先京津高校、院所与企业"
        values["challenge_stage"] = "发榜"
    return values
