"""Indicator systems, shipped panels, evaluations (saved by analysts) and the public preview.

Anonymous visitors read the systems, the shipped panels and computed previews of the shipped
panels (aggregate statistics); analysts and admins run and save evaluations, also of
uploaded panels; a saved evaluation is readable by analysts, admins and the members of the
organization that ran it.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import lru_cache
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from jingjinji.auth import ANALYST, can_read_private, record_change, snapshot
from jingjinji.indicators import (
    EvaluationResult,
    IndicatorSystem,
    IndicatorSystemError,
    Panel,
    PanelError,
    evaluate,
    list_systems,
    load_system,
    read_panel,
)
from jingjinji.indicators.report import result_workbook
from jingjinji.indicators.serialize import (
    method_digest,
    method_parameters,
    result_from_dict,
    result_to_dict,
)
from jingjinji.indicators.shipped import SHIPPED_PANELS
from jingjinji.store.models import Evaluation, User
from jingjinji.store.tabular import TableError, read_table, sniff_format
from jingjinji.web.deps import OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.evaluations import (
    Aggregation,
    Coupling,
    DimensionPublic,
    EvaluationPreview,
    EvaluationPublic,
    EvaluationsPublic,
    EvaluationSummary,
    Fill,
    IndicatorPublic,
    IndicatorSystemPublic,
    IndicatorSystemsPublic,
    PanelPublic,
    PanelsPublic,
    Scope,
    ShippedPanelName,
    Weighting,
)
from jingjinji.web.security import requires
from jingjinji.web.uploads import read_upload, table_error

router = APIRouter(prefix="/api", tags=["indicators"])

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SystemName = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]


# --------------------------------------------------------------------------- helpers


def _system(name: str) -> IndicatorSystem:
    if name not in list_systems():
        raise ApiError(
            422,
            f"未知的指标体系“{name}”，可选：{'、'.join(list_systems())}",
            code="unknown_system",
            fields=[{"field": "system", "message": f"unknown system {name!r}"}],
        )
    try:
        return load_system(name)
    except IndicatorSystemError as exc:  # pragma: no cover - shipped templates are tested
        raise ApiError(500, exc.message_zh) from exc


def _is_monitor(system: IndicatorSystem) -> bool:
    return all(ind.threshold is not None for ind in system.indicators)


def _panel_error(exc: PanelError) -> ApiError:
    log.info("rejected panel: %s", exc)
    return ApiError(
        422,
        exc.message_zh,
        code="invalid_panel",
        fields=[
            {
                "field": p.column or "file",
                "message": f"{p.where_zh()}：{p.message_zh}",
                "file": p.file,
                "sheet": p.sheet or "",
                "row": "" if p.row is None else str(p.row),
                "column": p.column or "",
            }
            for p in exc.problems[:20]
        ],
    )


def _run(
    panel: Panel,
    system: IndicatorSystem,
    *,
    weighting: str,
    aggregation: str,
    scope: str,
    fill: str | None,
    coupling: str | None,
) -> tuple[EvaluationResult, str]:
    """Evaluate, mapping the engine's errors to 422; returns the result and method digest."""
    if _is_monitor(system):
        raise ApiError(422, f"{system.name}是底线监测体系，不用于综合评价", code="monitor_system")
    try:
        result = evaluate(
            panel,
            system,
            weighting=weighting,
            aggregation=aggregation,
            scope=scope,
            fill=fill,
            coupling=coupling,
        )
    except PanelError as exc:
        raise _panel_error(exc) from exc
    except ValueError as exc:
        log.info("evaluation refused: %s", exc)
        raise ApiError(422, f"无法评价：{exc}", code="evaluation_error") from exc
    digest = method_digest(
        method_parameters(
            system,
            weighting=weighting,
            aggregation=aggregation,
            scope=scope,
            fill=fill,
            coupling=coupling,
        )
    )
    return result, digest


def _shipped_fill(panel: str, fill: str | None) -> str | None:
    return fill if fill is not None else SHIPPED_PANELS[panel].default_fill


@lru_cache(maxsize=64)
def _preview(
    panel: str,
    system: str,
    weighting: str,
    aggregation: str,
    scope: str,
    fill: str | None,
    coupling: str | None,
) -> tuple[EvaluationResult, dict[str, Any], str]:
    """Evaluations of shipped panels are pure functions of their arguments: cached."""
    result, digest = _run(
        SHIPPED_PANELS[panel].load(),
        _system(system),
        weighting=weighting,
        aggregation=aggregation,
        scope=scope,
        fill=fill,
        coupling=coupling,
    )
    return result, result_to_dict(result), digest


