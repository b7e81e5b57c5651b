"""HTML pages: one router per page. Add a new router to ``PAGE_ROUTERS``."""

from fastapi import APIRouter

from jingjinji.web.pages import (
    account,
    chains,
    challenges,
    indicators,
    loop,
    market,
    overview,
    policies,
    projects,
    under_construction,
)

PAGE_ROUTERS: list[APIRouter] = [
    overview.router,
    chains.router,
    account.router,
    indicators.router,
    challenges.router,
    market.router,
    projects.router,
    policies.router,
    loop.router,
    under_construction.router,
]

__all__ = ["PAGE_ROUTERS"]
