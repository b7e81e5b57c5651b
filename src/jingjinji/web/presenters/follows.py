"""Follows and the inbox as response schemas."""

from __future__ import annotations

from collections.abc import Sequence

from jingjinji.market.follows import Inbox, LabelledFollow
from jingjinji.web.schemas.market_workflow import (
    FollowPublic,
    FollowsPublic,
    InboxItemPublic,
    InboxPublic,
)

__all__ = ["follow_public", "follow_publics", "follows_public", "inbox_public"]


def follow_public(item: LabelledFollow) -> FollowPublic:
    """A follow with the readable label of its target."""
    row = item.follow
    return FollowPublic(
        id=row.id,
        target_kind=row.target_kind,
        target=row.target,
        created_at=row.created_at,
        label=item.label,
    )


def follow_publics(items: Sequence[LabelledFollow]) -> list[FollowPublic]:
    """Several follows, in the given order."""
    return [follow_public(item) for item in items]


def follows_public(items: Sequence[LabelledFollow]) -> FollowsPublic:
    """A user's follows with their count."""
    data = follow_publics(items)
    return FollowsPublic(data=data, count=len(data))


def inbox_public(inbox: Inbox) -> InboxPublic:
    """One page of an inbox with the total and unread counts."""
    return InboxPublic(
        data=[InboxItemPublic.model_validate(item) for item in inbox.items],
        count=inbox.total,
        unread=inbox.unread,
    )
