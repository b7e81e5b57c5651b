"""Data access for evaluations: uploaded panels through the store's table checks, saved
evaluations (write, list, read with permissions) and the result behind a saved workbook.

A saved evaluation is readable by analysts, admins and the members of the organization that
ran it. Refusals raise ``EvaluationError`` (with status 403 or 404 for a saved one),
``PanelError`` or ``store.tabular.TableError``; callers commit.
"""

from __future__ import annotations

import logging

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.auth import can_read_private, record_change, snapshot
from jingjinji.indicators.evaluate import EvaluationResult
from jingjinji.indicators.panel import Panel, PanelError, read_panel
from jingjinji.indicators.runs import EvaluationError, EvaluationOptions, EvaluationRun, run_shipped
from jingjinji.indicators.serialize import result_from_dict
from jingjinji.indicators.shipped import SHIPPED_PANELS
from jingjinji.indicators.system import IndicatorSystem, IndicatorSystemError
from jingjinji.indicators.uploads import decoded_csv
from jingjinji.store.models import Evaluation, User
from jingjinji.store.tabular import read_table, sniff_format

__all__ = [
    "read_uploaded_panel",
    "readable_evaluation",
    "readable_evaluations",
    "save_evaluation",
    "workbook_result",
]

log = logging.getLogger(__name__)

#: What the normalised sheet of a workbook written from a saved result says instead.
_NOT_SAVED = "归一化数据未随评价保存：重新上传同一面板（输入哈希相同）即可重算。"


def read_uploaded_panel(
    raw: bytes, filename: str, system: IndicatorSystem, fill: str | None
) -> Panel:
    """The panel in an uploaded file: the content checks of ``store.tabular`` (type by
    content, ZIP-bomb bound; ``TableError``), then the panel reader of ``indicators`` (place,
    year, indicator and value checks with locations; ``PanelError``). A file neither reader
    can make sense of (a damaged workbook, text in another encoding) is an
    ``EvaluationError``."""
    if sniff_format(raw, filename) == "xlsx":
        read_table(raw, filename)  # ZIP-bomb bound, formulas without saved values
    else:
        raw = decoded_csv(raw, filename)
    try:
        return read_panel(raw, system=system, fill=fill, filename=filename)
    except PanelError:
        raise
    except Exception as exc:  # a damaged workbook: openpyxl and zipfile raise many kinds
        log.info("unreadable panel %s: %r", filename, exc)
        raise EvaluationError(f"文件 {filename} 无法读取为面板：{type(exc).__name__}") from exc


def save_evaluation(
    session: Session, user: User, run: EvaluationRun, *, panel_kind: str, panel_name: str
) -> Evaluation:
    """Add ``run`` as an evaluation by ``user`` for their organization, of the ``shipped``
    or ``upload`` panel ``panel_name``, and audit it (without the bulky result); flushed."""
    system = run.result.system
    row = Evaluation(
        user_id=user.id,
        organization_id=user.organization_id,
        system_id=system.id,
        system_name=system.name,
        **run.options.as_dict(),
        panel_kind=panel_kind,
        panel_name=panel_name,
        input_digest=run.result.input_digest,
        params_digest=run.params_digest,
        result=run.data,
        is_sample=run.result.is_sample,
    )
    session.add(row)
    session.flush()
    after = {k: v for k, v in snapshot(row).items() if k != "result"}
    record_change(
        session, actor=user, action="create", entity="evaluation", entity_id=row.id, after=after
    )
    return row


def readable_evaluations(
    session: Session, user: User, *, limit: int, offset: int
) -> tuple[list[Evaluation], int]:
    """The saved evaluations ``user`` may read, newest first (analysts and admins: all;
    others: their organization's), ``limit`` of them from ``offset``, and how many in all."""
    query = select(Evaluation)
    if user.role not in ("admin", "analyst"):
        query = query.where(Evaluation.organization_id == user.organization_id)
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Evaluation.created_at.desc(), Evaluation.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), int(count)


def readable_evaluation(session: Session, evaluation_id: int, user: User) -> Evaluation:
    """The saved evaluation ``evaluation_id`` if ``user`` may read it; ``EvaluationError``
    with status 404 when there is none, 403 when it is another organization's."""
    row = session.get(Evaluation, evaluation_id)
    if row is None:
        raise EvaluationError("评价记录不存在", status=404)
    if not can_read_private(user, row.organization_id):
        raise EvaluationError("只有分析员、管理员和评价所属机构的成员可以查看该评价", status=403)
    return row


def workbook_result(row: Evaluation) -> EvaluationResult:
    """The result a saved evaluation's workbook shows.

    For a shipped panel whose content still has the saved digest, the evaluation is run
    again (so the workbook includes the normalised data, and the saved index is checked);
    otherwise the saved result, its normalised sheet a note that the data was not kept.
    """
    if row.panel_kind == "shipped" and row.panel_name in SHIPPED_PANELS:
        try:
            fresh = run_shipped(row.panel_name, row.system_id, EvaluationOptions.of(row))
        except (EvaluationError, IndicatorSystemError, PanelError):
            log.info("evaluation %s cannot be rerun; writing the saved result", row.id)
        else:
            if (fresh.result.input_digest, fresh.params_digest) == (
                row.input_digest,
                row.params_digest,
            ):
                return fresh.result
    return result_from_dict(row.result, normalized=pd.DataFrame({"说明": [_NOT_SAVED]}))
