"""关注 and the inbox: users follow a segment, a place or a listing; publishing a listing that
matches what they follow leaves an item in their inbox, in the publishing transaction.

A published listing ``L`` reaches the followers of

- a segment ``s`` when ``s`` is among ``L``'s segments;
- a place ``p`` when ``L``'s place is ``p`` or lies within it (its prefecture-level unit or its
  province is ``p``);
- a listing ``F`` when ``F`` is among ``L``'s ``match_top`` best counterparts by the full
  matching formula (a new match for the followed listing).

Each follower gets at most one item per listing (the first reason found); the user who
published it gets none.

A listing the follower may no longer see (back to draft, closed, expired or deleted) is not
revealed through follows: a follow of it is labelled without its title, its 关注 items leave
the inbox (and cannot be marked read), and it is matched for nobody who cannot see it.
Following is idempotent also when the same follow is sent twice at once: the database's
unique constraint decides which request inserts it, the other returns it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import record_change
from jingjinji.market.index import MarketIndex, listing_profile, listing_text
from jingjinji.market.listings import (
    KIND_LABELS,
    MarketError,
    MarketNotFound,
    can_see,
    visible_clause,
)
from jingjinji.market.search import row_by_id
from jingjinji.store.models import Follow, InboxItem, Listing, User

__all__ = [
    "FOLLOW_KINDS",
    "Inbox",
    "LabelledFollow",
    "follow",
    "follow_label",
    "follows_of",
    "inbox_of",
    "labelled",
    "mark_read",
    "notify_followers",
    "place_scope",
    "unfollow",
    "validate_target",
]

FOLLOW_KINDS: dict[str, str] = {"segment": "产业环节", "place": "地区", "listing": "供需信息"}


def place_scope(atlas: Atlas, adcode: str | None) -> set[str]:
    """The place and the places it lies within (prefecture-level unit, province)."""
    if not adcode:
        return set()
    scope = {adcode}
    try:
        unit = atlas.prefecture_unit_of(adcode)
        if unit is not None:
            scope.add(unit.adcode)
        scope.add(atlas.province_of(adcode).adcode)
    except AtlasLookupError:
        pass
    return scope


def validate_target(
    session: Session, atlas: Atlas, kind: str, target: str, user: User | None
) -> str:
    """The canonical target of a follow, or :class:`MarketError` naming the field."""
    if kind not in FOLLOW_KINDS:
        raise MarketError(
            "target_kind", f"unknown kind {kind!r}", "关注类型须为产业环节、地区或供需信息"
        )
    try:
        if kind == "segment":
            return atlas.segment(target).slug
        if kind == "place":
            return atlas.place(target).adcode
    except AtlasLookupError as exc:
        raise MarketError(
            "target", f"unknown {kind} {target!r}", f"关注对象“{target}”不存在"
        ) from exc
    listing = session.get(Listing, int(target)) if target.isdigit() and len(target) < 10 else None
    if listing is None or not can_see(listing, user):
        raise MarketError("target", f"unknown listing {target!r}", "供需信息不存在或未公开")
    return str(listing.id)


def follow_label(atlas: Atlas, kind: str, target: str, titles: dict[int, str]) -> str:
    """A readable name of a follow's target; a listing missing from ``titles`` (the ones
    the reader may see) is named by its number only."""
    try:
        if kind == "segment":
            return atlas.segment(target).name
        if kind == "place":
            return atlas.place(target).name
    except AtlasLookupError:
        return target
    if not target.isdigit():
        return target
    return titles.get(int(target)) or f"供需信息 #{target}（已下线）"


@dataclass(frozen=True)
class LabelledFollow:
    """A follow with a readable name of what it follows."""

    follow: Follow
    label: str


@dataclass(frozen=True)
class Inbox:
    """One page of a user's inbox items, newest first, with the total and unread counts."""

    items: list[InboxItem]
    total: int
    unread: int


