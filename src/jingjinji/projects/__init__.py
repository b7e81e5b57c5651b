"""The collaboration project library (产业协同项目库): records, statistics, flows, tables.

Pure functions over plain :class:`ProjectRecord` values and the atlas; the store keeps the
rows, and the web layer and the CLI convert them and call in here.
"""

from jingjinji.projects.places import (
    atlas_name,
    containing,
    place_label,
    resolve_origin,
    unit_of,
)
from jingjinji.projects.records import PROGRESSION, STAGES, ProjectRecord
from jingjinji.projects.stats import (
    DIMENSIONS,
    Bucket,
    Dimension,
    Flow,
    Totals,
    breakdown,
    flows,
    stage_funnel,
    totals,
)
from jingjinji.projects.table import ProjectInput, parse_projects, validate_project

__all__ = [
    "DIMENSIONS",
    "PROGRESSION",
    "STAGES",
    "Bucket",
    "Dimension",
    "Flow",
    "ProjectInput",
    "ProjectRecord",
    "Totals",
    "atlas_name",
    "breakdown",
    "containing",
    "flows",
    "parse_projects",
    "place_label",
    "resolve_origin",
    "stage_funnel",
    "totals",
    "unit_of",
    "validate_project",
]
