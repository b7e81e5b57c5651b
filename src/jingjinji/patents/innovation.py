"""The innovation chain beside the industry chain, per segment and place: presence, fit,
coupling.

Inputs are plain facts: one :class:`PatentFact` per patent on a segment (its place is the
first applicant's prefecture unit) and the active enterprises per segment and unit from the
registry. For segment *s* and place *p* (the region's prefecture units):

* innovation presence: patents ``P_sp`` (after the user's filters: design patents and
  lapsed patents out by default), invention patents, distinct first applicants, and growth
  ``g = P_recent / P_before - 1`` over two windows of ``window`` filing years ending at the
  latest filing year of the data (``None`` when the earlier window is empty);
* industry presence: enterprises ``E_sp``;
* location quotients within 京津冀 (the region as benchmark for both chains, so that like
  is compared with like)::

      LQ_P(s, p) = (P_sp / P_p) / (P_s / P)      LQ_E(s, p) = (E_sp / E_p) / (E_s / E)

  with ``P_p`` the place's patents on all segments of the atlas, ``P_s`` the segment's in
  the region, ``P`` all; likewise for enterprises;
* strong: ``LQ ≥ 1`` and at least ``min_patents`` patents (``min_enterprises``
  enterprises), so that one patent in a small place does not make a strength;
* the four cases: 协同 (both strong), 成果外溢 (innovation without industry: which places
  have the enterprises to take it), 技术需求 (industry without innovation: where demands and
  揭榜挂帅 should go), 缺口 (neither, though the region has the segment) — and 无 when
  neither the place nor anyone in the region has the segment at all;
* coupling coordination degree D between the innovation subsystem U₁ (mean of the min-max
  normalised patents, inventions and applicants over the places of the segment) and the
  industry subsystem U₂ (min-max normalised enterprises), by
  :func:`jingjinji.indicators.coupling.coupling_coordination` with the corrected form of
  王淑佳 et al. (2021) and equal weights; its level on the ten-level scale of 廖重斌 (1999).
  A place with patents but no enterprises (or the reverse) has a zero subsystem, so C = D = 0
  by the model; a place with neither has no D (``None``: nothing to couple).

>>> facts = [PatentFact("s", "110100", 2023, "发明", False, "甲大学")] * 4
>>> table = innovation_table(facts, {("s", "120100"): 5}, places=["110100", "120100"])
>>> [(c.place, c.case) for c in table]
[('110100', '成果外溢'), ('120100', '技术需求')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from jingjinji.indicators.coupling import coordination_level, coupling_coordination

__all__ = [
    "CASES",
    "CASE_ADVICE",
    "InnovationCell",
    "PatentFact",
    "innovation_table",
]

#: The four cases of a segment in a place, and 无 (the region has no trace of the segment).
CASES = ("协同", "成果外溢", "技术需求", "缺口", "无")
CASE_ADVICE = {
    "协同": "创新链与产业链都强：巩固协同，推动本地成果本地转化",
    "成果外溢": "有创新无产业：把成果推向有承接企业的地方",
    "技术需求": "有产业无创新：把技术需求和揭榜挂帅指向有成果的地方",
    "缺口": "两链都弱：补链招引或联合攻关",
    "无": "区域内尚无该环节的专利与企业",
}


@dataclass(frozen=True)
class PatentFact:
    """One patent on one segment: ``place`` the first applicant's prefecture unit (``None``
    when unplaced), ``year`` the filing year, ``kind`` 发明/实用新型/外观设计, ``lapsed``."""

    segment: str
    place: str | None
    year: int
    kind: str | None
    lapsed: bool
    applicant: str


@dataclass
class InnovationCell:
    """The figures of one segment in one place."""

    segment: str
    place: str
    patents: int
    inventions: int
    applicants: int
    recent: int
    before: int
    growth: float | None
    enterprises: int
    lq_patents: float | None
    lq_enterprises: float | None
    innovation_strong: bool
    industry_strong: bool
    case: str
    u_innovation: float
    u_industry: float
    coupling: float | None
    coordination: float | None
    level: str | None
    partners: list[tuple[str, int]] = field(default_factory=list)


def _lq(part: float, place_total: float, segment_total: float, total: float) -> float | None:
    if place_total <= 0 or total <= 0 or segment_total <= 0:
        return None
    return (part / place_total) / (segment_total / total)


def _minmax(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    if high <= low:
        return np.where(values > 0, 1.0, 0.0)
    return (values - low) / (high - low)


def innovation_table(
    facts: Iterable[PatentFact],
    enterprises: Mapping[tuple[str, str], int],
    *,
    places: Sequence[str],
    segments: Sequence[str] | None = None,
    include_design: bool = False,
    include_lapsed: bool = False,
    window: int = 3,
    min_patents: int = 3,
    min_enterprises: int = 3,
) -> list[InnovationCell]:
    """The cells of ``segments`` (default: those with any patent or enterprise) × ``places``,
    segment by segment in the given order (see the module docstring for every figure).
    ``enterprises`` maps (segment, place) to active enterprises; totals per place run over
    every segment given in ``facts`` and ``enterprises``."""
    kept = [
        f
        for f in facts
        if (include_design or f.kind != "外观设计") and (include_lapsed or not f.lapsed)
    ]
    latest = max((f.year for f in kept), default=0)
    count: dict[tuple[str, str], int] = defaultdict(int)
    inventions: dict[tuple[str, str], int] = defaultdict(int)
    recent: dict[tuple[str, str], int] = defaultdict(int)
    before: dict[tuple[str, str], int] = defaultdict(int)
    applicants: dict[tuple[str, str], set[str]] = defaultdict(set)
    place_patents: dict[str, int] = defaultdict(int)
    segment_patents: dict[str, int] = defaultdict(int)
    segment_placed: dict[str, int] = defaultdict(int)
    for f in kept:
        segment_patents[f.segment] += 1
        if f.place is None:
            continue
        key = (f.segment, f.place)
        count[key] += 1
        segment_placed[f.segment] += 1
        place_patents[f.place] += 1
        inventions[key] += f.kind == "发明"
        applicants[key].add(f.applicant)
        if latest - window < f.year <= latest:
            recent[key] += 1
        elif latest - 2 * window < f.year <= latest - window:
            before[key] += 1
    place_firms: dict[str, int] = defaultdict(int)
    segment_firms: dict[str, int] = defaultdict(int)
    for (segment, place), n in enterprises.items():
        place_firms[place] += n
        segment_firms[segment] += n
    total_patents = sum(place_patents.values())
    total_firms = sum(place_firms.values())
    order = (
        list(segments)
        if segments is not None
        else sorted(set(segment_patents) | set(segment_firms))
    )
    cells: list[InnovationCell] = []
    for segment in order:
        rows = []
        for place in places:
            key = (segment, place)
            lq_p = _lq(count[key], place_patents[place], segment_placed[segment], total_patents)
            lq_e = _lq(
                enterprises.get(key, 0), place_firms[place], segment_firms[segment], total_firms
            )
            rows.append((place, key, lq_p, lq_e))
        p = np.array([count[k] for _, k, _, _ in rows], dtype=float)
        inv = np.array([inventions[k] for _, k, _, _ in rows], dtype=float)
        app = np.array([len(applicants[k]) for _, k, _, _ in rows], dtype=float)
        firms = np.array([enterprises.get(k, 0) for _, k, _, _ in rows], dtype=float)
        u1 = (_minmax(p) + _minmax(inv) + _minmax(app)) / 3 if len(rows) else p
        u2 = _minmax(firms) if len(rows) else firms
        coupled = coupling_coordination(pd.DataFrame({"innovation": u1, "industry": u2}))
        region_has = bool(p.sum() or firms.sum())
        for i, (place, key, lq_p, lq_e) in enumerate(rows):
            strong_i = lq_p is not None and lq_p >= 1 and count[key] >= min_patents
            strong_e = lq_e is not None and lq_e >= 1 and enterprises.get(key, 0) >= min_enterprises
            if not region_has:
                case = "无"
            elif strong_i and strong_e:
                case = "协同"
            elif strong_i:
                case = "成果外溢"
            elif strong_e:
                case = "技术需求"
            else:
                case = "缺口"
            c = float(coupled["C"].iloc[i])
            d = float(coupled["D"].iloc[i])
            # neither subsystem in the place: nothing to couple (undefined, not 0)
            present = count[key] > 0 or enterprises.get(key, 0) > 0
            defined = region_has and present and not (np.isnan(c) or np.isnan(d))
            cells.append(
                InnovationCell(
                    segment=segment,
                    place=place,
                    patents=count[key],
                    inventions=inventions[key],
                    applicants=len(applicants[key]),
                    recent=recent[key],
                    before=before[key],
                    growth=(recent[key] / before[key] - 1) if before[key] else None,
                    enterprises=enterprises.get(key, 0),
                    lq_patents=lq_p,
                    lq_enterprises=lq_e,
                    innovation_strong=strong_i,
                    industry_strong=strong_e,
                    case=case,
                    u_innovation=float(u1[i]),
                    u_industry=float(u2[i]),
                    coupling=c if defined else None,
                    coordination=d if defined else None,
                    level=coordination_level(d) if defined else None,
                )
            )
        _partners(cells[-len(rows) :] if rows else [])
    return cells


def _partners(row: list[InnovationCell]) -> None:
    """For 成果外溢, the other places with the segment's enterprises (most first); for 技术需求
    and 缺口, the other places with its patents (most first)."""
    for cell in row:
        if cell.case == "成果外溢":
            cell.partners = sorted(
                ((o.place, o.enterprises) for o in row if o.place != cell.place and o.enterprises),
                key=lambda pair: (-pair[1], pair[0]),
            )[:5]
        elif cell.case in ("技术需求", "缺口"):
            cell.partners = sorted(
                ((o.place, o.patents) for o in row if o.place != cell.place and o.patents),
                key=lambda pair: (-pair[1], pair[0]),
            )[:5]
