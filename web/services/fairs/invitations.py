"""Before the day: the engine matches the session's vacancies against the people of the
communes it serves (models.fair_matching), and the invitation lists are read by commune, as
a printable page and as a CSV file. Phones are shown to the centre's staff and to the
commune's own officer, who invite the people; every list shown is audited."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from models import audit
from models.clock import today, utcnow
from models.db import unit_of_work
from models.enums import Role
from models.errors import ConflictError, NotFoundError
from models.fair_matching import match_fair
from models.formula_guard import CsvWriter
from models.queries.candidates import commune_names
from models.queries.fairs import (
    GRADUATE,
    JOB_SEEKER,
    GuestRow,
    fair_communes,
    fair_vacancies,
    guest_kinds,
    guests,
)
from models.tables import JobFair, JobFairGuest, JobFairMatch
from models.validation.phone import display_phone
from web.auth import Principal
from web.services.fairs.access import NO_SUCH_FAIR, fair_for, is_staff, staff_fair
from web.services.personal_data import audit_view


@dataclass(frozen=True)
class InvitationSummary:
    people: int
    matches: int


def make_invitations(session: Session, *, principal: Principal, fair_id: int) -> InvitationSummary:
    """Match the session's vacancies and (re)write its invitations; people already invited
    stay invited, walk-ins and attendance are kept. Made on the day at the latest."""
    with unit_of_work(session):
        fair = staff_fair(session, principal, fair_id)
        if fair.cancelled_at is not None:
            raise ConflictError(None, "This session was cancelled.")
        if fair.held_on < today():
            raise ConflictError(None, "This session has already taken place.")
        vacancies = [row.vacancy for row in fair_vacancies(session, fair_id)]
        communes = fair_communes(session, fair_id)
        # People are matched as the engine sees them on the day of the session.
        on = max(fair.held_on, today())
        matches = match_fair(session, vacancies, communes, on=on)
        session.exec(delete(JobFairMatch).where(col(JobFairMatch.fair_id) == fair_id))
        present = {
            guest.person_id: guest
            for guest in session.exec(
                select(JobFairGuest).where(col(JobFairGuest.fair_id) == fair_id)
            ).all()
        }
        for match in matches:
            session.add(
                JobFairMatch(
                    fair_id=fair_id,
                    person_id=match.person_id,
                    vacancy_id=match.vacancy_id,
                    score=match.score,
                    rank=match.rank,
                )
            )
            if match.person_id not in present:
                present[match.person_id] = JobFairGuest(
                    fair_id=fair_id, person_id=match.person_id, commune_code=match.commune_code
                )
                session.add(present[match.person_id])
        matched = {match.person_id for match in matches}
        for person_id, guest in present.items():
            if guest.invited and guest.attended_at is None and person_id not in matched:
                session.delete(guest)  # no longer matched: not invited any more
        fair.invitations_at = utcnow()
        summary = InvitationSummary(len(matched), len(matches))
        audit.record(
            session,
            user_id=principal.user.id,
            action="invite",
            entity="job_fair",
            entity_id=fair_id,
            people=summary.people,
            matches=summary.matches,
        )
        return summary


@dataclass(frozen=True)
class CommuneList:
    code: str
    name: str
    rows: list[GuestRow]


@dataclass(frozen=True)
class Invitations:
    fair: JobFair
    communes: list[CommuneList]
    vacancy_titles: dict[int, str]  # "title — employer"
    show_phones: bool
    kinds: dict[int, str]  # by person id: GRADUATE or JOB_SEEKER (models.queries.fairs)


def _commune_scope(session: Session, principal: Principal, fair: JobFair) -> list[str]:
    assert fair.id is not None
    served = fair_communes(session, fair.id)
    if is_staff(principal):
        return served
    if principal.role == Role.COMMUNE and principal.commune_code in served:
        return [principal.commune_code or ""]
    raise NotFoundError(None, NO_SUCH_FAIR)


def invitations(
    session: Session, *, principal: Principal, fair_id: int, commune: str = ""
) -> Invitations:
    """The invited people by commune (one commune when `commune` names one the user may see),
    with the vacancies they were matched to."""
    fair = fair_for(session, principal, fair_id)
    codes = _commune_scope(session, principal, fair)
    if commune:
        codes = [code for code in codes if code == commune]
    names = commune_names(session, codes)
    titles = {
        row.vacancy.id or 0: f"{row.vacancy.title} — {row.employer_name}"
        for row in fair_vacancies(session, fair_id)
    }
    lists = [
        CommuneList(code, names.get(code, code), guests(session, fair_id, commune_code=code))
        for code in codes
    ]
    shown = [row.person.id for each in lists for row in each.rows]
    audit_view(session, principal, "job_fair_invitations", entity_id=fair_id, person_ids=shown)
    kinds = guest_kinds(session, [each for each in shown if each is not None])
    shown_lists = [each for each in lists if each.rows or commune]
    return Invitations(fair, shown_lists, titles, True, kinds)


HEADERS = ("Commune", "Full name", "Year of birth", "Invited as", "Phone", "Vacancies")
KIND_LABELS = {GRADUATE: "Graduate", JOB_SEEKER: "Job seeker"}  # msgids


def invitations_csv(invited: Invitations, headers: list[str], kinds: dict[str, str]) -> str:
    """The lists as CSV (a byte-order mark so that spreadsheets read UTF-8), every text
    cell neutralised against formulas; `kinds` labels GRADUATE and JOB_SEEKER."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = CsvWriter(buffer)
    writer.writerow(headers)
    for each in invited.communes:
        for row in each.rows:
            writer.writerow(
                [
                    each.name,
                    row.person.full_name,
                    row.person.birth_date.year,
                    kinds.get(invited.kinds.get(row.person.id or 0, ""), ""),
                    display_phone(row.person.phone) if row.person.phone else "",
                    "; ".join(invited.vacancy_titles.get(m.vacancy_id, "") for m in row.matches),
                ]
            )
    return buffer.getvalue()
