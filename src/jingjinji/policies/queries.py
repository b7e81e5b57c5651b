"""Questions asked of the stored policies: the filtered list, full-text search, which policies
apply to an enterprise, and the three places compared for one industry.

Each answer pairs the analytics' results (:mod:`jingjinji.policies.search`,
:mod:`~jingjinji.policies.eligibility`, :mod:`~jingjinji.policies.compare`) with the stored
rows they are about; the web layer presents them. Policies are judged expired against
:func:`today`.

Search runs on a :class:`PolicySearchIndex` kept by the app: built once per state of the
policy table (one indexed query tells whether it changed) and brought up to date by
tokenizing only the policies that changed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.policies.compare import compare
from jingjinji.policies.eligibility import Eligibility, EnterpriseProfile, match_policies
from jingjinji.policies.repository import PolicyFilter, filter_policies, to_record
from jingjinji.policies.search import (
    IndexedDocument,
    PolicyIndex,
    SearchHit,
    atlas_words,
    index_document,
    parse_query,
    tokenize,
)
from jingjinji.projects.places import atlas_name, place_label
from jingjinji.store import table_stamp
from jingjinji.store.models import Enterprise, Policy

__all__ = [
    "Comparison",
    "ComparisonColumn",
    "EligibilityResult",
    "PolicyNotFound",
    "PolicySearchIndex",
    "PolicySnapshot",
    "SearchResult",
    "all_policies",
    "compare_places",
    "eligible_policies",
    "enterprise_profile",
    "filtered_policies",
    "search_index",
    "search_policies",
    "today",
]

log = logging.getLogger(__name__)


class PolicyNotFound(LookupError):
    """What a question names (an enterprise, an industry) does not exist; ``message_zh`` says
    so to the user."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


@dataclass(frozen=True)
class SearchResult:
    """Search hits, best first, each with its stored policy; the query's ``terms`` (words and
    quoted phrases) and the ``count`` of all hits."""

    terms: list[str]
    hits: list[tuple[SearchHit, Policy]]
    count: int


@dataclass(frozen=True)
class EligibilityResult:
    """The ranked checks of the policies against ``profile``, each with its stored policy;
    ``count`` and ``eligible_count`` cover every result, not only those listed."""

    profile: EnterpriseProfile
    results: list[tuple[Eligibility, Policy]]
    count: int
    eligible_count: int


@dataclass(frozen=True)
class ComparisonColumn:
    """One place's stored policies: aimed at the industry, and general ones."""

    place: str
    targeted: list[Policy]
    general: list[Policy]


@dataclass(frozen=True)
class Comparison:
    """北京, 天津 and 河北 side by side for one industry (slug and Chinese name)."""

    industry: str
    industry_name: str
    columns: list[ComparisonColumn]


def today() -> date:
    """The date policies are judged expired against."""
    return date.today()


def all_policies(session: Session) -> list[Policy]:
    """Every stored policy."""
    return list(session.scalars(select(Policy).order_by(Policy.id)))


def filtered_policies(session: Session, filt: PolicyFilter, atlas: Atlas) -> list[Policy]:
    """The stored policies passing ``filt`` today, newest issue date first."""
    return filter_policies(all_policies(session), filt, atlas=atlas, today=today())


def _body(row: Policy, atlas: Atlas) -> str:
    """The indexed body of a policy: department, number, place, type, summary, benefits,
    full text and targets."""
    industries = [atlas_name(atlas, "industry", s) for s in row.target_industries or []]
    segments = [atlas_name(atlas, "segment", s) for s in row.target_segments or []]
    parts = [
        row.department,
        row.number or "",
        place_label(row.place_adcode, atlas),
        row.type,
        row.summary,
        row.benefits,
        row.full_text,
        *industries,
        *segments,
        *(row.target_tags or []),
    ]
    return "\n".join(p for p in parts if p)


def search_index(rows: list[Policy], atlas: Atlas) -> PolicyIndex:
    """A BM25 index over the rows: title; department, number, place, summary, benefits,
    full text, targets and type as the body."""
    return PolicyIndex(((row.id, row.title, _body(row, atlas)) for row in rows), atlas=atlas)


@dataclass(frozen=True)
class PolicySnapshot:
    """One version of the search index: the table's ``stamp`` when it was read, each policy's
    ``updated_at`` (``versions``), detached copies of the rows (by id, in id order) and the
    index over all of them. Never changed once made: a newer state makes a new snapshot."""

    stamp: tuple[Any, ...]
    versions: dict[int, datetime]
    rows: dict[int, Policy]
    index: PolicyIndex


_POLICY_COLUMNS = tuple(attr.key for attr in inspect(Policy).column_attrs)


def _policy_copies(session: Session, ids: Sequence[int]) -> dict[int, Policy]:
    """Detached (transient) copies of the policies ``ids``, read in chunks."""
    copies: dict[int, Policy] = {}
    columns = [getattr(Policy, name) for name in _POLICY_COLUMNS]
    for start in range(0, len(ids), 500):
        query = select(*columns).where(Policy.id.in_(ids[start : start + 500]))
        for row in session.execute(query):
            copies[row.id] = Policy(**row._asdict())
    return copies


