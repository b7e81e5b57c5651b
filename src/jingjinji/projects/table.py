"""Project rows in and out of spreadsheets: columns, validation against the atlas, export rows.

An import is all-or-nothing: :func:`parse_projects` reads every row and returns either the
parsed projects or the full list of problems (sheet, row, column, reason), never a mix. The
natural key of a project is its name with its destination (:func:`natural_key`), so importing
the same file twice finds every row already present and changes nothing.

Cells may name places by adcode or Chinese name (origins anywhere in China), the industry,
segments, platform and park by slug or Chinese name. Headers may be the Chinese column names
below or the English field names.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from jingjinji.atlas import Atlas, AtlasLookupError, Industry, Park, Platform
from jingjinji.projects.cells import (
    CellError,
    ParsedRows,
    RowProblem,
    parse_date,
    parse_int,
    parse_list,
    parse_number,
    parse_text,
)
from jingjinji.projects.places import in_region, is_adcode, resolve_origin
from jingjinji.projects.records import STAGES

__all__ = [
    "COLUMNS",
    "EXPORT_HEADER",
    "EXPORT_ONLY",
    "MAX_INVESTMENT",
    "PROVENANCES",
    "ProjectInput",
    "export_row",
    "natural_key",
    "parse_projects",
    "validate_project",
]

#: (field, Chinese header) in spreadsheet order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "项目名称"),
    ("origin", "来源地"),
    ("destination", "落地地"),
    ("industry", "产业链"),
    ("segments", "产业链环节"),
    ("platform", "承接平台"),
    ("park", "园区"),
    ("investment", "投资额（亿元）"),
    ("stage", "阶段"),
    ("signed_on", "签约日期"),
    ("started_on", "开工日期"),
    ("operating_on", "投产日期"),
    ("terminated_on", "终止日期"),
    ("enterprises", "涉及企业"),
    ("addresses", "对应缺口或指标"),
    ("match_id", "来源对接编号"),
    ("source", "记录来源"),
)
REQUIRED = ("name", "origin", "destination", "investment", "stage")
#: Largest plausible investment of one project, in 亿元.
MAX_INVESTMENT = 100_000.0
#: Where a record came from: generated sample, spreadsheet import, or entered by hand.
PROVENANCES: dict[str, str] = {"demo": "示例数据", "import": "导入", "manual": "录入"}

#: Columns an export adds for reading; an import of the exported file ignores them.
EXPORT_ONLY: tuple[str, ...] = ("编号", "来源地名称", "落地地名称", "数据性质")

_HEADER = {zh: name for name, zh in COLUMNS} | {name: name for name, _ in COLUMNS}
_ZH = dict(COLUMNS)
_ADCODE_FIELDS = {"origin": "origin_adcode", "destination": "destination_adcode"}


@dataclass
class ProjectInput:
    """The fields of a project as entered: places by adcode, the rest by atlas slug."""

    name: str
    origin_adcode: str
    destination_adcode: str
    investment: float
    stage: str
    industry: str | None = None
    segments: list[str] = field(default_factory=list)
    platform: str | None = None
    park: str | None = None
    signed_on: date | None = None
    started_on: date | None = None
    operating_on: date | None = None
    terminated_on: date | None = None
    enterprises: list[str] = field(default_factory=list)
    addresses: str | None = None
    match_id: int | None = None
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (ORM constructor keywords)."""
        return asdict(self)


def natural_key(name: str, destination_adcode: str) -> tuple[str, str]:
    """The key that identifies a project across imports: its name and destination."""
    return (" ".join(name.split()), destination_adcode)


