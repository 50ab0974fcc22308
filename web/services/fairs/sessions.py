"""Making, changing and cancelling a session; the list of sessions a user sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, delete, select

from models import audit
from models.clock import today, utcnow
from models.db import unit_of_work
from models.enums import Role
from models.errors import ConflictError, InvalidError
from models.queries.fairs import fair_communes, list_fairs
from models.queries.reference import commune_options
from models.tables import JobFair, JobFairCommune
from models.validation import ErrorCollector, parse_date
from web.auth import Principal
from web.permissions import Permission, require
from web.services.fairs.access import staff_fair

TITLE_MAX = 200
PLACE_MAX = 300


@dataclass
class FairForm:
    """A session as typed on its form."""

    title: str = ""
    held_on: str = ""
    online: bool = False
    place: str = ""
    communes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedFair:
    title: str
    held_on: date
    online: bool
    place: str
    communes: list[str]


def _title(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise InvalidError("title", "Give the name of the session.")
    if len(text) > TITLE_MAX:
        raise InvalidError("title", "At most {limit} characters.", limit=TITLE_MAX)
    return text


def _held_on(value: str) -> date:
    if not value.strip():
        raise InvalidError("held_on", "Give the date of the session.")
    return parse_date(value, "held_on")


def _place(value: str, online: bool) -> str:
    text = " ".join(value.split())
    if not text:
        msgid = "Give the link of the online session." if online else "Give the place."
        raise InvalidError("place", msgid)
    if len(text) > PLACE_MAX:
        raise InvalidError("place", "At most {limit} characters.", limit=PLACE_MAX)
    if online and not text.startswith("https://"):
        raise InvalidError("place", "The link of an online session starts with https://.")
    return text


def _communes(session: Session, codes: list[str]) -> list[str]:
    known = {option.value for option in commune_options(session, on=today())}
    chosen = sorted({code for code in codes if code})
    if not chosen:
        raise InvalidError("communes", "Choose the communes the session serves.")
    if any(code not in known for code in chosen):
        raise InvalidError("communes", "Choose communes from the list.")
    return chosen


def check_fair(session: Session, form: FairForm) -> CheckedFair:
    """Every field checked at once (ValidationErrors names each bad one)."""
    errors = ErrorCollector()
    title = errors.check(_title, form.title)
    held_on = errors.check(_held_on, form.held_on)
    place = errors.check(_place, form.place, form.online)
    communes = errors.check(_communes, session, form.communes)
    errors.raise_if_any()
    assert title and held_on and place and communes
    return CheckedFair(title, held_on, form.online, place, communes)


def _set_communes(session: Session, fair_id: int, communes: list[str]) -> None:
    session.exec(delete(JobFairCommune).where(col(JobFairCommune.fair_id) == fair_id))
    for code in communes:
        session.add(JobFairCommune(fair_id=fair_id, commune_code=code))


def _audit(session: Session, principal: Principal, action: str, fair: JobFair) -> None:
    audit.record(
        session, user_id=principal.user.id, action=action, entity="job_fair", entity_id=fair.id
    )


def create_fair(session: Session, *, principal: Principal, form: FairForm) -> JobFair:
    """A new session; the same one sent twice (a double click) is the one made first."""
    require(principal, Permission.RUN_JOB_FAIRS)
    checked = check_fair(session, form)
    with unit_of_work(session):
        same = session.exec(
            select(JobFair).where(
                col(JobFair.title) == checked.title,
                col(JobFair.held_on) == checked.held_on,
                col(JobFair.place) == checked.place,
                col(JobFair.cancelled_at).is_(None),
            )
        ).first()
        if same is not None:
            return same
        fair = JobFair(
            title=checked.title,
            held_on=checked.held_on,
            online=checked.online,
            place=checked.place,
            created_by_id=principal.user.id or 0,
        )
        session.add(fair)
        session.flush()
        assert fair.id is not None
        _set_communes(session, fair.id, checked.communes)
        _audit(session, principal, "create", fair)
        return fair


def update_fair(session: Session, *, principal: Principal, fair_id: int, form: FairForm) -> JobFair:
    with unit_of_work(session):
        fair = staff_fair(session, principal, fair_id)
        if fair.cancelled_at is not None:
            raise ConflictError(None, "This session was cancelled: it cannot be changed.")
        checked = check_fair(session, form)
        fair.title, fair.held_on, fair.online, fair.place = (
            checked.title,
            checked.held_on,
            checked.online,
            checked.place,
        )
        fair.updated_at = utcnow()
        _set_communes(session, fair_id, checked.communes)
        _audit(session, principal, "update", fair)
        return fair


def cancel_fair(session: Session, *, principal: Principal, fair_id: int) -> JobFair:
    """Cancel the session (a second click finds it cancelled and changes nothing)."""
    with unit_of_work(session):
        fair = staff_fair(session, principal, fair_id)
        if fair.cancelled_at is None:
            fair.cancelled_at = utcnow()
            _audit(session, principal, "cancel", fair)
        return fair


def form_of(session: Session, fair: JobFair) -> FairForm:
    assert fair.id is not None
    return FairForm(
        title=fair.title,
        held_on=fair.held_on.strftime("%d/%m/%Y"),
        online=fair.online,
        place=fair.place,
        communes=fair_communes(session, fair.id),
    )


def fairs_for(session: Session, *, principal: Principal) -> list[JobFair]:
    """The sessions this user sees: a commune officer those serving their commune."""
    if principal.role == Role.COMMUNE:
        return list_fairs(session, commune_code=principal.commune_code or "")
    return list_fairs(session)
