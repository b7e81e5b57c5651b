"""关注 and the inbox: follow a segment, a place or a listing; read the inbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from jingjinji.auth import SIGNED_IN
from jingjinji.market import follows
from jingjinji.store.models import User
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.market_errors import market_errors
from jingjinji.web.presenters.follows import follow_public, follows_public, inbox_public
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

__all__ = ["router"]

SignedIn = Annotated[User, requires(SIGNED_IN)]


@router.get("/follows", summary="本人的关注列表")
def list_follows(db: SessionDep, atlas: AtlasDep, user: SignedIn) -> FollowsPublic:
    """What the caller follows."""
    return follows_public(follows.follows_of(db, atlas, user))


@router.post("/follows", status_code=201, summary="关注环节、地区或供需信息")
def create_follow(
    body: FollowCreate, db: SessionDep, atlas: AtlasDep, user: SignedIn
) -> FollowPublic:
    """Follow a segment (slug), a place (adcode) or a listing (id, one the caller may see);
    following twice is a no-op returning the existing follow (201 both times), also when
    the two requests arrive at once."""
    with market_errors():
        row = follows.follow(db, atlas, user, body.target_kind, body.target.strip())
    db.commit()
    return follow_public(follows.labelled(db, atlas, [row], user)[0])


@router.delete("/follows", status_code=204, summary="取消一项关注")
def delete_follow(
    db: SessionDep,
    user: SignedIn,
    target_kind: Annotated[str, Query(pattern="^(segment|place|listing)$")],
    target: Annotated[str, Query(min_length=1, max_length=64)],
) -> None:
    """Stop following (404 when the caller does not follow it)."""
    with market_errors():
        follows.unfollow(db, user, target_kind, target)
    db.commit()


@router.get("/inbox", summary="消息列表（关注动态与对接进展）")
def read_inbox(
    db: SessionDep,
    user: SignedIn,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> InboxPublic:
    """The caller's inbox: newly published listings matching what they follow (while the
    caller may still see them) and steps of the caller's deals."""
    return inbox_public(follows.inbox_of(db, user, limit=limit, offset=offset))


@router.post("/inbox/{item_id}/read", summary="标记一条消息为已读")
def mark_read(item_id: DbIdPath, db: SessionDep, user: SignedIn) -> InboxItemPublic:
    """Mark one of the caller's inbox items read."""
    with market_errors():
        item = follows.mark_read(db, user, item_id)
    db.commit()
    return InboxItemPublic.model_validate(item)
