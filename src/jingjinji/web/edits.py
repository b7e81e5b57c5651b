"""The endpoints of records that organizations own (projects, policies): reading one, and the
writes (create, change, delete, spreadsheet import), each audited and committed in one
transaction.

The routers validate what is domain-specific and call in here for the rest: loading the record
(404) the caller may change (403, and 409 on a stale ``version``), assigning only what differs,
the audit entry, the commit, and the all-or-nothing import of an uploaded table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from fastapi import Request, UploadFile
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from jingjinji.atlas import Atlas
from jingjinji.auth import ImportReport, audit_row, record_change, snapshot
from jingjinji.projects.cells import RowProblem
from jingjinji.store.base import VersionedMixin, assign_changed
from jingjinji.store.models import Organization, User
from jingjinji.store.tabular import TableError, read_table
from jingjinji.web.errors import ApiError
from jingjinji.web.imports import import_error
from jingjinji.web.ownership import editable_record
from jingjinji.web.schemas.projects import ImportReportPublic
from jingjinji.web.uploads import read_upload, table_error

__all__ = [
    "RecordImporter",
    "TableParser",
    "UpdateBody",
    "delete_owned",
    "import_upload",
    "invalid_body",
    "record_or_404",
    "save_changes",
    "save_new",
    "updatable_record",
]

Row = TypeVar("Row")
Versioned = TypeVar("Versioned", bound=VersionedMixin)
Item = TypeVar("Item")


class TableParser(Protocol[Item]):
    """A domain's table parser: ``(sheet, file row, cells)`` rows in, the parsed rows or every
    problem out (``parse_projects``, ``parse_policies``)."""

    def __call__(
        self,
        rows: Iterable[tuple[str, int, dict[str, Any]]],
        *,
        atlas: Atlas,
        header: Iterable[str],
    ) -> tuple[list[tuple[int, Item]], list[RowProblem]]: ...


class RecordImporter(Protocol[Item]):
    """A domain's natural-key import of parsed rows (``import_projects``, ``import_policies``)."""

    def __call__(
        self,
        session: Session,
        rows: list[tuple[int, Item]],
        *,
        organization: Organization,
        actor: User | None,
        sheet: str,
    ) -> ImportReport: ...


def invalid_body(problems: Iterable[tuple[str, str, str]]) -> ApiError:
    """A 422 naming each ``(field, reason, reason_zh)`` problem of the request body."""
    problems = list(problems)
    fields = [{"field": f"body.{name}", "message": zh} for name, _en, zh in problems]
    return ApiError(422, "；".join(zh for _n, _e, zh in problems), fields=fields)


def record_or_404(session: Session, model: type[Row], record_id: int, *, not_found: str) -> Row:
    """The record ``record_id`` of ``model``; 404 with the message ``not_found`` when absent."""
    row = session.get(model, record_id)
    if row is None:
        raise ApiError(404, not_found)
    return row


def save_new(session: Session, row: Row, *, user: User, entity: str) -> Row:
    """Add the new ``row``, audit its creation by ``user`` and commit; returns ``row``."""
    session.add(row)
    audit_row(session, row, actor=user, action="create", entity=entity)
    session.commit()
    return row


class UpdateBody(Protocol):
    """A PATCH body: the fields to change, and the ``version`` the client last saw (if any)."""

    version: int | None

    def model_dump(self, *, exclude_unset: bool, exclude: set[str]) -> dict[str, Any]: ...


def updatable_record(
    session: Session,
    model: type[Versioned],
    record_id: int,
    user: User,
    body: UpdateBody,
    *,
    not_found: str,
) -> tuple[Versioned, dict[str, Any]]:
    """The record the caller may change (see :func:`~jingjinji.web.ownership.editable_record`)
    and the fields ``body`` sets; 409 when the body's ``version`` is no longer the stored one."""
    row = editable_record(session, model, record_id, user, not_found=not_found)
    if body.version is not None and body.version != row.version:
        raise ApiError(409)
    return row, body.model_dump(exclude_unset=True, exclude={"version"})


def save_changes(
    session: Session, row: object, values: dict[str, Any], *, user: User, entity: str
) -> None:
    """Assign the ``values`` that differ from ``row``'s; when any did, audit the update by
    ``user`` and commit (an unchanged record keeps its version and gets no audit entry)."""
    before = snapshot(row)
    if assign_changed(row, values):
        audit_row(session, row, actor=user, action="update", entity=entity, before=before)
        session.commit()


def delete_owned(
    session: Session, model: type[Any], record_id: int, user: User, *, entity: str, not_found: str
) -> None:
    """Delete the record the caller may change, audit the deletion and commit."""
    row = editable_record(session, model, record_id, user, not_found=not_found)
    before = snapshot(row)
    session.delete(row)
    record_change(
        session, actor=user, action="delete", entity=entity, entity_id=record_id, before=before
    )
    session.commit()


async def import_upload(
    request: Request,
    session: Session,
    upload: UploadFile,
    user: User,
    *,
    atlas: Atlas,
    parse: TableParser[Item],
    store: RecordImporter[Item],
) -> ImportReportPublic:
    """Import the first sheet of an uploaded XLSX or CSV (up to 20,000 rows) for ``user``'s
    organization, all or nothing: a bad table, or any bad row, answers 422 naming every
    problem and writes nothing."""
    data = await read_upload(upload, request)
    filename = upload.filename or "upload.xlsx"

    def work() -> ImportReportPublic:
        try:
            sheet = read_table(data, filename, max_rows=20_000)[0]
            rows = ((sheet.name, number, cells) for number, cells in sheet.rows)
            parsed, problems = parse(rows, atlas=atlas, header=sheet.header)
        except TableError as exc:
            raise table_error(exc) from exc
        if problems:
            raise import_error([p.as_dict() for p in problems])
        report = store(
            session, parsed, organization=user.organization, actor=user, sheet=sheet.name
        )
        if report.problems:
            session.rollback()
            raise import_error(report.problems)
        session.commit()
        return ImportReportPublic(
            created=report.created, updated=report.updated, unchanged=report.unchanged
        )

    # Parsing and storing are synchronous: a worker thread, so the event loop keeps serving.
    return await run_in_threadpool(work)
