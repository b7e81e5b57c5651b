"""专利与创新链: the patents on the chain segments (search, filters, the evidence of each
segment) and the patent import page; the figures per city are on the chain pages."""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.patents.table import COLUMNS, REQUIRED
from jingjinji.web.api.patents import read_patents
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.schemas.patents import PatentPublic
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
_ADCODE = re.compile(r"^\d{6}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Chinese words for the stored codes a patent page shows.
DECISIONS = {"confirmed": "确认", "uncertain": "待核", "rejected": "未采用"}
SOURCES = {"ipc": "分类号", "text": "名称与摘要", "both": "分类号与名称、摘要"}
PLACE_SOURCES = {"address": "按申请人地址", "registry": "按企业名录"}
FIELDS = {"title": "名称", "abstract": "摘要"}
GRADES = {"strong": "强", "medium": "中", "weak": "弱"}

#: Canonical import column → what the import page calls it.
COLUMN_LABELS = {
    "application_number": "申请号",
    "publication_number": "公开（公告）号",
    "title": "名称",
    "abstract": "摘要",
    "filed_on": "申请日",
    "published_on": "公开（公告）日",
    "main_ipc": "主分类号",
    "ipc": "全部分类号",
    "applicants": "申请（专利权）人",
    "address": "第一申请人地址",
    "province": "第一申请人所在省份",
    "city": "第一申请人所在城市",
    "county": "第一申请人所在区县",
    "kind": "专利类型",
    "legal_status": "法律状态",
    "owner": "当前权利人",
}
#: What the import page says of a column beside its headers.
COLUMN_NOTES = {
    "application_number": "如 CN202310123456.7；再次导入时按申请号更新",
    "title": "与摘要一起用于按文本归入环节",
    "filed_on": "日期，如 2023-05-18",
    "main_ipc": "如 H01M8/1004；缺省时取全部分类号中的第一个",
    "ipc": "多个分类号用分号隔开",
    "applicants": "多个申请人用分号隔开，第一个为第一申请人（专利计入其所在地市）",
    "address": "地址、省份＋城市＋区县任选其一；地址不明时按企业名录中同名企业定位",
    "kind": "发明、实用新型或外观设计；缺省时由申请号判断",
    "legal_status": "有效、失效、审中及其常见写法（如“未缴年费专利权终止”）",
}


def import_columns() -> list[tuple[str, str, str]]:
    """(what, accepted headers, note) per import column, as the import page lists them:
    only the Chinese headers (and IPC) of :data:`COLUMNS`."""
    rows = []
    for column, headers in COLUMNS.items():
        label = COLUMN_LABELS.get(column, headers[0])
        if column in REQUIRED:
            label += "（必填）"
        shown = "、".join(h for h in headers if not re.fullmatch(r"[a-z_]+", h))
        rows.append((label, shown, COLUMN_NOTES.get(column, "")))
    return rows


def _param(request: Request, name: str, pattern: re.Pattern[str] | None = None) -> str | None:
    value = request.query_params.get(name, "").strip()
    if not value or len(value) > 100:
        return None
    return value if pattern is None or pattern.match(value) else None


def _unit_name(atlas: Atlas, adcode: str | None) -> str:
    """``北京市 · 海淀区`` for a county, the unit's name for a unit, '' when unplaced."""
    if not adcode:
        return ""
    try:
        place = atlas.place(adcode)
        unit = atlas.prefecture_unit_of(adcode)
    except AtlasLookupError:
        return ""
    if unit is None or unit.adcode == place.adcode:
        return place.name
    return f"{unit.name} · {place.name}"


def _patent_view(patent: PatentPublic, atlas: Atlas, industries: dict[str, str]) -> dict[str, Any]:
    """A patent as the list shows it: codes put into words, evidence described."""
    segments = []
    for segment in patent.segments:
        evidence = []
        for item in segment.evidence:
            if item.get("kind") == "ipc":
                evidence.append(
                    {
                        "kind": "ipc",
                        "ipc": item.get("ipc", ""),
                        "group": item.get("group", ""),
                        "basis": item.get("basis", ""),
                        "main": item.get("main") == "是",
                        "note": item.get("note", ""),
                    }
                )
            else:
                evidence.append(
                    {
                        "kind": "word",
                        "word": item.get("word", ""),
                        "field": FIELDS.get(str(item.get("field")), "文本"),
                        "grade": GRADES.get(str(item.get("grade")), ""),
                    }
                )
        segments.append(
            {
                "name": segment.segment_name,
                "industry": segment.industry,
                "industry_name": industries.get(segment.industry, ""),
                "confidence": segment.confidence,
                "decision": segment.decision,
                "decision_name": DECISIONS.get(segment.decision, "待核"),
                "source_name": SOURCES.get(segment.source, ""),
                "evidence": evidence,
            }
        )
    return {
        "patent": patent,
        "place": _unit_name(atlas, patent.place_adcode),
        "place_source": PLACE_SOURCES.get(patent.place_source, ""),
        "segments": segments,
    }


@router.get("/patents", response_class=HTMLResponse)
def patents_page(request: Request, db: SessionDep, atlas: AtlasDep) -> Response:
    """Patents, newest filing first, filtered by words, industry, segment and city; each
    with its segments and the evidence (IPC groups with their basis, words found)."""
    industry = _param(request, "industry", _SLUG)
    industries = {i.slug: i.name for i in atlas.industries}
    if industry not in industries:
        industry = None
    segment = _param(request, "segment", _SLUG)
    segment_options = (
        [(s.slug, s.name) for s in atlas.industry(industry).segments] if industry else []
    )
    if segment not in {slug for slug, _ in segment_options}:
        segment = None
    units = [(u.adcode, u.name) for u in atlas.prefecture_units()]
    place = _param(request, "place", _ADCODE)
    if place not in {code for code, _ in units}:
        place = None
    q = (request.query_params.get("q") or "").strip()[:100]
    try:
        page = max(1, min(10_000, int(request.query_params.get("page") or 1)))
    except ValueError:
        page = 1
    result = read_patents(
        db,
        atlas,
        industry=industry,
        segment=segment,
        place=place,
        q=q or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    pages = max(1, math.ceil(result.count / PAGE_SIZE))
    filters = {"q": q, "industry": industry, "segment": segment, "place": place}
    query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "title": "专利与创新链",
        "q": q,
        "industry": industry,
        "industry_name": industries.get(industry or "", ""),
        "segment": segment,
        "place": place,
        "industries": atlas.industries,
        "segment_options": segment_options,
        "units": units,
        "patents": [_patent_view(p, atlas, industries) for p in result.data],
        "count": result.count,
        "includes_sample": result.includes_sample,
        "page": page,
        "pages": pages,
        "page_href": "/patents?" + (query + "&" if query else "") + "page=",
    }
    return render(request, "patents/index.html", context, active="chains")


@router.get("/patents/import", response_class=HTMLResponse)
def patent_import(request: Request) -> Response:
    """导入专利: upload a patent search export (CSV or XLSX)."""
    context = {"title": "导入专利", "columns": import_columns()}
    return render(request, "patents/import.html", context, active="chains")
