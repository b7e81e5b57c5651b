"""Data access for the policy list: records, filters, natural-key import, export, samples.

Policy lists are small (hundreds to a few thousand rows), so filters that need the atlas
(places containing places, industries behind segments) run in Python over all rows.

Two policies never share a 文号 (a unique index on ``policies.number``): an import row whose
文号 another stored policy holds is a problem of that row, also when a simultaneous import
stored it meanwhile (the database refuses the write; the import reports the row instead).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.auth import ImportReport, sample_organization
from jingjinji.auth.imports import OwnedImport
from jingjinji.policies import ConditionList, PolicyInput, PolicyRecord
from jingjinji.policies.compare import targets_industry
from jingjinji.policies.sample import sample_policies
from jingjinji.policies.table import export_row, natural_key
from jingjinji.projects.places import containing, covered_codes
from jingjinji.store.models import Organization, Policy, User

__all__ = [
    "PolicyFilter",
    "export_rows",
    "filter_policies",
    "import_policies",
    "load_sample_policies",
    "to_input",
    "to_record",
]

log = logging.getLogger(__name__)

_FIELDS = tuple(name for name in PolicyInput.__dataclass_fields__ if name != "conditions")


@dataclass
class PolicyFilter:
    """Filters of the policy list. ``place``: policies that apply there (issued by the place,
    by a place inside it, or by a place containing it); ``expired``: only lapsed (``True``) or
    only current (``False``) policies."""

    place: str | None = None
    type: str | None = None
    industry: str | None = None
    expired: bool | None = None


def to_record(row: Policy) -> PolicyRecord:
    """The analytics record of a stored policy."""
    return PolicyRecord(
        id=row.id,
        title=row.title,
        place=row.place_adcode,
        type=row.type,
        department=row.department,
        number=row.number or "",
        issued_on=row.issued_on,
        effective_on=row.effective_on,
        expires_on=row.expires_on,
        target_places=tuple(row.target_places or ()),
        target_industries=tuple(row.target_industries or ()),
        target_segments=tuple(row.target_segments or ()),
        target_tags=tuple(row.target_tags or ()),
        target_sizes=tuple(row.target_sizes or ()),
        benefits=row.benefits,
        summary=row.summary,
        full_text=row.full_text,
        link=row.link,
        conditions=tuple(ConditionList.validate_python(row.conditions or [])),
    )


def to_input(row: Policy) -> PolicyInput:
    """The entered fields of a stored policy."""
    return PolicyInput(**{name: getattr(row, name) for name in _FIELDS})


def filter_policies(
    rows: list[Policy], filt: PolicyFilter, *, atlas: Atlas, today: date
) -> list[Policy]:
    """The rows passing ``filt``, newest issue date first."""
    result = []
    around: set[str] = set()
    if filt.place:
        codes, _prefix = covered_codes(filt.place, atlas)
        around = codes | containing(filt.place, atlas)
    for row in rows:
        if filt.type and row.type != filt.type:
            continue
        if filt.place and row.place_adcode not in around:
            continue
        lapsed = row.expires_on is not None and row.expires_on < today
        if filt.expired is not None and lapsed != filt.expired:
            continue
        if filt.industry and not targets_industry(to_record(row), filt.industry, atlas):
            continue
        result.append(row)
    result.sort(key=lambda r: (-(r.issued_on.toordinal() if r.issued_on else 0), r.id))
    return result


_IMPORT = OwnedImport(
    model=Policy,
    entity="policy",
    column="文号",
    message="policy belongs to another organization",
    message_zh="第 {row} 行：同一政策已由其他机构录入，不能覆盖",
    key=lambda data: natural_key(data.number, data.title, data.place_adcode),
)


_NUMBER_TAKEN = "第 {row} 行：文号“{number}”已被另一条政策使用"


def _has_number(number: str | None) -> bool:
    return bool(number and number.strip())


def _number_problems(
    rows: list[tuple[int, PolicyInput]],
    targets: dict[int, int | None],
    holders: dict[str, int],
    *,
    sheet: str,
) -> list[dict[str, Any]]:
    """The problems of the rows whose 文号 is held (``holders``: 文号 → policy id) by a
    policy other than the one the row updates (``targets``: file row → policy id or
    ``None`` for a new one)."""
    problems = []
    for number, data in rows:
        holder = holders.get(data.number or "") if _has_number(data.number) else None
        if holder is not None and holder != targets.get(number):
            problems.append(
                {
                    "sheet": sheet,
                    "row": number,
                    "column": "文号",
                    "message": f"document number {data.number!r} belongs to another policy",
                    "message_zh": _NUMBER_TAKEN.format(row=number, number=data.number),
                }
            )
    return problems


def import_policies(
    session: Session,
    rows: list[tuple[int, PolicyInput]],
    *,
    organization: Organization,
    actor: User | None,
    sheet: str = "",
) -> ImportReport:
    """Create or update parsed policies by natural key (文号, else title and place), owned by
    ``organization``; all-or-nothing in the caller's transaction, audited per policy.

    A row whose 文号 another policy holds is a problem (nothing is written); when the database
    refuses a write because a simultaneous import stored the 文号 meanwhile, the transaction is
    rolled back and the rows are checked again against what is stored now."""
    existing: dict[Hashable, Policy] = {}
    holders: dict[str, int] = {}
    for stored in session.scalars(select(Policy).order_by(Policy.id)):
        existing.setdefault(natural_key(stored.number, stored.title, stored.place_adcode), stored)
        if _has_number(stored.number):
            holders[stored.number or ""] = stored.id
    targets: dict[int, int | None] = {}
    for number, data in rows:
        target = existing.get(_IMPORT.key(data))
        targets[number] = target.id if target is not None else None
    problems = _number_problems(rows, targets, holders, sheet=sheet)
    if problems:
        return ImportReport(problems=problems)
    try:
        return _IMPORT.run(
            session, rows, existing, organization=organization, actor=actor, sheet=sheet
        )
    except IntegrityError as exc:
        log.info("policy import refused by the database, checking the rows again: %s", exc.orig)
        session.rollback()
        stored_now = session.execute(
            select(Policy.number, Policy.id).where(Policy.number.is_not(None))
        ).all()
        now = {str(n): int(i) for n, i in stored_now if _has_number(n)}
        problems = _number_problems(rows, targets, now, sheet=sheet)
        if not problems:
            raise
        return ImportReport(problems=problems)


def export_rows(rows: Iterable[Policy], atlas: Atlas, *, today: date) -> list[list[Any]]:
    """The rows as an exported table's rows (:data:`~jingjinji.policies.table.EXPORT_HEADER`
    order), each marked expired or not as of ``today``."""
    return [
        export_row(
            to_input(r),
            id=r.id,
            expired=to_record(r).expired(today),
            provenance=r.provenance,
            atlas=atlas,
        )
        for r in rows
    ]


def load_sample_policies(session: Session, atlas: Atlas) -> int:
    """Sample loader: the hand-written sample policies (示例数据); nothing when rows exist."""
    if session.scalar(select(func.count(Policy.id))):
        return 0
    org = sample_organization(session)
    rows: list[dict[str, Any]] = [
        {**policy.as_dict(), "provenance": "demo", "organization_id": org.id, "version": 1}
        for policy in sample_policies(atlas)
    ]
    session.execute(insert(Policy), rows)
    session.flush()
    return len(rows)
