"""Which place a chain map or the 协同成效 page opens on when the visitor names none.

The region as a whole has every segment somewhere, so it opens on 100% and no gap: nothing
to act on. A page opens instead on the visitor's own place when signed in, else on the
Tianjin or Hebei prefecture-level unit with the most enterprises of the industry among
those that still miss a segment (the one with most to show, strengths and gaps together),
else on the unit with the most enterprises. Computed from the registry alone.
"""

from __future__ import annotations

from jingjinji.atlas import Atlas, AtlasLookupError, Industry
from jingjinji.chains.coverage import ChainContext

__all__ = ["opening_place"]

_BEIJING = "110000"


def opening_place(
    context: ChainContext, industry: Industry | None = None, own_place: str | None = None
) -> str:
    """The adcode of the prefecture-level unit to open on (``"region"`` when the registry
    has no enterprise of ``industry``; ``None`` means all industries). ``own_place``, the
    signed-in user's place, wins when it is in the region."""
    atlas: Atlas = context.atlas
    if own_place:
        try:
            unit = atlas.prefecture_unit_of(own_place)
        except AtlasLookupError:
            unit = None
        if unit is not None:
            return unit.adcode
    key = ("opening place", industry.slug if industry else None)
    return context.memo(key, lambda: _busiest_with_gaps(context, industry))


def _busiest_with_gaps(context: ChainContext, industry: Industry | None) -> str:
    scopes, counts = context.level("prefecture")
    columns = [s.slug for s in industry.segments] if industry else list(counts.columns)
    table = counts.reindex(columns=columns, fill_value=0.0)
    keys = [scope.key for scope in scopes if scope.key != _BEIJING]
    table = table.loc[[key for key in keys if key in table.index]]
    totals = table.sum(axis=1)
    if totals.empty or float(totals.max()) <= 0:
        return "region"
    gapped = totals[(table == 0).any(axis=1) & (totals > 0)]
    pool = gapped if not gapped.empty else totals
    # the most enterprises first; the lower adcode on a tie, so the choice is stable
    return str(min(pool.index, key=lambda key: (-float(pool[key]), str(key))))
