"""The app's route table as the tests and the page benchmark read it: every route the app
serves, with its full path and the permission or API scopes it declares in its signature.

Shared by the permission matrix (tests/web/test_permission_matrix.py), the query-count guard
(tests/web/test_query_counts.py) and the walk over every page (bench/bench_pages.py), so a
new route is picked up by all three from the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from models.enums import Role
from web.api.auth import RequireAnyScope, RequireScope
from web.permissions import POLICY, Allow

API_PACKAGE = "web.api."


@dataclass(frozen=True)
class ServedRoute:
    """One method of one route: its full path template (prefixes included) and what it
    declares. `permissions` is None for a route that declares no `allow(...)` (a public one,
    or an API route, which declares `scopes` instead)."""

    method: str
    path: str
    name: str
    api: bool
    permissions: frozenset[str] | None
    scopes: frozenset[str]

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(part.split("}", 1)[0].split(":", 1)[0] for part in self.path.split("{")[1:])

    def roles(self) -> frozenset[Role]:
        """The signed-in roles POLICY lets in (every role when the permissions are empty;
        none for a public or API route)."""
        if self.permissions is None:
            return frozenset()
        return frozenset(
            role
            for role, granted in POLICY.items()
            if not self.permissions or self.permissions & granted
        )


def api_routes(routes: list) -> list[APIRoute]:
    """The API routes among `routes`, including those of the routers the app includes
    (FastAPI >= 0.130 keeps them as included routers)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += api_routes(route.original_router.routes)
    return found


def full_path(app, route: APIRoute) -> str:
    """The path template the app answers `route` on, its routers' prefixes included."""
    names = route.param_convertors
    built = app.url_path_for(route.name, **{name: f"PARAM-{name}-" for name in names})
    for name in names:
        built = built.replace(f"PARAM-{name}-", "{" + name + "}")
    return str(built)


def declarations(dependant: Dependant) -> list[Allow]:
    """The `allow(...)` dependencies anywhere in a route's dependency tree."""
    found = []
    for each in dependant.dependencies:
        if isinstance(each.call, Allow):
            found.append(each.call)
        found += declarations(each)
    return found


def _scopes(dependant: Dependant) -> frozenset[str]:
    found: set[str] = set()
    for each in dependant.dependencies:
        if isinstance(each.call, RequireScope | RequireAnyScope):
            found |= {str(scope) for scope in each.call.scopes}
        found |= _scopes(each)
    return frozenset(found)


def served_routes(app) -> list[ServedRoute]:
    """Every method of every route the app serves (HEAD aside), in the app's order."""
    served = []
    for route in api_routes(app.routes):
        path = full_path(app, route)
        api = route.endpoint.__module__.startswith(API_PACKAGE)
        allowed = declarations(route.dependant)
        permissions = frozenset(allowed[0].permissions) if allowed else None
        for method in sorted(route.methods - {"HEAD"}):
            served.append(
                ServedRoute(method, path, route.name, api, permissions, _scopes(route.dependant))
            )
    return served