def validate_project(project: ProjectInput, atlas: Atlas) -> list[tuple[str, str, str]]:
    """Problems of a project as ``(field, reason, reason_zh)``; empty when it is valid.

    Checks: the destination is an atlas place in the region; the origin is a 6-digit code;
    industry, segments (of that industry), platform and park exist in the atlas; the stage is
    one of 签约 开工 在建 投产 终止; 0 ≤ investment ≤ 100 000 亿元; dates run 签约 ≤ 开工 ≤ 投产.
    """
    problems: list[tuple[str, str, str]] = []

    def bad(name: str, reason: str, reason_zh: str) -> None:
        problems.append((name, reason, reason_zh))

    if not project.name.strip():
        bad("name", "empty", "项目名称不能为空")
    if not is_adcode(project.origin_adcode):
        bad("origin", "not a 6-digit adcode", "来源地须为 6 位行政区划代码或地名")
    try:
        atlas.place(project.destination_adcode)
        if not in_region(project.destination_adcode):
            raise AtlasLookupError("place", project.destination_adcode)
    except AtlasLookupError:
        bad("destination", "not a place of the region", "落地地须为京津冀区域内的地区")
    if project.industry is not None:
        try:
            atlas.industry(project.industry)
        except AtlasLookupError:
            bad("industry", f"unknown industry {project.industry!r}", "产业链不存在")
    for slug in project.segments:
        try:
            owner = atlas.industry_of(slug).slug
        except AtlasLookupError:
            bad("segments", f"unknown segment {slug!r}", f"产业链环节“{slug}”不存在")
            continue
        if project.industry is not None and owner != project.industry:
            bad(
                "segments",
                f"segment {slug!r} is not of {project.industry}",
                f"环节“{atlas.segment(slug).name}”不属于所填产业链",
            )
    if project.platform is not None:
        try:
            atlas.platform(project.platform)
        except AtlasLookupError:
            bad("platform", f"unknown platform {project.platform!r}", "承接平台不存在")
    if project.park is not None:
        try:
            atlas.park(project.park)
        except AtlasLookupError:
            bad("park", f"unknown park {project.park!r}", "园区不存在")
    if project.stage not in STAGES:
        bad("stage", f"stage must be one of {', '.join(STAGES)}", f"阶段须为：{'、'.join(STAGES)}")
    if not 0 <= project.investment <= MAX_INVESTMENT:
        bad("investment", "must be between 0 and 100000", "投资额须在 0 到 100000 亿元之间")
    order = [
        ("signed_on", project.signed_on),
        ("started_on", project.started_on),
        ("operating_on", project.operating_on),
    ]
    known = [(name, day) for name, day in order if day is not None]
    for (_first, earlier), (second, later) in itertools.pairwise(known):
        if later < earlier:
            bad(second, "date before the previous stage's date", f"{_ZH[second]}早于前一阶段日期")
    return problems


def _slug(kind: str, text: str, atlas: Atlas) -> str:
    """A slug from a slug or a Chinese name of an atlas record of ``kind``."""
    items: dict[str, tuple[Industry, ...] | tuple[Platform, ...] | tuple[Park, ...]] = {
        "industry": atlas.industries,
        "platform": atlas.platforms,
        "park": atlas.parks,
    }
    for item in items[kind]:
        if text in (item.slug, item.name):
            return item.slug
    raise CellError(f"unknown {kind} {text!r}", f"“{text}”不存在于地图库")


def _segment(text: str, atlas: Atlas) -> str:
    try:
        return atlas.segment(text).slug
    except AtlasLookupError:
        pass
    for industry in atlas.industries:
        for segment in industry.segments:
            if text == segment.name or text in segment.synonyms:
                return segment.slug
    raise CellError(f"unknown segment {text!r}", f"产业链环节“{text}”不存在")


Problems = list[tuple[str, str, str]]


def _parse_row(cells: dict[str, Any], atlas: Atlas) -> tuple[dict[str, Any], Problems]:
    values: dict[str, Any] = {}
    problems: Problems = []
    for name, _zh in COLUMNS:
        raw = cells.get(name)
        try:
            values[name] = _parse_cell(name, raw, atlas)
        except CellError as exc:
            problems.append((name, exc.reason, exc.reason_zh))
        failed = any(p[0] == name for p in problems)
        if name in REQUIRED and values.get(name) is None and not failed:
            problems.append((name, "required", "必填"))
    return values, problems


