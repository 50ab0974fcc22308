"""Who calls the API: a machine with a bearer token (`Authorization: Bearer dbj_...`), acting
for its organisation within its scopes, or an anonymous reader of public data.

The API never reads the session cookie, so a browser's cookies give no authority here (and
the CSRF check, which guards cookie-authenticated forms, does not apply: web/auth.py). A
wrong, expired or revoked token is 401 with `WWW-Authenticate`; a missing scope is 403. Each
request with a token is counted in the database (the rate limit, 429 with Retry-After)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from models.clock import utcnow
from models.enums import ApiScope, OrganisationKind
from models.errors import ForbiddenError, ThrottledError
from models.queries.api_tokens import token_by_secret
from models.settings import Settings
from web.api.problems import TokenNeeded, TokenRejected
from web.deps import SessionDep
from web.services.api_tokens import count_request, is_live

SCOPE_VALUES = frozenset(scope.value for scope in ApiScope)
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearerToken",
    description="An API token issued on the platform's API tokens page: `Bearer dbj_...`.",
)


@dataclass(frozen=True)
class ApiCaller:
    """A machine acting for one organisation, with its token's scopes. It acts as its
    organisation's staff role for the ownership checks (web/permissions.py), so a record of
    another organisation is answered as missing, as on the pages."""

    token_id: int
    org_kind: OrganisationKind
    scopes: frozenset[ApiScope]
    institution_id: int | None = None
    employer_id: int | None = None
    commune_code: str | None = None

    @property
    def role(self) -> str:
        return self.org_kind.value  # the staff role of the same name (models.enums.Role)

    @property
    def user_id(self) -> int | None:
        return None

    @property
    def api_token_id(self) -> int | None:
        return self.token_id

    def has(self, scope: ApiScope) -> bool:
        return scope in self.scopes


def _rejected() -> TokenRejected:
    return TokenRejected(None, "This API token is not valid: it is unknown, expired or revoked.")


def optional_caller(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> ApiCaller | None:
    """The caller behind the bearer token, or None when no Authorization header was sent."""
    if credentials is None:
        if request.headers.get("authorization") is not None:
            raise _rejected()  # another scheme, or a malformed header
        return None
    token = token_by_secret(session, credentials.credentials)
    if token is None or token.id is None or not is_live(token, utcnow()):
        raise _rejected()
    caller = ApiCaller(
        token_id=token.id,
        org_kind=OrganisationKind(token.org_kind),
        scopes=frozenset(ApiScope(each) for each in token.scopes if each in SCOPE_VALUES),
        institution_id=token.institution_id,
        employer_id=token.employer_id,
        commune_code=token.commune_code,
    )
    settings: Settings = request.app.state.settings
    wait = count_request(session, token_id=caller.token_id, limit=settings.api_requests_per_minute)
    if wait is not None:
        raise ThrottledError(
            None,
            "Too many requests with this token: try again in {seconds} seconds.",
            seconds=wait,
        )
    return caller


async def current_caller(
    caller: Annotated[ApiCaller | None, Depends(optional_caller)],
) -> ApiCaller:
    if caller is None:
        raise TokenNeeded(None, "This request needs an API token (Authorization: Bearer).")
    return caller


@dataclass(frozen=True)
class RequireScope:
    """A route's scope check, as a dependency: the caller, whose token holds every one of
    `scopes` (403 otherwise)."""

    scopes: frozenset[ApiScope]

    async def __call__(self, caller: Annotated[ApiCaller, Depends(current_caller)]) -> ApiCaller:
        missing = sorted(self.scopes - caller.scopes)
        if missing:
            raise ForbiddenError(
                None, "This API token lacks the scope {scope}.", scope=", ".join(missing)
            )
        return caller


def require_scope(*scopes: ApiScope) -> RequireScope:
    """`caller: Annotated[ApiCaller, Depends(require_scope(ApiScope.X))]`."""
    return RequireScope(frozenset(scopes))


@dataclass(frozen=True)
class RequireAnyScope:
    """A route's scope check when any one of `scopes` will do (a read allowed to the
    resource's readers and writers alike): 403 naming them otherwise."""

    scopes: frozenset[ApiScope]

    async def __call__(self, caller: Annotated[ApiCaller, Depends(current_caller)]) -> ApiCaller:
        if not self.scopes & caller.scopes:
            raise ForbiddenError(
                None,
                "This API token lacks the scope {scope}.",
                scope=" | ".join(sorted(self.scopes)),
            )
        return caller


def require_any_scope(*scopes: ApiScope) -> RequireAnyScope:
    """`caller: Annotated[ApiCaller, Depends(require_any_scope(ApiScope.X, ApiScope.Y))]`."""
    return RequireAnyScope(frozenset(scopes))


OptionalCaller = Annotated[ApiCaller | None, Depends(optional_caller)]
