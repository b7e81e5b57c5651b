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
    module.router
    for module in (
        overview,
        chains,
        account,
        indicators,
        challenges,
        market,
        projects,
        policies,
        loop,
        under_construction,
    )
]

__all__ = ["PAGE_ROUTERS"]