def _parse_cell(name: str, raw: Any, atlas: Atlas) -> Any:
    if name in ("signed_on", "started_on", "operating_on", "terminated_on"):
        return parse_date(raw)
    if name == "investment":
        return parse_number(raw)
    if name == "match_id":
        return parse_int(raw)
    if name in ("segments", "enterprises"):
        items = parse_list(raw)
        return [_segment(item, atlas) for item in items] if name == "segments" else items
    text = parse_text(raw, max_length=200 if name != "source" else 300)
    if text is None:
        return None
    if name == "origin":
        try:
            return resolve_origin(text, atlas)
        except LookupError:
            raise CellError(f"unknown place {text!r}", f"无法识别地名“{text}”") from None
    if name == "destination":
        try:
            return atlas.resolve_place(text).adcode
        except AtlasLookupError:
            raise CellError(f"unknown place {text!r}", f"无法识别地名“{text}”") from None
    if name in ("industry", "platform", "park"):
        return _slug(name, text, atlas)
    return text


def parse_projects(
    rows: Iterable[tuple[str, int, dict[str, Any]]], *, atlas: Atlas, header: Iterable[str] = ()
) -> tuple[list[tuple[int, ProjectInput]], list[RowProblem]]:
    """Parse ``(sheet, file row, cells by header)`` rows into projects, or report problems.

    Returns ``(projects, [])`` when every row is valid and ``([], problems)`` otherwise, with
    every problem of every row. A name and destination given twice in the file is a problem.
    """
    table: ParsedRows[ProjectInput] = ParsedRows()
    unknown = [h for h in header if h not in _HEADER and h not in EXPORT_ONLY]
    if unknown:
        table.problems.append(
            RowProblem(
                "", 1, unknown[0], f"unknown column {unknown[0]!r}", f"无法识别的列名“{unknown[0]}”"
            )
        )
    for sheet, number, raw in rows:
        cells = {_HEADER[k]: v for k, v in raw.items() if k in _HEADER}
        values, row_problems = _parse_row(cells, atlas)
        if not row_problems:
            project = _project(values)
            row_problems = validate_project(project, atlas)
            key = natural_key(project.name, project.destination_adcode)
            first = None if row_problems else table.keep(number, project, key)
            if first is not None:
                row_problems = [
                    (
                        "name",
                        f"same name and destination as row {first}",
                        f"与第 {first} 行项目名称和落地地重复",
                    )
                ]
        table.report(sheet, number, row_problems, raw=raw, headers=_ZH)
    return table.result()


def _project(values: dict[str, Any]) -> ProjectInput:
    """The project of a row's parsed cells (``origin`` and ``destination`` are adcodes; an
    empty 记录来源 becomes "")."""
    fields = {_ADCODE_FIELDS.get(name, name): v for name, v in values.items()}
    return ProjectInput(**(fields | {"source": fields["source"] or ""}))


#: Header of an exported project table: 编号, the import columns, then the reading aids.
EXPORT_HEADER: tuple[str, ...] = ("编号", *(zh for _n, zh in COLUMNS), *EXPORT_ONLY[1:])


def export_row(
    project: ProjectInput, *, id: int | None, provenance: str, atlas: Atlas
) -> list[Any]:
    """One exported row in :data:`EXPORT_HEADER` order; re-importing it changes nothing.

    Places stay adcodes (district names repeat across cities); industry, segments, platform
    and park are written by Chinese name, which the importer resolves back.
    """
    from jingjinji.projects.places import place_label

    def name_of(kind: str, slug: str | None) -> str:
        if not slug:
            return ""
        try:
            return str(getattr(atlas, kind)(slug).name)
        except AtlasLookupError:
            return slug

    def day(value: date | None) -> str:
        return value.isoformat() if value else ""

    return [
        id,
        project.name,
        project.origin_adcode,
        project.destination_adcode,
        name_of("industry", project.industry),
        "、".join(name_of("segment", s) for s in project.segments),
        name_of("platform", project.platform),
        name_of("park", project.park),
        project.investment,
        project.stage,
        day(project.signed_on),
        day(project.started_on),
        day(project.operating_on),
        day(project.terminated_on),
        "、".join(project.enterprises),
        project.addresses or "",
        project.match_id if project.match_id is not None else "",
        project.source,
        place_label(project.origin_adcode, atlas),
        place_label(project.destination_adcode, atlas),
        PROVENANCES.get(provenance, provenance),
    ]
