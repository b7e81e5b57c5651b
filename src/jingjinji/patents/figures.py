"""The innovation figures of an industry from the store: patents and registry enterprises per
segment and prefecture unit, cached until either changes (see :mod:`.innovation`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError, Place
from jingjinji.patents.innovation import CASE_ADVICE, CASES, InnovationCell, PatentFact
from jingjinji.patents.innovation import innovation_table as _table
from jingjinji.store import ReadCache, table_stamp
from jingjinji.store.models import Enterprise, EnterpriseSegment, Patent, PatentSegment

__all__ = [
    "INPUTS",
    "beijing_deal_segments",
    "industry_innovation",
    "innovation_cells",
    "innovation_inputs",
    "innovation_suggestions",
    "innovation_summary",
    "resolve_unit",
]

#: One set of inputs per database: rebuilt when patents or the registry change.
INPUTS = ReadCache("innovation inputs", size=4)
#: The cells per industry and choice of filters, for the same state of the data.
TABLES = ReadCache("innovation tables", size=64)

METHOD = (
    "专利按第一申请人所在地市计入；环节由国际专利分类号对照表与名称、摘要文本分类共同确定，"
    "只计“确认”的归属。区位熵以京津冀全域为基准：某地某环节专利（企业）占该地全部专利（企业）"
    "的比重，除以该环节在全域的比重。区位熵不低于 1 且专利不少于 {min_patents} 件为创新链强，"
    "区位熵不低于 1 且企业不少于 {min_enterprises} 家为产业链强。耦合协调度：创新子系统为专利、"
    "发明专利、申请人数各自在各地之间极差标准化后的平均，产业子系统为企业数的极差标准化，"
    "两子系统等权，采用王淑佳等（2021）修正的耦合度模型，等级按廖重斌（1999）十级划分；"
    "某地某环节只有专利没有企业（或反之）时，一个子系统为零，按模型耦合度为 0；两者都没有时不计算。"
)


def _unit_of(atlas: Atlas) -> dict[str, str]:
    units: dict[str, str] = {}
    for place in atlas.places:
        unit = atlas.prefecture_unit_of(place.adcode)
        if unit is not None:
            units[place.adcode] = unit.adcode
    return units


def _stamp(session: Session) -> tuple[Any, ...]:
    return (
        *table_stamp(session, Patent, PatentSegment),
        *table_stamp(session, Enterprise, EnterpriseSegment),
    )


def innovation_inputs(
    session: Session, atlas: Atlas
) -> tuple[list[PatentFact], dict[tuple[str, str], int], dict[str, int]]:
    """Patent facts (confirmed segments), operating enterprises per (segment, unit) and the
    patents per provenance (``demo`` marks 示例数据), rebuilt when either table changes."""
    return INPUTS.get(session, id(atlas), _stamp(session), lambda: _inputs(session, atlas))


def innovation_cells(
    session: Session,
    atlas: Atlas,
    slug: str,
    *,
    include_design: bool = False,
    include_lapsed: bool = False,
    min_patents: int = 3,
    min_enterprises: int = 3,
) -> list[InnovationCell]:
    """The cells of industry ``slug`` over the region's prefecture units
    (:func:`~jingjinji.patents.innovation.innovation_table`), computed once per state of the
    patents and the registry and per choice of filters (the chain page, the suggestions and
    协同成效 ask for the same table)."""
    segments = tuple(s.slug for s in atlas.industry(slug).segments)
    choice = (include_design, include_lapsed, min_patents, min_enterprises)

    def compute() -> list[InnovationCell]:
        facts, firms, _provenance = innovation_inputs(session, atlas)
        return _table(
            facts,
            firms,
            places=[u.adcode for u in atlas.prefecture_units()],
            segments=segments,
            include_design=include_design,
            include_lapsed=include_lapsed,
            min_patents=min_patents,
            min_enterprises=min_enterprises,
        )

    return TABLES.get(session, (id(atlas), slug, choice), _stamp(session), compute)


def _inputs(
    session: Session, atlas: Atlas
) -> tuple[list[PatentFact], dict[tuple[str, str], int], dict[str, int]]:
    from jingjinji.chains.repository.context import operating_clause

    units = _unit_of(atlas)
    facts = [
        PatentFact(
            segment=segment,
            place=units.get(adcode) if adcode else None,
            year=filed.year,
            kind=kind,
            lapsed=status == "失效",
            applicant=(applicants or "").split("；")[0],
        )
        for segment, adcode, filed, kind, status, applicants in session.execute(
            select(
                PatentSegment.segment,
                Patent.place_adcode,
                Patent.filed_on,
                Patent.kind,
                Patent.legal_status,
                Patent.applicants,
            )
            .join(Patent, Patent.id == PatentSegment.patent_id)
            .where(PatentSegment.decision == "confirmed")
        )
    ]
    firms: dict[tuple[str, str], int] = defaultdict(int)
    for segment, adcode, n in session.execute(
        select(EnterpriseSegment.segment, Enterprise.place_adcode, func.count())
        .join(Enterprise, Enterprise.id == EnterpriseSegment.enterprise_id)
        .where(EnterpriseSegment.decision == "confirmed", operating_clause())
        .group_by(EnterpriseSegment.segment, Enterprise.place_adcode)
    ):
        unit = units.get(adcode)
        if unit is not None:
            firms[(segment, unit)] += int(n)
    provenance = {
        str(p): int(n)
        for p, n in session.execute(
            select(Patent.provenance, func.count()).group_by(Patent.provenance)
        )
    }
    return facts, dict(firms), provenance


def resolve_unit(atlas: Atlas, text: str) -> Place:
    """The prefecture unit named by an adcode or a Chinese place name (a county gives its
    unit); raises :class:`~jingjinji.atlas.AtlasLookupError`."""
    place = atlas.place(text) if text.isdigit() else atlas.resolve_place(text)
    unit = atlas.prefecture_unit_of(place.adcode)
    if unit is None:
        raise AtlasLookupError("place", text, "not in a prefecture unit")
    return unit


def _cell_dict(cell: InnovationCell, names: dict[str, str]) -> dict[str, Any]:
    data = asdict(cell)
    data["place_name"] = names.get(cell.place, cell.place)
    data["partners"] = [
        {"place": place, "place_name": names.get(place, place), "count": n}
        for place, n in cell.partners
    ]
    data["advice"] = CASE_ADVICE[cell.case]
    for key in (
        "lq_patents",
        "lq_enterprises",
        "growth",
        "u_innovation",
        "u_industry",
        "coupling",
        "coordination",
    ):
        if data[key] is not None:
            data[key] = round(float(data[key]), 4)
    return data


def industry_innovation(
    session: Session,
    atlas: Atlas,
    slug: str,
    *,
    place: str | None = None,
    include_design: bool = False,
    include_lapsed: bool = False,
    min_patents: int = 3,
    min_enterprises: int = 3,
) -> dict[str, Any]:
    """Both chains of industry ``slug`` over the region's prefecture units: every cell
    (segment × place), the cells of ``place`` when given, the count of each case, and the
    provenance (what the patents are: 示例数据 when any is sample data)."""
    industry = atlas.industry(slug)
    unit = resolve_unit(atlas, place) if place else None
    _facts, _firms, provenance = innovation_inputs(session, atlas)
    units = atlas.prefecture_units()
    names = {u.adcode: u.name for u in units}
    segments: Sequence[str] = [s.slug for s in industry.segments]
    cells = innovation_cells(
        session,
        atlas,
        slug,
        include_design=include_design,
        include_lapsed=include_lapsed,
        min_patents=min_patents,
        min_enterprises=min_enterprises,
    )
    by_segment: dict[str, list[dict[str, Any]]] = {s: [] for s in segments}
    for cell in cells:
        by_segment[cell.segment].append(_cell_dict(cell, names))
    segment_names = {s.slug: s.name for s in industry.segments}
    sample = provenance.get("demo", 0)
    result: dict[str, Any] = {
        "industry": slug,
        "industry_name": industry.name,
        "places": [{"adcode": u.adcode, "name": u.name} for u in units],
        "segments": [
            {"segment": s, "segment_name": segment_names[s], "cells": by_segment[s]}
            for s in segments
        ],
        "filters": {
            "include_design": include_design,
            "include_lapsed": include_lapsed,
            "min_patents": min_patents,
            "min_enterprises": min_enterprises,
        },
        "cases": list(CASES),
        "method": METHOD.format(min_patents=min_patents, min_enterprises=min_enterprises),
        "provenance": {
            "patents": provenance,
            "sample": sample > 0,
            "label": "示例数据" if sample else "导入数据",
            "note": (
                "专利为示例数据（固定随机种子生成，申请号校验位故意写错，不对应任何真实专利）"
                if sample
                else "专利来自用户导入的专利检索导出文件"
            ),
            "registry": "企业来自平台企业名录（只计在营企业的确认环节）",
        },
    }
    if unit is not None:
        result["place"] = {"adcode": unit.adcode, "name": unit.name}
        result["place_cells"] = [
            next(c for c in by_segment[s] if c["place"] == unit.adcode)
            | {"segment_name": segment_names[s]}
            for s in segments
        ]
        counts = {case: 0 for case in CASES}
        for cell in result["place_cells"]:
            counts[cell["case"]] += 1
        result["place_cases"] = counts
    return result


def beijing_deal_segments(session: Session) -> set[str]:
    """Segments of the deals (签约 or 落地) between a Beijing achievement and a Tianjin or
    Hebei demand (the segments of either listing)."""
    from sqlalchemy.orm import aliased

    from jingjinji.loop.repository.shared import DEAL_STAGES
    from jingjinji.store.models import Listing, ListingSegment, Match

    offer, need = aliased(Listing), aliased(Listing)
    rows = session.execute(
        select(Match.demand_id, Match.achievement_id)
        .join(offer, offer.id == Match.achievement_id)
        .join(need, need.id == Match.demand_id)
        .where(
            Match.stage.in_(sorted(DEAL_STAGES)),
            offer.place_adcode.like("11%"),
            need.place_adcode.like("12%") | need.place_adcode.like("13%"),
        )
    ).all()
    ids = {i for row in rows for i in row}
    if not ids:
        return set()
    return set(
        session.scalars(select(ListingSegment.segment).where(ListingSegment.listing_id.in_(ids)))
    )


def innovation_suggestions(
    session: Session, atlas: Atlas, slug: str, *, min_patents: int = 3
) -> dict[str, Any]:
    """The suggested pushes and demands of industry ``slug`` (:mod:`.pushes`), each with a
    draft listing (an achievement list for the Beijing owners, or a demand for the city)."""
    from jingjinji.patents.pushes import suggest_pushes

    industry = atlas.industry(slug)
    facts, _firms, provenance = innovation_inputs(session, atlas)
    units = atlas.prefecture_units()
    names = {u.adcode: u.name for u in units}
    segment_names = {s.slug: s.name for s in industry.segments}
    cells = innovation_cells(session, atlas, slug, min_patents=min_patents)
    wanted = set(segment_names)
    items = suggest_pushes(
        cells,
        [f for f in facts if f.segment in wanted],
        deal_segments=beijing_deal_segments(session),
        names=names,
        min_patents=min_patents,
    )
    for item in items:
        name = segment_names[item["segment"]]
        item["segment_name"] = name
        if item["kind"] == "push":
            owners = "、".join(o["name"] for o in item["owners"][:3])
            places = "、".join(d["place_name"] for d in item["destinations"][:3])
            item["draft"] = {
                "kind": "achievement",
                "title": f"北京{name}专利成果推介清单",
                "summary": (
                    f"北京在{industry.name}产业链“{name}”环节有 {item['patents']} 件专利"
                    f"（主要权利人：{owners}），拟向{places}等地有承接企业的园区推介转化。"
                ),
                "place_adcode": "110000",
                "segments": [item["segment"]],
                "industries": [slug],
            }
        else:
            sources = "、".join(s["place_name"] for s in item["sources"][:3]) or "区域内外"
            item["draft"] = {
                "kind": "demand",
                "title": f"{item['place_name']}{name}环节技术需求（两链对接）",
                "summary": (
                    f"{item['place_name']}{industry.name}产业链“{name}”环节有 "
                    f"{item['enterprises']} 家企业，但本地专利仅 {item['patents']} 件。"
                    f"征集可在{item['place_name']}转化的技术成果，优先对接{sources}的专利权人。"
                ),
                "place_adcode": item["place"],
                "segments": [item["segment"]],
                "industries": [slug],
            }
    sample = provenance.get("demo", 0) > 0
    return {
        "industry": slug,
        "industry_name": industry.name,
        "data": items,
        "count": len(items),
        "is_sample": sample,
        "label": "示例数据" if sample else "导入数据",
    }


def innovation_summary(
    session: Session, atlas: Atlas, slug: str, place: str
) -> dict[str, Any] | None:
    """The two chains of industry ``slug`` in the city of ``place`` in brief, for 协同成效:
    the count of each case, the mean coupling coordination degree D over the segments the
    region has (patents or enterprises anywhere) and its level; ``None`` when ``place`` is no
    city of the region (the region, a corridor)."""
    from jingjinji.indicators.coupling import coordination_level

    try:
        result = industry_innovation(session, atlas, slug, place=place)
    except AtlasLookupError:
        return None
    cells = [c for c in result["place_cells"] if c["case"] != "无"]
    values = [c["coordination"] for c in cells if c["coordination"] is not None]
    mean = sum(values) / len(values) if values else None
    return {
        "place": result["place"]["adcode"],
        "place_name": result["place"]["name"],
        "cases": result["place_cases"],
        "segments": len(cells),
        "coordination": None if mean is None else round(mean, 4),
        "level": None if mean is None else coordination_level(mean),
        "is_sample": result["provenance"]["sample"],
        "method": "各环节创新子系统与产业子系统耦合协调度 D 的平均（只计区域内有专利或企业的环节）",
    }
