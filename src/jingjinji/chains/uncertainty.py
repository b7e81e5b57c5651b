"""How firm a chain-map status is: a bootstrap over the registry's enterprises.

A status (优势, 具备, 薄弱, 缺失; :mod:`jingjinji.chains.coverage`) read from a handful of
enterprises can turn on one of them. The nonparametric bootstrap (Efron 1979, *Bootstrap
methods: another look at the jackknife*, Ann. Statist. 7: 1–26; Efron & Tibshirani 1993,
*An Introduction to the Bootstrap*) redraws the registry: ``B`` resamples of the ``N``
enterprises on the map (a confirmed segment in a county of the region), drawn with
replacement (an enterprise drawn twice counts twice, with all its segments). Each resample
recomputes everything the status depends on — the place's counts and LQ, the region's
benchmark, the peers' 75th percentile of LQ and 25th of counts — and the status by the same
rule (:func:`~jingjinji.chains.coverage.segment_status`). Then

    status_stability_ps = (1 / B) Σ_b 1[status_ps^(b) = status_ps],

the share of resamples giving the status shown, and ``status_uncertain`` when it is below
:data:`STABILITY_THRESHOLD` (0.8: one resample in five or more disagrees). Projects in
production (presence rows with negative ids, 项目落地) are no sample of the registry: they are
kept in every resample, so a segment they fill stays filled. A bootstrap cannot see
enterprises the registry lacks: a 缺失 segment stays 缺失 in every resample (stability 1).

The seed is fixed (:data:`SEED`) and the draws do not depend on the industry or place: the
same ``B`` registries stand behind every answer of a chain context, and answers repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from jingjinji.atlas import Industry
from jingjinji.chains.coverage import (
    ChainContext,
    Coverage,
    Status,
    benchmark_lq,
    coverage,
    peer_thresholds,
    segment_status,
)
from jingjinji.chains.places import PlaceScope

__all__ = [
    "RESAMPLES",
    "SEED",
    "STABILITY_THRESHOLD",
    "UNCERTAIN_LABEL",
    "Benchmark",
    "StatusStability",
    "bootstrap_draws",
    "level_benchmark",
    "replicate_statuses",
    "status_stability",
    "with_stability",
]

#: Resamples per answer: the stability's Monte Carlo error is at most 0.5/√200 ≈ 0.035.
RESAMPLES = 200
SEED = 20_250_601
#: Below this share of agreeing resamples a status is marked 不确定.
STABILITY_THRESHOLD = 0.8
UNCERTAIN_LABEL = "不确定"


@dataclass(frozen=True)
class StatusStability:
    """Per segment, the share of bootstrap resamples giving the observed status."""

    industry: str
    place: str
    by_segment: dict[str, float]
    resamples: int
    seed: int
    threshold: float = STABILITY_THRESHOLD
    enterprises: int = 0

    def uncertain(self, segment: str) -> bool:
        """Whether the segment's status is below the stability threshold."""
        return self.by_segment.get(segment, 1.0) < self.threshold

    def as_dict(self) -> dict[str, Any]:
        """The method's parameters as shown in the coverage answer."""
        return {
            "method": "bootstrap",
            "resamples": self.resamples,
            "seed": self.seed,
            "threshold": self.threshold,
            "enterprises": self.enterprises,
            "uncertain": sum(1 for s in self.by_segment if self.uncertain(s)),
        }


