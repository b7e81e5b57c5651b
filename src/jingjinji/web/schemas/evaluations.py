"""API schemas for indicator systems, shipped panels and (saved or previewed) evaluations."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from jingjinji.indicators import PanelInfo

Weighting = Literal["entropy", "critic", "std", "equal", "fixed"]
Aggregation = Literal["weighted_sum", "topsis", "grey"]
Scope = Literal["pooled", "per_year"]
Fill = Literal["linear", "ffill"]
Coupling = Literal["dimensions", "places"]
ShippedPanelName = Literal["sample", "province"]


class IndicatorPublic(BaseModel):
    id: str
    name: str
    unit: str
    direction: int
    weight: float | None = None
    threshold: float | None = None
    description: str = ""


class DimensionPublic(BaseModel):
    id: str
    name: str
    indicators: list[IndicatorPublic]


class IndicatorSystemPublic(BaseModel):
    id: str
    name: str
    description: str
    level: str
    source: str
    is_monitor: bool
    dimensions: list[DimensionPublic]


class IndicatorSystemsPublic(BaseModel):
    data: list[IndicatorSystemPublic]
    count: int


class PanelPublic(PanelInfo):
    places: int
    years: list[int]


class PanelsPublic(BaseModel):
    data: list[PanelPublic]
    count: int


# ----------------------------------------------------------------------- results


class NamedRef(BaseModel):
    id: str
    name: str


class IndicatorRef(BaseModel):
    id: str
    name: str
    unit: str
    direction: int
    dimension: str


class PlaceRef(BaseModel):
    code: str
    name: str


class WeightsPublic(BaseModel):
    """``values[i][j]``: weight of indicator j (in ``indicators`` order) in scope i."""

    scopes: list[str]
    values: list[list[float | None]]


class ScoreRow(BaseModel):
    """One place-year: composite index, rank within the year, sub-score per dimension."""

    place: str
    year: int
    index: float | None
    rank: int
    dims: list[float | None]


class CouplingRow(BaseModel):
    place: str | None
    year: int
    C: float | None
    T: float | None
    D: float | None
    grade: int
    level: str


class CouplingPublic(BaseModel):
    between: str | None
    rows: list[CouplingRow]


class ResultPublic(BaseModel):
    """The compact result of an evaluation (``indicators.serialize.result_to_dict``)."""

    system: NamedRef
    weighting: str
    aggregation: str
    scope: str
    dimensions: list[NamedRef]
    indicators: list[IndicatorRef]
    places: list[PlaceRef]
    years: list[int]
    weights: WeightsPublic
    scores: list[ScoreRow]
    coupling: CouplingPublic | None
    levels: list[str]
    filled: list[tuple[str, int, str]]
    is_sample: bool
    input_digest: str


class EvaluationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    user_id: int | None
    organization_id: int | None
    system_id: str
    system_name: str
    weighting: str
    aggregation: str
    scope: str
    fill: str | None
    coupling: str | None
    panel_kind: str
    panel_name: str
    input_digest: str
    params_digest: str
    is_sample: bool


class EvaluationPublic(EvaluationSummary):
    result: ResultPublic


class EvaluationsPublic(BaseModel):
    data: list[EvaluationSummary]
    count: int


class EvaluationPreview(BaseModel):
    """A computed, unsaved evaluation of a shipped panel."""

    panel: str
    fill: str | None
    coupling: str | None
    input_digest: str
    params_digest: str
    is_sample: bool
    result: ResultPublic
