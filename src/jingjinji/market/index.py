"""The live matching index of a database: built once, persisted, refreshed incrementally.

Published listings are indexed per kind (:class:`jingjinji.matching.Matcher`). The index is
saved next to the database after each full build together with a *mark*, the largest
``updated_at`` it has seen. Every use first applies the listings changed since the mark (a
cheap indexed query), so a listing published by the web app, the CLI or another process is
searchable and matchable at once, without rebuilding; after a restart the saved index is
loaded and the same refresh replays what changed meanwhile. When the live delta grows past
:attr:`BM25Index.delta_limit` documents, the index is rebuilt and saved again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, load_only

from jingjinji.atlas import Atlas
from jingjinji.matching import (
    BM25Index,
    Document,
    Matcher,
    MatchWeights,
    Profile,
    atlas_context,
    document_text,
    pipeline_for,
)
from jingjinji.settings import Settings
from jingjinji.store.models import Listing

__all__ = [
    "MarketIndex",
    "index_folder",
    "listing_document",
    "listing_profile",
    "listing_text",
    "weights_from",
]

log = logging.getLogger(__name__)


_PROFILE_COLUMNS = (
    Listing.id,
    Listing.kind,
    Listing.status,
    Listing.segments,
    Listing.stage,
    Listing.place_adcode,
    Listing.price_min,
    Listing.budget,
    Listing.reward,
    Listing.published_at,
    Listing.valid_until,
    Listing.updated_at,
)


def index_folder(settings: Settings) -> Path | None:
    """Where the index of the configured database lives: next to a SQLite file, under
    ``var/index/`` for a server database, nowhere for an in-memory database."""
    path = settings.sqlite_path
    if path is not None:
        return path.with_name(path.name + ".index")
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return None
    digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return Path("var") / "index" / digest


def weights_from(settings: Settings) -> MatchWeights:
    """The match weights: defaults overridden by ``JJJ_MATCH_WEIGHTS``."""
    return MatchWeights.from_mapping(settings.match_weights)


def listing_profile(listing: Listing | Row[*tuple[Any, ...]]) -> Profile:
    """What the scorer needs of a listing (a challenge's reward counts as its budget); also
    of a row of the profile columns, as the saved index is loaded."""
    budget = listing.budget if listing.kind == "demand" else listing.reward
    published = listing.published_at.date() if listing.published_at else None
    return Profile(
        key=listing.id,
        kind=listing.kind,
        segments=tuple(listing.segments or ()),
        stage=listing.stage,
        place=listing.place_adcode,
        price_min=listing.price_min,
        budget=budget,
        published=published,
    )


def listing_text(listing: Listing) -> str:
    """The text a listing is indexed and queried with."""
    extra = " ".join(
        part
        for part in (
            listing.problem,
            listing.advantage,
            listing.current_solution,
            listing.target_indicators,
            listing.conditions,
        )
        if part
    )
    return document_text(listing.title, f"{listing.summary}\n{extra}", listing.keywords or [])


def listing_document(listing: Listing) -> Document:
    """The indexed form of a listing."""
    return Document(
        profile=listing_profile(listing), text=listing_text(listing), expires=listing.valid_until
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class MarketIndex:
    """The matcher of one database; thread-safe; create one per app or CLI run."""

    def __init__(self, atlas: Atlas, *, folder: Path | None, weights: MatchWeights) -> None:
        self.atlas = atlas
        self.folder = folder
        self.weights = weights
        self.mark: datetime | None = None
        self._matcher: Matcher | None = None
        self._at_mark: set[int] = set()
        self._ready = False
        self._lock = threading.Lock()
        self._matcher_lock = threading.Lock()

    @property
    def matcher(self) -> Matcher:
        """The matcher, created on first use (its text pipeline takes seconds to load), so
        that an index costs nothing until something is searched or matched."""
        with self._matcher_lock:
            if self._matcher is None:
                self._matcher = Matcher(
                    pipeline_for(self.atlas), atlas_context(self.atlas), self.weights
                )
            return self._matcher

    # -- lifecycle ----------------------------------------------------------------------------

    def ensure(self, session: Session) -> Matcher:
        """The matcher, up to date with the database."""
        with self._lock:
            if not self._ready:
                if not self._load(session):
                    self._build(session)
                self._ready = True
            self._refresh(session)
            if self.matcher.delta_size > BM25Index.delta_limit:
                self._build(session)
            return self.matcher

    def rebuild(self, session: Session) -> int:
        """Rebuild from the database and save; returns the number of listings indexed."""
        with self._lock:
            count = self._build(session)
            self._ready = True
            return count

    def _published(self, session: Session) -> Iterable[Listing]:
        query = select(Listing).options(load_only(*_TEXT_COLUMNS)).order_by(Listing.id)
        return session.scalars(query.where(Listing.status == "published")).all()

    def _build(self, session: Session) -> int:
        listings = list(self._published(session))
        self.matcher.build(listing_document(listing) for listing in listings)
        latest = session.scalar(select(func.max(Listing.updated_at)))
        self.mark = _aware(latest) if latest else None
        self._at_mark = set(
            session.scalars(select(Listing.id).where(Listing.updated_at == latest)).all()
            if latest
            else ()
        )
        self._save(session)
        log.info("matching index built: %d listings", len(listings))
        return len(listings)

    def _refresh(self, session: Session) -> None:
        # Rows stamped exactly at the mark may still be arriving (bulk inserts share one
        # stamp): those already applied are remembered by id and skipped.
        query = select(Listing).options(load_only(*_TEXT_COLUMNS)).order_by(Listing.id)
        if self.mark is not None:
            tied = session.scalars(select(Listing.id).where(Listing.updated_at == self.mark))
            new_at_mark = set(tied.all()) - self._at_mark
            later = Listing.updated_at > self.mark
            query = query.where(later | Listing.id.in_(new_at_mark) if new_at_mark else later)
        for listing in session.scalars(query):
            stamp = _aware(listing.updated_at)
            if stamp == self.mark and listing.id in self._at_mark:
                continue
            if listing.status == "published":
                self.matcher.upsert(listing_document(listing))
            else:
                self.matcher.remove(listing.id)
            if self.mark is None or stamp > self.mark:
                self.mark, self._at_mark = stamp, set()
            if stamp == self.mark:
                self._at_mark.add(listing.id)

    # -- persistence --------------------------------------------------------------------------

    def _fingerprint(self, session: Session) -> int:
        if self.mark is None:
            return int(session.scalar(select(func.count(Listing.id))) or 0)
        query = select(func.count(Listing.id)).where(Listing.updated_at <= self.mark)
        return int(session.scalar(query) or 0)

    def _save(self, session: Session) -> None:
        if self.folder is None:
            return
        try:
            self.matcher.save(self.folder)
            meta = {
                "mark": self.mark.isoformat() if self.mark else None,
                "rows": self._fingerprint(session),
                "at_mark": sorted(self._at_mark),
            }
            (self.folder / "state.json").write_text(json.dumps(meta), encoding="utf-8")
        except OSError as exc:  # an unwritable folder costs a rebuild on restart, no more
            log.warning("matching index not saved to %s: %s", self.folder, exc)

    def _load(self, session: Session) -> bool:
        if self.folder is None or not (self.folder / "state.json").is_file():
            return False
        try:
            meta = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
            self.matcher.load_indexes(self.folder)
        except (OSError, ValueError) as exc:
            log.warning("matching index at %s unreadable, rebuilding: %s", self.folder, exc)
            return False
        self.mark = datetime.fromisoformat(meta["mark"]) if meta.get("mark") else None
        self._at_mark = set(meta.get("at_mark", []))
        if self._fingerprint(session) != meta.get("rows"):
            log.info("matching index at %s is for another database state; rebuilding", self.folder)
            return False
        rows = session.execute(select(*_PROFILE_COLUMNS).where(Listing.status == "published")).all()
        self.matcher.profiles = {row.id: listing_profile(row) for row in rows}
        log.info("matching index loaded from %s", self.folder)
        return True


_TEXT_COLUMNS = (
    Listing.id,
    Listing.kind,
    Listing.status,
    Listing.title,
    Listing.summary,
    Listing.keywords,
    Listing.segments,
    Listing.stage,
    Listing.place_adcode,
    Listing.price_min,
    Listing.budget,
    Listing.reward,
    Listing.problem,
    Listing.advantage,
    Listing.current_solution,
    Listing.target_indicators,
    Listing.conditions,
    Listing.published_at,
    Listing.valid_until,
    Listing.updated_at,
)
