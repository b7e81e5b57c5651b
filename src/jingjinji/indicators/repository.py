"""Data access for evaluations: uploaded panels and indicator systems through the store's
table checks, analysts' own systems (save, list, resolve with permissions), saved evaluations
(write, list, read with permissions) and the result behind a saved workbook.

A saved evaluation is readable by analysts, admins and the members of the organization that
ran it. Refusals raise ``EvaluationError`` (with status 403 or 404 for a saved one),
``PanelError`` or ``store.tabular.TableError``; callers commit.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session

from jingjinji.auth import can_read_private, record_change, snapshot
from jingjinji.indicators.evaluate import EvaluationResult
from jingjinji.indicators.pairwise import Pairwise, PairwiseError, read_pairwise
from jingjinji.indicators.panel import Panel, PanelError, read_panel
from jingjinji.indicators.runs import (
    EvaluationError,
    EvaluationOptions,
    EvaluationRun,
    indicator_system,
    named_problems,
    run_shipped,
)
from jingjinji.indicators.serialize import result_from_dict
from jingjinji.indicators.shipped import SHIPPED_PANELS
from jingjinji.indicators.system import IndicatorSystem, IndicatorSystemError, list_systems
from jingjinji.indicators.system_table import read_system_table
from jingjinji.indicators.uploads import decoded_csv
from jingjinji.store.models import Evaluation, IndicatorSystemRecord, User
from jingjinji.store.tabular import read_table, sniff_format

__all__ = [
    "read_uploaded_pairwise",
    "read_uploaded_panel",
    "read_uploaded_system",
    "readable_evaluation",
    "readable_evaluations",
    "readable_systems",
    "resolve_system",
    "save_evaluation",
    "save_system",
    "workbook_result",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: What the normalised sheet of a workbook written from a saved result says instead.
_NOT_SAVED = "归一化数据未随评价保存：重新上传同一面板（输入哈希相同）即可重算。"


def _read_upload(
    raw: bytes,
    filename: str,
    read: Callable[[bytes], T],
    located: type[Exception],
    what: tuple[str, str],
) -> T:
    """``read`` of an uploaded file after the content checks of ``store.tabular`` (type by
    content, ZIP-bomb bound; ``TableError``). ``located`` (the reader's own error, naming
    rows and columns) passes; anything else (a damaged workbook, text in another encoding:
    openpyxl and zipfile raise many kinds) is an ``EvaluationError`` naming ``what`` (the
    kind of table, in English and Chinese)."""
    if sniff_format(raw, filename) == "xlsx":
        read_table(raw, filename)  # ZIP-bomb bound, formulas without saved values
    else:
        raw = decoded_csv(raw, filename)
    try:
        return read(raw)
    except located:
        raise
    except Exception as exc:
        log.info("unreadable %s %s: %r", what[0], filename, exc)
        raise EvaluationError(f"文件 {filename} 无法读取为{what[1]}：{type(exc).__name__}") from exc


def read_uploaded_panel(
    raw: bytes, filename: str, system: IndicatorSystem, fill: str | None
) -> Panel:
    """The panel in an uploaded file (``_read_upload`` with the panel reader: place, year,
    indicator and value checks with locations; ``PanelError`` naming the system's
    indicators in Chinese)."""
    try:
        return _read_upload(
            raw,
            filename,
            lambda data: read_panel(data, system=system, fill=fill, filename=filename),
            PanelError,
            ("panel", "面板"),
        )
    except PanelError as exc:
        raise named_problems(exc, system) from None


def read_uploaded_system(raw: bytes, filename: str, name: str | None = None) -> IndicatorSystem:
    """The indicator system in an uploaded table (``read_system_table``;
    ``IndicatorSystemError`` naming rows and columns)."""
    return _read_upload(
        raw,
        filename,
        lambda data: read_system_table(data, filename=filename, name=name),
        IndicatorSystemError,
        ("indicator system", "指标体系"),
    )


def read_uploaded_pairwise(raw: bytes, filename: str) -> Pairwise:
    """The AHP matrix in an uploaded table (``read_pairwise``; ``PairwiseError`` naming
    rows and columns)."""
    return _read_upload(
        raw,
        filename,
        lambda data: read_pairwise(data, filename=filename),
        PairwiseError,
        ("pairwise matrix", "判断矩阵"),
    )


def save_system(
    session: Session, user: User, system: IndicatorSystem, *, source_file: str
) -> tuple[IndicatorSystemRecord, IndicatorSystem]:
    """Keep ``system`` as the own system ``custom_<id>`` of ``user``'s organization, audited;
    flushed. Returns the row and the system under its new id."""
    row = IndicatorSystemRecord(
        key=f"pending_{secrets.token_hex(8)}",
        name=system.name,
        source_file=source_file,
        user_id=user.id,
        organization_id=user.organization_id,
        definition={},
    )
    session.add(row)
    session.flush()
    kept = system.model_copy(update={"id": f"custom_{row.id}"})
    row.key, row.definition = kept.id, kept.model_dump(mode="json")
    session.flush()
    record_change(
        session,
        actor=user,
        action="create",
        entity="indicator_system",
        entity_id=row.id,
        after={"key": row.key, "name": row.name, "indicators": len(kept.indicators)},
    )
    return row, kept


def _readable(query: Select[Any], user: User | None) -> Select[Any]:
    if user is None:
        return query.where(false())
    if user.role not in ("admin", "analyst"):
        return query.where(IndicatorSystemRecord.organization_id == user.organization_id)
    return query


def readable_systems(session: Session, user: User | None) -> list[IndicatorSystem]:
    """The own systems ``user`` may use (analysts and admins: all; others: their
    organization's; nobody signed out), newest first."""
    query = _readable(select(IndicatorSystemRecord), user)
    rows = session.scalars(query.order_by(IndicatorSystemRecord.id.desc()).limit(200)).all()
    return [IndicatorSystem.model_validate(r.definition) for r in rows]


def resolve_system(session: Session, key: str, user: User | None) -> IndicatorSystem:
    """The shipped system ``key`` or the own system ``custom_<id>`` if ``user`` may use it;
    ``EvaluationError`` (``unknown_system``, 404 for an own system) otherwise."""
    if key in list_systems() or not key.startswith("custom_"):
        return indicator_system(key)
    row = session.scalar(
        _readable(select(IndicatorSystemRecord), user).where(IndicatorSystemRecord.key == key)
    )
    if row is None:
        raise EvaluationError(
            f"没有可用的指标体系“{key}”", code="unknown_system", field="system", status=404
        )
    return IndicatorSystem.model_validate(row.definition)


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
