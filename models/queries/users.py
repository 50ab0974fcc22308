"""Reading accounts for the administrator's user pages. Nothing commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.queries.employers import employer_search
from models.queries.people import commune_names
from models.tables import Employer, Institution, UserAccount

EMPLOYER_CHOICES = 50  # employers a drop-down lists; a search finds any other


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


def employer_choices(
    session: Session, *, text: str = "", chosen_id: int | None = None, limit: int = EMPLOYER_CHOICES
) -> tuple[list[EmployerChoice], bool]:
    """At most `limit` active employers by name, those the text finds by words of the name
    or tax code (employers.employer_search), their id and name only (whole rows would open
    every employer's sealed contact details); and whether more were left out. The chosen
    employer, when it exists, is always among them, in its place by name, even disabled."""
    order = (col(Employer.name_key), col(Employer.id))
    query = select(col(Employer.id), col(Employer.name), *order)
    rows = session.exec(
        query.where(col(Employer.is_active), *employer_search(text))
        .order_by(*order)
        .limit(limit + 1)
    ).all()
    shown = list(rows[:limit])
    if chosen_id is not None and all(row[0] != chosen_id for row in shown):
        chosen = session.exec(query.where(col(Employer.id) == chosen_id)).first()
        if chosen is not None:
            shown = sorted([*shown, chosen], key=lambda row: (row[2], row[0] or 0))
    choices = [EmployerChoice(employer_id, name) for employer_id, name, _, _ in shown]
    return choices, len(rows) > limit
