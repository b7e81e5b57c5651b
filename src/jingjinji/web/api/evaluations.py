"""Indicator systems, shipped panels, evaluations (saved by analysts) and the public preview.

Anonymous visitors read the shipped systems, the template, the shipped panels and computed
previews of the shipped panels (aggregate statistics); analysts and admins upload their own
indicator systems (tables), run and save evaluations, also of uploaded panels; an own system
and a saved evaluation are readable by analysts, admins and the members of the organization
that made them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from jingjinji.auth import ANALYST
from jingjinji.indicators import (
    EvaluationError,
    EvaluationOptions,
    EvaluationRun,
    IndicatorSystemError,
    PanelError,
    preview,
    run_evaluation,
    shipped_options,
    shipped_panel,
    shipped_systems,
)
from jingjinji.indicators.pairwise import PairwiseError
from jingjinji.indicators.report import result_workbook
from jingjinji.indicators.repository import (
    read_uploaded_pairwise,
    read_uploaded_panel,
    read_uploaded_system,
    readable_evaluation,
    readable_evaluations,
    readable_systems,
    resolve_system,
    save_evaluation,
    save_system,
    workbook_result,
)
from jingjinji.indicators.shipped import SHIPPED_PANELS
from jingjinji.indicators.system import IndicatorSystem
from jingjinji.indicators.system_table import system_table, template_table
from jingjinji.store.models import User
from jingjinji.store.tabular import TableError
from jingjinji.web.deps import OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.evaluations import (
    Aggregation,
    Coupling,
    CouplingForm,
    EvaluationPreview,
    EvaluationPublic,
    EvaluationsPublic,
    EvaluationSummary,
    Fill,
    IndicatorSystemPublic,
    IndicatorSystemsPublic,
    Normalization,
    PanelPublic,
    PanelsPublic,
    Scope,
    ShippedPanelName,
    Subjective,
    Weighting,
)
from jingjinji.web.security import requires
from jingjinji.web.uploads import read_upload, table_error, upload_name

router = APIRouter(prefix="/api", tags=["indicators"])

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SystemName = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
EvaluationId = Annotated[int, Path(ge=1, le=2**31 - 1)]


# --------------------------------------------------------------------------- helpers


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


@contextmanager
def _refusals() -> Iterator[None]:
    """The domain's refusals as API errors: 422 (or the refusal's status) naming what is
    wrong, 500 for a broken shipped template."""
    try:
        yield
    except PanelError as exc:
        raise _panel_error(exc) from exc
    except TableError as exc:
        raise table_error(exc) from exc
    except EvaluationError as exc:
        fields = None if exc.field is None else [{"field": exc.field, "message": str(exc)}]
        raise ApiError(exc.status, exc.message_zh, code=exc.code, fields=fields) from exc
    except PairwiseError as exc:
        log.info("rejected pairwise matrix: %s", exc)
        raise ApiError(
            422,
            exc.message_zh,
            code="invalid_matrix",
            fields=[{"field": "ahp_matrix", "message": m} for m in exc.problems_zh[:20]],
        ) from exc
    except IndicatorSystemError as exc:  # an uploaded table (shipped templates are tested)
        log.info("rejected indicator system: %s", exc)
        raise ApiError(
            422,
            exc.message_zh,
            code="invalid_system",
            fields=[{"field": "file", "message": m} for m in exc.problems_zh[:20]],
        ) from exc


def _signed_in(user: User | None) -> User:
    if user is None:
        raise ApiError(401)
    return user


def _workbook_response(content: bytes, name: str, name_zh: str | None = None) -> Response:
    """An XLSX download named ``name_zh`` (RFC 6266/5987 UTF-8 form) with the ASCII
    ``name`` for clients that read only the plain form."""
    disposition = f'attachment; filename="{name}"'
    if name_zh:
        disposition += f"; filename*=UTF-8''{quote(name_zh)}"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})


# --------------------------------------------------------------------------- catalogue


def _system_public(system: IndicatorSystem, *, own: bool) -> IndicatorSystemPublic:
    public = IndicatorSystemPublic.model_validate(system, from_attributes=True)
    return public.model_copy(update={"own": own})


@router.get("/indicator-systems", summary="指标体系：内置体系与本机构上传的体系")
def read_indicator_systems(user: OptionalUser, db: SessionDep) -> IndicatorSystemsPublic:
    """The shipped indicator systems, then (signed in) the own systems the caller may use
    (analysts and admins: all; others: their organization's), with dimensions and
    indicators."""
    data = [_system_public(system, own=False) for system in shipped_systems()]
    data += [_system_public(system, own=True) for system in readable_systems(db, user)]
    return IndicatorSystemsPublic(data=data, count=len(data))


@router.post("/indicator-systems", status_code=201, summary="上传自己的指标体系（XLSX/CSV 表格）")
async def create_indicator_system(
    request: Request,
    db: SessionDep,
    user: Annotated[User, requires(ANALYST)],
    file: Annotated[UploadFile, File(description="指标体系表格（XLSX 或 CSV）")],
    name: Annotated[str | None, Form(max_length=200)] = None,
) -> IndicatorSystemPublic:
    """Upload an indicator system written as a table (columns 目标层, 准则层, 指标, 代码, 单位,
    方向 正向/负向/适度, 目标值, 权重, 来源, 说明; see the template). It is kept as
    ``custom_<id>`` for the uploader's organization and can then be used by name in
    ``POST /api/evaluations``. A bad table is refused with 422 naming its rows and columns."""
    filename = upload_name(file.filename or "指标体系.xlsx", "panel")
    raw = await read_upload(file, request)
    with _refusals():
        system = await run_in_threadpool(read_uploaded_system, raw, filename, name or None)
    _row, kept = save_system(db, user, system, source_file=filename)
    db.commit()
    return _system_public(kept, own=True)


@router.get(
    "/indicator-systems/template",
    response_class=Response,
    summary="下载指标体系表格模板（XLSX）",
)
def read_indicator_system_template() -> Response:
    """The template table: a six-indicator example with a negative and a 适度 indicator."""
    return _workbook_response(
        template_table(), "indicator-system-template.xlsx", "指标体系模板.xlsx"
    )


@router.get(
    "/indicator-systems/{system}/table",
    response_class=Response,
    summary="下载某一指标体系的表格（XLSX，与模板格式相同）",
)
def read_indicator_system_table(system: str, user: OptionalUser, db: SessionDep) -> Response:
    """A shipped or own system as a table in the template's layout."""
    with _refusals():
        spec = resolve_system(db, system[:64], user)
    return _workbook_response(
        system_table(spec), f"indicator-system-{spec.id}.xlsx", f"{spec.name}.xlsx"
    )


@router.get("/panels", summary="内置数据面板列表")
def read_panels() -> PanelsPublic:
    """The shipped panels: the NBS province panel and the sample city panel (示例数据)."""
    data = []
    for shipped in SHIPPED_PANELS.values():
        panel = shipped.load()
        data.append(
            PanelPublic(**shipped.model_dump(), places=len(panel.places), years=panel.years)
        )
    return PanelsPublic(data=data, count=len(data))


# --------------------------------------------------------------------------- preview


@dataclass(frozen=True)
class _Previewed:
    panel: str
    system: str
    run: EvaluationRun


def _previewed(
    system: SystemName,
    panel: ShippedPanelName = "sample",
    weighting: Weighting = "entropy",
    aggregation: Aggregation = "weighted_sum",
    scope: Scope = "pooled",
    fill: Fill | None = None,
    coupling: Coupling | None = "dimensions",
    normalization: Normalization = "minmax",
    shift: Annotated[float, Query(ge=0, le=1)] = 0.0,
    coupling_form: CouplingForm = "corrected",
) -> _Previewed:
    """The query of both preview routes, and the (cached) evaluation of the shipped panel."""
    options = EvaluationOptions(
        weighting,
        aggregation,
        scope,
        fill,
        coupling,
        normalization=normalization,
        shift=shift,
        coupling_form=coupling_form,
    )
    with _refusals():
        return _Previewed(panel, system, preview(panel, system, options))


Previewed = Annotated[_Previewed, Depends(_previewed)]


@router.get("/indicators/preview", summary="预览内置面板的评价结果（不保存）")
def preview_evaluation(previewed: Previewed) -> EvaluationPreview:
    """Compute (not save) an evaluation of a shipped panel: public aggregate statistics."""
    run = previewed.run
    return EvaluationPreview.model_validate(
        {
            "panel": previewed.panel,
            "fill": run.options.fill,
            "coupling": run.options.coupling,
            "normalization": run.options.normalization,
            "shift": run.options.shift,
            "coupling_form": run.options.coupling_form,
            "input_digest": run.result.input_digest,
            "params_digest": run.params_digest,
            "is_sample": run.result.is_sample,
            "result": run.data,
        }
    )


@router.get(
    "/indicators/preview/workbook", response_class=Response, summary="下载预览评价的 Excel 工作簿"
)
def preview_workbook(previewed: Previewed) -> Response:
    """The workbook (XLSX) of a previewed evaluation of a shipped panel."""
    name = f"jjj-{previewed.panel}-{previewed.system}.xlsx"
    system_name = previewed.run.result.system.name
    return _workbook_response(
        result_workbook(previewed.run.result, previewed.run.params_digest),
        name,
        f"评价结果-{system_name}.xlsx",
    )


# --------------------------------------------------------------------------- saved


@router.post(
    "/evaluations", status_code=201, summary="运行并保存一次指标评价（内置面板或上传文件）"
)
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
    normalization: Annotated[Normalization, Form()] = "minmax",
    shift: Annotated[float, Form(ge=0, le=1)] = 0.0,
    coupling_form: Annotated[CouplingForm, Form()] = "corrected",
    drop_dimensions: Annotated[list[str] | None, Form(max_length=50)] = None,
    subjective: Annotated[Subjective | None, Form()] = None,
    alpha: Annotated[float, Form(ge=0, le=1)] = 0.5,
    ahp_matrix: Annotated[
        UploadFile | None, File(description="AHP 判断矩阵（CSV/XLSX，首行首列为指标或维度）")
    ] = None,
) -> EvaluationPublic:
    """Run an evaluation of a shipped panel (``panel``) or an uploaded CSV/XLSX panel
    (``file``, multipart) with a shipped system or an own one (``custom_<id>``, see
    ``POST /api/indicator-systems``) and save it with the panel's and the method's SHA-256
    digests. Every method choice is a field: normalisation, the entropy shift (e.g.
    0.0001), weighting, aggregation, scope, fill rule, coupling and its model's form
    (``corrected`` or ``traditional``); ``drop_dimensions`` names the dimensions (ids or
    names) the panel does not cover. Subjective weights: ``weighting=ahp`` with an uploaded
    pairwise matrix (``ahp_matrix``, over the indicators or the dimensions; refused when its
    consistency ratio CR >= 0.1), or an objective weighting combined with ``subjective``
    (``fixed``: the system's 权重; ``ahp``: the matrix) as w = alpha s + (1 - alpha) o.

    A bad panel is refused with 422 naming file, sheet, row and column in Chinese.
    """
    with _refusals():
        spec = resolve_system(db, system, user)
    if (panel is None) == (file is None or not file.filename):
        raise ApiError(
            422,
            "请选择一个内置面板或上传一个面板文件（二者选一）",
            code="panel_required",
            fields=[{"field": "panel", "message": "give exactly one of panel and file"}],
        )
    options = EvaluationOptions(
        weighting,
        aggregation,
        scope,
        fill,
        coupling,
        normalization=normalization,
        shift=shift,
        coupling_form=coupling_form,
        drop_dimensions=tuple(d[:200] for d in drop_dimensions or () if d.strip()),
        subjective=subjective,
        alpha=alpha,
    )
    with _refusals():
        if ahp_matrix is not None and ahp_matrix.filename:
            matrix_name = upload_name(ahp_matrix.filename, "panel")
            matrix_raw = await read_upload(ahp_matrix, request)
            matrix = await run_in_threadpool(read_uploaded_pairwise, matrix_raw, matrix_name)
            options = replace(options, ahp=matrix)
        if file is not None and file.filename:
            kind, panel_name = "upload", upload_name(file.filename, "panel")
            raw = await read_upload(file, request)
            reading = options.system_for(spec)
            data = await run_in_threadpool(read_uploaded_panel, raw, panel_name, reading, fill)
        else:
            assert panel is not None
            kind, panel_name = "shipped", panel
            data = shipped_panel(panel).load()
            options = shipped_options(panel, options)
        run = await run_in_threadpool(run_evaluation, data, spec, options)
    row = save_evaluation(db, user, run, panel_kind=kind, panel_name=panel_name)
    db.commit()
    db.refresh(row)
    return EvaluationPublic.model_validate(row)


