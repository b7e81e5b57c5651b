"""协同成效: the loop's figures over the years (drawn by ``static/js/loop.js`` from
``/api/loop``); linked from the overview and the chain pages, not from the main navigation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji.atlas import AtlasLookupError
from jingjinji.chains import opening_place
from jingjinji.chains.repository import chain_context
from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/loop", response_class=HTMLResponse)
def loop_page(request: Request, atlas: AtlasDep, db: SessionDep, user: OptionalUser) -> Response:
    """The 协同成效 page with its industry and place selectors; without a place it opens on
    the user's own, else on one with gaps to show (:func:`jingjinji.chains.opening_place`)."""
    places = [("region", "京津冀全域")]
    places += [(p.adcode, p.name) for p in atlas.places if p.level == "province"]
    places += [
        (u.adcode, u.name)
        for u in atlas.prefecture_units()
        if u.level in ("prefecture", "special") and not u.adcode.endswith("0000")
    ]
    industry = request.query_params.get("industry", "")
    place = request.query_params.get("place", "")
    if not place:
        chosen = next((i for i in atlas.industries if i.slug == industry), None)
        own = user.organization.place_adcode if user else None
        place = opening_place(chain_context(db, atlas), chosen, own)
    if place.isdigit() and len(place) == 6 and all(code != place for code, _ in places):
        try:
            places.append((place, atlas.place(place).name))
        except AtlasLookupError:
            place = "region"
    context = {
        "title": "协同成效",
        "industries": atlas.industries,
        "places": places,
        "industry": industry if any(i.slug == industry for i in atlas.industries) else "",
        "place": place if any(code == place for code, _ in places) else "region",
    }
    return render(request, "loop/index.html", context, active="loop")
