"""The plain record of a collaboration project that the analytics work on.

The store keeps projects as rows; the web layer and the CLI turn rows into
:class:`ProjectRecord` values, so that statistics and flows are pure functions over plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["PROGRESSION", "STAGES", "ProjectRecord", "Stage"]

Stage = str
#: Stages of a project in the order a project passes them; 终止 (terminated) ends any of them.
STAGES: tuple[str, ...] = ("签约", "开工", "在建", "投产", "终止")
#: The stages of a project that goes ahead, in order (the stage funnel).
PROGRESSION: tuple[str, ...] = ("签约", "开工", "在建", "投产")


@dataclass(frozen=True)
class ProjectRecord:
    """One project: places by adcode, industry and segments by atlas slug, investment in 亿元.

    ``year`` is the year the project was signed (签约), ``None`` when unknown.
    """

    name: str
    origin: str
    destination: str
    investment: float
    stage: str
    year: int | None = None
    industry: str | None = None
    segments: tuple[str, ...] = field(default_factory=tuple)
    platform: str | None = None
    park: str | None = None
    id: int | None = None

    @staticmethod
    def year_of(signed_on: date | None) -> int | None:
        """The statistics year of a project: the year of its signing date."""
        return signed_on.year if signed_on is not None else None
