"""From the two chains to the loop: suggested pushes of Beijing's patents and suggested
demands where industry has no innovation (pure).

* push (成果推送): a segment with Beijing patents (at least ``min_patents``) and enterprises
  in Tianjin or Hebei, but no deal yet from a Beijing achievement to a Tianjin or Hebei
  demand on the segment (matches at 签约 or 落地). It names the patent owners (Beijing first
  applicants, most patents first, with their invention patents) and the destinations: the
  Tianjin and Hebei cities ranked by the segment's enterprises, then by their location
  quotient; and carries a draft achievement list for the owners to publish.
* demand (技术需求): a Tianjin or Hebei city whose cell is 技术需求 (industry strong, innovation
  not): a draft demand for the city naming the cities whose patents could meet it.

>>> from jingjinji.patents.innovation import PatentFact, innovation_table
>>> facts = [PatentFact("s", "110000", 2023, "发明", False, "甲大学")] * 3
>>> cells = innovation_table(facts, {("s", "130600"): 4}, places=["110000", "130600"])
>>> [p["kind"] for p in suggest_pushes(cells, facts, deal_segments=set(), names={})]
['push', 'demand']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from jingjinji.patents.innovation import InnovationCell, PatentFact

__all__ = ["suggest_pushes"]

BEIJING = "110000"


def _in_tianjin_hebei(adcode: str) -> bool:
    return adcode[:2] in ("12", "13")


def suggest_pushes(
    cells: Iterable[InnovationCell],
    facts: Iterable[PatentFact],
    *,
    deal_segments: set[str],
    names: Mapping[str, str],
    min_patents: int = 3,
    owners: int = 5,
) -> list[dict[str, Any]]:
    """Pushes first (most Beijing patents first), then demands (most enterprises first)."""
    by_segment: dict[str, list[InnovationCell]] = {}
    for cell in cells:
        by_segment.setdefault(cell.segment, []).append(cell)
    owners_of: dict[str, Counter[str]] = {}
    inventions_of: dict[str, Counter[str]] = {}
    for fact in facts:
        if fact.place == BEIJING and fact.kind != "外观设计" and not fact.lapsed:
            owners_of.setdefault(fact.segment, Counter())[fact.applicant] += 1
            if fact.kind == "发明":
                inventions_of.setdefault(fact.segment, Counter())[fact.applicant] += 1
    pushes: list[dict[str, Any]] = []
    demands: list[dict[str, Any]] = []
    for segment, row in by_segment.items():
        beijing = next((c for c in row if c.place == BEIJING), None)
        targets = sorted(
            (c for c in row if _in_tianjin_hebei(c.place) and c.enterprises > 0),
            key=lambda c: (-c.enterprises, -(c.lq_enterprises or 0.0), c.place),
        )
        if (
            beijing is not None
            and beijing.patents >= min_patents
            and targets
            and segment not in deal_segments
        ):
            top = owners_of.get(segment, Counter()).most_common(owners)
            pushes.append(
                {
                    "kind": "push",
                    "segment": segment,
                    "patents": beijing.patents,
                    "owners": [
                        {
                            "name": name,
                            "patents": n,
                            "inventions": inventions_of.get(segment, Counter())[name],
                        }
                        for name, n in top
                    ],
                    "destinations": [
                        {
                            "place": c.place,
                            "place_name": names.get(c.place, c.place),
                            "enterprises": c.enterprises,
                            "lq_enterprises": None
                            if c.lq_enterprises is None
                            else round(c.lq_enterprises, 3),
                            "case": c.case,
                        }
                        for c in targets[:5]
                    ],
                    "reason": (
                        f"北京有 {beijing.patents} 件专利，津冀有 "
                        f"{sum(c.enterprises for c in targets)} 家企业，"
                        "尚无北京成果与津冀需求在该环节签约"
                    ),
                }
            )
        for cell in row:
            if cell.case == "技术需求" and _in_tianjin_hebei(cell.place):
                demands.append(
                    {
                        "kind": "demand",
                        "segment": segment,
                        "place": cell.place,
                        "place_name": names.get(cell.place, cell.place),
                        "enterprises": cell.enterprises,
                        "patents": cell.patents,
                        "sources": [
                            {"place": p, "place_name": names.get(p, p), "patents": n}
                            for p, n in cell.partners
                        ],
                        "reason": (
                            f"{names.get(cell.place, cell.place)}有 {cell.enterprises} 家企业，"
                            f"本地专利 {cell.patents} 件，创新链弱于产业链"
                        ),
                    }
                )
    pushes.sort(key=lambda p: (-p["patents"], p["segment"]))
    demands.sort(key=lambda d: (-d["enterprises"], d["segment"], d["place"]))
    return pushes + demands
