"""The worker's long-lived objects set aside from the cyclic garbage collector.

Once a worker has warmed up, most of its heap lives as long as the process: the atlas, the
matching index, the chain context and the figures and answers the warm-up computed. CPython's
collector walks every tracked object in each full collection, and a request that builds many
objects (rows, records, page fragments) sets off collections often: under the signed-in load
mix they were a fifth of a worker's time. :func:`freeze_long_lived` collects once, then moves
every object alive into the permanent generation (``gc.freeze``, the practice the CPython
documentation gives for long-running servers), so that later collections walk only what
requests made since. Frozen objects are still freed when no longer referenced; only cycles
among them stay until the worker ends.
"""

from __future__ import annotations

import gc
import logging
import time

__all__ = ["freeze_long_lived"]

log = logging.getLogger(__name__)


def freeze_long_lived() -> int:
    """Collect garbage, then freeze every object alive (see the module); returns how many
    objects the collector now leaves aside."""
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.info(
        "%d long-lived objects set aside from the garbage collector in %.2f s",
        frozen,
        time.perf_counter() - started,
    )
    return frozen
