"""Paths on this site: where the reader may be sent back to after a form (only a path on this
site), and the paths of the site's named routes, built fast."""

from __future__ import annotations

import threading
from typing import Any

from cachetools import LRUCache
from starlette.requests import Request
from starlette.routing import BaseRoute, NoMatchFound, Router


def safe_local_path(target: str | None) -> str | None:
    """Only a path on this site: '/x?y' passes; 'https://evil', '//evil' and '/\\evil' (which
    browsers read as another host) do not, so the switch cannot redirect anywhere else."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\r\n\\"):
        return None
    return target


# --- paths of named routes --------------------------------------------------------------------
#
# Starlette's `url_for` tries every route in turn and raises an exception for each one that does
# not match; with the routers included lazily it also rebuilds their route contexts. A page with
# a link per row spent most of its time there. The index remembers which of the app's top-level
# routes builds each name, and keeps the paths it built (bounded): a path depends only on the
# name and the parameters.

PATHS_KEPT = 20_000


class RouteIndex:
    """Paths of named routes for one router, found once and kept."""

    def __init__(self, router: Router) -> None:
        self._router = router
        self._owner: dict[str, BaseRoute] = {}
        self._paths: LRUCache[tuple[str, tuple[tuple[str, Any], ...]], str] = LRUCache(PATHS_KEPT)
        self._lock = threading.Lock()

    def path(self, name: str, /, **params: Any) -> str:
        """The path of the route `name` with these parameters; NoMatchFound when none builds it."""
        try:
            key: tuple[str, tuple[tuple[str, Any], ...]] | None = (
                name,
                tuple(sorted(params.items())),
            )
            hash(key)
        except TypeError:  # a parameter that can't be a key: build it every time
            key = None
        if key is not None:
            with self._lock:
                kept = self._paths.get(key)
            if kept is not None:
                return kept
        built = self._build(name, params)
        if key is not None:
            with self._lock:
                self._paths[key] = built
        return built

    def exists(self, name: str) -> bool:
        """Whether a route of this name without parameters exists (menu entries)."""
        try:
            self.path(name)
        except NoMatchFound:
            return False
        return True

    def _build(self, name: str, params: dict[str, Any]) -> str:
        owner = self._owner.get(name)
        if owner is not None:
            try:
                return str(owner.url_path_for(name, **params))
            except NoMatchFound:
                pass  # the same name with other parameters: look through every route
        for route in self._router.routes:
            try:
                built = route.url_path_for(name, **params)
            except NoMatchFound:
                continue
            self._owner[name] = route
            return str(built)
        raise NoMatchFound(name, params)


_INDEX_ATTRIBUTE = "_site_route_index"
_indexes_lock = threading.Lock()


def route_index(router: Router) -> RouteIndex:
    """The router's index, made on first use and kept on the router (routers are not
    hashable, so it can't be a key)."""
    index = getattr(router, _INDEX_ATTRIBUTE, None)
    if index is None:
        with _indexes_lock:
            index = getattr(router, _INDEX_ATTRIBUTE, None)
            if index is None:
                index = RouteIndex(router)
                setattr(router, _INDEX_ATTRIBUTE, index)
    assert isinstance(index, RouteIndex)
    return index


def path_for(request: Request, name: str, /, **params: Any) -> str:
    """The site-relative path of the route `name` (under the app's root path, as `url_for`
    gives it), without Starlette's absolute URL: behind a TLS proxy an absolute http:// link
    would be wrong, and a path works whatever host the visitor used."""
    router: Router = request.scope.get("router") or request.app.router
    scope = request.scope
    root = str(scope.get("app_root_path", scope.get("root_path", ""))).rstrip("/")
    return root + route_index(router).path(name, **params)
