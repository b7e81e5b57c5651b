"""Other names addresses use for a county: former county names and functional zones.

Read from ``data/place_aliases.csv`` (provenance in ``place_aliases.source.yaml``): each row
maps an alias (``塘沽区``, ``蓟县``, ``北京经济技术开发区``, ``容东片区``) to the county that holds
it now (``adcode``), with the further counties it spans (``also``) and a note in Chinese.

>>> aliases = {a.alias: a for a in load_place_aliases()}
>>> aliases["蓟县"].adcode, aliases["北京经济技术开发区"].kind
('120119', 'zone')
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from typing import Literal

from jingjinji.atlas.loader import DATA_DIR

__all__ = ["ALIASES_FILE", "PlaceAlias", "load_place_aliases"]

ALIASES_FILE = "place_aliases.csv"


@dataclass(frozen=True)
class PlaceAlias:
    """An alias of a county: ``former`` name or functional ``zone``."""

    alias: str
    adcode: str
    kind: Literal["former", "zone"]
    also: tuple[str, ...]
    note: str


@functools.cache
def load_place_aliases() -> tuple[PlaceAlias, ...]:
    """The shipped aliases, longest first (so ``天津滨海高新区`` is tried before ``滨海``)."""
    with (DATA_DIR / ALIASES_FILE).open(encoding="utf-8", newline="") as handle:
        rows = [
            PlaceAlias(
                alias=row["alias"].strip(),
                adcode=row["adcode"].strip(),
                kind="zone" if row["kind"].strip() == "zone" else "former",
                also=tuple(code for code in row["also"].split("|") if code),
                note=row["note"].strip(),
            )
            for row in csv.DictReader(handle)
        ]
    return tuple(sorted(rows, key=lambda a: (-len(a.alias), a.alias)))
