"""The API's one router, mounted under /api/v1 by the app factory. A new resource is a module
of this package with its own `router`, added to RESOURCES (docs/api.md)."""

from __future__ import annotations

from fastapi import APIRouter

from web.api import (
    candidates,
    courses,
    enrolments,
    feeds,
    follow_ups,
    kpi,
    new_jobs,
    training_orders,
    vacancies,
)
from web.api.problems import API_PREFIX

RESOURCES = (
    vacancies.router,
    feeds.router,
    candidates.router,
    courses.router,
    enrolments.router,
    training_orders.router,
    new_jobs.router,
    follow_ups.router,
    kpi.router,
)


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    for resource in RESOURCES:
        router.include_router(resource)
    return router
