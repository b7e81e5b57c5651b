"""Where an achievement could land: destination places ranked by how well their industry fits
the achievement's segments.

For a place ``p`` and a segment ``s`` of the achievement::

    fit_ps = DENSITY_WEIGHT · d_ps + LQ_WEIGHT · min(RCA_ps, 2) / 2
             + PRESENCE_WEIGHT · min(e_ps / THIN_COUNT, 1)

with ``d_ps`` the density of the place around the segment (Hausmann et al. 2014, *The Atlas
of Economic Complexity*; proximity φ from co-location, Hidalgo et al. 2007), ``RCA_ps`` the
location quotient against the places of the same level (Balassa 1965) and ``e_ps`` the
enterprises (and projects in production) present. The score of a place is the mean fit over
the achievement's segments. Beijing places are left out (the question is where in Tianjin and
Hebei a Beijing achievement lands).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from jingjinji.chains.coverage import THIN_COUNT, ChainContext
from jingjinji.chains.relatedness import rca

__all__ = [
    "DENSITY_WEIGHT",
    "LQ_WEIGHT",
    "PRESENCE_WEIGHT",
    "Destination",
    "rank_destinations",
]

DENSITY_WEIGHT = 0.5
LQ_WEIGHT = 0.3
PRESENCE_WEIGHT = 0.2
_EXCLUDED = ("11",)


@dataclass(frozen=True)
class Destination:
    """A ranked destination with its score and one reason per segment."""

    adcode: str
    name: str
    level: str
    score: float
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, the score rounded to 4 places."""
        return asdict(self) | {"score": round(self.score, 4)}


def rank_destinations(
    context: ChainContext,
    segments: Sequence[str],
    *,
    level: Literal["prefecture", "county"] = "prefecture",
    limit: int = 10,
) -> list[Destination]:
    """Places of ``level`` in Tianjin and Hebei, best fit first (ties by adcode).

    Segments unknown to the context are ignored; with none left the result is empty.
    """
    wanted = [s for s in dict.fromkeys(segments) if s in context.county_counts.columns]
    if not wanted:
        return []
    scopes, counts = context.level(level)
    lq = rca(counts)
    m = (lq >= 1.0).astype(float).to_numpy()
    phi = context.phi.reindex(index=counts.columns, columns=counts.columns).to_numpy()
    totals = phi.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        dens = np.where(totals > 0, (m @ phi.T) / totals, 0.0)
    columns = {slug: i for i, slug in enumerate(counts.columns)}
    count_values = counts.to_numpy(dtype=float)
    lq_values = lq.to_numpy(dtype=float)
    names = {s.slug: s.name for ind in context.atlas.industries for s in ind.segments}
    result: list[Destination] = []
    for row, scope in enumerate(scopes):
        if scope.key.startswith(_EXCLUDED) or not scope.key.isdigit():
            continue
        fits: list[float] = []
        reasons: list[dict[str, Any]] = []
        for slug in wanted:
            j = columns[slug]
            count = int(count_values[row, j])
            lq_value = float(lq_values[row, j])
            d = float(dens[row, j])
            fit = (
                DENSITY_WEIGHT * d
                + LQ_WEIGHT * min(lq_value, 2.0) / 2.0
                + PRESENCE_WEIGHT * min(count / THIN_COUNT, 1.0)
            )
            fits.append(fit)
            presence = f"已有 {count} 家企业（区位商 {lq_value:.2f}）" if count else "尚无企业"
            reasons.append(
                {
                    "segment": slug,
                    "segment_name": names.get(slug, slug),
                    "count": count,
                    "lq": round(lq_value, 4),
                    "density": round(d, 4),
                    "fit": round(fit, 4),
                    "text": f"“{names.get(slug, slug)}”：{presence}，相关度（密度）{d:.2f}",
                }
            )
        score = float(np.mean(fits))
        result.append(
            Destination(
                adcode=scope.key, name=scope.name, level=level, score=score, reasons=reasons
            )
        )
    result.sort(key=lambda d: (-round(d.score, 9), d.adcode))
    return result[:limit]
