"""A warmed worker sets its long-lived objects aside from the garbage collector, after
collecting what is already garbage."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from jingjinji.settings import Settings
from jingjinji.web.app import create_app
from jingjinji.web.heap import freeze_long_lived


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the test process's own objects go back to the collector


def test_garbage_is_collected_before_the_living_are_frozen(unfrozen: None) -> None:
    kept = _Node()
    cycle = _Node()
    cycle.other = _Node()
    cycle.other.other = cycle  # garbage only the cyclic collector frees
    gone = weakref.ref(cycle)
    del cycle
    before = gc.get_freeze_count()
    assert kept in gc.get_referrers(kept.__dict__)  # the collector walks it
    frozen = freeze_long_lived()
    assert gone() is None  # collected, not frozen
    assert frozen == gc.get_freeze_count() > before
    assert kept not in gc.get_referrers(kept.__dict__)  # alive, and set aside
    fresh = _Node()
    fresh.other = fresh
    fresh_gone = weakref.ref(fresh)
    del fresh
    gc.collect()
    assert fresh_gone() is None  # what is made afterwards is collected as before


@pytest.mark.db
def test_a_worker_freezes_its_heap_once_warmed_and_serves_on(
    settings: Settings, unfrozen: None
) -> None:
    app = create_app(settings.model_copy(update={"warm_up": True, "public_refresh_seconds": 0}))
    with TestClient(app) as client:
        deadline = time.monotonic() + 120
        while client.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the worker did not get ready"
            time.sleep(0.05)
        assert gc.get_freeze_count() > 10_000  # the atlas, the index, the warmed figures
        assert client.get("/api/industries/hydrogen/coverage?place=130600").status_code == 200
