"""JSON API: one router per resource. Add a new router to ``API_ROUTERS``."""

from fastapi import APIRouter

from jingjinji.web.api import (
    accounts,
    chains,
    challenges,
    evaluations,
    follows,
    geo,
    health,
    industries,
    listings,
    loop,
    market_stats,
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
    challenges.router,
    follows.router,
    market_stats.router,
]

__all__ = ["API_ROUTERS"]