def _decoded_csv(raw: bytes, filename: str) -> bytes:
    """CSV text re-encoded as UTF-8 (uploads may be GB18030, as Excel saves them in China)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            continue
    raise ApiError(422, f"文件 {filename}：CSV 文件编码无法识别（应为 UTF-8 或 GBK）")


def _read_uploaded_panel(
    raw: bytes, filename: str, system: IndicatorSystem, fill: str | None
) -> Panel:
    """Content checks of ``store.tabular`` (type by content, ZIP-bomb bound), then the panel
    reader of ``indicators`` (place, year, indicator and value checks with locations)."""
    try:
        kind = sniff_format(raw, filename)
        if kind == "xlsx":
            read_table(raw, filename)  # ZIP-bomb bound, formulas without saved values
        else:
            raw = _decoded_csv(raw, filename)
    except TableError as exc:
        raise table_error(exc) from exc
    try:
        return read_panel(raw, system=system, fill=fill, filename=filename)
    except PanelError as exc:
        raise _panel_error(exc) from exc
    except Exception as exc:  # a damaged workbook: openpyxl and zipfile raise many kinds
        log.info("unreadable panel %s: %r", filename, exc)
        raise ApiError(422, f"文件 {filename} 无法读取为面板：{type(exc).__name__}") from exc


def _readable(db: SessionDep, evaluation_id: int, user: User | None) -> Evaluation:
    if user is None:
        raise ApiError(401)
    row = db.get(Evaluation, evaluation_id)
    if row is None:
        raise ApiError(404, "评价记录不存在")
    if not can_read_private(user, row.organization_id):
        raise ApiError(403, "只有分析员、管理员和评价所属机构的成员可以查看该评价")
    return row


def _workbook_response(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --------------------------------------------------------------------------- catalogue


@router.get("/indicator-systems")
def read_indicator_systems() -> IndicatorSystemsPublic:
    """The shipped indicator systems with their dimensions and indicators."""
    data = []
    for name in list_systems():
        system = load_system(name)
        data.append(
            IndicatorSystemPublic(
                id=system.id,
                name=system.name,
                description=system.description,
                level=system.level,
                source=system.source,
                is_monitor=_is_monitor(system),
                dimensions=[
                    DimensionPublic(
                        id=d.id,
                        name=d.name,
                        indicators=[
                            IndicatorPublic(
                                id=i.id,
                                name=i.name,
                                unit=i.unit,
                                direction=i.direction,
                                weight=i.weight,
                                threshold=i.threshold,
                                description=i.description,
                            )
                            for i in d.indicators
                        ],
                    )
                    for d in system.dimensions
                ],
            )
        )
    return IndicatorSystemsPublic(data=data, count=len(data))


@router.get("/panels")
def read_panels() -> PanelsPublic:
    """The shipped panels: the NBS province panel and the sample city panel (示例数据)."""
    data = []
    for shipped in SHIPPED_PANELS.values():
        panel = shipped.load()
        data.append(
            PanelPublic(
                name=shipped.name,
                label=shipped.label,
                level=shipped.level,
                system=shipped.system,
                is_sample=shipped.is_sample,
                provenance=shipped.provenance,
                source_url=shipped.source_url,
                license=shipped.license,
                note=shipped.note,
                default_fill=shipped.default_fill,
                places=len(panel.places),
                years=panel.years,
            )
        )
    return PanelsPublic(data=data, count=len(data))


# --------------------------------------------------------------------------- preview


@router.get("/indicators/preview")
def preview_evaluation(
    system: SystemName,
    panel: ShippedPanelName = "sample",
    weighting: Weighting = "entropy",
    aggregation: Aggregation = "weighted_sum",
    scope: Scope = "pooled",
    fill: Fill | None = None,
    coupling: Coupling | None = "dimensions",
) -> EvaluationPreview:
    """Compute (not save) an evaluation of a shipped panel: public aggregate statistics."""
    used_fill = _shipped_fill(panel, fill)
    result, data, digest = _preview(
        panel, system, weighting, aggregation, scope, used_fill, coupling
    )
    return EvaluationPreview.model_validate(
        {
            "panel": panel,
            "fill": used_fill,
            "coupling": coupling,
            "input_digest": result.input_digest,
            "params_digest": digest,
            "is_sample": result.is_sample,
            "result": data,
        }
    )


@router.get("/indicators/preview/workbook", response_class=Response)
def preview_workbook(
    system: SystemName,
    panel: ShippedPanelName = "sample",
    weighting: Weighting = "entropy",
    aggregation: Aggregation = "weighted_sum",
    scope: Scope = "pooled",
    fill: Fill | None = None,
    coupling: Coupling | None = "dimensions",
) -> Response:
    """The workbook (XLSX) of a previewed evaluation of a shipped panel."""
    used_fill = _shipped_fill(panel, fill)
    result, _data, _digest = _preview(
        panel, system, weighting, aggregation, scope, used_fill, coupling
    )
    return _workbook_response(result_workbook(result), f"jjj-{panel}-{system}.xlsx")


# --------------------------------------------------------------------------- saved


@router.post("/evaluations", status_code=201)
async def create_evaluation(
    request: Request,
    db: SessionDep,
    user: Annotated[User, requires(ANALYST)],
    system: Annotated[str, Form(min_length=1, max_length=64)],
    panel: Annotated[ShippedPanelName | None, Form()] = None,
    file: Annotated[UploadFile | None, File(description="CSV/XLSX panel")] = None,
    weighting: Annotated[Weighting, Form()] = "entropy",
    aggregation: Annotated[Aggregation, Form()] = "weighted_sum",
    scope: Annotated[Scope, Form()] = "pooled",
    fill: Annotated[Fill | None, Form()] = None,
    coupling: Annotated[Coupling | None, Form()] = None,
) -> EvaluationPublic:
    """Run an evaluation of a shipped panel (``panel``) or an uploaded CSV/XLSX panel
    (``file``, multipart) and save it with the panel's and the method's SHA-256 digests.

    A bad panel is refused with 422 naming file, sheet, row and column in Chinese.
    """
    spec = _system(system)
    if (panel is None) == (file is None or not file.filename):
        raise ApiError(
            422,
            "请选择一个内置面板或上传一个面板文件（二者选一）",
            code="panel_required",
            fields=[{"field": "panel", "message": "give exactly one of panel and file"}],
        )
    if file is not None and file.filename:
        filename = file.filename.replace("\\", "/").rsplit("/", 1)[-1][:200] or "panel"
        raw = await read_upload(file, request)
        data = await run_in_threadpool(_read_uploaded_panel, raw, filename, spec, fill)
        kind, panel_name = "upload", filename
        used_fill: str | None = fill
    else:
        assert panel is not None
        data = SHIPPED_PANELS[panel].load()
        kind, panel_name = "shipped", panel
        used_fill = _shipped_fill(panel, fill)
    result, digest = await run_in_threadpool(
        lambda: _run(
            data,
            spec,
            weighting=weighting,
            aggregation=aggregation,
            scope=scope,
            fill=used_fill,
            coupling=coupling,
        )
    )
    row = Evaluation(
        user_id=user.id,
        organization_id=user.organization_id,
        system_id=spec.id,
        system_name=spec.name,
        weighting=weighting,
        aggregation=aggregation,
        scope=scope,
        fill=used_fill,
        coupling=coupling,
        panel_kind=kind,
        panel_name=panel_name,
        input_digest=result.input_digest,
        params_digest=digest,
        result=result_to_dict(result),
        is_sample=result.is_sample,
    )
    db.add(row)
    db.flush()
    after = {k: v for k, v in snapshot(row).items() if k != "result"}
    record_change(
        db, actor=user, action="create", entity="evaluation", entity_id=row.id, after=after
    )
    db.commit()
    db.refresh(row)
    return EvaluationPublic.model_validate(row)


@router.get("/evaluations")
def list_evaluations(
    user: OptionalUser,
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> EvaluationsPublic:
    """Saved evaluations the caller may read, newest first (analysts and admins: all;
    others: their organization's)."""
    if user is None:
        raise ApiError(401)
    query = select(Evaluation)
    if user.role not in ("admin", "analyst"):
        query = query.where(Evaluation.organization_id == user.organization_id)
    count = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(
        query.order_by(Evaluation.created_at.desc(), Evaluation.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return EvaluationsPublic(
        data=[EvaluationSummary.model_validate(r) for r in rows], count=int(count)
    )


@router.get("/evaluations/{evaluation_id}")
def read_evaluation(
    evaluation_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    user: OptionalUser,
    db: SessionDep,
) -> EvaluationPublic:
    """One saved evaluation with its result."""
    return EvaluationPublic.model_validate(_readable(db, evaluation_id, user))


@router.get("/evaluations/{evaluation_id}/workbook", response_class=Response)
def read_evaluation_workbook(
    evaluation_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    user: OptionalUser,
    db: SessionDep,
) -> Response:
    """The workbook (XLSX) of a saved evaluation.

    For a shipped panel whose content still has the saved digest, the evaluation is run
    again (so the workbook includes the normalised data, and the saved index is checked);
    otherwise the workbook is written from the saved result.
    """
    row = _readable(db, evaluation_id, user)
    result: EvaluationResult | None = None
    if row.panel_kind == "shipped" and row.panel_name in SHIPPED_PANELS:
        try:
            fresh, _data, digest = _preview(
                row.panel_name,
                row.system_id,
                row.weighting,
                row.aggregation,
                row.scope,
                row.fill,
                row.coupling,
            )
        except ApiError:
            log.info("evaluation %s cannot be rerun; writing the saved result", row.id)
        else:
            if fresh.input_digest == row.input_digest and digest == row.params_digest:
                result = fresh
    if result is None:
        note = pd.DataFrame(
            {"说明": ["归一化数据未随评价保存：重新上传同一面板（输入哈希相同）即可重算。"]}
        )
        result = result_from_dict(row.result)
        result = replace(result, normalized=note)
    return _workbook_response(result_workbook(result), f"jjj-evaluation-{row.id}.xlsx")
