"""关注 and the inbox: follow a segment, a place or a listing; read the inbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.auth import SIGNED_IN, record_change
from jingjinji.market import MarketError
from jingjinji.market.follows import follow_label, validate_target
from jingjinji.store.models import Follow, InboxItem, Listing, User
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.schemas.market_workflow import (
    FollowCreate,
    FollowPublic,
    FollowsPublic,
    InboxItemPublic,
    InboxPublic,
)
from jingjinji.web.security import requires

router = APIRouter(prefix="/api", tags=["follows"])

__all__ = ["follows_of", "inbox_of", "router"]


def follows_of(db: Session, atlas: Atlas, user: User) -> list[FollowPublic]:
    """The caller's follows with readable labels, oldest first."""
    rows = db.scalars(select(Follow).where(Follow.user_id == user.id).order_by(Follow.id)).all()
    ids = [int(r.target) for r in rows if r.target_kind == "listing" and r.target.isdigit()]
    titles = (
        dict(db.execute(select(Listing.id, Listing.title).where(Listing.id.in_(ids))).all())
        if ids
        else {}
    )
    return [
        FollowPublic(
            id=row.id,
            target_kind=row.target_kind,
            target=row.target,
            created_at=row.created_at,
            label=follow_label(atlas, row.target_kind, row.target, titles),
        )
        for row in rows
    ]


def inbox_of(db: Session, user: User, *, limit: int = 50, offset: int = 0) -> InboxPublic:
    """The caller's inbox, newest first, with the total and unread counts."""
    mine = InboxItem.user_id == user.id
    total = int(db.scalar(select(func.count(InboxItem.id)).where(mine)) or 0)
    unread = int(
        db.scalar(select(func.count(InboxItem.id)).where(mine, InboxItem.read_at.is_(None))) or 0
    )
    rows = db.scalars(
        select(InboxItem).where(mine).order_by(InboxItem.id.desc()).offset(offset).limit(limit)
    ).all()
    return InboxPublic(
        data=[InboxItemPublic.model_validate(r) for r in rows], count=total, unread=unread
    )


@router.get("/follows")
def list_follows(
    db: SessionDep, atlas: AtlasDep, user: Annotated[User, requires(SIGNED_IN)]
) -> FollowsPublic:
    """What the caller follows."""
    data = follows_of(db, atlas, user)
    return FollowsPublic(data=data, count=len(data))


@router.post("/follows", status_code=201)
def create_follow(
    body: FollowCreate,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(SIGNED_IN)],
) -> FollowPublic:
    """Follow a segment (slug), a place (adcode) or a listing (id); following twice is a
    no-op returning the existing follow."""
    try:
        target = validate_target(db, atlas, body.target_kind, body.target.strip(), user)
    except MarketError as exc:
        raise ApiError(
            exc.status, exc.message_zh, fields=[{"field": f"body.{exc.field}", "message": str(exc)}]
        ) from exc
    row = db.scalar(
        select(Follow).where(
            Follow.user_id == user.id,
            Follow.target_kind == body.target_kind,
            Follow.target == target,
        )
    )
    if row is None:
        row = Follow(user_id=user.id, target_kind=body.target_kind, target=target)
        db.add(row)
        db.flush()
        record_change(
            db,
            actor=user,
            action="create",
            entity="follow",
            entity_id=row.id,
            after={"target_kind": row.target_kind, "target": row.target},
        )
        db.commit()
    return next(item for item in follows_of(db, atlas, user) if item.id == row.id)


@router.delete("/follows", status_code=204)
def delete_follow(
    db: SessionDep,
    user: Annotated[User, requires(SIGNED_IN)],
    target_kind: Annotated[str, Query(pattern="^(segment|place|listing)$")],
    target: Annotated[str, Query(min_length=1, max_length=64)],
) -> None:
    """Stop following (404 when the caller does not follow it)."""
    row = db.scalar(
        select(Follow).where(
            Follow.user_id == user.id, Follow.target_kind == target_kind, Follow.target == target
        )
    )
    if row is None:
        raise ApiError(404, "未关注该对象")
    before = {"target_kind": row.target_kind, "target": row.target}
    db.delete(row)
    db.flush()
    record_change(db, actor=user, action="delete", entity="follow", entity_id=row.id, before=before)
    db.commit()


@router.get("/inbox")
def read_inbox(
    db: SessionDep,
    user: Annotated[User, requires(SIGNED_IN)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> InboxPublic:
    """The caller's inbox: newly published listings matching what they follow."""
    return inbox_of(db, user, limit=limit, offset=offset)


@router.post("/inbox/{item_id}/read")
def mark_read(
    item_id: DbIdPath, db: SessionDep, user: Annotated[User, requires(SIGNED_IN)]
) -> InboxItemPublic:
    """Mark one of the caller's inbox items read."""
    item = db.get(InboxItem, item_id) if 1 <= item_id <= 2**31 - 1 else None
    if item is None or item.user_id != user.id:
        raise ApiError(404, "消息不存在")
    if item.read_at is None:
        item.read_at = datetime.now(UTC)
        db.flush()
        record_change(
            db,
            actor=user,
            action="update",
            entity="inbox_item",
            entity_id=item.id,
            after={"read_at": item.read_at.isoformat()},
        )
        db.commit()
    return InboxItemPublic.model_validate(item)
