"""The chain gap a project fills, read from its ``addresses`` field.

``addresses`` holds the id of a 补链·延链·强链 suggestion (``<kind>.<place key>.<segment>``,
see :mod:`jingjinji.chains.suggest`) when the project came from a chain gap, or free text
(older records and sample data, e.g. ``氢能 · 膜电极``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.chains.places import scope_of
from jingjinji.chains.suggest import KIND_LABELS, parse_suggestion_id

__all__ = ["AddressedGap", "addressed_gap"]


@dataclass(frozen=True)
class AddressedGap:
    """A readable gap: kind (补链…), segment, industry and place names, and the chain page
    that shows it; ``text`` alone when ``addresses`` is not a suggestion id."""

    text: str
    kind: str | None = None
    segment: str | None = None
    industry: str | None = None
    place: str | None = None
    url: str | None = None


def addressed_gap(addresses: str | None, atlas: Atlas) -> AddressedGap | None:
    """The gap ``addresses`` names, readable; ``None`` when empty.

    >>> from jingjinji.atlas import load_atlas
    >>> gap = addressed_gap("fill.130600.hydrogen-fc-mea", load_atlas())
    >>> gap.kind, gap.segment, gap.place, gap.url
    ('补链', '膜电极', '保定市', '/chains/hydrogen?place=130600')
    """
    if not addresses or not addresses.strip():
        return None
    try:
        kind, place_key, slug = parse_suggestion_id(addresses.strip())
        segment = atlas.segment(slug)
        industry = atlas.industry_of(slug)
        scope = scope_of(atlas, place_key)
    except (ValueError, AtlasLookupError):
        return AddressedGap(text=addresses.strip())
    return AddressedGap(
        text=f"{scope.name} · {industry.name} · {segment.name}（{KIND_LABELS[kind]}）",
        kind=KIND_LABELS[kind],
        segment=segment.name,
        industry=industry.name,
        place=scope.name,
        url=f"/chains/{industry.slug}?place={quote(place_key)}",
    )
