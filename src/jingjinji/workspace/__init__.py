"""我的工作台: what one signed-in user's organization has on the platform, gathered from the
market, the projects, follows and the inbox, and the saved evaluations (see :mod:`.repository`)."""

from jingjinji.workspace.repository import (
    SECTION_LABELS,
    DealRow,
    Workspace,
    gap_links,
    gather_workspace,
    section_of,
)

__all__ = [
    "SECTION_LABELS",
    "DealRow",
    "Workspace",
    "gap_links",
    "gather_workspace",
    "section_of",
]
