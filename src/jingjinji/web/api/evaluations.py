"""Indicator systems, shipped panels, evaluations (saved by analysts) and the public preview.

Anonymous visitors read the systems, the shipped panels and computed previews of the shipped
panels (aggregate statistics); analysts and admins run and save evaluations, also of
uploaded panels; a saved evaluation is readable by analysts, admins and the members of the
organization that ran it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

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
    indicator_system,
    preview,
    run_evaluation,
    shipped_options,
    shipped_panel,
    shipped_systems,
    upload_name,
)
from jingjinji.indicators.report import result_workbook
from jingjinji.indicators.repository import (
    read_uploaded_panel,
    readable_evaluation,
    readable_evaluations,
    save_evaluation,
    workbook_result,
)
from jingjinji.indicators.shipped import SHIPPED_PANELS
from jingjinji.store.models import User
from jingjinji.store.tabular import TableError
from jingjinji.web.deps import OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.evaluations import (
    Aggregation,
    Coupling,
    EvaluationPreview,
    EvaluationPublic,
    EvaluationsPublic,
    EvaluationSummary,
    Fill,
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
    except IndicatorSystemError as exc:  # pragma: no cover - shipped templates are tested
        raise ApiError(500, exc.message_zh) from exc


def _signed_in(user: User | None) -> User:
    if user is None:
        raise ApiError(401)
    return user


def _workbook_response(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --------------------------------------------------------------------------- catalogue


@router.get("/indicator-systems", summary="内置指标体系（维度与指标）")
def read_indicator_systems() -> IndicatorSystemsPublic:
    """The shipped indicator systems with their dimensions and indicators."""
    data = [
        IndicatorSystemPublic.model_validate(system, from_attributes=True)
        for system in shipped_systems()
    ]
    return IndicatorSystemsPublic(data=data, count=len(data))


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
) -> _Previewed:
    """The query of both preview routes, and the (cached) evaluation of the shipped panel."""
    options = EvaluationOptions(weighting, aggregation, scope, fill, coupling)
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
    return _workbook_response(result_workbook(previewed.run.result), name)


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
) -> EvaluationPublic:
    """Run an evaluation of a shipped panel (``panel``) or an uploaded CSV/XLSX panel
    (``file``, multipart) and save it with the panel's and the method's SHA-256 digests.

    A bad panel is refused with 422 naming file, sheet, row and column in Chinese.
    """
    with _refusals():
        spec = indicator_system(system)
    if (panel is None) == (file is None or not file.filename):
        raise ApiError(
            422,
            "请选择一个内置面板或上传一个面板文件（二者选一）",
            code="panel_required",
            fields=[{"field": "panel", "message": "give exactly one of panel and file"}],
        )
    options = EvaluationOptions(weighting, aggregation, scope, fill, coupling)
    with _refusals():
        if file is not None and file.filename:
            kind, panel_name = "upload", upload_name(file.filename)
            raw = await read_upload(file, request)
            data = await run_in_threadpool(read_uploaded_panel, raw, panel_name, spec, fill)
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
    return _workbook_response(result_workbook(workbook_result(row)), name)
