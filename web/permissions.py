"""What each role may see and do, decided here and nowhere else.

Two questions are asked of every request: may this role do this kind of thing at all (each
route declares it in its signature with `allow`; refused: 403), and does the record belong to
the user's own institution or employer, or the person to its trainees or candidates (the
services ask `require_institution`, `require_employer`, `require_person`). A record outside that
relation is answered exactly like one that does not exist (404, same message), so ids cannot
be probed. Personal data shown to employers is masked and limited to graduates who consented
(`person_view`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from fastapi import Depends

from models.enums import Role
from models.errors import ForbiddenError, NotFoundError
from models.tables import Person
from models.validation import mask_citizen_id, mask_phone
from web.auth import Actor, Principal, current_principal


class Permission(StrEnum):
    VIEW_COURSES = "view_courses"
    MANAGE_COURSES = "manage_courses"
    VIEW_TRAINEES = "view_trainees"
    MANAGE_TRAINEES = "manage_trainees"
    IMPORT_TRAINEES = "import_trainees"
    MANAGE_VACANCIES = "manage_vacancies"
    VIEW_VACANCIES = "view_vacancies"
    VIEW_CANDIDATES = "view_candidates"
    REFER_CANDIDATES = "refer_candidates"
    HIRE = "hire"
    REQUEST_ORDERS = "request_orders"
    DECIDE_ORDERS = "decide_orders"
    VIEW_ORDERS = "view_orders"
    MANAGE_USERS = "manage_users"
    VIEW_DASHBOARD = "view_dashboard"
    RECORD_FOLLOW_UPS = "record_follow_ups"
    EDIT_TARGETS = "edit_targets"
    IMPORT_LABOUR_FORCE = "import_labour_force"
    VIEW_AUDIT = "view_audit"
    VIEW_SUPPLY_DEMAND = "view_supply_demand"
    VIEW_JOBS = "view_jobs"  # the background jobs and their errors (administrators)
    REPORT_NEW_JOBS = "report_new_jobs"  # the new-jobs register, within the user's scope
    VIEW_REPORTING_STATUS = "view_reporting_status"  # who has reported, who is late
    EDIT_SCHEDULES = "edit_schedules"  # when each source must report (administrators)
    EDIT_PEOPLE = "edit_people"  # correct a person's record (their institution, officials)
    MANAGE_ORGANISATIONS = "manage_organisations"  # training institutions and employers
    HANDLE_DATA_REQUESTS = "handle_data_requests"  # people's requests about their own data
    VIEW_OUTBOX = "view_outbox"  # the messages sent to people (administrators)
    MANAGE_API_TOKENS = "manage_api_tokens"  # machines' API tokens of the user's organisation
    GRANT_API_SCOPES = "grant_api_scopes"  # which scopes each organisation may grant (admins)
    RECORD_ABROAD = "record_abroad"  # care of departures abroad (a commune: its own people)
    RUN_JOB_FAIRS = "run_job_fairs"  # make job fairs, invite, record the day, their report
    VIEW_JOB_FAIRS = "view_job_fairs"  # see job fairs within the user's relation
    GIVE_GUIDANCE = "give_guidance"  # career guidance for one person (commune: their own)
    MANAGE_MATCHING_WEIGHTS = "manage_matching_weights"  # adopt learned weights (admins)


P = Permission
POLICY: dict[str, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    # Officials watch everything and refer candidates (the employment service centre), but
    # registries belong to institutions and hiring to employers.
    Role.OFFICIAL: frozenset(
        {
            P.VIEW_COURSES,
            P.VIEW_TRAINEES,
            P.VIEW_VACANCIES,
            P.VIEW_CANDIDATES,
            P.REFER_CANDIDATES,
            P.VIEW_ORDERS,
            P.VIEW_DASHBOARD,
            P.RECORD_FOLLOW_UPS,
            P.IMPORT_LABOUR_FORCE,
            P.VIEW_SUPPLY_DEMAND,
            P.REPORT_NEW_JOBS,
            P.RECORD_ABROAD,
            P.VIEW_REPORTING_STATUS,
            P.EDIT_PEOPLE,
            P.HANDLE_DATA_REQUESTS,
            P.RUN_JOB_FAIRS,
            P.VIEW_JOB_FAIRS,
        }
    ),
    Role.INSTITUTION: frozenset(
        {
            P.VIEW_COURSES,
            P.MANAGE_COURSES,
            P.VIEW_TRAINEES,
            P.MANAGE_TRAINEES,
            P.IMPORT_TRAINEES,
            P.DECIDE_ORDERS,
            P.VIEW_ORDERS,
            P.RECORD_FOLLOW_UPS,
            P.VIEW_SUPPLY_DEMAND,  # institutions decide what to train
            P.EDIT_PEOPLE,  # their own trainees only (require_person)
            P.MANAGE_API_TOKENS,  # their own institution's, within the scopes allowed
        }
    ),
    Role.EMPLOYER: frozenset(
        {
            P.MANAGE_VACANCIES,
            P.VIEW_VACANCIES,
            P.VIEW_CANDIDATES,
            P.REFER_CANDIDATES,
            P.HIRE,
            P.REQUEST_ORDERS,
            P.VIEW_ORDERS,
            P.REPORT_NEW_JOBS,  # hires made outside the platform (Decree 145/2020 report)
            P.MANAGE_API_TOKENS,  # their own employer's, within the scopes allowed
            P.VIEW_JOB_FAIRS,  # sessions, their own registrations and candidates
        }
    ),
    # A commune officer reports the new jobs of their own commune, follows its own people who
    # work abroad (orientation, support, return), sees the invitation lists of job fairs for
    # their commune and counsels its people; nothing else.
    Role.COMMUNE: frozenset(
        {P.REPORT_NEW_JOBS, P.RECORD_ABROAD, P.VIEW_JOB_FAIRS, P.GIVE_GUIDANCE}
    ),
    # The Employment Service Centre introduces job seekers to employers province-wide and
    # reports the jobs it helped create (job introduction, job fairs, counselling).
    Role.JOB_CENTRE: frozenset(
        {
            P.VIEW_VACANCIES,
            P.VIEW_CANDIDATES,
            P.REFER_CANDIDATES,
            P.VIEW_ORDERS,
            P.VIEW_SUPPLY_DEMAND,
            P.REPORT_NEW_JOBS,
            P.RECORD_ABROAD,
            P.RUN_JOB_FAIRS,
            P.VIEW_JOB_FAIRS,
            P.GIVE_GUIDANCE,  # counselling
        }
    ),
}


def allowed(principal: Actor | None, permission: Permission) -> bool:
    return principal is not None and permission in POLICY.get(principal.role, frozenset())


def require(principal: Actor, permission: Permission) -> None:
    if not allowed(principal, permission):
        raise ForbiddenError(None, "You are not allowed to do this.")


@dataclass(frozen=True)
class Allow:
    """The role check of a route, as a dependency in its signature: the signed-in user (a
    visitor is sent to sign in) whose role holds at least one of `permissions`, or any
    signed-in user when there are none. The permissions stay readable on the route
    (tests/web/test_permission_matrix.py checks every route against POLICY)."""

    permissions: frozenset[Permission]

    async def __call__(
        self, principal: Annotated[Principal, Depends(current_principal)]
    ) -> Principal:
        if self.permissions and not any(allowed(principal, each) for each in self.permissions):
            raise ForbiddenError(None, "You are not allowed to do this.")
        return principal


def allow(*permissions: Permission) -> Allow:
    """`principal: Annotated[Principal, Depends(allow(Permission.X))]` in a route's signature.
    Several permissions: any one of them will do (the service then checks which one applies
    to the record); none: any signed-in user."""
    return Allow(frozenset(permissions))


SignedIn = Annotated[Principal, Depends(allow())]


def institution_scope(principal: Actor) -> int | None:
    """The one institution whose records the user may see, or None for all of them."""
    return principal.institution_id if principal.role == Role.INSTITUTION else None


def commune_scope(principal: Actor) -> str | None:
    """The one commune whose register a commune officer keeps, or None for other roles."""
    return principal.commune_code if principal.role == Role.COMMUNE else None


def employer_scope(principal: Actor) -> int | None:
    """The one employer whose records the user may see, or None for all of them."""
    return principal.employer_id if principal.role == Role.EMPLOYER else None


NO_SUCH_PAGE = "There is no page at this address."


def owns_institution_record(principal: Actor, institution_id: int | None) -> bool:
    """Whether the user may act on a record of this institution (staff: their own only)."""
    scope = institution_scope(principal)
    return principal.role != Role.EMPLOYER and (scope is None or scope == institution_id)


def owns_employer_record(principal: Actor, employer_id: int | None) -> bool:
    """Whether the user may act on a record of this employer (staff: their own only)."""
    scope = employer_scope(principal)
    return principal.role != Role.INSTITUTION and (scope is None or scope == employer_id)


def require_institution(
    principal: Actor, institution_id: int | None, missing: str = NO_SUCH_PAGE
) -> None:
    """Institution staff act only on their own institution's records; another one's record
    is answered as missing (`missing`: the message a record that does not exist gets)."""
    if not owns_institution_record(principal, institution_id):
        raise NotFoundError(None, missing)


def require_employer(
    principal: Actor, employer_id: int | None, missing: str = NO_SUCH_PAGE
) -> None:
    """Employer staff act only on their own employer's records; another one's record is
    answered as missing (`missing`: the message a record that does not exist gets)."""
    if not owns_employer_record(principal, employer_id):
        raise NotFoundError(None, missing)


def acts_for_institution(
    principal: Principal, permission: Permission, institution_id: int | None
) -> bool:
    """Whether the user holds `permission` on this institution's records (to show a link
    or a form; the route itself declares `allow(permission)` and the use case calls
    require_institution)."""
    return allowed(principal, permission) and owns_institution_record(principal, institution_id)


NO_SUCH_PERSON = "There is no such person."


def require_person(principal: Principal, enrolled_at: set[int]) -> None:
    """A person's full record: institution staff only for people enrolled at their own
    institution (`enrolled_at` holds the person's institutions), anyone else's answered as
    missing; officials and administrators for anyone. Employers meet people only as
    candidates, through person_view."""
    require(principal, Permission.VIEW_TRAINEES)
    scope = institution_scope(principal)
    if scope is not None and scope not in enrolled_at:
        raise NotFoundError(None, NO_SUCH_PERSON)


@dataclass(frozen=True)
class PersonView:
    """What a page may show of a person to this user."""

    person_id: int
    full_name: str
    citizen_id: str | None
    phone: str | None
    ethnicity_code: str | None
    masked: bool


def person_view(principal: Actor, person: Person) -> PersonView:
    """Full personal data for institutions, officials and administrators; for employers, only
    graduates who consented, with ID number and phone masked and no ethnicity. Callers log
    the view with models.audit.record(action="view_personal_data")."""
    if principal.role != Role.EMPLOYER:
        return PersonView(
            person_id=person.id or 0,
            full_name=person.full_name,
            citizen_id=person.citizen_id,
            phone=person.phone,
            ethnicity_code=person.ethnicity_code,
            masked=False,
        )
    if not person.consent_to_employers:
        raise ForbiddenError(None, "This person has not agreed to be shown to employers.")
    return PersonView(
        person_id=person.id or 0,
        full_name=person.full_name,
        citizen_id=mask_citizen_id(person.citizen_id) if person.citizen_id else None,
        phone=mask_phone(person.phone) if person.phone else None,
        ethnicity_code=None,
        masked=True,
    )
