"""JSON API: one router per resource. Add a new router to ``API_ROUTERS``."""

from fastapi import APIRouter

from jingjinji.web.api import accounts, health

API_ROUTERS: list[APIRouter] = [
    health.router,
    accounts.router,
]

__all__ = ["API_ROUTERS"]