class PolicySearchIndex:
    """The policy search index of one database, for one atlas; thread-safe, one per app.

    :meth:`snapshot` costs one query (:func:`~jingjinji.projects.repository.table_stamp`)
    while the table is unchanged. After a change it reads the ids and ``updated_at`` of the
    policies and the rows of those that changed — all before any lock is taken, through a
    short session of its own when ``session_factory`` is given, so a caller holds no
    database connection while it waits — then tokenizes only the changed policies (documents
    are kept by id and ``updated_at``) and swaps the new snapshot in. Readers never wait for a
    rebuild: one caller at a time builds, the others keep the current snapshot; only the
    very first build is waited for. More than :attr:`inline_limit` changed policies are
    rebuilt in a background thread (when a session factory is given) while the current
    snapshot serves. ``builds`` and ``tokenized`` count snapshots made and policies
    tokenized.
    """

    #: Changed policies a caller tokenizes itself; more start a background rebuild.
    inline_limit = 50

    def __init__(
        self, atlas: Atlas, *, session_factory: Callable[[], Session] | None = None
    ) -> None:
        self.atlas = atlas
        self.session_factory = session_factory
        self.words = atlas_words(atlas)
        self.builds = 0
        self.tokenized = 0
        self._snapshot: PolicySnapshot | None = None
        self._build_lock = threading.Lock()
        self._thread_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def current(self) -> PolicySnapshot | None:
        """The snapshot serving now (``None`` before the first build)."""
        return self._snapshot

    @contextlib.contextmanager
    def _reader(self, session: Session) -> Iterator[Session]:
        if self.session_factory is None:
            yield session
            return
        with self.session_factory() as own:
            yield own

    def _changes(
        self, reader: Session, base: PolicySnapshot | None
    ) -> tuple[tuple[Any, ...], dict[int, datetime], list[int]] | None:
        """The stamp, every policy's ``updated_at`` and the ids changed since ``base``;
        ``None`` when ``base`` is up to date."""
        stamp = table_stamp(reader, Policy)
        if base is not None and base.stamp == stamp:
            return None
        query = select(Policy.id, Policy.updated_at).order_by(Policy.id)
        versions = {int(pid): at for pid, at in reader.execute(query)}
        known = base.versions if base is not None else {}
        return stamp, versions, [pid for pid, at in versions.items() if known.get(pid) != at]

    def snapshot(self, session: Session) -> PolicySnapshot:
        """The current snapshot, brought up to date with the database first (see the class)."""
        current = self._snapshot
        with self._reader(session) as reader:
            found = self._changes(reader, current)
            if found is None:
                assert current is not None
                return current
            stamp, versions, changed = found
            if (
                current is not None
                and len(changed) > self.inline_limit
                and self.session_factory is not None
            ):
                self.rebuild_in_background()
                return current
            rows = _policy_copies(reader, changed)
        # no database work from here on
        if current is None:
            with self._build_lock:  # the first build: wait for whoever is making it
                latest = self._snapshot
                if latest is not None and latest.stamp == stamp:
                    return latest
                return self._build(stamp, versions, rows, base=None)
        if not self._build_lock.acquire(blocking=False):
            return current  # another caller is building: keep serving this one
        try:
            return self._build(stamp, versions, rows, base=current)
        finally:
            self._build_lock.release()

    def _build(
        self,
        stamp: tuple[Any, ...],
        versions: dict[int, datetime],
        rows: dict[int, Policy],
        *,
        base: PolicySnapshot | None,
    ) -> PolicySnapshot:
        """A new snapshot (caller holds the build lock): ``rows`` are the policies changed
        since ``base``, the others are taken from it; documents of an unchanged version are
        taken from the snapshot serving now."""
        latest = self._snapshot
        copies: dict[int, Policy] = {}
        documents: list[IndexedDocument] = []
        kept: dict[int, datetime] = {}
        for pid, version in versions.items():
            row = rows.get(pid)
            if row is None:
                if base is None or pid not in base.rows:
                    continue  # deleted between the two reads: the next stamp differs
                copies[pid], kept[pid] = base.rows[pid], version
                documents.append(base.index.by_key[pid])
                continue
            copies[pid], kept[pid] = row, version
            if latest is not None and latest.versions.get(pid) == version:
                documents.append(latest.index.by_key[pid])
            else:
                documents.append(
                    index_document(pid, row.title, _body(row, self.atlas), words=self.words)
                )
                self.tokenized += 1
        index = PolicyIndex.from_documents(documents, words=self.words)
        snapshot = PolicySnapshot(stamp=stamp, versions=kept, rows=copies, index=index)
        self._snapshot = snapshot
        self.builds += 1
        log.info("policy search index: %d policies, %d changed", len(copies), len(rows))
        return snapshot

    def rebuild_in_background(self) -> bool:
        """Bring the index up to date in a thread of its own (one at a time) while the
        current snapshot serves; ``False`` when one is running already."""
        if self.session_factory is None:
            raise RuntimeError("a background rebuild needs a session factory")
        with self._thread_lock:
            if self._thread is not None and self._thread.is_alive():
                return False
            thread = threading.Thread(
                target=self._rebuild_from_factory, name="policy-index-rebuild", daemon=True
            )
            self._thread = thread
        thread.start()
        return True

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        """Wait until a background rebuild (if any) has finished (tests, shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _rebuild_from_factory(self) -> None:
        assert self.session_factory is not None
        try:
            current = self._snapshot
            with self.session_factory() as reader:
                found = self._changes(reader, current)
                if found is None:
                    return
                stamp, versions, changed = found
                rows = _policy_copies(reader, changed)
            with self._build_lock:
                self._build(stamp, versions, rows, base=current)
        except Exception:  # a failed rebuild leaves the current snapshot serving
            log.exception("background rebuild of the policy search index failed")

    def search(self, session: Session, q: str, filt: PolicyFilter, *, limit: int) -> SearchResult:
        """The best ``limit`` policies passing ``filt`` for ``q``: the answer of
        :func:`search_policies` over the kept snapshot (rows are its detached copies)."""
        snapshot = self.snapshot(session)
        rows = filter_policies(list(snapshot.rows.values()), filt, atlas=self.atlas, today=today())
        hits = snapshot.index.search(q, keys=[row.id for row in rows])
        return _result(q, hits, snapshot.rows, snapshot.index.words, limit=limit)


def _result(
    q: str, hits: list[SearchHit], by_id: dict[int, Policy], words: tuple[str, ...], *, limit: int
) -> SearchResult:
    phrases, rest = parse_query(q)
    terms = list(dict.fromkeys(tokenize(rest, words=words) + phrases))
    return SearchResult(
        terms=terms, hits=[(h, by_id[h.key]) for h in hits[:limit]], count=len(hits)
    )


def search_policies(
    session: Session,
    q: str,
    filt: PolicyFilter,
    atlas: Atlas,
    *,
    limit: int,
    index: PolicySearchIndex | None = None,
) -> SearchResult:
    """The best ``limit`` policies passing ``filt`` for the query ``q`` (see
    :mod:`jingjinji.policies.search`), from the kept ``index`` (of the same atlas); without
    one the index is built for this call alone over the filtered rows (the CLI, and the
    benchmark's baseline)."""
    if index is not None and index.atlas is atlas:
        return index.search(session, q, filt, limit=limit)
    rows = filtered_policies(session, filt, atlas)
    built = search_index(rows, atlas)
    hits = built.search(q)
    return _result(q, hits, {row.id: row for row in rows}, built.words, limit=limit)


def enterprise_profile(session: Session, enterprise_id: int) -> EnterpriseProfile:
    """The profile of a registry enterprise: place, confirmed segments and their industries,
    tags, size and revenue (the registry has no founding date). Raises
    :class:`PolicyNotFound` for an unknown enterprise."""
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise PolicyNotFound("企业不存在")
    segments = [s for s in enterprise.segments if s.decision == "confirmed"]
    return EnterpriseProfile(
        place=enterprise.place_adcode,
        industries=tuple(sorted({s.industry for s in segments})),
        segments=tuple(s.segment for s in segments),
        tags=tuple(enterprise.tag_list),
        size=enterprise.size,
        revenue=enterprise.revenue,
        name=enterprise.name,
    )


def eligible_policies(
    session: Session,
    profile: EnterpriseProfile,
    atlas: Atlas,
    *,
    only_eligible: bool,
    limit: int,
) -> EligibilityResult:
    """Every current policy checked against ``profile``, ranked; the first ``limit`` listed."""
    rows = all_policies(session)
    by_id = {row.id: row for row in rows}
    results = match_policies(
        (to_record(r) for r in rows),
        profile,
        atlas=atlas,
        today=today(),
        only_eligible=only_eligible,
    )
    return EligibilityResult(
        profile=profile,
        results=[(r, by_id[r.policy.id or 0]) for r in results[:limit]],
        count=len(results),
        eligible_count=sum(1 for r in results if r.eligible),
    )


def compare_places(
    session: Session, industry: str, atlas: Atlas, *, include_expired: bool
) -> Comparison:
    """The three places' policies for ``industry`` (see :mod:`jingjinji.policies.compare`);
    raises :class:`PolicyNotFound` for an industry the atlas does not know."""
    try:
        name = atlas.industry(industry).name
    except AtlasLookupError:
        raise PolicyNotFound("产业链不存在") from None
    rows = all_policies(session)
    by_id = {row.id: row for row in rows}
    columns = compare(
        (to_record(r) for r in rows),
        industry=industry,
        atlas=atlas,
        today=today(),
        include_expired=include_expired,
    )
    return Comparison(
        industry=industry,
        industry_name=name,
        columns=[
            ComparisonColumn(
                place=c.place,
                targeted=[by_id[p.id or 0] for p in c.targeted],
                general=[by_id[p.id or 0] for p in c.general],
            )
            for c in columns
        ],
    )
