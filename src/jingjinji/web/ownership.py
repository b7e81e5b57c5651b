"""Records owned by organizations: which organization a new record belongs to, and loading a
record the caller wants to change (404 when absent, 403 when another organization owns it)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

from jingjinji.auth import can_edit
from jingjinji.store.models import Organization, User
from jingjinji.web.errors import ApiError

__all__ = ["editable_record", "owning_organization_id"]

Record = TypeVar("Record")


def owning_organization_id(
    session: Session, user: User, requested: int | None, *, what: str
) -> int:
    """The organization a new record of the caller belongs to: their own, or for admins the
    ``requested`` one (which must exist). ``what`` names the record in the message (项目, 政策…)."""
    if requested is None or requested == user.organization_id:
        return user.organization_id
    if user.role != "admin":
        raise ApiError(403, f"只能为本机构录入{what}")
    if session.get(Organization, requested) is None:
        fields = [{"field": "body.organization_id", "message": "unknown organization"}]
        raise ApiError(422, "机构不存在", fields=fields)
    return requested


def editable_record(
    session: Session, model: type[Record], record_id: Any, user: User, *, not_found: str
) -> Record:
    """The record ``record_id`` of ``model`` if the caller may change it (see ``can_edit``)."""
    row = session.get(model, record_id)
    if row is None:
        raise ApiError(404, not_found)
    if not can_edit(user, getattr(row, "organization_id", None)):
        raise ApiError(403)
    return row
