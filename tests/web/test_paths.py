"""Paths of named routes come from the site's route index: the same paths Starlette builds,
for every route of the app, whatever order they are asked in; menus list only pages that
exist; and a page with a link per row no longer asks every route in turn."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from starlette.requests import Request
from starlette.routing import Mount, NoMatchFound

from models.settings import Settings
from web.app import create_app
from web.paths import path_for, route_index


def _site() -> FastAPI:
    return create_app(Settings(database_url="sqlite://", embedded_worker=False))


def _request(app: FastAPI, root_path: str = "") -> Request:
    scope = {"type": "http", "app": app, "router": app.router, "root_path": root_path}
    return Request(scope)


def _named_paths(app: FastAPI) -> list[tuple[str, dict[str, str]]]:
    """Every named route of the app with a value for each path parameter."""
    found = []
    for route in app.routes:
        for name, params in _walk(route):
            found.append((name, params))
    return found


def _walk(route: object) -> list[tuple[str, dict[str, str]]]:
    included = getattr(route, "original_router", None)  # a router the app included
    inner = getattr(included or route, "routes", None)
    if inner is not None and (included is not None or not getattr(route, "name", None)):
        return [item for child in inner for item in _walk(child)]
    name, path = getattr(route, "name", None), getattr(route, "path", None)
    if not name or path is None:
        return []
    params = {param: "7" for param in re.findall(r"{(\w+)(?::\w+)?}", path)}
    if isinstance(route, Mount):  # the static files: the file's path is the parameter
        params["path"] = "app.css"
    return [(name, params)]


def test_every_named_route_gets_the_path_starlette_builds() -> None:
    app = _site()
    request = _request(app)
    named = _named_paths(app)
    assert len(named) > 75  # the whole site, not a sample

    for name, params in named * 2:  # the second time from what the index kept
        assert path_for(request, name, **params) == str(app.url_path_for(name, **params))


def test_the_same_name_with_other_values_gives_other_paths() -> None:
    app = _site()
    request = _request(app)

    paths = [path_for(request, "vacancy_candidates", vacancy_id=n) for n in (1, 2, 1)]

    assert paths == [
        "/vacancies/1/candidates",
        "/vacancies/2/candidates",
        "/vacancies/1/candidates",
    ]


def test_paths_sit_under_the_root_path_the_site_is_served_at() -> None:
    app = _site()

    assert path_for(_request(app, "/viec-lam"), "board") == "/viec-lam/board"
    assert path_for(_request(app), "board") == "/board"


def test_an_unknown_name_or_missing_parameter_is_refused_as_starlette_does() -> None:
    app = _site()
    request = _request(app)

    with pytest.raises(NoMatchFound):
        path_for(request, "no_such_page")
    with pytest.raises(NoMatchFound):
        path_for(request, "vacancy_candidates")
    assert route_index(app.router).exists("board")
    assert not route_index(app.router).exists("no_such_page")
