"""The site's menu: each entry shows only to users whose role has its permission and only
once the page exists, so areas can be added one module at a time."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.routing import Router

from web.auth import Principal
from web.paths import route_index
from web.permissions import Permission, allowed


@dataclass(frozen=True)
class NavEntry:
    route: str  # route name, used with url_for
    label: str  # msgid
    permission: Permission | None  # None: everyone, signed in or not


MENU = (
    NavEntry("board", "Job board", None),
    NavEntry("outcomes", "Which training leads to a job", None),
    NavEntry("courses", "Courses", Permission.VIEW_COURSES),
    NavEntry("trainees", "Trainees", Permission.VIEW_TRAINEES),
    NavEntry("imports", "Excel import", Permission.IMPORT_TRAINEES),
    NavEntry("vacancies", "Vacancies", Permission.VIEW_VACANCIES),
    NavEntry("training_orders", "Training orders", Permission.VIEW_ORDERS),
    NavEntry("follow_ups", "Follow-ups", Permission.RECORD_FOLLOW_UPS),
    NavEntry("new_jobs", "New-jobs register", Permission.REPORT_NEW_JOBS),
    NavEntry("abroad_departures", "Work abroad", Permission.RECORD_ABROAD),
    NavEntry("abroad_returnees", "Returned from abroad", Permission.VIEW_CANDIDATES),
    NavEntry("job_fairs", "Job fairs", Permission.VIEW_JOB_FAIRS),
    NavEntry("guidance", "Career guidance", Permission.GIVE_GUIDANCE),
    NavEntry("dashboard", "Dashboard", Permission.VIEW_DASHBOARD),
    NavEntry("reports", "Yearly report", Permission.VIEW_DASHBOARD),
    NavEntry("supply_demand", "Supply and demand", Permission.VIEW_SUPPLY_DEMAND),
    NavEntry("targets", "Targets", Permission.VIEW_DASHBOARD),
    NavEntry("reporting_status", "Who has reported", Permission.VIEW_REPORTING_STATUS),
    NavEntry("labour_force", "Labour-force figures", Permission.IMPORT_LABOUR_FORCE),
    NavEntry("data_requests", "Data requests", Permission.HANDLE_DATA_REQUESTS),
    NavEntry("users", "Users", Permission.MANAGE_USERS),
    NavEntry("institutions", "Training institutions", Permission.MANAGE_ORGANISATIONS),
    NavEntry("employers", "Employers", Permission.MANAGE_ORGANISATIONS),
    NavEntry("api_tokens", "API tokens", Permission.MANAGE_API_TOKENS),
    NavEntry("api_scopes", "API scopes", Permission.GRANT_API_SCOPES),
    NavEntry("matching_weights", "Matching weights", Permission.MANAGE_MATCHING_WEIGHTS),
    NavEntry("jobs", "Background jobs", Permission.VIEW_JOBS),
    NavEntry("outbox", "Outbox", Permission.VIEW_OUTBOX),
)


def menu_for(principal: Principal | None, router: Router) -> list[NavEntry]:
    return [
        entry
        for entry in MENU
        if _exists(router, entry.route)
        and (entry.permission is None or allowed(principal, entry.permission))
    ]


def _exists(router: Router, name: str) -> bool:
    return route_index(router).exists(name)
