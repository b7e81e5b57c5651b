"""JSON API: one router per resource. Add a new router to ``API_ROUTERS``."""

from fastapi import APIRouter

from jingjinji.web.api import accounts, evaluations, geo, health, industries, places, spatial
from jingjinji.web.api import listings
from jingjinji.web.api import chains
from jingjinji.web.api import policies, projects

API_ROUTERS: list[APIRouter] = [
    health.router,
    accounts.router,
    evaluations.router,
    places.router,
    industries.router,
    spatial.router,
    geo.router,
    listings.router,
    chains.router,
    projects.router,
    policies.router,
]

__all__ = ["API_ROUTERS"]
