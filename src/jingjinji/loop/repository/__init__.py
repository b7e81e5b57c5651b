"""Data access of the loop: the rows behind :mod:`jingjinji.loop`'s pure figures.

Drafts from chain gaps (:mod:`.drafts`), deal to project (:mod:`.deals`), projects in
production on the chain map (:mod:`.landed`), the 协同成效 records (:mod:`.report`), the 总览
summary (:mod:`.overview`) and sample deals (:mod:`.samples`).
"""

from jingjinji.loop.repository.deals import project_from_match
from jingjinji.loop.repository.drafts import create_draft, find_suggestion
from jingjinji.loop.repository.landed import landed_rows, landed_stamp, segment_activity
from jingjinji.loop.repository.overview import OVERVIEW_FACTS, overview_summary
from jingjinji.loop.repository.report import loop_report
from jingjinji.loop.repository.samples import SAMPLE_DEALS_SEED, load_sample_deals
from jingjinji.loop.repository.shared import DEAL_STAGES, LoopError

__all__ = [
    "DEAL_STAGES",
    "OVERVIEW_FACTS",
    "SAMPLE_DEALS_SEED",
    "LoopError",
    "create_draft",
    "find_suggestion",
    "landed_rows",
    "landed_stamp",
    "load_sample_deals",
    "loop_report",
    "overview_summary",
    "project_from_match",
    "segment_activity",
]