def bootstrap_draws(
    context: ChainContext, resamples: int = RESAMPLES, seed: int = SEED
) -> dict[str, Any]:
    """The registry's rows and the resampled weights of its enterprises, once per context.

    Rows are those of ``context.frame`` (region counties, segments of the atlas), with their
    county position and segment; enterprises sorted by id so a seed draws the same ones.
    """

    def build() -> dict[str, Any]:
        frame = context.frame
        ids = frame["enterprise_id"].to_numpy(dtype=np.int64)
        counties = np.array(
            [context.county_position(str(c)) for c in frame["county"]], dtype=np.int64
        )
        registry = ids >= 0  # negative ids: projects in production, kept as they are
        codes, uniques = pd.factorize(ids[registry], sort=True)
        n = len(uniques)
        rng = np.random.default_rng(seed)
        # times each enterprise is drawn (multinomial(N, 1/N)); uint16 keeps B × rows small
        row_weights = np.ones((resamples, len(ids)), dtype=np.uint16)
        for b in range(resamples if n else 0):
            drawn = np.bincount(rng.integers(0, n, size=n), minlength=n)
            row_weights[b, registry] = drawn[codes]
        c = len(context.counties)
        county_totals = np.stack([np.bincount(counties, w, minlength=c) for w in row_weights])
        return {
            "segments": frame["segment"].to_numpy(dtype=object),
            "counties": counties,
            "row_weights": row_weights,
            "county_totals": county_totals,
            "enterprises": n,
        }

    draws: dict[str, Any] = context.memo(("bootstrap-draws", resamples, seed), build)
    return draws


def _county_segment_counts(draws: dict[str, Any], slugs: list[str], n_counties: int) -> np.ndarray:
    """(B, counties, segments) resampled enterprise counts of the industry's segments."""
    position = {slug: k for k, slug in enumerate(slugs)}
    seg = np.array([position.get(s, -1) for s in draws["segments"]], dtype=np.int64)
    keep = seg >= 0
    cells = draws["counties"][keep] * len(slugs) + seg[keep]
    weights = draws["row_weights"][:, keep]
    size = n_counties * len(slugs)
    counts = np.stack([np.bincount(cells, w, minlength=size) for w in weights])
    return counts.reshape(len(weights), n_counties, len(slugs))


#: Per replicate: the region's counts (B, S) and total (B,), the peers' 75th percentile of LQ
#: and 25th of counts (B, S) — the same for every place of a level but a group.
Benchmark = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def level_benchmark(
    county_totals: np.ndarray,
    county_counts: np.ndarray,
    *,
    place: PlaceScope,
    context: ChainContext,
) -> Benchmark:
    """What a place of ``place.level`` is measured against, for each replicate.

    ``county_totals`` is (B, counties): enterprises over all segments; ``county_counts``
    (B, counties, segments): the industry's segments. The peers' LQ are taken against the
    region, as the place's own (:func:`~jingjinji.chains.coverage.peer_thresholds`); at
    region level the 75th percentile is that of the industry's segment counts.
    """
    region_counts = county_counts.sum(axis=1)
    grand = county_totals.sum(axis=1)
    if place.level == "region":
        p75 = np.percentile(region_counts, 75, axis=1)[:, None].repeat(region_counts.shape[1], 1)
        return region_counts, grand, p75, np.zeros_like(p75)
    scopes, peer_frame = context.level(place.level)
    indicator = context.scope_indicator(scopes)
    if place.key not in peer_frame.index:  # a group: compared with the units, itself too
        indicator = np.vstack([indicator, context.scope_indicator([place])])
    peer_counts = _sum_counties(indicator, county_counts)
    p75, p25 = peer_thresholds(peer_counts, county_totals @ indicator.T, region_counts, grand)
    return region_counts, grand, p75, p25


def replicate_statuses(
    place_counts: np.ndarray,
    place_total: np.ndarray,
    benchmark: Benchmark,
    *,
    region: bool,
    landed: np.ndarray,
) -> list[list[Status]]:
    """Statuses of the industry's segments in a place for each replicate of the registry.

    ``place_counts`` is (B, segments), ``place_total`` (B,) the place's enterprises over all
    segments, ``benchmark`` from :func:`level_benchmark`; ``landed`` (segments,) bool: a
    project in production lifts 缺失/薄弱 to 具备. With B = 1 and the registry's own counts
    this is :func:`~jingjinji.chains.coverage.coverage`'s status.
    """
    region_counts, grand, p75, p25 = benchmark
    lq = benchmark_lq(place_counts, place_total, region_counts, grand)
    lifted = [bool(x) for x in landed]
    out: list[list[Status]] = []
    rows = zip(
        np.rint(place_counts).astype(np.int64).tolist(),
        lq.tolist(),
        p75.tolist(),
        p25.tolist(),
        strict=True,
    )
    for counts, lqs, p75s, p25s in rows:
        row: list[Status] = []
        for k, count in enumerate(counts):
            status = segment_status(
                count=count, lq=lqs[k], lq_p75=p75s[k], count_p25=p25s[k], region=region
            )
            if lifted[k] and status in ("missing", "thin"):
                status = "present"
            row.append(status)
        out.append(row)
    return out


