"""The API's one router, mounted under /api/v1 by the app factory. A new resource is a module
of this package with its own `router`, added to RESOURCES (docs/api.md)."""

from __future__ import annotations

from fastapi import APIRouter

from web.api import candidates, feeds, kpi, vacancies
from web.api.problems import API_PREFIX

RESOURCES = (vacancies.router, feeds.router, kpi.router, candidates.router)


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    for resource in RESOURCES:
        router.include_router(resource)
    return router
