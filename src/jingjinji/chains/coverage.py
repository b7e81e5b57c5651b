"""Coverage of an industry's segments in a place: counts, key enterprises, LQ, status.

Input is a *presence table*: one row per (enterprise, segment) the enterprise is placed on,
with columns ``enterprise_id``, ``name``, ``county`` (adcode), ``segment``, ``key`` (bool: a
链主, 专精特新“小巨人” or 单项冠军) and ``revenue`` (may be NaN). Counts are distinct
enterprises.

Location quotient against the region (Florence 1948; as in US Cluster Mapping, Delgado,
Porter & Stern 2014): ``LQ_ps = (e_ps / e_p) / (E_s / E)``, with ``e_ps`` the place's
enterprises in segment ``s``, ``e_p`` the place's enterprises over all segments of all
industries, ``E_s`` and ``E`` the same for the whole region (all its counties, each once).
The peers' quotients behind the 75th percentile use the same benchmark ``E_s / E``
(:func:`peer_thresholds`): the five corridors overlap and leave counties out, and a place
group is compared with the prefecture units it overlaps, so the peers' own sums are not the
region; against them the place would be measured with a different ruler than its peers.

Status of a segment in a place, compared with the places of the same level
(:func:`jingjinji.chains.places.scopes_at_level`):

===========  =======================================================================
``missing``  no enterprise
``thin``     fewer than :data:`THIN_COUNT` (3) enterprises (checked first), or
             LQ < :data:`THIN_LQ` (0.5) when not strong
``strong``   LQ ≥ the 75th percentile of LQ across places of the same level (all
             against the region), LQ ≥ 1, and count above the 25th percentile of counts
             (US Cluster Mapping's strong-cluster test); at region level, where LQ is 1:
             count at or above the 75th percentile of the industry's segment counts
``present``  otherwise
===========  =======================================================================

A segment where a project reached 投产 in the place (a presence row with a negative
``enterprise_id``, labelled 项目落地 by :mod:`jingjinji.loop.presence`) is at least
``present``: the gap is filled (补上), as the 协同成效 figures count it, even while the
registry has fewer than 3 enterprises there. ``landed`` counts those projects; ``filled``
marks a segment they lifted from 缺失 or 薄弱 (shown as 具备（已补：项目投产）).

Completeness is the share of the industry's segments that are not missing.

A status from few enterprises is fragile: :mod:`jingjinji.chains.uncertainty` resamples the
registry's enterprises (bootstrap) and fills ``status_stability``, the share of resamples
that give the same status, and ``status_uncertain`` (stability below 0.8).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from jingjinji.atlas import Atlas, Industry
from jingjinji.chains.places import PlaceScope, scopes_at_level
from jingjinji.chains.relatedness import (
    QUADRANTS,
    Quadrant,
    density,
    presence_matrix,
    proximity,
    quadrant,
    rca,
)

T = TypeVar("T")

__all__ = [
    "FILLED_LABEL",
    "PRESENCE_COLUMNS",
    "STATUS_LABELS",
    "THIN_COUNT",
    "THIN_LQ",
    "ChainContext",
    "Coverage",
    "SegmentCoverage",
    "Status",
    "benchmark_lq",
    "completeness_by_place",
    "coverage",
    "peer_thresholds",
    "presence_frame",
    "segment_status",
]

Status = Literal["strong", "present", "thin", "missing"]
STATUS_LABELS: dict[Status, str] = {
    "strong": "优势",
    "present": "具备",
    "thin": "薄弱",
    "missing": "缺失",
}
THIN_COUNT = 3
#: The status label of a segment a project in production lifted from 缺失 or 薄弱.
FILLED_LABEL = "具备（已补：项目投产）"
THIN_LQ = 0.5
PRESENCE_COLUMNS = ("enterprise_id", "name", "county", "segment", "key", "revenue")


def presence_frame(rows: Iterable[Mapping[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """A presence table with the expected columns and types (``key`` bool, ``revenue`` float)."""
    frame = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for column in PRESENCE_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series(dtype=object)
    frame = frame.drop_duplicates(subset=["enterprise_id", "segment"])
    frame["key"] = frame["key"].fillna(False).astype(bool)
    frame["revenue"] = pd.to_numeric(frame["revenue"], errors="coerce")
    frame["county"] = frame["county"].astype(str)
    return frame.reset_index(drop=True)


def segment_status(
    *, count: int, lq: float, lq_p75: float, count_p25: float, region: bool = False
) -> Status:
    """The status of one segment in one place; see the module docstring for the rule.

    For the region, pass ``region=True`` and the 75th percentile of the industry's segment
    counts as ``lq_p75`` (the count test replaces the LQ test).

    >>> segment_status(count=12, lq=1.8, lq_p75=1.5, count_p25=2)
    'strong'
    >>> segment_status(count=2, lq=1.8, lq_p75=1.5, count_p25=0)
    'thin'
    """
    if count <= 0:
        return "missing"
    if count < THIN_COUNT:
        return "thin"
    if region:
        if count >= lq_p75 and count >= THIN_COUNT:
            return "strong"
    elif lq >= lq_p75 and lq >= 1.0 and count > count_p25:
        return "strong"
    if count < THIN_COUNT or lq < THIN_LQ:
        return "thin"
    return "present"


def benchmark_lq(
    counts: ArrayLike, totals: ArrayLike, benchmark: ArrayLike, benchmark_total: ArrayLike
) -> np.ndarray:
    """``LQ = (counts / totals) / (benchmark / benchmark_total)``, 0 where undefined.

    The last axis of ``counts`` is the segment; ``totals`` has the shape of ``counts``
    without it (a place's enterprises over all segments); ``benchmark`` broadcasts against
    ``counts`` and ``benchmark_total`` against ``totals`` (leading axes: resamples, peers).

    >>> benchmark_lq(np.array([[2.0, 0.0], [1.0, 3.0]]), np.array([4.0, 4.0]),
    ...              np.array([3.0, 3.0]), 12.0).tolist()
    [[2.0, 0.0], [1.0, 3.0]]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.asarray(benchmark, float) / np.asarray(benchmark_total, float)[..., None]
        lq = (np.asarray(counts, dtype=float) / np.asarray(totals, dtype=float)[..., None]) / share
    return np.nan_to_num(lq, nan=0.0, posinf=0.0, neginf=0.0)


def peer_thresholds(
    peer_counts: ArrayLike,
    peer_totals: ArrayLike,
    benchmark: ArrayLike,
    benchmark_total: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Per segment, the 75th percentile of the peers' LQ and the 25th of their counts.

    ``peer_counts`` is (…, peers, segments), ``peer_totals`` (…, peers); the peers' LQ is
    taken against ``benchmark`` / ``benchmark_total`` (…, segments) / (…) — the region's
    counts and total, the benchmark of the place's own LQ, not the peers' sums.

    >>> p75, p25 = peer_thresholds(np.array([[1.0], [2.0], [3.0], [4.0], [6.0]]),
    ...     np.array([10.0] * 5), np.array([16.0]), 100.0)
    >>> round(float(p75[0]), 4), float(p25[0])
    (2.5, 2.0)
    """
    peer_counts = np.asarray(peer_counts, dtype=float)
    peer_lq = benchmark_lq(
        peer_counts,
        peer_totals,
        np.asarray(benchmark, dtype=float)[..., None, :],
        np.asarray(benchmark_total, dtype=float)[..., None],
    )
    return _percentile_over_peers(peer_lq, 75), _percentile_over_peers(peer_counts, 25)


def _percentile_over_peers(values: np.ndarray, q: float) -> np.ndarray:
    """``np.percentile(values, q, axis=-2)`` (linear), from one sort along the peers' axis
    moved last: three times faster on the county level's 199 peers × 200 resamples, and the
    same bits (numpy's interpolation, ``b - (b - a)(1 - t)`` for ``t ≥ 0.5``)."""
    ordered = np.sort(np.swapaxes(values, -1, -2), axis=-1)
    n = ordered.shape[-1]
    if n == 0:
        return np.full(ordered.shape[:-1], np.nan)
    h = (n - 1) * (q / 100)
    lo = int(np.floor(h))
    hi = min(lo + 1, n - 1)
    t = h - lo
    a, b = ordered[..., lo], ordered[..., hi]
    return b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t


@dataclass(frozen=True)
class SegmentCoverage:
    """One segment of an industry in one place."""

    segment: str
    name: str
    stage: str
    count: int
    key_count: int
    key_enterprises: list[dict[str, Any]]
    lq: float
    lq_p75: float
    count_p25: float
    status: Status
    density: float
    quadrant: Quadrant
    region_count: int
    landed: int = 0
    filled: bool = False
    #: Share of bootstrap resamples of the registry giving the same status (None: not run).
    status_stability: float | None = None
    status_uncertain: bool = False

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with Chinese labels for status and quadrant."""
        return {
            "segment": self.segment,
            "name": self.name,
            "stage": self.stage,
            "count": self.count,
            "key_count": self.key_count,
            "key_enterprises": self.key_enterprises,
            "lq": round(self.lq, 4),
            "lq_p75": round(self.lq_p75, 4),
            "count_p25": round(self.count_p25, 4),
            "status": self.status,
            "status_zh": FILLED_LABEL if self.filled else STATUS_LABELS[self.status],
            "density": round(self.density, 4),
            "quadrant": self.quadrant,
            "quadrant_zh": QUADRANTS[self.quadrant],
            "region_count": self.region_count,
            "landed": self.landed,
            "filled": self.filled,
            "status_stability": (
                None if self.status_stability is None else round(self.status_stability, 4)
            ),
            "status_uncertain": self.status_uncertain,
        }


@dataclass(frozen=True)
class Coverage:
    """Coverage of an industry in a place: one :class:`SegmentCoverage` per segment."""

    industry: str
    place: PlaceScope
    segments: list[SegmentCoverage]
    completeness: float
    enterprise_count: int
    status_counts: dict[str, int] = field(default_factory=dict)
    #: The bootstrap's parameters when statuses carry their stability
    #: (:func:`jingjinji.chains.uncertainty.with_stability`), else None.
    stability: dict[str, Any] | None = None

    def segment(self, slug: str) -> SegmentCoverage:
        """The row of one segment."""
        for row in self.segments:
            if row.segment == slug:
                return row
        raise KeyError(slug)


class ChainContext:
    """Region-wide tables computed once from a presence table and reused across places.

    Holds the county × segment count matrix (all segments of all industries), the
    county-level presence matrix ``M`` and proximity ``φ``, and per level the scope × segment
    count matrices.
    """

    def __init__(self, atlas: Atlas, presence: pd.DataFrame) -> None:
        self.atlas = atlas
        self.presence = presence_frame(presence)
        self.segments = [s.slug for industry in atlas.industries for s in industry.segments]
        self.counties = [p.adcode for p in atlas.places if p.level == "county"]
        frame = self.presence[self.presence["segment"].isin(self.segments)]
        frame = frame[frame["county"].isin(self.counties)]
        self.frame = frame
        counts = pd.crosstab(frame["county"], frame["segment"])
        self.county_counts = counts.reindex(
            index=self.counties, columns=self.segments, fill_value=0
        ).astype(float)
        self.phi = proximity(presence_matrix(rca(self.county_counts)))
        self._levels: dict[str, tuple[list[PlaceScope], pd.DataFrame]] = {}
        self._county_index = {code: i for i, code in enumerate(self.counties)}
        self._memo: dict[Hashable, Any] = {}
        self._memo_lock = threading.Lock()
        self._pending: dict[Hashable, threading.Event] = {}
        county_corridors: dict[str, set[str]] = {code: set() for code in self.counties}
        for scope in scopes_at_level(atlas, "corridor"):
            for code in scope.counties:
                county_corridors.setdefault(code, set()).update(scope.corridors)
        self.county_corridors = {k: frozenset(v) for k, v in county_corridors.items()}

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """An answer derived from this context alone (a coverage, suggestions), computed
        once: a context is immutable, and the repository makes a new one when the registry
        or the projects in production change. Callers asking while it is computed wait for
        that computation (it reads no database, so a waiter holds up no one); answers are
        shared and must not be changed."""
        with self._memo_lock:
            if key in self._memo:
                kept: T = self._memo[key]
                return kept
            pending = self._pending.get(key)
            if pending is None:
                self._pending[key] = threading.Event()
        if pending is not None:
            pending.wait(60)
            with self._memo_lock:
                if key in self._memo:
                    shared: T = self._memo[key]
                    return shared
            return compute()  # the first caller failed: compute for this one
        try:
            value = compute()
            with self._memo_lock:
                if len(self._memo) > 4096:  # bounded: industries × places × kinds of answer
                    self._memo.clear()
                self._memo[key] = value
        finally:
            with self._memo_lock:
                self._pending.pop(key).set()
        return value

    def county_position(self, code: str) -> int | None:
        """The row of a county in :attr:`county_counts` (None outside the region)."""
        return self._county_index.get(code)

    def scope_indicator(self, scopes: Sequence[PlaceScope]) -> np.ndarray:
        """Scope × county 0/1 matrix: which counties each scope sums."""
        indicator = np.zeros((len(scopes), len(self.counties)))
        for i, scope in enumerate(scopes):
            for code in scope.counties:
                j = self._county_index.get(code)
                if j is not None:
                    indicator[i, j] = 1.0
        return indicator

    def scope_counts(self, scopes: Sequence[PlaceScope]) -> pd.DataFrame:
        """Scope × segment enterprise counts (sum over the scope's counties)."""
        values = self.scope_indicator(scopes) @ self.county_counts.to_numpy()
        return pd.DataFrame(
            values, index=[scope.key for scope in scopes], columns=self.county_counts.columns
        )

    def level(self, level: str) -> tuple[list[PlaceScope], pd.DataFrame]:
        """The comparison scopes of a level and their count matrix (cached)."""
        if level not in self._levels:
            scopes = scopes_at_level(self.atlas, level)  # type: ignore[arg-type]
            self._levels[level] = (scopes, self.scope_counts(scopes))
        return self._levels[level]


def _key_enterprises_by_segment(
    frame: pd.DataFrame, limit: int = 5
) -> dict[str, list[dict[str, Any]]]:
    """Per segment, the first ``limit`` key enterprises of ``frame`` by revenue (largest
    first, unknown last), then name: one sort for all segments."""
    keys = frame[frame["key"]].sort_values(
        ["segment", "revenue", "name"], ascending=[True, False, True], na_position="last"
    )
    top = keys.groupby("segment", sort=False).head(limit)
    found: dict[str, list[dict[str, Any]]] = {}
    for segment, enterprise_id, name, county in zip(
        top["segment"], top["enterprise_id"], top["name"], top["county"], strict=True
    ):
        found.setdefault(str(segment), []).append(
            {"id": int(enterprise_id), "name": str(name), "county": str(county)}
        )
    return found


def coverage(industry: Industry, *, place: PlaceScope, context: ChainContext) -> Coverage:
    """Coverage of ``industry`` in ``place`` (see the module docstring for the rules)."""
    counts_all = context.scope_counts([place]).iloc[0]
    region_counts = context.county_counts.sum(axis=0)
    grand = float(region_counts.sum())
    place_total = float(counts_all.sum())
    slugs = [segment.slug for segment in industry.segments]
    if place.level == "region":
        peers = None
        region_p75 = float(np.percentile(region_counts[slugs], 75)) if slugs else 0.0
    else:
        _, peer_counts = context.level(place.level)
        if place.key not in peer_counts.index:
            peer_counts = pd.concat([peer_counts, counts_all.to_frame(place.key).T])
        peers = peer_counts
    # LQ of this place against the region, over all segments, for status, density, quadrant.
    lq_all = pd.Series(
        benchmark_lq(counts_all.to_numpy(), np.float64(place_total), region_counts, grand),
        index=counts_all.index,
    )
    m_place = (lq_all >= 1.0).astype(float)
    densities = density(m_place, context.phi)
    median = float(densities[slugs].median()) if slugs else 0.0
    local = context.frame[context.frame["county"].isin(place.counties)]
    in_industry = local[local["segment"].isin(slugs)]
    # per segment at once: projects landed (negative ids), key enterprises and their top few
    landed_by = in_industry.loc[in_industry["enterprise_id"] < 0, "segment"].value_counts()
    key_count_by = in_industry.loc[in_industry["key"], "segment"].value_counts()
    key_top = _key_enterprises_by_segment(in_industry)
    if peers is not None and slugs:
        # the peers' LQ against the region too: the place's LQ and the percentile share E_s/E
        p75, p25 = peer_thresholds(
            peers[slugs].to_numpy(), peers.sum(axis=1).to_numpy(), region_counts[slugs], grand
        )
        lq_p75_by = dict(zip(slugs, p75, strict=True))
        p25_by = dict(zip(slugs, p25, strict=True))
    rows: list[SegmentCoverage] = []
    for segment in industry.segments:
        slug = segment.slug
        count = int(counts_all[slug])
        lq = float(lq_all[slug])
        if peers is None:
            lq_p75, count_p25 = region_p75, 0.0
            status = segment_status(
                count=count, lq=lq, lq_p75=lq_p75, count_p25=count_p25, region=True
            )
        else:
            lq_p75, count_p25 = float(lq_p75_by[slug]), float(p25_by[slug])
            status = segment_status(count=count, lq=lq, lq_p75=lq_p75, count_p25=count_p25)
        landed = int(landed_by.get(slug, 0))
        filled = bool(landed) and status in ("missing", "thin")
        if filled:
            status = "present"
        rows.append(
            SegmentCoverage(
                segment=slug,
                name=segment.name,
                stage=segment.stage,
                count=count,
                key_count=int(key_count_by.get(slug, 0)),
                key_enterprises=key_top.get(slug, []),
                lq=lq,
                lq_p75=lq_p75,
                count_p25=count_p25,
                status=status,
                density=float(densities[slug]),
                quadrant=quadrant(
                    count=count, rca_value=lq, density_value=float(densities[slug]), median=median
                ),
                region_count=int(region_counts[slug]),
                landed=landed,
                filled=filled,
            )
        )
    present = sum(1 for row in rows if row.status != "missing")
    status_counts: dict[str, int] = {
        status: sum(1 for r in rows if r.status == status) for status in STATUS_LABELS
    }
    enterprise_count = int(in_industry["enterprise_id"].nunique())
    return Coverage(
        industry=industry.slug,
        place=place,
        segments=rows,
        completeness=present / len(rows) if rows else 0.0,
        enterprise_count=enterprise_count,
        status_counts=status_counts,
    )


def completeness_by_place(
    industry: Industry, *, context: ChainContext, level: str = "prefecture"
) -> dict[str, dict[str, Any]]:
    """For each place of ``level``: completeness (share of segments with an enterprise),
    segments present and enterprise count of ``industry`` — what the map shades."""
    scopes, counts = context.level(level)
    slugs = [segment.slug for segment in industry.segments]
    result: dict[str, dict[str, Any]] = {}
    for scope in scopes:
        row = counts.loc[scope.key, slugs].to_numpy(dtype=float)
        present = int((row > 0).sum())
        result[scope.key] = {
            "adcode": scope.key,
            "name": scope.name,
            "completeness": present / len(slugs) if slugs else 0.0,
            "present": present,
            "segments": len(slugs),
            "count": int(row.sum()),
        }
    return result
