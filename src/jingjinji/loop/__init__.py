"""Close the loop: a chain gap drives a demand, a match becomes a project, the project counts
in the chain map, and the 协同成效 figures show the change.

Pure analytics over the atlas, the chain context and plain records; nothing here imports
``store`` or ``web`` (the store gathers records in :mod:`jingjinji.loop.repository`).
"""

from jingjinji.loop.destinations import (
    DENSITY_WEIGHT,
    LQ_WEIGHT,
    PRESENCE_WEIGHT,
    Destination,
    rank_destinations,
)
from jingjinji.loop.drafts import draft_listing
from jingjinji.loop.figures import (
    REFERENCE_FACT_ID,
    AchievementRecord,
    DealRecord,
    DemandRecord,
    Gap,
    LoopProject,
    beijing_flows,
    gaps_of,
    loop_figures,
)
from jingjinji.loop.presence import LANDED_LABEL, LandedProject, landed_presence, landing_county

__all__ = [
    "DENSITY_WEIGHT",
    "LANDED_LABEL",
    "LQ_WEIGHT",
    "PRESENCE_WEIGHT",
    "REFERENCE_FACT_ID",
    "AchievementRecord",
    "DealRecord",
    "DemandRecord",
    "Destination",
    "Gap",
    "LandedProject",
    "LoopProject",
    "beijing_flows",
    "draft_listing",
    "gaps_of",
    "landed_presence",
    "landing_county",
    "loop_figures",
    "rank_destinations",
]
