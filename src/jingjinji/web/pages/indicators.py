"""指标评价: evaluate a panel with an indicator system; the 双10% monitor; quoted facts.

The charts are drawn by ``static/js/indicators.js`` from ``/api/indicators/preview`` (anyone)
and ``/api/evaluations`` (analysts and admins); the monitor and the fact cards are rendered
here from the shipped data.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji.indicators import cagr, monitor, shipped_systems, total_growth
from jingjinji.indicators.datasets import Fact, dual_ten_panel, load_facts
from jingjinji.indicators.places import REGION, place_name
from jingjinji.indicators.sample import SAMPLE_LABEL
from jingjinji.web.deps import OptionalUser
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

#: The facts shown together on the Beijing index card.
_INDEX_FACTS = ("beijing_hqd_index_2012", "beijing_hqd_index_2021")


def _dual_ten() -> dict[str, Any]:
    """The 双10% monitor: every observed value against its 10% bottom line."""
    panel = dual_ten_panel()
    rows = monitor(panel, "dual_ten")
    series: dict[str, dict[str, Any]] = {}
    for record in rows.to_dict("records"):
        entry = series.setdefault(
            str(record["indicator"]),
            {
                "id": str(record["indicator"]),
                "name": str(record["name"]),
                "threshold": float(record["threshold"]),
                "points": [],
            },
        )
        entry["points"].append(
            {
                "year": int(record["year"]),
                "value": round(float(record["value"]), 2),
                "gap": round(float(record["gap"]), 2),
                "status": str(record["status"]),
            }
        )
    latest = [
        s["points"][-1] | {"name": s["name"], "threshold": s["threshold"]} for s in series.values()
    ]
    return {"series": list(series.values()), "latest": latest, "provenance": panel.provenance}


def _index_card(facts: dict[str, Fact]) -> dict[str, Any] | None:
    first, last = (facts.get(f) for f in _INDEX_FACTS)
    if first is None or last is None:
        return None
    years = last.year - first.year
    growth = total_growth(first.value, last.value) * 100
    rate = cagr(first.value, last.value, years) * 100
    quoted_growth = facts.get("beijing_hqd_index_growth_2012_2021")
    quoted_cagr = facts.get("beijing_hqd_index_cagr_2012_2021")
    return {
        "subject": first.subject,
        "first": first,
        "last": last,
        "growth": growth,
        "cagr": rate,
        "quoted_growth": quoted_growth,
        "quoted_cagr": quoted_cagr,
        "matches": quoted_growth is not None
        and quoted_cagr is not None
        and round(growth, 2) == quoted_growth.value
        and round(rate, 2) == quoted_cagr.value,
        "provenance": first.provenance,
    }


def _fact_cards(facts: list[Fact]) -> list[dict[str, Any]]:
    hidden = {
        *_INDEX_FACTS,
        "beijing_hqd_index_growth_2012_2021",
        "beijing_hqd_index_cagr_2012_2021",
    }
    cards = []
    for fact in facts:
        if fact.id in hidden:
            continue
        value = f"{fact.value:,.0f}" if fact.value >= 1000 else f"{fact.value:g}"
        cards.append(
            {
                "id": fact.id,
                "subject": fact.subject,
                "place": "京津冀" if fact.place == REGION else place_name(fact.place),
                "year": fact.year,
                "value": value,
                "unit": "" if fact.unit == "index" else fact.unit,
                "note": fact.note,
                "provenance": fact.provenance,
            }
        )
    return cards


@router.get("/indicators", response_class=HTMLResponse)
def indicators_page(request: Request, user: OptionalUser) -> Response:
    """The 指标评价 page."""
    facts = load_facts()
    context = {
        "title": "指标评价",
        "can_run": user is not None and user.role in ("admin", "analyst"),
        "signed_in": user is not None,
        "sample_label": SAMPLE_LABEL,
        "index_card": _index_card({f.id: f for f in facts}),
        "fact_cards": _fact_cards(facts),
        "dual_ten": _dual_ten(),
        "shipped_systems": [s for s in shipped_systems() if not s.is_monitor],
    }
    return render(request, "indicators/index.html", context, active="indicators")
