"""Answers of read queries kept until the tables behind them change.

:func:`table_stamp` tells, in one round trip of aggregates that an index can answer, whether
a table changed; :class:`ReadCache` keeps answers per database under that stamp, computing
each changed answer once however many callers ask at the same moment (the project statistics,
the loop's figures, the chain context, the registry's sample flag, the policy search index).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Engine, Select, func, select
from sqlalchemy.orm import Session

__all__ = ["ReadCache", "stale_reads", "table_stamp"]

log = logging.getLogger(__name__)

#: How old (seconds) a kept answer of a summary cache may be and still be served after the
#: data changed, and the time (``time.time()``) of the caller's own last write: an answer
#: whose computation began before it is never served once the data changed. (0, 0), the
#: default, serves current answers only. Set per request (see :func:`stale_reads`).
_TOLERANCE: ContextVar[tuple[float, float]] = ContextVar("read_cache_tolerance", default=(0.0, 0.0))


def stale_reads(seconds: float, *, wrote_at: float = 0.0) -> None:
    """Let the summary caches (``ReadCache(..., summary=True)``) answer the rest of this
    context (a request) from an answer up to ``seconds`` old even though the data changed
    since, instead of computing it again; 0 turns it off.

    ``wrote_at`` (seconds since the epoch) is when the caller last changed data: an answer
    whose computation began before that is not served to them after a change, so whoever
    writes reads their own write at once (read-your-writes; everyone else sees it within
    ``seconds``)."""
    _TOLERANCE.set((max(0.0, float(seconds)), float(wrote_at)))


T = TypeVar("T")


def table_stamp(
    session: Session, *models: Any, where: ColumnElement[bool] | None = None
) -> tuple[Any, ...]:
    """What changes when rows of the tables of ``models`` are added, changed or deleted: per
    table its row count, latest ``updated_at`` and largest id (when it has them), in one round
    trip; ``where`` restricts a single table.

    Each aggregate is a subquery of its own, so that the database answers ``max`` from an
    index where there is one (PostgreSQL and SQLite do so only for a lone ``min``/``max``)
    and ``count(*)`` from the narrowest index. A change is seen as long as writers' clocks
    do not go back (an update stamps ``updated_at`` with the writer's time). ``where`` should
    be made once (a module constant): the statement is built once per condition object.
    """
    return tuple(session.execute(_stamp_statement(models, where)).one())


_STATEMENTS: dict[tuple[Any, ...], tuple[Select[Any], Any]] = {}


def _stamp_statement(models: tuple[Any, ...], where: ColumnElement[bool] | None) -> Select[Any]:
    """The statement of :func:`table_stamp`, built once per tables and condition: building
    it and its cache key cost more than the database's answer. Pass a ``where`` made once
    (a module constant); the statement is kept per condition object (at most 64)."""
    key = (*(model.__table__ for model in models), id(where))
    kept = _STATEMENTS.get(key)
    if kept is not None:
        return kept[0]
    parts: list[Any] = []
    for model in models:
        table = model.__table__
        aggregates: list[Any] = [func.count()]
        if "id" in table.c:
            aggregates.append(func.max(table.c.id))
        if "updated_at" in table.c:
            aggregates.insert(1, func.max(table.c.updated_at))
        for aggregate in aggregates:
            query = select(aggregate).select_from(table)
            parts.append((query.where(where) if where is not None else query).scalar_subquery())
    statement = select(*parts)
    if len(_STATEMENTS) >= 64:
        _STATEMENTS.clear()
    _STATEMENTS[key] = (statement, where)  # the condition kept alive: its id stays its own
    return statement


#: A kept answer: (stamp, answer, time.monotonic() when computed, time.time() when its
#: computation began).
_Kept = tuple[Any, Any, float, float]


class _Flight:
    """One computation in progress, of ``key`` at ``stamp`` of the cache ``name`` (per
    engine) whose answers ``store`` keeps: its callers wait on ``done`` when nothing is
    kept."""

    def __init__(
        self,
        name: tuple[int, Hashable],
        store: OrderedDict[Hashable, _Kept],
        key: Hashable,
        stamp: Any,
    ) -> None:
        self.name, self.store, self.key, self.stamp = name, store, key, stamp
        self.leader = threading.get_ident()
        self.began = time.time()
        self.done = threading.Event()
        self.value: Any = None
        self.ok = False


class ReadCache:
    """Answers of read queries kept per database until the tables behind them change.

    :meth:`get` returns the answer stored under ``key`` when it was computed at the same
    ``stamp`` (see :func:`table_stamp`), else computes it and keeps it; at most ``size`` keys
    per database, the least recently used dropped. One caller at a time computes a key
    (single flight): while it does, callers get the answer kept for the previous stamp at
    once, or, when none is kept (a cold start), wait for that one computation instead of all
    doing the same work. Answers are shared between callers: cache only immutable values or
    return copies. ``computed`` counts the answers computed (misses), for tests and logs.

    A ``summary`` cache (figures over whole tables, which every write changes) also serves an
    answer computed less than :func:`stale_reads` seconds ago when the stamp moved on, so
    that a stream of writes does not make every reader compute it again; never to a caller
    whose own write came after that computation began (nor the answer of the previous stamp
    while one is computed: the caller waits for a computation begun after its write, or
    computes).
    """

    def __init__(
        self, name: str, *, size: int = 128, wait_seconds: float = 60.0, summary: bool = False
    ) -> None:
        self.name = name
        self.size = size
        self.wait_seconds = wait_seconds
        self.summary = summary
        self.computed = 0
        self._lock = threading.Lock()
        #: per engine: key -> the kept answer
        self._stores: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, _Kept]]
        self._stores = weakref.WeakKeyDictionary()
        self._flights: dict[tuple[int, Hashable], _Flight] = {}

    def get(
        self,
        session: Session,
        key: Hashable,
        stamp: Any,
        compute: Callable[[], T],
        *,
        refresh: Callable[[Session], T] | None = None,
    ) -> T:
        """The answer for ``key`` at ``stamp``, computed by ``compute()`` when not kept.

        ``refresh`` is the same computation on a session of its own. Given, a reader who may
        be served a summary a while old (:func:`stale_reads`) and finds the kept one past that
        age gets it once more while ``refresh`` computes the next in a thread of its own:
        no reader waits for a summary's periodic recomputation (what is served is then at most
        one computation older than the tolerance). A caller whose own write came after the
        kept answer began still computes in the open."""
        engine = session.get_bind().engine
        name = (id(engine), key)
        with self._lock:
            store = self._stores.setdefault(engine, OrderedDict())
            kept = store.get(key)
            if kept is not None and (kept[0] == stamp or self._tolerated(kept[2], kept[3])):
                store.move_to_end(key)
                value: T = kept[1]
                return value
            flight = self._flights.get(name)
            wrote_at = _TOLERANCE.get()[1]
            if flight is not None and kept is not None and kept[3] > wrote_at:
                stale: T = kept[1]  # at most one computation old, and after the caller's write
                return stale
            if flight is None and kept is not None and refresh and self._refreshable(kept[3]):
                flight = self._flights[name] = _Flight(name, store, key, stamp)
                threading.Thread(
                    target=self._refresh,
                    args=(engine, refresh, flight),
                    name=f"refresh {self.name}",
                    daemon=True,
                ).start()
                due: T = kept[1]
                return due
            if flight is not None and (
                flight.leader == threading.get_ident() or flight.began <= wrote_at
            ):
                # asked again inside its own computation (never wait on itself), or the
                # computation under way began before the caller's own write
                return compute()
            leader = flight is None
            if flight is None:
                flight = self._flights[name] = _Flight(name, store, key, stamp)
        if not leader:
            # The computing caller holds its own connection: waiting here cannot starve it.
            if flight.done.wait(self.wait_seconds) and flight.ok:
                shared: T = flight.value
                return shared
            return compute()  # the leader failed or is stuck: compute for this caller
        try:
            value = compute()
            flight.value, flight.ok = value, True
        finally:
            self._land(flight)
        return value

    def _refresh(self, engine: Engine, refresh: Callable[[Session], Any], flight: _Flight) -> None:
        """Compute a due answer in this thread with a session of its own (see :meth:`get`)."""
        flight.leader = threading.get_ident()
        try:
            with Session(bind=engine) as own:
                flight.value, flight.ok = refresh(own), True
        except Exception:  # the next reader past the answer's age tries again
            log.warning("refreshing %s failed", self.name, exc_info=True)
        finally:
            self._land(flight)

    def _land(self, flight: _Flight) -> None:
        """Keep a flight's answer (when it succeeded) and release its waiters."""
        store = flight.store
        with self._lock:
            self._flights.pop(flight.name, None)
            if flight.ok:
                store[flight.key] = (flight.stamp, flight.value, time.monotonic(), flight.began)
                store.move_to_end(flight.key)
                while len(store) > self.size:
                    store.popitem(last=False)
                self.computed += 1
        flight.done.set()

    def _refreshable(self, began: float) -> bool:
        """Whether this caller may be served a summary past its age while it is refreshed."""
        tolerance, wrote_at = _TOLERANCE.get()
        return self.summary and tolerance > 0 and began > wrote_at

    def _tolerated(self, computed_at: float, began: float) -> bool:
        """Whether this caller may be served a summary computed at ``computed_at`` though
        the data changed since: it is refreshable and younger than the caller's tolerance."""
        tolerance = _TOLERANCE.get()[0]
        return self._refreshable(began) and time.monotonic() - computed_at < tolerance

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._stores.clear()
