"""Reading accounts for the administrator's user pages. Nothing commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.queries.people import commune_names
from models.tables import Employer, Institution, UserAccount


@dataclass(frozen=True)
class UserRow:
    """An account with the name of the organisation (or the commune) it is bound to."""

    user: UserAccount
    organisation: str


@dataclass(frozen=True)
class EmployerChoice:
    """An employer an account can be bound to."""

    id: int | None  # the column's type; never None once read
    name: str


def list_users(session: Session) -> list[UserRow]:
    """Every account, by role then username."""
    rows = session.exec(
        select(UserAccount, Institution.name, Employer.name)
        .outerjoin(Institution, col(Institution.id) == col(UserAccount.institution_id))
        .outerjoin(Employer, col(Employer.id) == col(UserAccount.employer_id))
        .order_by(col(UserAccount.role), col(UserAccount.username))
    ).all()
    communes = commune_names(
        session, {user.commune_code for user, _, _ in rows if user.commune_code}
    )
    return [
        UserRow(user, institution or employer or communes.get(user.commune_code or "", "") or "")
        for user, institution, employer in rows
    ]


def employer_choices(session: Session) -> list[EmployerChoice]:
    """Active employers by name: their id and name only (whole rows would open every
    employer's sealed contact details)."""
    rows = session.exec(
        select(col(Employer.id), col(Employer.name))
        .where(col(Employer.is_active))
        .order_by(col(Employer.name_key), col(Employer.id))
    ).all()
    return [EmployerChoice(employer_id, name) for employer_id, name in rows]