@router.get("/evaluations", summary="已保存的评价列表")
def list_evaluations(
    user: OptionalUser,
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> EvaluationsPublic:
    """Saved evaluations the caller may read, newest first (analysts and admins: all;
    others: their organization's)."""
    rows, count = readable_evaluations(db, _signed_in(user), limit=limit, offset=offset)
    return EvaluationsPublic(data=[EvaluationSummary.model_validate(r) for r in rows], count=count)


@router.get("/evaluations/{evaluation_id}", summary="读取一次已保存的评价及结果")
def read_evaluation(
    evaluation_id: EvaluationId, user: OptionalUser, db: SessionDep
) -> EvaluationPublic:
    """One saved evaluation with its result."""
    with _refusals():
        row = readable_evaluation(db, evaluation_id, _signed_in(user))
    return EvaluationPublic.model_validate(row)


@router.get(
    "/evaluations/{evaluation_id}/workbook",
    response_class=Response,
    summary="下载已保存评价的 Excel 工作簿",
)
def read_evaluation_workbook(
    evaluation_id: EvaluationId, user: OptionalUser, db: SessionDep
) -> Response:
    """The workbook (XLSX) of a saved evaluation.

    For a shipped panel whose content still has the saved digest, the evaluation is run
    again (so the workbook includes the normalised data, and the saved index is checked);
    otherwise the workbook is written from the saved result.
    """
    with _refusals():
        row = readable_evaluation(db, evaluation_id, _signed_in(user))
    name = f"jjj-evaluation-{row.id}.xlsx"
    return _workbook_response(
        result_workbook(workbook_result(row), row.params_digest),
        name,
        f"评价结果-{row.id}-{row.system_name}.xlsx",
    )
