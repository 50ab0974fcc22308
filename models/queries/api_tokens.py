"""Reading API tokens and the scopes each organisation's staff may grant. Reads only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from models.enums import ApiScope, OrganisationKind, Role
from models.tables import ApiScopeAllowance, ApiToken, UserAccount

TOKEN_PREFIX = "dbj_"


def token_digest(secret: str) -> str:
    """What is stored of a token: the SHA-256 of its secret (a long random value, so a plain
    hash is enough: nothing to guess from it)."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Organisation:
    """An organisation a token can belong to: its kind and its id (or commune code). Its
    `key` ("employer:3", "commune:03127", "job_centre") is how a form names it."""

    kind: OrganisationKind
    institution_id: int | None = None
    employer_id: int | None = None
    commune_code: str | None = None

    @property
    def key(self) -> str:
        ident = self.institution_id or self.employer_id or self.commune_code
        return self.kind.value if ident is None else f"{self.kind.value}:{ident}"

    @classmethod
    def of(cls, row: ApiToken | ApiScopeAllowance) -> Organisation:
        return cls(
            kind=OrganisationKind(row.org_kind),
            institution_id=row.institution_id,
            employer_id=row.employer_id,
            commune_code=row.commune_code,
        )

    @classmethod
    def from_key(cls, key: str) -> Organisation | None:
        """The organisation a form's `key` names, or None when it names none (the caller
        still checks that it exists)."""
        kind_text, _, ident = key.strip().partition(":")
        try:
            kind = OrganisationKind(kind_text)
        except ValueError:
            return None
        if kind == OrganisationKind.JOB_CENTRE:
            return cls(kind) if not ident else None
        if kind == OrganisationKind.COMMUNE:
            return cls(kind, commune_code=ident) if ident.isdigit() and len(ident) == 5 else None
        if not ident.isdigit() or len(ident) > 9:
            return None
        if kind == OrganisationKind.INSTITUTION:
            return cls(kind, institution_id=int(ident))
        return cls(kind, employer_id=int(ident))

    def columns(self) -> dict[str, object]:
        return {
            "org_kind": self.kind.value,
            "institution_id": self.institution_id,
            "employer_id": self.employer_id,
            "commune_code": self.commune_code,
        }


def token_by_secret(session: Session, secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return session.exec(select(ApiToken).where(ApiToken.token_hash == token_digest(secret))).first()


def tokens_of(session: Session, organisation: Organisation | None) -> list[ApiToken]:
    """The tokens of one organisation (all of them for None), newest first."""
    query = select(ApiToken)
    if organisation is not None:
        query = query.where(same_organisation(organisation))
    return list(
        session.exec(query.order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc()))
    )


def live_staff_tokens(session: Session, organisation: Organisation) -> list[ApiToken]:
    """The organisation's tokens not revoked that its own staff issued (not an administrator)."""
    by_admin = select(UserAccount.id).where(col(UserAccount.role) == Role.ADMIN.value)
    query = select(ApiToken).where(
        same_organisation(organisation),
        col(ApiToken.revoked_at).is_(None),
        or_(col(ApiToken.created_by).is_(None), col(ApiToken.created_by).not_in(by_admin)),
    )
    return list(session.exec(query.order_by(col(ApiToken.id))))


def same_organisation(organisation: Organisation) -> ColumnElement[bool]:
    """SQL: the token belongs to this organisation."""
    if organisation.institution_id is not None:
        return col(ApiToken.institution_id) == organisation.institution_id
    if organisation.employer_id is not None:
        return col(ApiToken.employer_id) == organisation.employer_id
    if organisation.commune_code is not None:
        return col(ApiToken.commune_code) == organisation.commune_code
    return col(ApiToken.org_kind) == organisation.kind.value


def allowance_row(session: Session, organisation: Organisation) -> ApiScopeAllowance | None:
    if organisation.institution_id is not None:
        condition = ApiScopeAllowance.institution_id == organisation.institution_id
    elif organisation.employer_id is not None:
        condition = ApiScopeAllowance.employer_id == organisation.employer_id
    else:
        return None
    return session.exec(select(ApiScopeAllowance).where(condition)).first()


def allowed_scopes(session: Session, organisation: Organisation) -> frozenset[ApiScope]:
    """The scopes this organisation's own staff may put on a token (none unless an
    administrator allowed some)."""
    row = allowance_row(session, organisation)
    known = {scope.value for scope in ApiScope}
    return frozenset(ApiScope(each) for each in (row.scopes if row else []) if each in known)


def all_allowances(session: Session) -> list[ApiScopeAllowance]:
    return list(session.exec(select(ApiScopeAllowance).order_by(col(ApiScopeAllowance.id))))
