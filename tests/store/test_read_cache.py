"""The read cache computes a missing answer once however many callers ask at once, and a
computation that asks for its own key again does not wait on itself; a summary may be served
a moment old, but never to a caller whose own write came after its computation began."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from jingjinji.store import ReadCache, create_db_engine, stale_reads


def test_callers_of_a_cold_key_wait_for_the_one_computation(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    cache = ReadCache("test", size=4)
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []
    answers: list[str] = []

    def slow() -> str:
        calls.append(1)
        started.set()
        assert release.wait(30)
        return "figures"

    def ask() -> None:
        with Session(engine) as session:
            answers.append(cache.get(session, "key", 1, slow))

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(30)
    others = [threading.Thread(target=ask) for _ in range(8)]
    for thread in others:
        thread.start()
    release.set()
    for thread in [first, *others]:
        thread.join(30)
    assert answers == ["figures"] * 9
    assert calls == [1] and cache.computed == 1
    engine.dispose()


def test_a_failed_computation_is_not_kept_and_waiters_compute_their_own(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    cache = ReadCache("test", size=4)
    started, release = threading.Event(), threading.Event()
    errors: list[str] = []
    answers: list[str] = []

    def failing() -> str:
        started.set()
        assert release.wait(30)
        raise RuntimeError("database went away")

    def first() -> None:
        with Session(engine) as session:
            try:
                cache.get(session, "key", 1, failing)
            except RuntimeError as exc:
                errors.append(str(exc))

    def second() -> None:
        with Session(engine) as session:
            answers.append(cache.get(session, "key", 1, lambda: "recomputed"))

    leader = threading.Thread(target=first)
    leader.start()
    assert started.wait(30)
    waiter = threading.Thread(target=second)
    waiter.start()
    release.set()
    leader.join(30)
    waiter.join(30)
    assert errors == ["database went away"] and answers == ["recomputed"]
    with Session(engine) as session:
        assert cache.get(session, "key", 1, lambda: "kept") == "kept"  # the failure was not
    engine.dispose()


def test_a_computation_asking_for_its_own_key_does_not_wait_on_itself(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    cache = ReadCache("test", size=4, wait_seconds=600)  # waiting on itself would hang
    answers: list[str] = []

    def ask() -> None:
        with Session(engine) as session:

            def outer() -> str:
                return "outer+" + cache.get(session, "key", 1, lambda: "inner")

            answers.append(cache.get(session, "key", 1, outer))
            answers.append(cache.get(session, "key", 1, lambda: "never"))

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the computation waited for itself"
    assert answers == ["outer+inner", "outer+inner"]
    engine.dispose()


def test_summary_caches_serve_a_recent_answer_to_a_tolerant_reader_only(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    summary = ReadCache("summary", size=4, summary=True)
    records = ReadCache("records", size=4)

    def ask(cache: ReadCache, stamp: int, tolerance: float) -> str:
        def run() -> str:
            stale_reads(tolerance)
            with Session(engine) as session:
                return cache.get(session, "key", stamp, lambda: f"at {stamp}")

        return contextvars.copy_context().run(run)  # a request of its own

    assert ask(summary, 1, 0) == "at 1"
    assert ask(records, 1, 0) == "at 1"
    # the data changed (stamp 2): a tolerant reader gets the answer of a moment ago ...
    assert ask(summary, 2, 60) == "at 1"
    # ... a reader asking for current figures (a signed-in user) computes them ...
    assert ask(summary, 2, 0) == "at 2"
    # ... and a cache of records is always current
    assert ask(records, 2, 60) == "at 2"
    # an answer older than the tolerance is not served
    assert ask(summary, 3, 1e-9) == "at 3"
    engine.dispose()


def test_a_caller_is_never_served_a_summary_begun_before_its_own_write(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    summary = ReadCache("summary", size=4, summary=True)

    def ask(
        stamp: int, wrote_at: float, compute: Callable[[], str] | None = None, tolerance: int = 60
    ) -> str:
        def run() -> str:
            stale_reads(tolerance, wrote_at=wrote_at)
            with Session(engine) as session:
                return summary.get(session, "key", stamp, compute or (lambda: f"at {stamp}"))

        return contextvars.copy_context().run(run)

    assert ask(1, 0) == "at 1"
    wrote = time.time()  # a caller changed the data (stamp 2) after "at 1" was computed
    assert ask(2, 0) == "at 1"  # another reader: the answer of a moment ago
    assert ask(2, wrote) == "at 2"  # the writer: current figures
    assert ask(2, 0) == "at 2"
    # While a computation begun before a caller's write runs, that caller does not get the
    # answer it replaces nor wait for it: it computes its own.
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(30)
        return "at 3 (slow)"

    # (begun by a caller who wants current figures: an API token)
    thread = threading.Thread(target=lambda: ask(3, 0, slow, tolerance=0), daemon=True)
    thread.start()
    assert started.wait(30)
    assert ask(3, 0) == "at 2"  # a reader meanwhile: the kept answer at once
    assert ask(3, time.time()) == "at 3"  # the writer: its own computation
    release.set()
    thread.join(30)
    engine.dispose()


def test_a_due_summary_is_refreshed_in_the_background_while_readers_get_the_kept_one(
    tmp_path: Path,
) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    summary = ReadCache("summary", size=4, summary=True)
    release = threading.Event()
    sessions: list[Session] = []

    def refresh(own: Session) -> str:
        sessions.append(own)
        assert release.wait(30)
        return "refreshed at 2"

    def ask(stamp: int, tolerance: float, wrote_at: float = 0.0) -> str:
        def run() -> str:
            stale_reads(tolerance, wrote_at=wrote_at)
            with Session(engine) as session:
                return summary.get(session, "key", stamp, lambda: f"at {stamp}", refresh=refresh)

        return contextvars.copy_context().run(run)

    assert ask(1, 0) == "at 1"
    # the data changed and the kept answer is past the reader's tolerance: the reader gets it
    # at once while the next one is computed in a thread of its own ...
    assert ask(2, 1e-9) == "at 1"
    assert ask(2, 1e-9) == "at 1"  # ... one refresh at a time, the others served meanwhile
    computed = summary.computed
    release.set()
    deadline = time.monotonic() + 30
    while summary.computed == computed:
        assert time.monotonic() < deadline, "the refresh did not land"
        time.sleep(0.01)
    assert len(sessions) == 1  # on a session of its own, not the reader's
    assert ask(2, 0) == "refreshed at 2"
    # a reader who wrote after the kept answer began still gets current figures at once
    assert ask(3, 1e-9, wrote_at=time.time()) == "at 3"
    engine.dispose()
