"""Stored projects and their stage history as response schemas."""

from __future__ import annotations

from jingjinji.atlas import Atlas
from jingjinji.projects import atlas_name, place_label
from jingjinji.projects.repository import HistoryEntry
from jingjinji.store.models import Project
from jingjinji.web.schemas.projects import (
    ProjectEventPublic,
    ProjectHistoryPublic,
    ProjectPublic,
)

__all__ = ["history_public", "project_public"]


def _name(atlas: Atlas, kind: str, slug: str | None) -> str | None:
    return atlas_name(atlas, kind, slug) if slug else None


def project_public(row: Project, atlas: Atlas) -> ProjectPublic:
    """The public form of a stored project, with Chinese names."""
    return ProjectPublic(
        id=row.id,
        name=row.name,
        origin_adcode=row.origin_adcode,
        origin_name=place_label(row.origin_adcode, atlas),
        destination_adcode=row.destination_adcode,
        destination_name=place_label(row.destination_adcode, atlas),
        industry=row.industry,
        industry_name=_name(atlas, "industry", row.industry),
        segments=list(row.segments or []),
        segment_names=[_name(atlas, "segment", s) or s for s in row.segments or []],
        platform=row.platform,
        platform_name=_name(atlas, "platform", row.platform),
        park=row.park,
        park_name=_name(atlas, "park", row.park),
        investment=row.investment,
        stage=row.stage,
        signed_on=row.signed_on,
        started_on=row.started_on,
        operating_on=row.operating_on,
        terminated_on=row.terminated_on,
        enterprises=list(row.enterprises or []),
        addresses=row.addresses,
        match_id=row.match_id,
        source=row.source,
        provenance=row.provenance,
        is_sample=row.provenance == "demo",
        organization_id=row.organization_id,
        version=row.version,
    )


def history_public(entries: list[HistoryEntry]) -> ProjectHistoryPublic:
    """The public form of a project's stage history."""
    data = [
        ProjectEventPublic(
            at=e.event.at,
            from_stage=e.event.from_stage,
            to_stage=e.event.to_stage,
            reason=e.event.reason,
            actor_name=e.actor_name,
            organization_name=e.organization_name,
        )
        for e in entries
    ]
    return ProjectHistoryPublic(data=data, count=len(data))
