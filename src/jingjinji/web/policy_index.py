"""The app's policy search index (:class:`~jingjinji.policies.queries.PolicySearchIndex`),
created on first use and kept in ``app.state``; shared by the policy API and the policy page."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from jingjinji.policies.queries import PolicySearchIndex

__all__ = ["PolicyIndexDep", "policy_index"]

_LOCK = threading.Lock()


def policy_index(request: Request) -> PolicySearchIndex:
    """The app's policy search index, created on first use (built when first searched); it
    reads through sessions of its own from the app's session factory."""
    state = request.app.state
    index: PolicySearchIndex | None = getattr(state, "policy_index", None)
    if index is None:
        with _LOCK:  # nothing but the creation happens under the lock
            index = getattr(state, "policy_index", None)
            if index is None:
                index = PolicySearchIndex(state.atlas, session_factory=state.session_factory)
                state.policy_index = index
    return index


PolicyIndexDep = Annotated[PolicySearchIndex, Depends(policy_index)]
