"""HTML pages: one router per page. Add a new router to ``PAGE_ROUTERS``."""

from fastapi import APIRouter

from jingjinji.web.pages import (
    account,
    admin,
    chains,
    challenges,
    deals,
    indicators,
    loop,
    market,
    overview,
    patents,
    policies,
    projects,
    under_construction,
    workspace,
)

PAGE_ROUTERS: list[APIRouter] = [
    module.router
    for module in (
        overview,
        chains,
        patents,
        account,
        admin,
        indicators,
        challenges,
        deals,
        market,
        projects,
        policies,
        loop,
        workspace,
        under_construction,
    )
]

__all__ = ["PAGE_ROUTERS"]
