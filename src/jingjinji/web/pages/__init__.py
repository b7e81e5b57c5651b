"""HTML pages: one router per page. Add a new router to ``PAGE_ROUTERS``."""

from fastapi import APIRouter

from jingjinji.web.pages import account, overview, under_construction

PAGE_ROUTERS: list[APIRouter] = [
    overview.router,
    account.router,
    under_construction.router,
]

__all__ = ["PAGE_ROUTERS"]
