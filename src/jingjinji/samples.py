"""Sample data loaders run by ``jjj db init`` (and so by ``make run``).

Each loader generates its rows with a fixed seed, labels them as sample data (provenance
``demo``, shown as 示例数据 in the interface), writes them in one transaction and returns how
many rows it added. A loader does nothing when its table already has rows, so a second
``make run`` adds nothing. Modules register their loader in ``SAMPLE_LOADERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from jingjinji.chains.repository import load_sample_enterprises
from jingjinji.loop.repository import load_sample_deals
from jingjinji.market.challenges import load_sample_applications
from jingjinji.market.samples import load_sample_listings
from jingjinji.policies.repository import load_sample_policies
from jingjinji.projects.repository import load_sample_projects

__all__ = ["SAMPLE_LOADERS", "SampleLoader"]

#: (label, loader(session, atlas) -> rows added); run in this order.
SampleLoader = Callable[[Session, Any], int]
SAMPLE_LOADERS: list[tuple[str, SampleLoader]] = [
    ("enterprises (chain map)", load_sample_enterprises),
    ("listings (supply–demand market)", load_sample_listings),
    ("challenge applications (揭榜挂帅)", load_sample_applications),
    ("deals (matches of sample listings)", load_sample_deals),
    ("projects (collaboration library)", load_sample_projects),
    ("policies (shared policy list)", load_sample_policies),
]