def _visible_titles(session: Session, ids: Iterable[int], user: User | None) -> dict[int, str]:
    """Titles of the listings among ``ids`` that ``user`` may see, in one query."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    query = select(Listing.id, Listing.title).where(
        Listing.id.in_(wanted), visible_clause(user, date.today())
    )
    return {int(key): str(title) for key, title in session.execute(query).all()}


def labelled(
    session: Session, atlas: Atlas, follows: Sequence[Follow], user: User | None
) -> list[LabelledFollow]:
    """``follows`` with their labels as ``user`` may read them: a followed listing's title
    only while ``user`` may see it (titles in one query)."""
    ids = [int(r.target) for r in follows if r.target_kind == "listing" and r.target.isdigit()]
    titles = _visible_titles(session, ids, user)
    return [
        LabelledFollow(row, follow_label(atlas, row.target_kind, row.target, titles))
        for row in follows
    ]


def follows_of(session: Session, atlas: Atlas, user: User) -> list[LabelledFollow]:
    """What ``user`` follows, labelled, oldest first."""
    query = select(Follow).where(Follow.user_id == user.id).order_by(Follow.id)
    return labelled(session, atlas, session.scalars(query).all(), user)


def _follow_of(session: Session, user: User, kind: str, target: str) -> Follow | None:
    return session.scalar(
        select(Follow).where(
            Follow.user_id == user.id, Follow.target_kind == kind, Follow.target == target
        )
    )


def _insert_follow(session: Session, user: User, kind: str, target: str) -> int | None:
    """Insert the follow unless the user already has it, also when a simultaneous request
    has just inserted it (``ON CONFLICT DO NOTHING`` waits for that one and yields to it):
    the new row's id, ``None`` when it existed."""
    values = {"user_id": user.id, "target_kind": kind, "target": target}
    keys = ["user_id", "target_kind", "target"]
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(Follow).values(values).on_conflict_do_nothing(index_elements=keys)
        return session.scalar(pg.returning(Follow.id))
    lite = sqlite.insert(Follow).values(values).on_conflict_do_nothing(index_elements=keys)
    return session.scalar(lite.returning(Follow.id))


def follow(session: Session, atlas: Atlas, user: User, kind: str, target: str) -> Follow:
    """``user`` follows ``target`` of ``kind`` (checked by :func:`validate_target`, which
    raises :class:`MarketError`); following again returns the existing follow, also when
    both requests arrive at once (one follow, one audit entry)."""
    target = validate_target(session, atlas, kind, target, user)
    row = _follow_of(session, user, kind, target)
    if row is not None:
        return row
    new_id = _insert_follow(session, user, kind, target)
    row = _follow_of(session, user, kind, target)
    if row is None:  # pragma: no cover - inserted or held by the unique constraint
        raise RuntimeError(f"follow {kind} {target!r} of user {user.id} vanished")
    if new_id is not None:
        after = {"target_kind": row.target_kind, "target": row.target}
        record_change(
            session, actor=user, action="create", entity="follow", entity_id=row.id, after=after
        )
    return row


def unfollow(session: Session, user: User, kind: str, target: str) -> None:
    """``user`` stops following ``target`` of ``kind``; :class:`MarketNotFound` when they
    do not follow it."""
    row = _follow_of(session, user, kind, target)
    if row is None:
        raise MarketNotFound("target", f"not following {kind} {target!r}", "未关注该对象")
    before = {"target_kind": row.target_kind, "target": row.target}
    session.delete(row)
    session.flush()
    record_change(
        session, actor=user, action="delete", entity="follow", entity_id=row.id, before=before
    )


def _readable_items(user: User) -> list[ColumnElement[bool]]:
    """Conditions on ``InboxItem`` joined with its ``Listing``: ``user``'s items, 关注 items
    only while ``user`` may see their listing (deal notices go to a party of the deal)."""
    return [
        InboxItem.user_id == user.id,
        or_(InboxItem.kind != "关注", visible_clause(user, date.today())),
    ]


