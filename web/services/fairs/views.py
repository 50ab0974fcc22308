"""What the session's pages show: its detail (what each role may see of it), the day's list
for staff, and the report against previous sessions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from models.clock import today
from models.enums import Role
from models.queries.candidates import commune_names
from models.queries.fairs import (
    FairFigures,
    FairVacancyRow,
    GuestRow,
    fair_communes,
    fair_figures,
    fair_vacancies,
    guests,
    open_vacancies_of,
    previous_fairs,
)
from models.tables import JobFair, Vacancy
from web.auth import Principal
from web.services.fairs.access import fair_for, is_staff, staff_fair
from web.services.personal_data import audit_view


@dataclass(frozen=True)
class FairPage:
    fair: JobFair
    communes: list[str]  # names
    vacancies: list[FairVacancyRow]  # an employer's own only
    can_register: list[Vacancy]  # the employer's open vacancies not yet brought
    candidates: list[GuestRow]  # an employer's: the guests met by or matched to their vacancies
    staff: bool
    lists: bool  # may open the invitation lists (staff; the served commune's officer)


def fair_page(session: Session, *, principal: Principal, fair_id: int) -> FairPage:
    fair = fair_for(session, principal, fair_id)
    codes = fair_communes(session, fair_id)
    names = commune_names(session, codes)
    staff = is_staff(principal)
    employer_id = principal.employer_id if principal.role == Role.EMPLOYER else None
    rows = fair_vacancies(session, fair_id, employer_id=employer_id) if staff or employer_id else []
    can_register: list[Vacancy] = []
    candidates: list[GuestRow] = []
    if employer_id is not None:
        brought = {row.vacancy.id for row in rows}
        can_register = [
            v for v in open_vacancies_of(session, employer_id, on=today()) if v.id not in brought
        ]
        own = [v.vacancy.id or 0 for v in rows]
        # Only people who agreed to be shown to employers, and only their steps with the
        # employer's own vacancies.
        candidates = [
            GuestRow(row.guest, row.person, [], {k: s for k, s in row.steps.items() if k in own})
            for row in guests(session, fair_id, vacancy_ids=own)
            if row.person.consent_to_employers
        ]
        shown = [row.person.id for row in candidates]
        if shown:
            audit_view(
                session, principal, "job_fair_candidates", entity_id=fair_id, person_ids=shown
            )
    lists = staff or principal.role == Role.COMMUNE
    communes = [names.get(c, c) for c in codes]
    return FairPage(fair, communes, rows, can_register, candidates, staff, lists)


@dataclass(frozen=True)
class DayPage:
    fair: JobFair
    vacancies: list[FairVacancyRow]
    guests: list[GuestRow]


def day_page(session: Session, *, principal: Principal, fair_id: int) -> DayPage:
    """The invited and walked-in people with their matched vacancies and steps (no phones)."""
    fair = staff_fair(session, principal, fair_id)
    people = guests(session, fair_id)
    audit_view(
        session,
        principal,
        "job_fair_day",
        entity_id=fair_id,
        person_ids=[row.person.id for row in people],
    )
    return DayPage(fair, fair_vacancies(session, fair_id), people)


@dataclass(frozen=True)
class ReportPage:
    figures: FairFigures
    previous: list[FairFigures]


def report_page(session: Session, *, principal: Principal, fair_id: int) -> ReportPage:
    fair = staff_fair(session, principal, fair_id)
    return ReportPage(
        fair_figures(session, fair),
        [fair_figures(session, each) for each in previous_fairs(session, fair)],
    )
