"""我的工作台 as response schemas: each listing with its section, completeness, chain-gap
origin and the actions the caller may take; deals with what waits for whom."""

from __future__ import annotations

from datetime import date

from jingjinji import market
from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import can_edit
from jingjinji.market.follows import FOLLOW_KINDS
from jingjinji.projects import place_label
from jingjinji.projects.gaps import addressed_gap
from jingjinji.store.models import Evaluation, GapListing, Listing, User
from jingjinji.store.models.accounts import ROLES
from jingjinji.web.presenters.listings import place_name
from jingjinji.web.schemas.workspace import (
    Action,
    GapOriginPublic,
    WorkspaceCounts,
    WorkspaceDeal,
    WorkspaceEvaluation,
    WorkspaceFollow,
    WorkspaceInboxItem,
    WorkspaceListing,
    WorkspaceOwner,
    WorkspaceProject,
    WorkspacePublic,
    WorkspaceSection,
)
from jingjinji.workspace import SECTION_LABELS, Workspace, section_of

__all__ = ["gap_origin", "listing_actions", "workspace_public"]


def gap_origin(link: GapListing | None, atlas: Atlas) -> GapOriginPublic | None:
    """The readable chain gap a listing was drafted from, or ``None``."""
    if link is None:
        return None
    gap = addressed_gap(link.suggestion_id, atlas)
    return GapOriginPublic(
        suggestion_id=link.suggestion_id,
        gap_label=(gap.kind if gap else None) or "缺口",
        segment=link.segment,
        segment_name=(gap.segment if gap else None) or link.segment,
        place_key=link.place_key,
        place_name=(gap.place if gap else None) or link.place_key,
        url=gap.url if gap else None,
    )


def listing_actions(section: str, valid_until: date | None, *, editable: bool) -> list[Action]:
    """What an editor may do with a listing of ``section``: 编辑 always; 发布 a draft (续期
    when its validity has ended), 撤回 a published one, 续期 a closed or expired one.

    >>> listing_actions("draft", None, editable=True)
    ['edit', 'publish']
    >>> listing_actions("expired", date(2020, 1, 1), editable=False)
    []
    """
    if not editable:
        return []
    if section == "draft":
        ended = valid_until is not None and valid_until < date.today()
        return ["edit", "renew" if ended else "publish"]
    if section == "published":
        return ["edit", "withdraw"]
    return ["edit", "renew"]


def _listing(
    row: Listing, link: GapListing | None, *, user: User, atlas: Atlas, today: date
) -> WorkspaceListing:
    values = {c.key: getattr(row, c.key) for c in Listing.__table__.columns}
    state = market.completeness(row.kind, values)
    section = section_of(row.status, row.valid_until, today)
    return WorkspaceListing(
        id=row.id,
        kind=row.kind,
        kind_label=market.KIND_LABELS.get(row.kind, row.kind),
        title=row.title,
        status=row.status,
        section=section,
        place_name=place_name(atlas, row.place_adcode),
        valid_until=row.valid_until,
        updated_at=row.updated_at,
        version=row.version,
        completeness=state.score,
        missing=state.missing,
        gap=gap_origin(link, atlas),
        actions=listing_actions(
            section, row.valid_until, editable=can_edit(user, row.organization_id)
        ),
        url=f"/market/listings/{row.id}",
        edit_url=f"/market/listings/{row.id}/edit",
    )


def workspace_public(space: Workspace, *, user: User, atlas: Atlas) -> WorkspacePublic:
    """The response of ``GET /api/me`` (also what the page renders)."""
    today = date.today()
    sections = [
        WorkspaceSection(
            key=key,
            label=label,
            count=space.counts[key],
            data=[
                _listing(row, space.gaps.get(row.id), user=user, atlas=atlas, today=today)
                for row in space.sections[key]
            ],
        )
        for key, label in SECTION_LABELS.items()
    ]
    deals = [
        WorkspaceDeal(
            match_id=d.match.id,
            stage=d.match.stage,
            pending_stage=d.match.pending_stage,
            demand_id=d.match.demand_id,
            demand_title=d.demand_title,
            achievement_id=d.match.achievement_id,
            achievement_title=d.achievement_title,
            side=d.turn.side,
            counterpart=d.counterpart,
            label=d.turn.label,
            waiting_for_me=d.turn.mine,
            can=list(d.turn.can),
            updated_at=d.match.updated_at,
            url=f"/market/deals/{d.match.id}",
        )
        for d in space.deals
    ]
    projects = [
        WorkspaceProject(
            id=p.id,
            name=p.name,
            stage=p.stage,
            destination_name=place_label(p.destination_adcode, atlas),
            investment=p.investment,
            is_sample=p.provenance == "demo",
            url=f"/projects/{p.id}",
        )
        for p in space.projects
    ]
    followed = [
        WorkspaceFollow(
            id=f.follow.id,
            target_kind=f.follow.target_kind,
            kind_label=FOLLOW_KINDS.get(f.follow.target_kind, f.follow.target_kind),
            target=f.follow.target,
            label=f.label,
            url=_follow_url(f.follow.target_kind, f.follow.target, atlas),
        )
        for f in space.follows
    ]
    inbox = [
        WorkspaceInboxItem(
            id=item.id,
            kind=item.kind,
            message=item.message,
            created_at=item.created_at,
            read_at=item.read_at,
            listing_id=item.listing_id,
            match_id=item.match_id,
            url=(
                f"/market/deals/{item.match_id}"
                if item.kind == "对接" and item.match_id
                else f"/market/listings/{item.listing_id}"
            ),
        )
        for item in space.inbox.items
    ]
    return WorkspacePublic(
        user=WorkspaceOwner(
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            role_label=ROLES.get(user.role, user.role),
            organization_id=user.organization_id,
            organization_name=user.organization.name,
            can_edit=can_edit(user, user.organization_id),
        ),
        counts=WorkspaceCounts(**space.counts),
        sections=sections,
        deals=deals,
        projects=projects,
        follows=followed,
        inbox=inbox,
        evaluations=_evaluations(space.evaluations),
    )


def _follow_url(kind: str, target: str, atlas: Atlas) -> str | None:
    if kind == "listing":
        return f"/market/listings/{target}"
    if kind == "segment":
        try:
            return f"/chains/{atlas.industry_of(target).slug}"
        except AtlasLookupError:
            return None
    return None


def _evaluations(rows: list[Evaluation] | None) -> list[WorkspaceEvaluation] | None:
    if rows is None:
        return None
    return [
        WorkspaceEvaluation(
            id=r.id,
            system_name=r.system_name or r.system_id,
            panel_name=r.panel_name,
            created_at=r.created_at,
            is_sample=r.is_sample,
        )
        for r in rows
    ]
