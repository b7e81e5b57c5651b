"""Importing records that organizations own, by natural key: all or nothing, audited.

A parsed row whose natural key names a stored record updates it (or leaves it unchanged); any
other row creates a record owned by the importing organization. A stored record of another
organization is never overwritten unless an admin imports: every such row is a problem, and
when there is any problem nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from jingjinji.auth.audit import ImportReport
from jingjinji.store.models import Organization, User

__all__ = ["OwnedImport"]


class _Values(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


Values = TypeVar("Values", bound=_Values)


@dataclass(frozen=True)
class OwnedImport:
    """How one kind of record is imported: its ``model`` and audit ``entity``; the problem a
    row names when its record belongs to another organization (``column``, the English
    ``message`` and the Chinese ``message_zh``, in which ``{row}`` stands for the file row);
    and the ``key`` that gives a parsed row's natural key."""

    model: type[Any]
    entity: str
    column: str
    message: str
    message_zh: str
    key: Callable[[Any], Hashable]

    def run(
        self,
        session: Session,
        rows: Sequence[tuple[int, Values]],
        existing: Mapping[Hashable, Any],
        *,
        organization: Organization,
        actor: User | None,
        sheet: str = "",
    ) -> ImportReport:
        """Write the parsed ``(file row, values)`` in the caller's transaction, for
        ``organization``; ``existing`` maps natural keys to the stored records. Returns the
        report; with problems, nothing was written."""
        report = ImportReport()
        is_admin = actor is not None and actor.role == "admin"
        for number, data in rows:
            row = existing.get(self.key(data))
            if row is not None and row.organization_id != organization.id and not is_admin:
                report.problems.append(
                    {
                        "sheet": sheet,
                        "row": number,
                        "column": self.column,
                        "message": self.message,
                        "message_zh": self.message_zh.format(row=number),
                    }
                )
        if report.problems:
            return report
        for _number, data in rows:
            report.write(
                session,
                model=self.model,
                entity=self.entity,
                row=existing.get(self.key(data)),
                values=data.as_dict(),
                organization_id=organization.id,
                actor=actor,
            )
        return report
