"""The live matching index of a database: built once, persisted, refreshed incrementally.

Published listings are indexed per kind (:class:`jingjinji.matching.Matcher`). The index is
saved next to the database after each full build (a new version folder and an atomic
``current`` pointer) together with a *mark*, the largest ``updated_at`` it has seen, and the
token cache. Every use first applies the listings changed since the mark (a cheap indexed
query), so a listing published by the web app, the CLI or another worker process is
searchable and matchable at once, without rebuilding; after a restart the saved index is
loaded and the same catch-up replays what changed meanwhile. Readers never wait for writers:
see :class:`MarketIndex`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, load_only

from jingjinji.atlas import Atlas
from jingjinji.matching import (
    AtlasContext,
    BM25Index,
    Document,
    Matcher,
    MatchWeights,
    Profile,
    StaticEmbedder,
    TextPipeline,
    TokenCache,
    atlas_context,
    document_text,
    domain_terms,
    load_or_distil,
    pipeline_for,
)
from jingjinji.settings import Settings
from jingjinji.store.models import Listing

__all__ = [
    "MarketIndex",
    "index_folder",
    "listing_document",
    "listing_profile",
    "listing_prose",
    "listing_text",
    "model_folder",
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


def model_folder(settings: Settings) -> Path | None:
    """Where the embedding model of dense retrieval lives (``None`` when it is off)."""
    return settings.model_dir if settings.dense_retrieval else None


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


def _described(listing: Listing) -> list[str]:
    """The parts of a listing that describe it besides its summary, those filled in."""
    parts = (
        listing.problem,
        listing.advantage,
        listing.current_solution,
        listing.target_indicators,
        listing.conditions,
    )
    return [part for part in parts if part]


def listing_text(listing: Listing) -> str:
    """The text a listing is indexed and queried with."""
    extra = " ".join(_described(listing))
    return document_text(listing.title, f"{listing.summary}\n{extra}", listing.keywords or [])


def listing_prose(listing: Listing) -> str:
    """The sentences a match's passage is taken from: the summary and the described parts
    (problem, advantage, ...), one per line; not the title or the keywords."""
    return "\n".join(part for part in (listing.summary, *_described(listing)) if part)


def listing_document(listing: Listing) -> Document:
    """The indexed form of a listing."""
    return Document(
        profile=listing_profile(listing), text=listing_text(listing), expires=listing.valid_until
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class MarketIndex:
    """The matcher of one database; thread-safe; one per app process or CLI run.

    Readers take the current snapshot (:attr:`matcher`) and never wait: changes are applied to
    a copy (:meth:`Matcher.fork`) under an in-memory lock that no database work happens
    inside, and the copy is swapped in. The app opens the index at start-up (:meth:`open`:
    load the saved one, or build it) and `jjj db init` builds and saves it, so a request
    never builds it; a request only applies the few listings changed since the mark
    (:meth:`catch_up`). More than :attr:`inline_limit` changes at once, or a delta past
    :attr:`BM25Index.delta_limit`, start a rebuild in a background thread when a session
    factory is given (inline otherwise, as in the CLI); tokens are cached by text digest
    (:class:`~jingjinji.matching.TokenCache`) so a rebuild tokenizes only what changed.
    """

    #: Changed listings a request applies itself; more start a background rebuild.
    inline_limit = 500

    def __init__(
        self,
        atlas: Atlas,
        *,
        folder: Path | None,
        weights: MatchWeights,
        session_factory: Callable[[], Session] | None = None,
        stale_seconds: float = 0.0,
        models: Path | None = None,
    ) -> None:
        self.atlas = atlas
        #: the folder of the embedding model (:func:`model_folder`); ``None``: BM25 alone
        self.models = models
        #: how long a page's matches computed before a change may still be served (s)
        self.stale_seconds = stale_seconds
        self.folder = folder
        self.weights = weights
        self.session_factory = session_factory
        self.tokens = TokenCache()
        #: Full builds done by this object (loads from disk are not builds).
        self.builds = 0
        self._snapshot: Matcher | None = None
        self._state: tuple[datetime | None, frozenset[int]] = (None, frozenset())
        self._stamps: dict[int, datetime] = {}
        self._apply_lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._catch_up_lock = threading.Lock()  # one caller catches up; others read on
        self._rebuild_thread: threading.Thread | None = None
        self._parts: tuple[TextPipeline, AtlasContext, StaticEmbedder | None] | None = None
        #: called after a catch-up changed or withdrew a listing that was in the index (one
        #: that others' matches may show; new publications alone do not call it), and after
        #: a rebuild while serving
        self.on_change: Callable[[], None] | None = None

    @property
    def ready(self) -> bool:
        """Whether the index is open (loaded or built)."""
        return self._snapshot is not None

    @property
    def mark(self) -> datetime | None:
        """The largest ``updated_at`` of the listings applied."""
        return self._state[0]

    @property
    def matcher(self) -> Matcher:
        """The current snapshot; ``RuntimeError`` before :meth:`open`."""
        snapshot = self._snapshot
        if snapshot is None:
            raise RuntimeError("the matching index is not open")
        return snapshot

    # -- lifecycle ----------------------------------------------------------------------------

    def open(self, session: Session) -> None:
        """Load the saved index, or build and save it (start-up, `jjj db init`, the CLI)."""
        with self._build_lock:
            if self._snapshot is None and not self._load(session):
                self._build(session)

    def ensure(self, session: Session) -> Matcher:
        """The matcher, up to date with the database (opened first outside the app)."""
        if self._snapshot is None:
            self.open(session)
        self.catch_up(session)
        return self.matcher

    def rebuild(self, session: Session) -> int:
        """Rebuild from the database and save; returns the number of listings indexed."""
        with self._build_lock:
            return self._build(session)

    def rebuild_in_background(self) -> bool:
        """Start a rebuild in a thread of its own (one at a time); readers keep the current
        snapshot until the new one is swapped in. False when one is running already."""
        if self.session_factory is None:
            raise RuntimeError("a background rebuild needs a session factory")
        with self._apply_lock:
            if self._rebuild_thread is not None and self._rebuild_thread.is_alive():
                return False
            thread = threading.Thread(
                target=self._rebuild_from_factory, name="matching-index-rebuild", daemon=True
            )
            self._rebuild_thread = thread
        thread.start()
        return True

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        """Wait until a background rebuild (if any) has finished (tests, shutdown)."""
        thread = self._rebuild_thread
        if thread is not None:
            thread.join(timeout)

    def _rebuild_from_factory(self) -> None:
        assert self.session_factory is not None
        try:
            with self.session_factory() as session:
                self.rebuild(session)
        except Exception:  # a failed rebuild leaves the current snapshot serving
            log.exception("background rebuild of the matching index failed")

    def _published(self, session: Session) -> Iterable[Listing]:
        query = select(Listing).options(load_only(*_TEXT_COLUMNS)).order_by(Listing.id)
        return session.scalars(query.where(Listing.status == "published")).all()

    def _shared(self) -> tuple[TextPipeline, AtlasContext, StaticEmbedder | None]:
        """The text pipeline, atlas context and embedding model every matcher of this index
        uses (made once: the pipeline takes about a second, the model is read from
        :attr:`models` or distilled there, some 20 s, the first time)."""
        if self._parts is None:
            embedder = None
            if self.models is not None:
                embedder = load_or_distil(self.models, domain_terms(self.atlas))
            self._parts = (pipeline_for(self.atlas), atlas_context(self.atlas), embedder)
        return self._parts

    def _new_matcher(self) -> Matcher:
        pipeline, context, embedder = self._shared()
        matcher = Matcher(pipeline, context, self.weights, embedder)
        matcher.stale_seconds = self.stale_seconds
        matcher.token_source = self.tokens.known  # the tokens kept for rebuilds
        return matcher

    def _cached_tokens(self, doc: Document) -> list[str]:
        return self.tokens.tokens(doc.key, doc.text, self._shared()[0])

    def _build(self, session: Session) -> int:
        # The mark is read before the rows: a listing committed in between is applied again
        # by the next catch-up (harmless), never missed.
        state = self._mark_of(session)
        if not len(self.tokens):
            self._load_tokens()
        documents = [listing_document(listing) for listing in self._published(session)]
        matcher = self._new_matcher()
        matcher.build(documents, tokens=self._cached_tokens)
        self.tokens.retain(doc.key for doc in documents)
        with self._apply_lock:
            self._snapshot, self._state, self._stamps = matcher, state, {}
            self.builds += 1
        if self.on_change is not None:  # a rebuild while serving: anything may have changed
            self.on_change()
        self._save(session, matcher, state)
        log.info("matching index built: %d listings", len(documents))
        return len(documents)

    def _mark_of(self, session: Session) -> tuple[datetime | None, frozenset[int]]:
        latest = session.scalar(select(func.max(Listing.updated_at)))
        if latest is None:
            return None, frozenset()
        tied = session.scalars(select(Listing.id).where(Listing.updated_at == latest)).all()
        return _aware(latest), frozenset(tied)

    # -- keeping up ---------------------------------------------------------------------------

    def catch_up(self, session: Session) -> int:
        """Apply the listings changed since the mark; returns how many were applied. Costs one
        indexed query when nothing changed; tokenizing happens before the lock is taken.

        One caller at a time catches up: a caller arriving meanwhile returns at once and
        searches the current snapshot (at most one catch-up behind) instead of reading and
        tokenizing the same changed rows again."""
        if not self._catch_up_lock.acquire(blocking=False):
            return 0
        try:
            return self._catch_up(session)
        finally:
            self._catch_up_lock.release()

    def _catch_up(self, session: Session) -> int:
        mark, at_mark = self._state
        rows = self._changed(session, mark, at_mark)
        if not rows:
            return 0
        if len(rows) > self.inline_limit and self.session_factory is not None:
            self.rebuild_in_background()
            return 0
        prepared = [
            (
                row.id,
                _aware(row.updated_at),
                listing_document(row) if row.status == "published" else None,
            )
            for row in rows
        ]
        tokens = {key: self._cached_tokens(doc) for key, _stamp, doc in prepared if doc}
        shown = False
        with self._apply_lock:
            current = self.matcher.fork()
            applied = 0
            new_mark, new_at = self._state
            for key, stamp, doc in prepared:
                seen = self._stamps.get(key)
                if seen is not None and stamp <= seen:
                    continue  # applied already, or older than what was applied
                shown = shown or key in current.profiles
                if doc is not None:
                    current.upsert(doc, tokens[key])
                else:
                    current.remove(key)
                self._stamps[key] = stamp
                applied += 1
                if new_mark is None or stamp > new_mark:
                    new_mark, new_at = stamp, frozenset({key})
                elif stamp == new_mark:
                    new_at = new_at | {key}
            self._snapshot, self._state = current, (new_mark, new_at)
            oversized = current.delta_size > BM25Index.delta_limit
        if shown and self.on_change is not None:
            self.on_change()
        if oversized:
            if self.session_factory is not None:
                self.rebuild_in_background()
            else:
                self.rebuild(session)
        return applied

    def _changed(
        self, session: Session, mark: datetime | None, at_mark: frozenset[int]
    ) -> list[Listing]:
        found = session.connection().execute(_NEWEST).one()
        latest, count = found[0], found[1]
        if latest is None:
            return []
        new_at_mark: set[int] = set()
        if mark is not None:
            if _aware(latest) < mark:
                return []
            at = Listing.updated_at == mark
            if _aware(latest) == mark and count == len(at_mark):
                return []  # the usual case: one indexed query, no rows
            new_at_mark = set(session.scalars(select(Listing.id).where(at))) - at_mark
        # No ORDER BY: sorting by id made SQLite scan the whole table in key order instead of
        # reading the few changed rows from the index on updated_at; they are sorted here.
        query = select(Listing).options(load_only(*_TEXT_COLUMNS))
        if mark is not None:
            later = Listing.updated_at > mark
            query = query.where(later | Listing.id.in_(new_at_mark) if new_at_mark else later)
        return sorted(session.scalars(query), key=lambda row: row.id)

    # -- persistence --------------------------------------------------------------------------

    def _fingerprint(self, session: Session, mark: datetime | None) -> int:
        if mark is None:
            return int(session.scalar(select(func.count(Listing.id))) or 0)
        query = select(func.count(Listing.id)).where(Listing.updated_at <= mark)
        return int(session.scalar(query) or 0)

    def _save(
        self, session: Session, matcher: Matcher, state: tuple[datetime | None, frozenset[int]]
    ) -> None:
        """Write a new version folder, then point ``current`` at it (an atomic rename), so
        several worker processes may save and load at once."""
        if self.folder is None:
            return
        mark, at_mark = state
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"v-{datetime.now(UTC):%Y%m%d%H%M%S%f}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            staging = self.folder / f".{name}"
            matcher.save(staging)
            self.tokens.save(staging / "tokens")
            meta = {
                "mark": mark.isoformat() if mark else None,
                "rows": self._fingerprint(session, mark),
                "at_mark": sorted(at_mark),
            }
            (staging / "state.json").write_text(json.dumps(meta), encoding="utf-8")
            staging.rename(self.folder / name)
            pointer = self.folder / f".current-{name}"
            pointer.write_text(name, encoding="utf-8")
            os.replace(pointer, self.folder / "current")
            self._prune(keep={name})
        except OSError as exc:  # an unwritable folder costs a rebuild on restart, no more
            log.warning("matching index not saved to %s: %s", self.folder, exc)

    def _prune(self, keep: set[str]) -> None:
        """Remove older versions but the newest other one (a process may still be loading it)."""
        assert self.folder is not None
        versions = sorted(
            (p for p in self.folder.iterdir() if p.is_dir() and p.name.startswith("v-")),
            key=lambda p: p.name,
        )
        others = [p for p in versions if p.name not in keep]
        for old in others[:-1]:
            shutil.rmtree(old, ignore_errors=True)

    def _version(self) -> Path | None:
        """The folder of the saved index ``current`` points at, if any."""
        if self.folder is None or not (self.folder / "current").is_file():
            return None
        try:
            return self.folder / (self.folder / "current").read_text(encoding="utf-8").strip()
        except OSError:
            return None

    def _load_tokens(self) -> None:
        """Take the saved token cache (a rebuild then tokenizes only what changed)."""
        version = self._version()
        if version is None:
            return
        try:
            self.tokens = TokenCache.load(version / "tokens")
        except ValueError as exc:
            log.info("token cache at %s not used: %s", version, exc)

    def _load(self, session: Session) -> bool:
        version = self._version()
        if version is None:
            return False
        self._load_tokens()
        try:
            meta = json.loads((version / "state.json").read_text(encoding="utf-8"))
            matcher = self._new_matcher()
            matcher.load_indexes(version)
        except (OSError, ValueError) as exc:
            log.warning("matching index at %s unreadable, rebuilding: %s", self.folder, exc)
            return False
        mark = datetime.fromisoformat(meta["mark"]) if meta.get("mark") else None
        if self._fingerprint(session, mark) != meta.get("rows"):
            log.info("matching index at %s is for another database state; rebuilding", version)
            return False
        rows = session.execute(select(*_PROFILE_COLUMNS).where(Listing.status == "published")).all()
        matcher.profiles = {row.id: listing_profile(row) for row in rows}
        with self._apply_lock:
            self._snapshot = matcher
            self._state = (mark, frozenset(int(i) for i in meta.get("at_mark", [])))
            self._stamps = {}
        log.info("matching index loaded from %s", version)
        return True


#: The latest stamp of the listings and how many rows carry it: one round trip, both answered
#: by the index on updated_at; built once (Core, no ORM), as it runs before every match.
_LATEST = select(func.max(Listing.updated_at)).scalar_subquery()
_NEWEST = select(
    _LATEST, select(func.count()).where(Listing.updated_at == _LATEST).scalar_subquery()
)

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
