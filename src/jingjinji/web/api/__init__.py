"""JSON API: one router per resource. Add a new router to ``API_ROUTERS``."""

from fastapi import APIRouter

from jingjinji.web.api import accounts, geo, health, industries, places, spatial

API_ROUTERS: list[APIRouter] = [
    health.router,
    accounts.router,
    places.router,
    industries.router,
    spatial.router,
    geo.router,
]

__all__ = ["API_ROUTERS"]
