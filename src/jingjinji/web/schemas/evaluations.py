"""API schemas for indicator systems, shipped panels and (saved or previewed) evaluations."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from jingjinji.indicators import PanelInfo

Weighting = Literal["entropy", "critic", "std", "equal", "fixed", "ahp"]
Subjective = Literal["fixed", "ahp"]
Aggregation = Literal["weighted_sum", "topsis", "grey"]
Scope = Literal["pooled", "per_year"]
Fill = Literal["linear", "ffill"]
Coupling = Literal["dimensions", "places"]
Normalization = Literal["minmax", "zscore", "vector"]
CouplingForm = Literal["corrected", "traditional"]
ShippedPanelName = Literal["sample", "province"]


class IndicatorPublic(BaseModel):
    id: str
    name: str
    unit: str
    direction: int
    target: float | None = None
    weight: float | None = None
    threshold: float | None = None
    aliases: list[str] = []
    description: str = ""
    source: str = ""


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
    own: bool = False
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
    target: float | None = None
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


class DisparityRow(BaseModel):
    """Disparity of the composite index in one year (``indicators.regional``): CV, Gini,
    Theil T with its within/between-group parts, Dagum Gini G = Gw + Gnb + Gt; ``None``
    where undefined, with the ``reason``."""

    year: int
    n: int
    groups: int
    mean: float | None
    cv: float | None
    gini: float | None
    theil: float | None
    theil_within: float | None
    theil_between: float | None
    theil_between_share: float | None
    dagum_gini: float | None
    dagum_gw: float | None
    dagum_gnb: float | None
    dagum_gt: float | None
    dagum_gw_share: float | None
    dagum_gnb_share: float | None
    dagum_gt_share: float | None
    reason: str


class MoranRow(BaseModel):
    """Global Moran's I of the index in one year on the prefecture adjacency (esda)."""

    year: int
    n: int
    I: float | None  # noqa: E741 - the statistic's name
    EI: float | None
    z: float | None
    p_norm: float | None
    z_sim: float | None
    p_sim: float | None
    excluded: str
    reason: str


class LocalMoranRow(BaseModel):
    """Local Moran's I_i (LISA, Anselin 1995) of one place in one year."""

    year: int
    place: str
    name: str
    value: float | None
    Ii: float | None
    lag: float | None
    p_sim: float | None
    quadrant: str | None
    cluster: str | None
    reason: str


class StabilityRow(BaseModel):
    place: str
    year: int
    rank: int
    rank_min: int
    rank_max: int
    base_share: float
    stable: bool


class StabilityPublic(BaseModel):
    """Ranks under ``draws`` Monte Carlo perturbations of every weight by ±``spread``."""

    method: str
    draws: int
    spread: float
    rows: list[StabilityRow]
    unstable: int


class SubjectivePublic(BaseModel):
    """The subjective weights of an evaluation: ``source`` ``fixed`` (the system's 权重) or
    ``ahp`` (a pairwise matrix, with its consistency lambda_max, CI, CR and ``level``
    indicators or dimensions); ``alpha`` when combined, w = alpha s + (1 - alpha) o."""

    source: str
    alpha: float | None
    weights: list[float]
    consistency: dict[str, float | str | list[str]] | None


class AnalysisPublic(BaseModel):
    disparity: list[DisparityRow]
    moran: list[MoranRow]
    local_moran: list[LocalMoranRow]
    stability: StabilityPublic | None


class ResultPublic(BaseModel):
    """The compact result of an evaluation (``indicators.serialize.result_to_dict``)."""

    system: NamedRef
    weighting: str
    aggregation: str
    scope: str
    normalization: str = "minmax"
    shift: float = 0.0
    coupling_form: str = "corrected"
    zero_sub_scores: int = 0
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
    analysis: AnalysisPublic | None = None
    subjective: SubjectivePublic | None = None


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
    normalization: str
    shift: float
    coupling_form: str
    drop_dimensions: list[str]
    subjective: str | None
    alpha: float
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
    normalization: str
    shift: float
    coupling_form: str
    input_digest: str
    params_digest: str
    is_sample: bool
    result: ResultPublic
