"""Who reaches a job fair: the centre's staff and officials every session; employers every
session (their own registrations and candidates only); a commune officer the sessions that
serve their commune. Anyone else is answered as if the session did not exist."""

from __future__ import annotations

from sqlmodel import Session

from models.enums import Role
from models.errors import NotFoundError
from models.queries.fairs import fair_communes
from models.tables import JobFair
from web.auth import Principal
from web.permissions import Permission, allowed

NO_SUCH_FAIR = "This job fair does not exist."


def is_staff(principal: Principal) -> bool:
    return allowed(principal, Permission.RUN_JOB_FAIRS)


def fair_for(session: Session, principal: Principal, fair_id: int) -> JobFair:
    """The session, if this user may see it."""
    fair = session.get(JobFair, fair_id)
    if fair is None:
        raise NotFoundError(None, NO_SUCH_FAIR)
    if is_staff(principal) or principal.role == Role.EMPLOYER:
        return fair
    if principal.role == Role.COMMUNE and principal.commune_code in fair_communes(session, fair_id):
        return fair
    raise NotFoundError(None, NO_SUCH_FAIR)


def staff_fair(session: Session, principal: Principal, fair_id: int) -> JobFair:
    """The session, if this user runs job fairs."""
    if not is_staff(principal):
        raise NotFoundError(None, NO_SUCH_FAIR)
    return fair_for(session, principal, fair_id)