def inbox_of(session: Session, user: User, *, limit: int = 50, offset: int = 0) -> Inbox:
    """One page of ``user``'s inbox, newest first, with the total and unread counts; 关注
    items of listings ``user`` may no longer see are left out (see the module docstring)."""
    mine = _readable_items(user)
    counted = select(func.count(InboxItem.id)).join(Listing, InboxItem.listing_id == Listing.id)
    total = int(session.scalar(counted.where(*mine)) or 0)
    unread = int(session.scalar(counted.where(*mine, InboxItem.read_at.is_(None))) or 0)
    page = (
        select(InboxItem)
        .join(Listing, InboxItem.listing_id == Listing.id)
        .where(*mine)
        .order_by(InboxItem.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return Inbox(items=list(session.scalars(page).all()), total=total, unread=unread)


def mark_read(session: Session, user: User, item_id: int) -> InboxItem:
    """Mark ``user``'s inbox item read (once; audited); :class:`MarketNotFound` when it is
    not one of theirs or left their inbox (:func:`inbox_of`)."""
    item = row_by_id(session, InboxItem, item_id)
    readable = item is not None and session.scalar(
        select(InboxItem.id)
        .join(Listing, InboxItem.listing_id == Listing.id)
        .where(InboxItem.id == item.id, *_readable_items(user))
    )
    if item is None or not readable:
        raise MarketNotFound("item_id", f"no inbox item {item_id}", "消息不存在")
    if item.read_at is None:
        item.read_at = datetime.now(UTC)
        session.flush()
        after = {"read_at": item.read_at.isoformat()}
        record_change(
            session,
            actor=user,
            action="update",
            entity="inbox_item",
            entity_id=item.id,
            after=after,
        )
    return item


def _followers(session: Session, kind: str, targets: Iterable[str]) -> list[tuple[int, str]]:
    wanted = list(dict.fromkeys(targets))
    if not wanted:
        return []
    rows = session.execute(
        select(Follow.user_id, Follow.target)
        .where(Follow.target_kind == kind, Follow.target.in_(wanted))
        .order_by(Follow.id)
    ).all()
    return [(int(user_id), str(target)) for user_id, target in rows]


def _listings_seen(session: Session, pairs: list[tuple[int, str]]) -> dict[tuple[int, int], str]:
    """``(follower, listing) → title`` for the followed listings of ``pairs`` that the
    follower may see (one query for the listings, one for the followers)."""
    if not pairs:
        return {}
    listing_ids = {int(target) for _user_id, target in pairs}
    listings = {
        row.id: row for row in session.scalars(select(Listing).where(Listing.id.in_(listing_ids)))
    }
    users = {
        row.id: row
        for row in session.scalars(select(User).where(User.id.in_({u for u, _t in pairs})))
    }
    seen: dict[tuple[int, int], str] = {}
    for user_id, target in pairs:
        listing, follower = listings.get(int(target)), users.get(user_id)
        if listing is not None and follower is not None and can_see(listing, follower):
            seen[(user_id, listing.id)] = listing.title
    return seen


def notify_followers(
    session: Session,
    listing: Listing,
    *,
    atlas: Atlas,
    index: MarketIndex | None = None,
    actor: User | None = None,
    match_top: int = 10,
) -> int:
    """Add inbox items for the followers ``listing`` reaches (see the module docstring), in
    ``session`` without committing; returns the number of items added. ``listing`` must be
    flushed (it needs its id). Without ``index`` followed listings are not considered."""
    if listing.status != "published":
        return 0
    label = KIND_LABELS.get(listing.kind, "供需信息")
    messages: dict[int, str] = {}

    def add(user_id: int, text: str) -> None:
        if actor is not None and user_id == actor.id:
            return
        messages.setdefault(user_id, text[:300])

    for user_id, slug in _followers(session, "segment", listing.segments or []):
        name = follow_label(atlas, "segment", slug, {})
        add(user_id, f"您关注的产业环节“{name}”有新{label}：{listing.title}")
    for user_id, code in _followers(session, "place", place_scope(atlas, listing.place_adcode)):
        name = follow_label(atlas, "place", code, {})
        add(user_id, f"您关注的地区“{name}”有新{label}：{listing.title}")
    if index is not None and listing.kind != "instrument":
        followed = session.scalars(
            select(Follow.target).where(Follow.target_kind == "listing").distinct()
        ).all()
        if followed:
            matcher = index.ensure(session)
            found = matcher.match(listing_profile(listing), listing_text(listing), top=match_top)
            hits = [str(item.key) for item in found if str(item.key) in set(followed)]
            pairs = _followers(session, "listing", hits)
            seen = _listings_seen(session, pairs)
            for user_id, target in pairs:
                title = seen.get((user_id, int(target)))
                if title is not None:
                    add(user_id, f"新{label}“{listing.title}”与您关注的“{title}”匹配")
    for user_id, text in messages.items():
        session.add(InboxItem(user_id=user_id, listing_id=listing.id, message=text))
    if messages:
        session.flush()
    return len(messages)