def _sum_counties(indicator: np.ndarray, county_counts: np.ndarray) -> np.ndarray:
    """(P, C) scope indicator × (B, C, S) counts -> (B, P, S), as one matrix product."""
    b, c, s = county_counts.shape
    flat = np.ascontiguousarray(county_counts.transpose(1, 0, 2)).reshape(c, b * s)
    return (indicator @ flat).reshape(len(indicator), b, s).transpose(1, 0, 2)


def _place_counts(
    draws: dict[str, Any], slugs: list[str], place: PlaceScope, context: ChainContext
) -> tuple[np.ndarray, np.ndarray]:
    """(B, segments) resampled counts of the place and (B,) its total over all segments;
    the counts from the place's rows on the industry only."""
    own = context.scope_indicator([place])[0]
    position = {slug: k for k, slug in enumerate(slugs)}
    seg = np.array([position.get(x, -1) for x in draws["segments"]], dtype=np.int64)
    rows = np.flatnonzero(own.astype(bool)[draws["counties"]] & (seg >= 0))
    weights = draws["row_weights"][:, rows]
    counts = np.stack([np.bincount(seg[rows], w, len(slugs)) for w in weights])
    return counts.reshape(len(weights), len(slugs)), draws["county_totals"] @ own


def status_stability(
    industry: Industry,
    *,
    place: PlaceScope,
    context: ChainContext,
    cov: Coverage | None = None,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> StatusStability:
    """The bootstrap stability of each segment's status of ``industry`` in ``place``.

    ``cov`` is the coverage whose statuses are tested (computed when not given). The draws
    are kept per chain context (``context.memo``), and so is each level's benchmark per
    industry (not a group's, which counts the group itself): a further place of a level
    costs only its own counts.
    """
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    cov = cov if cov is not None else coverage(industry, place=place, context=context)
    slugs = [row.segment for row in cov.segments]
    draws = bootstrap_draws(context, resamples, seed)

    def benchmark() -> Benchmark:
        counts = _county_segment_counts(draws, slugs, len(context.counties))
        return level_benchmark(draws["county_totals"], counts, place=place, context=context)

    key = ("bootstrap-benchmark", industry.slug, tuple(slugs), place.level, resamples, seed)
    shared = benchmark() if place.level == "group" else context.memo(key, benchmark)
    place_counts, place_total = _place_counts(draws, slugs, place, context)
    landed = np.array([row.landed > 0 for row in cov.segments], dtype=bool)
    statuses = replicate_statuses(
        place_counts, place_total, shared, region=place.level == "region", landed=landed
    )
    by_segment = {
        row.segment: sum(1 for b in statuses if b[k] == row.status) / resamples
        for k, row in enumerate(cov.segments)
    }
    return StatusStability(
        industry=industry.slug,
        place=place.key,
        by_segment=by_segment,
        resamples=resamples,
        seed=seed,
        enterprises=int(draws["enterprises"]),
    )


def with_stability(cov: Coverage, stability: StatusStability) -> Coverage:
    """``cov`` with ``status_stability`` and ``status_uncertain`` filled per segment."""
    rows = [
        replace(
            row,
            status_stability=stability.by_segment.get(row.segment),
            status_uncertain=stability.uncertain(row.segment),
        )
        for row in cov.segments
    ]
    return replace(cov, segments=rows, stability=stability.as_dict())
