"""The application factory: nothing is built at import time, so tests and commands pass their
own settings (and, in tests, their own engine)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from models.db import make_engine
from models.encryption import installed_keys, use_keys
from models.jobs.worker import WorkerThread
from models.settings import Settings
from web.access_log import hide_query_strings
from web.api.openapi import install_openapi
from web.api.router import api_router
from web.auth import csrf_protect
from web.capacity import InFlightLimitMiddleware, set_worker_threads
from web.errors import UnexpectedErrorMiddleware, install_error_handlers
from web.forms import refuse_nul_in_form
from web.routes import all_routers
from web.security import (
    DEFAULT_MAX_BODY_BYTES,
    BodySizeLimitMiddleware,
    NulRefusingMiddleware,
    SecurityHeadersMiddleware,
)
from web.services.jobs import make_worker
from web.templating import STATIC_DIR, build_templates


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    settle_heap: bool = False,
) -> FastAPI:
    """Build the app. With `engine` given (tests), the caller keeps ownership of it (and has
    loaded the personal data keys); otherwise the app makes one from the settings, its pool
    sized to the worker threads, disposes of it at shutdown, and loads the keys first: a
    missing key stops it here, with a message."""
    owns_engine = engine is None
    if owns_engine or installed_keys() is None:
        use_keys(settings)
    app_engine = engine or make_engine(
        settings.database_url, echo=settings.echo_sql, limits=settings.db_limits
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        set_worker_threads(settings)
        # The embedded default: imports, KPI refreshes and suggestions run in this process.
        worker = WorkerThread(make_worker(app_engine)).start() if settings.embedded_worker else None
        if settle_heap:
            settle_startup_heap()
        yield
        if worker is not None:
            await anyio.to_thread.run_sync(worker.stop)  # lets the running job finish
        if owns_engine:
            app_engine.dispose()

    app = FastAPI(
        title="Điện Biên: training to jobs",
        dependencies=[Depends(csrf_protect), Depends(refuse_nul_in_form)],
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
        redoc_url=None,
    )
    app.state.settings = settings
    hide_query_strings()
    app.state.engine = app_engine
    app.state.templates = build_templates()

    # Added innermost first: the headers middleware wraps everything, error pages included.
    app.add_middleware(NulRefusingMiddleware)  # reads JSON bodies: inside the size limit
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=max_body_bytes)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(InFlightLimitMiddleware, limit=settings.max_requests_in_flight)
    app.add_middleware(SecurityHeadersMiddleware)
    # Outermost: pages shrink about 5x on the slow mobile links of the mountain communes
    # (the job board with 20 jobs: 15.9 KB -> 2.8 KB); small responses are left alone.
    # Level 6 (zlib's default), not 9: the demo's pages come out 0.5-2.5 % bigger, in up to
    # half the CPU time.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    # Outermost of all: behind a proxy listed in TRUSTED_PROXIES, the scheme and the client
    # address come from its X-Forwarded-Proto/-For (the Secure cookie, HSTS and the sign-in
    # throttle rely on them); from any other peer those headers are ignored. The server is
    # run with uvicorn's own proxy handling off (cli/server.py), so this is the only one.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    install_error_handlers(app)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in all_routers():
        app.include_router(router)
    app.include_router(api_router())
    install_openapi(app)
    return app


def settle_startup_heap() -> None:
    """Leave what the process built to start (modules, scikit-learn, the templates, the
    reference lists: about 400,000 objects) out of the garbage collector's full passes. Each
    full pass walked them all, a pause of 100-200 ms in whatever request was running, once
    every few dozen requests (docs/performance.md, "Pauses of the garbage collector"). Only
    for a served app (`dbjobs serve`): the tests build thousands of apps in one process."""
    gc.collect()
    gc.freeze()


def app_from_environment() -> FastAPI:
    """The app for `uvicorn --factory web.app:app_from_environment`: settings from the
    environment (DATABASE_URL, ...). Each server process (`dbjobs serve --workers N`) builds
    its own, with its own engine and pool."""
    return create_app(Settings.from_env(), settle_heap=True)
