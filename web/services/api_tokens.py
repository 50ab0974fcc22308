"""Use cases of machine API tokens: issue one (its secret shown once, only its hash kept),
revoke one, set the scopes an organisation's staff may grant, and count a token's requests
(the rate limit, and when it was last used, at most one write a minute).

Who may do what: an administrator issues tokens for any organisation with any scopes and
sets the allowances; staff of an institution or an employer issue tokens for their own
organisation within the scopes an administrator allowed it, and see and revoke only their
own organisation's tokens (another one's is answered as missing)."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from models import audit
from models.clock import today, utcnow
from models.db import unit_of_work
from models.enums import ApiScope, OrganisationKind, Role
from models.errors import ForbiddenError, InvalidError, NotFoundError
from models.queries import reference
from models.queries.api_tokens import (
    TOKEN_PREFIX,
    Organisation,
    allowance_row,
    allowed_scopes,
    live_staff_tokens,
    token_digest,
)
from models.rows import get_or_404
from models.tables import (
    ApiRateWindow,
    ApiScopeAllowance,
    ApiToken,
    Employer,
    Institution,
)
from models.validation import ErrorCollector, clean_text
from web.auth import Principal

NAME_MAX = 80
LONGEST_LIFE_DAYS = 730
DEFAULT_LIFE_DAYS = 365
NO_SUCH_TOKEN = "There is no such token."
STAFF_ORGANISATIONS = {
    Role.INSTITUTION: OrganisationKind.INSTITUTION,
    Role.EMPLOYER: OrganisationKind.EMPLOYER,
}


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued: `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


def own_organisation(principal: Principal) -> Organisation | None:
    """The organisation staff act for; None for an administrator (any organisation)."""
    if principal.role == Role.INSTITUTION:
        return Organisation(OrganisationKind.INSTITUTION, institution_id=principal.institution_id)
    if principal.role == Role.EMPLOYER:
        return Organisation(OrganisationKind.EMPLOYER, employer_id=principal.employer_id)
    if principal.role == Role.ADMIN:
        return None
    raise ForbiddenError(None, "You are not allowed to do this.")


def _named_organisation(session: Session, key: str) -> Organisation:
    return _existing(session, Organisation.from_key(key))


def _existing(session: Session, organisation: Organisation | None) -> Organisation:
    """The organisation if it exists (a commune must be one of the register's)."""
    missing = InvalidError("organisation", "Choose an organisation from the list.")
    if organisation is None:
        raise missing
    if organisation.institution_id is not None and not session.get(
        Institution, organisation.institution_id
    ):
        raise missing
    if organisation.employer_id is not None and not session.get(Employer, organisation.employer_id):
        raise missing
    if organisation.commune_code is not None:
        communes = {option.value for option in reference.commune_options(session, on=today())}
        if organisation.commune_code not in communes:
            raise missing
    return organisation


def _scopes(raw: list[str], grantable: frozenset[ApiScope] | None) -> list[str]:
    known = {scope.value: scope for scope in ApiScope}
    chosen = sorted({known[each] for each in raw if each in known})
    if len(chosen) != len(set(raw)) or not chosen:
        raise InvalidError("scopes", "Choose at least one scope from the list.")
    if grantable is not None and not set(chosen) <= grantable:
        raise InvalidError("scopes", "Your organisation may not grant this scope.")
    return [scope.value for scope in chosen]


def _life_days(raw: str) -> int:
    text = clean_text(raw) or str(DEFAULT_LIFE_DAYS)
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= LONGEST_LIFE_DAYS:
        raise InvalidError(
            "days", "The token must expire within 1 to {max} days.", max=LONGEST_LIFE_DAYS
        )
    return int(text)


def _name(raw: str) -> str:
    name = clean_text(raw)
    if not name:
        raise InvalidError("name", "This field is required.")
    if len(name) > NAME_MAX:
        raise InvalidError("name", "A name may have at most {max} characters.", max=NAME_MAX)
    return name


def issue_token(
    session: Session,
    *,
    principal: Principal,
    organisation_key: str,
    name: str,
    scopes: list[str],
    days: str,
) -> IssuedToken:
    """A new token for the organisation (staff: always their own), every field checked."""
    with unit_of_work(session):
        own = own_organisation(principal)
        errors = ErrorCollector()
        organisation = own or errors.check(_named_organisation, session, organisation_key)
        token_name = errors.check(_name, name)
        life = errors.check(_life_days, days)
        grantable = allowed_scopes(session, own) if own is not None else None
        chosen = errors.check(_scopes, scopes, grantable)
        errors.raise_if_any()
        assert organisation is not None and token_name is not None
        assert life is not None and chosen is not None
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = utcnow()
        token = ApiToken(
            name=token_name,
            token_hash=token_digest(secret),
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            scopes=chosen,
            created_by=principal.user_id,
            created_at=now,
            expires_at=now + timedelta(days=life),
            **organisation.columns(),  # type: ignore[arg-type]
        )
        session.add(token)
        session.flush()
        audit.record(
            session,
            user_id=principal.user_id,
            action="create",
            entity="api_token",
            entity_id=token.id,
            scopes=token.scopes,
        )
        return IssuedToken(token=token, secret=secret)


def visible_token(session: Session, principal: Principal, token_id: int) -> ApiToken:
    """The token if this user may see it: staff only their organisation's."""
    token = get_or_404(session, ApiToken, token_id, NO_SUCH_TOKEN)
    own = own_organisation(principal)
    if own is not None and Organisation.of(token) != own:
        raise NotFoundError(None, NO_SUCH_TOKEN)
    return token


def revoke_token(session: Session, *, principal: Principal, token_id: int) -> ApiToken:
    """Stop a token at once. Revoking a revoked token again changes nothing."""
    with unit_of_work(session):
        token = visible_token(session, principal, token_id)
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            session.add(token)
            audit.record(
                session,
                user_id=principal.user_id,
                action="revoke",
                entity="api_token",
                entity_id=token.id,
            )
        return token


def set_allowance(
    session: Session, *, principal: Principal, organisation_key: str, scopes: list[str]
) -> ApiScopeAllowance:
    """The scopes an institution's or employer's staff may grant (administrators only; an
    empty choice allows none)."""
    with unit_of_work(session):
        if principal.role != Role.ADMIN:
            raise ForbiddenError(None, "You are not allowed to do this.")
        organisation = _existing(session, Organisation.from_key(organisation_key))
        if organisation.kind not in STAFF_ORGANISATIONS.values():
            raise InvalidError(
                "organisation", "Only institutions and employers issue their own tokens."
            )
        chosen = _scopes(scopes, None) if scopes else []
        row = allowance_row(session, organisation) or ApiScopeAllowance(**organisation.columns())  # type: ignore[arg-type]
        row.scopes = chosen
        row.updated_by = principal.user_id
        row.updated_at = utcnow()
        session.add(row)
        session.flush()
        audit.record(
            session,
            user_id=principal.user_id,
            action="update",
            entity="api_scope_allowance",
            entity_id=row.id,
            scopes=chosen,
        )
        _narrow_staff_tokens(session, principal, organisation, set(chosen))
        return row


def _narrow_staff_tokens(
    session: Session, principal: Principal, organisation: Organisation, allowed: set[str]
) -> None:
    """Tokens the organisation's own staff issued lose, at once, the scopes the allowance no
    longer grants (an administrator's own tokens keep theirs): taking a scope away takes it
    from the machines that hold it, not only from the next token."""
    for token in live_staff_tokens(session, organisation):
        kept = [scope for scope in token.scopes if scope in allowed]
        if kept == token.scopes:
            continue
        token.scopes = kept
        session.add(token)
        audit.record(
            session,
            user_id=principal.user_id,
            action="update",
            entity="api_token",
            entity_id=token.id,
            scopes=kept,
            reason="allowance_narrowed",
        )


def count_request(session: Session, *, token_id: int, limit: int) -> int | None:
    """Count one request of the token in this minute's window (one upsert, so processes
    share it). The first request of a minute also notes when the token was last used and
    drops its older windows: at most one such write a minute. Returns the seconds to wait
    when the token is past its limit, else None."""
    now = utcnow()
    minute = math.floor(now.timestamp() / 60)
    with unit_of_work(session):
        count = _add_to_window(session, token_id, minute)
        if count == 1:
            session.execute(
                update(ApiToken).where(col(ApiToken.id) == token_id).values(last_used_at=now)
            )
            session.execute(
                delete(ApiRateWindow).where(
                    col(ApiRateWindow.token_id) == token_id, col(ApiRateWindow.minute) < minute
                )
            )
    if count <= limit:
        return None
    return max(1, math.ceil((minute + 1) * 60 - now.timestamp()))


def _add_to_window(session: Session, token_id: int, minute: int) -> int:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = ApiRateWindow.__table__  # type: ignore[attr-defined]
    statement = (
        insert(table)
        .values(token_id=token_id, minute=minute, count=1)
        .on_conflict_do_update(
            index_elements=["token_id", "minute"], set_={"count": table.c.count + 1}
        )
        .returning(table.c.count)
    )
    return int(session.execute(statement).scalar_one())


def is_live(token: ApiToken, now: datetime) -> bool:
    return token.revoked_at is None and token.expires_at > now
