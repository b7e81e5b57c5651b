"""Sample data loaders run by ``jjj db init`` (and so by ``make run``).

Each loader generates its rows with a fixed seed, labels them as sample data (provenance
``demo``, shown as 示例数据 in the interface), writes them in one transaction and returns how
many rows it added. A loader does nothing when its table already has rows, so a second
``make run`` adds nothing. Modules register their loader in ``SAMPLE_LOADERS``.

:func:`remove_samples` (``jjj demo remove``) takes them all out again in the caller's
transaction: every row with provenance ``demo``, what hangs on them (segments, matches and
their events, applications, inbox items …) and the sample organizations left with nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from jingjinji.auth import SAMPLE_ORG, record_change
from jingjinji.chains.repository import load_sample_enterprises
from jingjinji.loop.repository import load_sample_deals
from jingjinji.market.challenges import load_sample_applications
from jingjinji.market.samples import load_sample_listings
from jingjinji.patents.repository import load_sample_patents
from jingjinji.policies.repository import load_sample_policies
from jingjinji.projects.repository import load_sample_projects
from jingjinji.store.base import Base
from jingjinji.store.models import (
    ChallengeApplication,
    Enterprise,
    GapListing,
    Listing,
    Organization,
    Patent,
    Policy,
    Project,
    User,
)

__all__ = ["SAMPLE_LOADERS", "SampleLoader", "remove_samples"]

#: (label, loader(session, atlas) -> rows added); run in this order.
SampleLoader = Callable[[Session, Any], int]
SAMPLE_LOADERS: list[tuple[str, SampleLoader]] = [
    ("enterprises (chain map)", load_sample_enterprises),
    ("patents (innovation chain)", load_sample_patents),
    ("listings (supply–demand market)", load_sample_listings),
    ("challenge applications (揭榜挂帅)", load_sample_applications),
    ("deals (matches of sample listings)", load_sample_deals),
    ("projects (collaboration library)", load_sample_projects),
    ("policies (shared policy list)", load_sample_policies),
]

#: Tables whose rows carry ``provenance``; children go by ON DELETE CASCADE.
_SAMPLE_TABLES: tuple[Any, ...] = (Listing, Enterprise, Patent, Project, Policy)


def _counts(session: Session) -> dict[str, int]:
    return {
        table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in Base.metadata.sorted_tables
    }


def remove_samples(session: Session) -> dict[str, int]:
    """Delete every sample row (provenance ``demo``) with what depends on it, and the sample
    organizations no user, record or application refers to any more; returns rows removed
    per table (tables with none left out). The caller commits; a failure removes nothing."""
    from jingjinji.market.samples import sample_organizations

    before = _counts(session)
    for model in _SAMPLE_TABLES:
        session.execute(delete(model).where(model.provenance == "demo"))
    names = {org.name for org in sample_organizations()} | {SAMPLE_ORG}
    used = [
        exists().where(column == Organization.id)
        for column in (
            User.organization_id,
            Listing.organization_id,
            Project.organization_id,
            Policy.organization_id,
            ChallengeApplication.organization_id,
            GapListing.organization_id,
        )
    ]
    session.execute(
        delete(Organization)
        .where(Organization.name.in_(sorted(names)), *(~clause for clause in used))
        .execution_options(synchronize_session=False)
    )
    session.flush()
    after = _counts(session)
    removed = {name: before[name] - after[name] for name in before if before[name] != after[name]}
    record_change(
        session, actor=None, actor_name="cli", action="delete", entity="sample_data", after=removed
    )
    return removed
