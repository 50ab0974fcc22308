"""Typed dependencies shared by the routes: the database session, the reader's language and
the record id a path carries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.db import end_transaction
from models.i18n import SUPPORTED_LANGUAGES, normalise_language
from models.ids import MAX_ID
from models.settings import Settings

LANGUAGE_COOKIE = "lang"


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, closed once the response is sent (an error page rendered
    after the route may still read through it); services write in units of work."""
    with Session(get_engine(request), expire_on_commit=False) as session:
        yield session


def route_session(session: Annotated[Session, Depends(get_session)]) -> Iterator[Session]:
    """The request's session as routes see it: the transaction a route leaves open (its
    reads) ends as soon as the route returns, not after the response is sent."""
    try:
        yield session
    finally:
        end_transaction(session)


def current_language(request: Request) -> str:
    """The language chosen with the switch (a cookie), else the site's default (Vietnamese).
    A plain function too, so error handlers that run outside dependencies can use it."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    return normalise_language(request.app.state.settings.default_language)


EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(route_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
LanguageDep = Annotated[str, Depends(current_language)]

# A record id in a path. One beyond any stored id is answered like an id with no row: 404
# (web/errors.py reads a path that does not parse as an address with no page).
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
