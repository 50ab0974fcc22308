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


def employer_choices(session: Session) -> list[Employer]:
    rows = session.exec(select(Employer).where(col(Employer.is_active))).all()
    return sorted(rows, key=lambda employer: employer.name_key)
