"""JSON API: one router per resource. Add a new router to ``API_ROUTERS``."""

from fastapi import APIRouter

from jingjinji.web.api import (
    accounts,
    chains,
    evaluations,
    geo,
    health,
    industries,
    listings,
    loop,
    places,
    policies,
    projects,
    spatial,
)

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
    loop.router,
]

__all__ = ["API_ROUTERS"]
