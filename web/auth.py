"""Who is asking: the signed-in user behind the session cookie, and CSRF protection for
every form. Decisions about what a user may do live in web/permissions.py."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import Depends, Request
from fastapi.responses import Response

from models.db import end_read
from models.errors import ForbiddenError, NotSignedInError, PasswordChangeRequiredError
from models.settings import Settings
from models.tables import AuthSession, UserAccount
from web.api.problems import is_api_v1
from web.deps import SessionDep
from web.services.auth import SESSION_LIFETIME, resolve_session
from web.services.sign_in_guard import USUAL_FOR, Source, device_digest

SESSION_COOKIE = "sid"
# Long-lived and random, set at each successful sign-in; the server keeps only its hash.
# It makes this browser "usual" for the account, so guesses from elsewhere never slow its
# owner down (web/services/sign_in_guard.py).
DEVICE_COOKIE = "device"
# The pages a user whose password was reset may still open.
PASSWORD_CHANGE_ROUTES = frozenset({"account_password", "account_password_submit"})
ANONYMOUS_CSRF_COOKIE = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Actor(Protocol):
    """Whoever acts, as the ownership checks (web/permissions.py) and the audit see it: a
    signed-in user (Principal) or a machine with an API token (web/api/auth.py) acting as
    its organisation's role."""

    @property
    def role(self) -> str: ...

    @property
    def user_id(self) -> int | None: ...

    @property
    def institution_id(self) -> int | None: ...

    @property
    def employer_id(self) -> int | None: ...

    @property
    def commune_code(self) -> str | None: ...

    @property
    def api_token_id(self) -> int | None: ...


@dataclass(frozen=True)
class Principal:
    """A signed-in user with the session they came with."""

    user: UserAccount
    auth: AuthSession

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def user_id(self) -> int | None:
        return self.user.id

    @property
    def institution_id(self) -> int | None:
        return self.user.institution_id

    @property
    def employer_id(self) -> int | None:
        return self.user.employer_id

    @property
    def commune_code(self) -> str | None:
        return self.user.commune_code

    @property
    def api_token_id(self) -> int | None:
        return None


def optional_principal(request: Request, session: SessionDep) -> Principal | None:
    """The signed-in user, or None for a visitor. Resolved once per request."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    found = resolve_session(session, request.cookies.get(SESSION_COOKIE, ""))
    principal = Principal(user=found[0], auth=found[1]) if found else None
    if principal is not None:
        # Who is asking, as of the start of the request: detached, so that a use case that
        # fails and rolls back does not expire it before the error page shows the user.
        session.expunge(principal.user)
        session.expunge(principal.auth)
    # The connection goes back to the pool before this request waits for its next worker
    # thread: a request holding one while it waits could starve the threads that need one.
    end_read(session)
    request.state.principal = principal
    return principal


async def current_principal(
    request: Request,
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise NotSignedInError(None, "Please sign in to continue.")
    route = getattr(request.scope.get("route"), "name", None)
    if principal.user.must_change_password and route not in PASSWORD_CHANGE_ROUTES:
        raise PasswordChangeRequiredError(
            None, "Your password was reset. Choose a new password to continue."
        )
    return principal


OptionalUser = Annotated[Principal | None, Depends(optional_principal)]
CurrentUser = Annotated[Principal, Depends(current_principal)]


def csrf_token_for(request: Request) -> str:
    """The token a form on this page must send back: the session's for a signed-in user, or
    a random value also set as a cookie for a visitor (double submit)."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is not None:
        return principal.auth.csrf_token
    token = request.cookies.get(ANONYMOUS_CSRF_COOKIE) or getattr(
        request.state, "new_csrf_cookie", None
    )
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = token
    return token


def set_pending_csrf_cookie(request: Request, response: Response) -> None:
    """Send the visitor's new CSRF cookie along with the page that carries the token."""
    token = getattr(request.state, "new_csrf_cookie", None)
    if token:
        response.set_cookie(
            ANONYMOUS_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
            path="/",
        )


async def csrf_protect(
    request: Request, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> None:
    """Refuse an unsafe request whose token does not match (applied to every route).

    The machine API under /api/v1 is left out: it never reads the session cookie (only an
    `Authorization: Bearer` token, web/api/auth.py), so a forged cross-site request carries
    no authority there, and a browser cannot attach a bearer token to one by itself."""
    if request.method not in UNSAFE_METHODS or is_api_v1(request):
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _has_form_body(request):
        field = (await request.form()).get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if principal is not None:
        expected = principal.auth.csrf_token
    else:
        expected = request.cookies.get(ANONYMOUS_CSRF_COOKIE, "")
    if not expected or not isinstance(sent, str) or not _same(sent, expected):
        raise ForbiddenError(
            None,
            "This form has expired or did not come from this site. Reload the page and try again.",
        )


def _same(sent: str, expected: str) -> bool:
    """compare_digest on bytes: on str it raises for characters beyond ASCII."""
    return secrets.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8"))


def _has_form_body(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def _secure(request: Request) -> bool:
    """Served over HTTPS: by this server, or by a proxy listed in TRUSTED_PROXIES that says so
    in X-Forwarded-Proto (uvicorn's ProxyHeadersMiddleware rewrites the scheme, web/app.py).
    SECURE_COOKIES=1 forces it."""
    settings: Settings = request.app.state.settings
    return request.url.scheme == "https" or settings.secure_cookies


def client_address(request: Request) -> str:
    """The client's address: from X-Forwarded-For only when the peer is a trusted proxy
    (ProxyHeadersMiddleware has already put it in the scope), else the peer itself.
    Normalised, so one IPv6 address is not counted under several spellings."""
    host = request.client.host if request.client else ""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host[:64] or "unknown"


def request_source(request: Request) -> Source:
    """Where a sign-in attempt comes from, for the guard."""
    device = request.cookies.get(DEVICE_COOKIE, "")
    return Source(
        address=client_address(request), device_hash=device_digest(device) if device else None
    )


def set_device_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=int(USUAL_FOR.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(ANONYMOUS_CSRF_COOKIE, path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
