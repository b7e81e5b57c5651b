"""HTML pages: one router per page. Add a new router to ``PAGE_ROUTERS``."""

from fastapi import APIRouter

from jingjinji.web.pages import account, chains, indicators, overview, under_construction
from jingjinji.web.pages import market
from jingjinji.web.pages import policies, projects

PAGE_ROUTERS: list[APIRouter] = [
    overview.router,
    chains.router,
    account.router,
    indicators.router,
    market.router,
    projects.router,
    policies.router,
    under_construction.router,
]

__all__ = ["PAGE_ROUTERS"]
