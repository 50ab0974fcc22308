"""Typed dependencies shared by the routes: the database session, the reader's language and
the record id a path carries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Path, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.audit import hold_views, write_held_views
from models.db import end_transaction
from models.i18n import SUPPORTED_LANGUAGES, normalise_language
from models.ids import MAX_ID
from models.settings import Settings

LANGUAGE_COOKIE = "lang"


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in a
# worker thread, and each such hop waits for a free thread behind every other request's work.
# A signed-in page used to make eight hops; now it makes three (the sign-in lookup, the end of
# the route's transaction, the route itself).


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, closed once the response is sent (an error page rendered
    after the route may still read through it); services write in units of work. Making a
    session opens no connection; by the time it is closed, `route_session` has given its
    connection back, so neither end waits on the database."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


async def route_session(
    session: Annotated[Session, Depends(get_session)],
) -> AsyncIterator[Session]:
    """The request's session as routes see it: the transaction a route leaves open (its
    reads) ends as soon as the route returns, not after the response is sent. Ending it
    talks to the database, so it runs in a thread, but outside the request threads' limit
    (as FastAPI runs a dependency's exit): waiting there for a thread while holding the
    connection would deadlock once every thread waits for a connection.

    The audit entries of the personal data a route showed are held and written once it has
    returned, together, before its response is sent (web.services.personal_data)."""
    hold_views(session)
    returned = False
    try:
        yield session
        returned = True
    finally:
        await anyio.to_thread.run_sync(
            _finish_route, session, returned, limiter=anyio.CapacityLimiter(1)
        )


def _finish_route(session: Session, returned: bool) -> None:
    try:
        if returned:
            write_held_views(session)
    finally:
        end_transaction(session)


def current_language(request: Request) -> str:
    """The language chosen with the switch (a cookie), else the site's default (Vietnamese).
    A plain function too, so error handlers that run outside dependencies can use it."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    return normalise_language(request.app.state.settings.default_language)


async def language_dependency(request: Request) -> str:
    return current_language(request)


EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(route_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
LanguageDep = Annotated[str, Depends(language_dependency)]

# A record id in a path. One beyond any stored id is answered like an id with no row: 404
# (web/errors.py reads a path that does not parse as an address with no page).
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
