"""JSON API: one router per resource. Add a new router to ``API_ROUTERS``."""

from fastapi import APIRouter

from jingjinji.web.api import (
    accounts,
    chains,
    challenges,
    deals,
    evaluations,
    exports,
    follows,
    geo,
    health,
    industries,
    listings,
    loop,
    market_stats,
    patents,
    places,
    policies,
    projects,
    spatial,
    templates,
    workspace,
)

API_ROUTERS: list[APIRouter] = [
    module.router
    for module in (
        health,
        accounts,
        evaluations,
        places,
        industries,
        spatial,
        geo,
        listings,
        deals,
        chains,
        patents,
        projects,
        policies,
        loop,
        challenges,
        follows,
        market_stats,
        exports,
        templates,
        workspace,
    )
]

__all__ = ["API_ROUTERS"]
