"""The permission matrix: every route of the site tried by every role and by a visitor.

Each GET row lists the roles that get the page (200). Every other signed-in role is refused:
with 403 when its role may not do this kind of thing at all, and with 404 when it may but the
record belongs to another organisation (so ids cannot be probed: another's record looks like
one that does not exist). A visitor is sent to sign in (303) unless the page is public. Each
POST is tried by the roles that may NOT use it: they are refused the same way (403 or 404,
303 to sign in for a visitor) and the database is unchanged. A route missing from these
tables fails the test, so a new page cannot ship without its row.

The object-level cases at the end try people outside each role's relation: a trainee of
another institution, a person never ranked for, referred to or trained for an employer's
vacancy. Their pages, forms and posts answer 404 and change nothing, while the people the
relation does include (the institution's own trainees, the vacancy's ranking, its
referrals, the cohort of the employer's training order) are served.

Every route but the public ones also declares the permission it needs in its signature
(`Depends(allow(Permission.X))`); the tables must agree with POLICY on the roles that
permission lets in, so a route without its declaration, or a row that drifts from the
policy, fails too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from models.clock import today
from models.enums import Role
from models.monitoring.read import figure_table
from models.monitoring.store import refresh_year
from models.queries.eligible import eligible_person
from models.tables import (
    Course,
    Enrolment,
    GuidanceSession,
    JobFair,
    JobFairCommune,
    JobFairVacancy,
    Referral,
    Target,
    UserAccount,
    Vacancy,
)
from seed.reference import load_reference_data
from tests import factories
from tests.html import body_rows, find_all, one, parse, text
from tests.web.conftest import VISITOR_TOKEN
from tests.web.helpers import make_account, sign_in
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER
from web.permissions import POLICY, Allow
from web.routes import all_routers

ROLES = (
    "anonymous",
    "admin",
    "official",
    "institution_own",
    "institution_other",
    "employer_own",
    "employer_other",
    "commune_own",
    "commune_other",
    "job_centre",
)
API_PACKAGE = "web.api."
ALL_SIGNED_IN = frozenset(ROLES) - {"anonymous"}
PUBLIC = frozenset(ROLES)
STAFF_VIEW = frozenset({"admin", "official"})
INSTITUTIONS = frozenset({"institution_own", "institution_other"})
EMPLOYERS = frozenset({"employer_own", "employer_other"})
CENTRE = frozenset({"job_centre"})  # the Employment Service Centre: job introduction
COMMUNES = frozenset({"commune_own", "commune_other"})
# Who reports to the new-jobs register (each within their own commune, centre or employer).
REPORTERS = STAFF_VIEW | EMPLOYERS | COMMUNES | CENTRE
# Who follows departures to work abroad (a commune: its own people).
ABROAD_RECORDERS = STAFF_VIEW | COMMUNES | CENTRE
FAIR_STAFF = STAFF_VIEW | CENTRE  # who runs job fairs
FAIR_VIEWERS = FAIR_STAFF | EMPLOYERS | COMMUNES

# route name -> roles that get 200 (GET). Records in the path belong to "own" organisations.
GET_ALLOWED: dict[str, frozenset[str]] = {
    "home": PUBLIC,
    "board": PUBLIC,
    "board_vacancy": PUBLIC,
    "outcomes": PUBLIC,  # which training leads to a job: stored, suppressed figures
    "guidance": frozenset({"admin"}) | COMMUNES | CENTRE,  # counsellors
    "guidance_detail": frozenset({"admin", "commune_own", "job_centre"}),  # its commune's
    "applied": PUBLIC,
    "my_applications": PUBLIC,
    "outbox": frozenset({"admin"}),  # anyone else signed in: 404 (NOT_FOUND)
    "notifications": ALL_SIGNED_IN,
    "healthz": PUBLIC,
    "api_home_figures": PUBLIC,
    "feed_vacancies": PUBLIC,  # open vacancies for the job exchange and search engines
    "sitemap": PUBLIC,
    "robots": PUBLIC,
    "openapi": PUBLIC,
    "login": PUBLIC,
    "account": ALL_SIGNED_IN,
    "account_password": ALL_SIGNED_IN,
    "courses": STAFF_VIEW | INSTITUTIONS,
    "course_new": frozenset({"admin"}) | INSTITUTIONS,
    "course_detail": STAFF_VIEW | {"institution_own"},
    "course_edit": frozenset({"admin", "institution_own"}),
    "course_results": frozenset({"admin", "institution_own"}),
    "course_enrol": frozenset({"admin", "institution_own"}),
    "trainees": STAFF_VIEW | INSTITUTIONS,
    "trainee_detail": STAFF_VIEW | {"institution_own"},
    "vacancies": STAFF_VIEW | EMPLOYERS | CENTRE,
    "vacancy_new": frozenset({"admin"}) | EMPLOYERS,
    "vacancy_detail": STAFF_VIEW | {"employer_own"} | CENTRE,
    "vacancy_edit": frozenset({"admin", "employer_own"}),
    "vacancy_candidates": STAFF_VIEW | {"employer_own"} | CENTRE,
    "vacancy_referrals": STAFF_VIEW | {"employer_own"} | CENTRE,
    "training_orders": STAFF_VIEW | INSTITUTIONS | EMPLOYERS | CENTRE,
    "training_order_new": frozenset({"admin"}) | EMPLOYERS,
    "training_order_detail": STAFF_VIEW | {"institution_own", "employer_own"} | CENTRE,
    "users": frozenset({"admin"}),
    "jobs": frozenset({"admin"}),
    "user_new": frozenset({"admin"}),
    "imports": STAFF_VIEW | INSTITUTIONS,  # officials use its export forms
    "import_template": frozenset({"admin"}) | INSTITUTIONS,
    "import_preview": frozenset(),  # an unknown token: nobody sees anything
    "import_progress": frozenset(),
    "export_trainees": STAFF_VIEW | {"institution_own"},
    "export_results": STAFF_VIEW | {"institution_own"},
    "exchange_graduates_export": STAFF_VIEW | {"institution_own"},
    "new_jobs_exchange_export": REPORTERS,
    "follow_ups": STAFF_VIEW | INSTITUTIONS,
    "targets": STAFF_VIEW,
    "target_edit": frozenset({"admin"}),
    "labour_force": STAFF_VIEW,
    "labour_force_template": STAFF_VIEW,
    "supply_demand": STAFF_VIEW | INSTITUTIONS | CENTRE,  # institutions decide what to train
    "supply_demand_csv": STAFF_VIEW | INSTITUTIONS | CENTRE,
    "reports": STAFF_VIEW,
    "report_xlsx": STAFF_VIEW,
    "report_docx": STAFF_VIEW,
    "report_print": STAFF_VIEW,
    "report_csv": STAFF_VIEW,
    "report_zip": STAFF_VIEW,
    "dashboard": STAFF_VIEW,
    "dashboard_drill": STAFF_VIEW,
    "dashboard_drill_csv": STAFF_VIEW,
    "reporting_status": STAFF_VIEW,  # who has reported to the new-jobs register
    "schedule_edit": frozenset({"admin"}),
    "review": STAFF_VIEW,
    "published_template": STAFF_VIEW,
    "new_jobs": REPORTERS,
    "new_jobs_template": REPORTERS,
    "new_job_report": frozenset(),  # the world has no report: 404 for every reporter
    "abroad_departures": ABROAD_RECORDERS,
    "abroad_departures_csv": ABROAD_RECORDERS,
    "abroad_departure": frozenset(),  # the world has no departure: 404 for every recorder
    "abroad_returnees": STAFF_VIEW | EMPLOYERS | CENTRE,  # masked, consenting, for employers
    "trainee_edit": STAFF_VIEW | {"institution_own"},
    "institutions": frozenset({"admin"}),
    "institution_new": frozenset({"admin"}),
    "institution_edit": frozenset({"admin"}),
    "employers": frozenset({"admin"}),
    "employer_new": frozenset({"admin"}),
    "employer_edit": frozenset({"admin"}),
    "data_requests": STAFF_VIEW,
    "data_request_new": STAFF_VIEW,
    "person_data_export": STAFF_VIEW,
    "api_tokens": frozenset({"admin"}) | INSTITUTIONS | EMPLOYERS,
    "api_scopes": frozenset({"admin"}),
    "matching_weights": frozenset({"admin"}),
    # Job fairs: the centre's staff and officials run them; employers see the sessions (their
    # own registrations only); a commune officer sees those serving their commune and its
    # invitation list. The world's session serves the "own" commune.
    "job_fairs": FAIR_VIEWERS,
    "job_fair_new": FAIR_STAFF,
    "job_fair": FAIR_STAFF | EMPLOYERS | {"commune_own"},
    "job_fair_edit": FAIR_STAFF,
    "job_fair_invitations": FAIR_STAFF | {"commune_own"},
    "job_fair_invitations_csv": FAIR_STAFF | {"commune_own"},
    "job_fair_day": FAIR_STAFF,
    "job_fair_report": FAIR_STAFF,
}

# Routes whose record does not exist in the world: the roles that may reach it get 404.
NOT_FOUND: dict[str, frozenset[str]] = {
    "import_preview": frozenset({"admin"}) | INSTITUTIONS,
    "import_progress": frozenset({"admin"}) | INSTITUTIONS,
    "new_job_report": REPORTERS,
    "abroad_departure": ABROAD_RECORDERS,
    "abroad_departure_save": ABROAD_RECORDERS,
    "outbox": ALL_SIGNED_IN - {"admin"},  # not a page for them: answered as missing
    "trainee_apply": frozenset({"admin"}),  # applies only for an institution's own trainees
    # Job fairs: employers reach sessions but not invitation lists; another commune's
    # officer not even the session; vacancies are brought by their own employer only.
    "job_fair": frozenset({"commune_other"}),
    "job_fair_invitations": EMPLOYERS | {"commune_other"},
    "job_fair_invitations_csv": EMPLOYERS | {"commune_other"},
    "job_fair_register": frozenset({"admin"}),
    "job_fair_vacancy_withdraw": frozenset({"admin", "employer_other"}),
}

# Routes that declare no permission: open to visitors, or (signing out) working even when
# the session has already expired.
UNDECLARED = frozenset(
    {
        "home",
        "board",
        "board_vacancy",
        "outcomes",
        "apply",
        "apply_confirm",
        "applied",
        "my_applications",
        "my_applications_code",
        "my_applications_confirm",
        "my_application_withdraw",
        "my_consent_withdraw",
        "my_applications_sign_out",
        "healthz",
        "api_home_figures",
        "feed_vacancies",
        "sitemap",
        "robots",
        "login",
        "login_submit",
        "set_language",
        "logout",
    }
)

ROLE_OF = {
    "admin": Role.ADMIN,
    "official": Role.OFFICIAL,
    "institution_own": Role.INSTITUTION,
    "institution_other": Role.INSTITUTION,
    "employer_own": Role.EMPLOYER,
    "employer_other": Role.EMPLOYER,
    "commune_own": Role.COMMUNE,
    "commune_other": Role.COMMUNE,
    "job_centre": Role.JOB_CENTRE,
}

# Query strings a route needs to say which records it is about.
QUERY = {
    "export_trainees": "?course_id={course_id}",
    "export_results": "?course_id={course_id}",
    "exchange_graduates_export": "?course_id={course_id}",
}

# route name -> roles that may use it; all others are refused. Visitors always are.
POST_ALLOWED: dict[str, frozenset[str]] = {
    "login_submit": PUBLIC,
    # Applying and the applicant's own page: visitors, proved by a code sent to their phone.
    "apply": PUBLIC,
    "apply_confirm": PUBLIC,
    "my_applications_code": PUBLIC,
    "my_applications_confirm": PUBLIC,
    "my_application_withdraw": PUBLIC,
    "my_consent_withdraw": PUBLIC,
    "my_applications_sign_out": PUBLIC,
    "logout": ALL_SIGNED_IN,
    "account_password_submit": ALL_SIGNED_IN,
    "set_language": PUBLIC,
    "course_create": frozenset({"admin"}) | INSTITUTIONS,
    "course_update": frozenset({"admin", "institution_own"}),
    "course_results_submit": frozenset({"admin", "institution_own"}),
    "course_enrol_lookup": frozenset({"admin", "institution_own"}),
    "course_enrol_submit": frozenset({"admin", "institution_own"}),
    "trainees_search": STAFF_VIEW | INSTITUTIONS,
    "trainee_consent": frozenset({"admin", "institution_own"}),
    # an empty form: "choose a job" (400) for the person's own institution, 404 for anyone
    # else who manages trainees (administrators apply for nobody)
    "trainee_apply": frozenset({"institution_own"}),
    "vacancy_create": frozenset({"admin"}) | EMPLOYERS,
    "vacancy_update": frozenset({"admin", "employer_own"}),
    "vacancy_close": frozenset({"admin", "employer_own"}),
    "candidate_step": frozenset({"admin", "official", "employer_own", "job_centre"}),
    "training_order_create": frozenset({"admin"}) | EMPLOYERS,
    "training_order_accept": frozenset({"admin", "institution_own"}),
    "training_order_decline": frozenset({"admin", "institution_own"}),
    "training_order_link_course": frozenset({"admin", "institution_own"}),
    "training_order_mark_trained": frozenset({"admin", "institution_own"}),
    "training_order_mark_fulfilled": frozenset({"admin", "employer_own"}),
    "training_order_close": frozenset({"admin", "institution_own", "employer_own"}),
    "user_create": frozenset({"admin"}),
    "user_set_active": frozenset({"admin"}),
    "user_reset_password": frozenset({"admin"}),
    "import_upload": frozenset({"admin"}) | INSTITUTIONS,
    "import_confirm": frozenset({"admin"}) | INSTITUTIONS,
    "follow_ups_record": STAFF_VIEW | INSTITUTIONS,
    "target_update": frozenset({"admin"}),
    "target_year_create": frozenset({"admin"}),
    "target_create": frozenset({"admin"}),
    "labour_force_import": STAFF_VIEW,
    "schedule_update": frozenset({"admin"}),
    "published_import": STAFF_VIEW,
    "new_jobs_import": REPORTERS,
    "new_jobs_exchange_import": REPORTERS,
    "exchange_graduates_import": frozenset({"admin"}) | INSTITUTIONS,
    "new_job_line_create": REPORTERS,
    "new_job_aggregate_create": REPORTERS,
    "new_jobs_nothing": REPORTERS,
    "new_job_report_withdraw": REPORTERS,
    "abroad_departure_save": ABROAD_RECORDERS,
    "report_issue": STAFF_VIEW,
    "trainee_update": STAFF_VIEW | {"institution_own"},
    "enrolment_remove": frozenset({"admin", "institution_own"}),
    "course_delete": frozenset({"admin", "institution_own"}),
    "import_undo": frozenset({"admin"}) | INSTITUTIONS,
    "institution_create": frozenset({"admin"}),
    "institution_update": frozenset({"admin"}),
    "employer_create": frozenset({"admin"}),
    "employer_update": frozenset({"admin"}),
    "data_request_create": STAFF_VIEW,
    "data_request_close": STAFF_VIEW,
    "api_token_create": frozenset({"admin"}) | INSTITUTIONS | EMPLOYERS,
    "api_token_revoke": frozenset({"admin"}) | INSTITUTIONS | EMPLOYERS,
    "api_scopes_save": frozenset({"admin"}),
    "matching_weights_adopt": frozenset({"admin"}),
    "matching_weights_revert": frozenset({"admin"}),
    "job_fair_create": FAIR_STAFF,
    "job_fair_update": FAIR_STAFF,
    "job_fair_cancel": FAIR_STAFF,
    "job_fair_invite": FAIR_STAFF,
    "job_fair_attend": FAIR_STAFF,
    "job_fair_step": FAIR_STAFF,
    "job_fair_walk_in": FAIR_STAFF,
    # Any employer may bring its own vacancies; taking one back: its own employer only.
    "job_fair_register": EMPLOYERS,
    "job_fair_vacancy_withdraw": frozenset({"employer_own"}),
    "guidance_advise": frozenset({"admin"}) | COMMUNES | CENTRE,
}


@dataclass
class World:
    params: dict[str, object]
    usernames: dict[str, str]
    other_institution_id: int = 0
    order_id: int = 0


def _world(session: Session) -> World:
    load_reference_data(session)
    own_institution = factories.institution(session)
    other_institution = factories.institution(session)
    own_employer = factories.employer(session)
    other_employer = factories.employer(session)
    course = factories.course(session, institution_id=own_institution.id, status="finished")
    person = factories.person(session, citizen_id="011201004567", consent_to_employers=True)
    enrolment_id = factories.enrolment(
        session,
        person_id=person.id,
        course_id=course.id,
        status="tot_nghiep",
        graduated_on=date(2026, 7, 1),
    ).id
    vacancy = factories.vacancy(session, employer_id=own_employer.id)
    order = factories.training_order(
        session,
        employer_id=own_employer.id,
        institution_id=own_institution.id,
        occupation_id=course.occupation_id,
    )
    target_id = session.execute(select(Target.id)).scalars().first()
    guidance = GuidanceSession(form_key="pm-guidance", commune_code="03151", consent=False)
    session.add(guidance)
    session.commit()
    usernames = {
        "admin": make_account(session, "admin", "pm_admin"),
        "official": make_account(session, "official", "pm_official"),
        "institution_own": make_account(
            session, "institution", "pm_inst_own", institution_id=own_institution.id
        ),
        "institution_other": make_account(
            session, "institution", "pm_inst_other", institution_id=other_institution.id
        ),
        "employer_own": make_account(
            session, "employer", "pm_emp_own", employer_id=own_employer.id
        ),
        "employer_other": make_account(
            session, "employer", "pm_emp_other", employer_id=other_employer.id
        ),
        "commune_own": make_account(session, "commune", "pm_commune_own", commune_code="03151"),
        "commune_other": make_account(session, "commune", "pm_commune_other", commune_code="03154"),
        "job_centre": make_account(session, "job_centre", "pm_centre"),
    }
    fair = _job_fair(session, vacancy_id=vacancy.id or 0, employer_id=own_employer.id or 0)
    session.commit()
    params = {
        "vacancy_id": vacancy.id,
        "course_id": course.id,
        "person_id": person.id,
        "order_id": order.id,
        "user_id": 1,
        "token": "no-such-import",
        "kind": "trainees",
        "step": "refer",
        "code": "en",
        "target_id": target_id,
        "year": 2026,
        "table_id": "progress",
        "figure_id": _figure_id(session),
        "source": "commune_report",
        "report_id": 987654,
        "enrolment_id": enrolment_id,
        "institution_id": own_institution.id,
        "employer_id": own_employer.id,
        "request_id": 987654,
        "application_id": 1,
        "token_id": 987654,
        "proposal_id": 987654,
        "line_id": 987654,
        "fair_id": fair,
        "session_id": guidance.id,
    }
    return World(
        params, usernames, other_institution_id=other_institution.id or 0, order_id=order.id or 0
    )


def _job_fair(session: Session, *, vacancy_id: int, employer_id: int) -> int:
    """A session serving the "own" commune, with the own employer's vacancy registered."""
    creator = session.execute(select(UserAccount.id).limit(1)).scalar_one()
    fair = JobFair(
        title="Phiên giao dịch việc làm",
        held_on=date(2026, 7, 20),
        place="Điện Biên Phủ",
        created_by_id=creator,
    )
    session.add(fair)
    session.flush()
    assert fair.id is not None
    session.add(JobFairCommune(fair_id=fair.id, commune_code="03151"))
    session.add(
        JobFairVacancy(
            fair_id=fair.id,
            vacancy_id=vacancy_id,
            employer_id=employer_id,
            registered_by_id=creator,
        )
    )
    return fair.id


def _figure_id(session: Session) -> int:
    """A stored KPI figure with records behind it (the world's trainee, in 2026)."""
    refresh_year(session.get_bind(), 2026)  # type: ignore[arg-type]
    figure = figure_table(session, 2026).get("trained", "trained")
    session.rollback()
    assert figure is not None
    return figure.id


def _routes(app) -> list[tuple[str, str, str]]:
    """(method, path template, name) of every route the site serves."""
    found = [("GET", "/openapi.json", "openapi")]
    for router in all_routers():
        for route in router.routes:
            for method in sorted(getattr(route, "methods", set()) - {"HEAD"}):
                found.append((method, route.path, route.name))
    return found


def _client(app, role: str, world: World) -> TestClient:
    client = TestClient(app)
    client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
    client.headers[CSRF_HEADER] = VISITOR_TOKEN
    if role != "anonymous":
        sign_in(client, world.usernames[role])
    return client


def _row_counts(session: Session) -> dict[str, int]:
    session.expire_all()
    counts = {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
        if table.name not in ("auth_session", "login_attempt", "audit_entry")
    }
    session.rollback()  # end the read: on SQLite it holds the write lock the app needs
    return counts


def test_every_route_is_in_the_matrix(app) -> None:
    names = {name for _, _, name in _routes(app)}
    assert names - set(GET_ALLOWED) - set(POST_ALLOWED) == set()


def _declarations(dependant: Dependant) -> list[Allow]:
    """The `allow(...)` dependencies anywhere in a route's dependency tree."""
    found = []
    for each in dependant.dependencies:
        if isinstance(each.call, Allow):
            found.append(each.call)
        found += _declarations(each)
    return found


def _api_routes(routes: list) -> list[APIRoute]:
    """The API routes among `routes`, including those of the routers the app includes."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # an included router (FastAPI >= 0.130)
            found += _api_routes(route.original_router.routes)
    return found


def _declared(app) -> dict[tuple[str, str], list[Allow]]:
    """(method, route name) -> the permission declarations of every route the app serves."""
    declared = {
        (method, route.name): _declarations(route.dependant)
        for route in _api_routes(app.routes)
        # The machine API's routes answer to tokens and scopes: tests/web/test_api_*.
        if not route.endpoint.__module__.startswith(API_PACKAGE)
        for method in sorted(route.methods - {"HEAD"})
    }
    served = {(method, name) for method, _, name in _routes(app) if name != "openapi"}
    assert set(declared) == served
    return declared


def test_every_route_declares_its_permission(app) -> None:
    wrong = []
    for (method, name), declarations in _declared(app).items():
        if name in UNDECLARED:
            if declarations:
                wrong.append(f"{method} {name} is listed as undeclared but has {declarations}")
        elif len(declarations) != 1:
            wrong.append(f"{method} {name}: {len(declarations)} allow(...) in its signature")
    assert wrong == [], "\n".join(wrong)


def test_the_matrix_follows_each_routes_declared_permission(app) -> None:
    """The roles the matrix lets in are the roles POLICY grants the route's permission (any
    one of them; none declared: every role). The relation check only narrows a role to its
    own organisation's records, so a role counts as let in when any of its users is."""
    wrong = []
    for (method, name), declarations in _declared(app).items():
        if name in UNDECLARED:
            continue
        (declared,) = declarations
        granted = {
            role
            for role, permissions in POLICY.items()
            if not declared.permissions or declared.permissions & permissions
        }
        table = GET_ALLOWED if method == "GET" else POST_ALLOWED
        reached = table[name] | NOT_FOUND.get(name, frozenset())
        expected = {ROLE_OF[each] for each in reached if each != "anonymous"}
        if granted != expected:
            wrong.append(
                f"{method} {name}: allow({', '.join(sorted(declared.permissions))}) lets in "
                f"{sorted(granted)}, the matrix {sorted(expected)}"
            )
    assert wrong == [], "\n".join(wrong)


def _granted(app) -> dict[tuple[str, str], frozenset[str]]:
    """(method, route name) -> the matrix roles whose role the route's declared permission
    lets in (all of them for the undeclared, public routes)."""
    granted = {}
    for (method, name), declarations in _declared(app).items():
        permissions = declarations[0].permissions if declarations else frozenset()
        granted[(method, name)] = frozenset(
            role for role, each in ROLE_OF.items() if not permissions or permissions & POLICY[each]
        )
    return granted


def _refusal(granted: frozenset[str], role: str) -> int:
    """How a refused role is answered: a visitor is sent to sign in; a role that may do
    this kind of thing gets 404 (the record is another organisation's); any other 403."""
    if role == "anonymous":
        return 303
    return 404 if role in granted else 403


def test_every_role_gets_what_the_matrix_says(app, session: Session) -> None:
    world = _world(session)
    clients = {role: _client(app, role, world) for role in ROLES}
    granted = _granted(app)
    wrong: list[str] = []
    for method, path, name in _routes(app):
        url = (path + QUERY.get(name, "")).format(**world.params)
        roles = granted.get((method, name), PUBLIC)
        for role, client in clients.items():
            if method == "GET":
                got = client.get(url, follow_redirects=False).status_code
                wrong += _check_get(name, role, got, roles)
            elif role not in POST_ALLOWED.get(name, frozenset()):
                before = _row_counts(session)
                got = client.post(url, data={}, follow_redirects=False).status_code
                expected = _refusal(roles, role)
                if got != expected or _row_counts(session) != before:
                    wrong.append(f"POST {name} as {role}: {got}, expected {expected}")
    assert wrong == [], "\n".join(wrong)


def _check_get(name: str, role: str, got: int, granted: frozenset[str]) -> list[str]:
    if role in GET_ALLOWED[name]:
        ok = got == 200 or (name == "login" and got == 303)
        expected = 200
    else:
        expected = _refusal(granted, role)
        ok = got == expected
    return [] if ok else [f"GET {name} as {role}: {got}, expected {expected}"]


# --- object-level cases: people outside each role's relation -------------------------------


@dataclass
class People:
    """The world's people as each role stands to them."""

    ranked: int  # graduated at the own institution; ranked for the own vacancy
    stranger: int  # consenting, in training at the other institution: nothing to the others
    cohort: int  # in training at the own institution for the own employer's training order
    stranger_id_number: str


STRANGER_ID = "011199000777"  # a woman born in 1999 (century and sex digit 1)


def _people(session: Session, world: World) -> People:
    stranger = factories.person(
        session,
        full_name="Quàng Thị Bí Mật",
        citizen_id=STRANGER_ID,
        birth_date=date(1999, 2, 3),
        sex="nu",
        phone="+84911222333",
        consent_to_employers=True,
    )
    elsewhere = factories.course(session, institution_id=world.other_institution_id)
    factories.enrolment(session, person_id=stranger.id, course_id=elsewhere.id)
    cohort = factories.person(session, citizen_id="011200000888", consent_to_employers=True)
    ordered = factories.course(
        session,
        institution_id=session.get(Course, world.params["course_id"]).institution_id,  # type: ignore[union-attr]
        training_order_id=world.order_id,
    )
    factories.enrolment(session, person_id=cohort.id, course_id=ordered.id)
    session.commit()
    people = People(
        ranked=int(str(world.params["person_id"])),
        stranger=stranger.id or 0,
        cohort=cohort.id or 0,
        stranger_id_number=STRANGER_ID,
    )
    vacancy = session.get(Vacancy, int(str(world.params["vacancy_id"])))
    candidates = (people.ranked, people.stranger, people.cohort)
    ranked = {
        person
        for person in candidates
        if session.execute(select(eligible_person(vacancy, person, today()))).scalar()  # type: ignore[arg-type]
    }
    session.rollback()  # read nothing after this: a read would keep its snapshot open
    # Only graduates are eligible: the world's graduate is, the two in training are not.
    assert ranked == {people.ranked}
    return people


# route -> role -> status, for a person outside the relation of every role that is refused
# (officials and administrators watch every trainee; referring and hiring take only people
# related to the vacancy, whoever does it).
TRAINEE_PAGE = {
    "admin": 200,
    "official": 200,
    "institution_own": 404,
    "institution_other": 200,  # the stranger's own institution
    "employer_own": 403,
    "employer_other": 403,
    "commune_own": 403,
    "commune_other": 403,
    "job_centre": 403,
    "anonymous": 303,
}
CONSENT = TRAINEE_PAGE | {"admin": 303, "official": 403, "institution_other": 303}
REFER = {
    "admin": 404,
    "official": 404,
    "institution_own": 403,
    "institution_other": 403,
    "employer_own": 404,
    "employer_other": 404,
    "commune_own": 403,
    "commune_other": 403,
    "job_centre": 404,  # refers people related to the vacancy, like an official
    "anonymous": 303,
}
HIRE = REFER | {"official": 403, "job_centre": 403}
# Enrolling the stranger with their ID number but another birth date into the own course.
ENROL_GUESSED = {
    "admin": 404,
    "official": 403,
    "institution_own": 404,
    "institution_other": 404,  # not its course
    "employer_own": 403,
    "employer_other": 403,
    "commune_own": 403,
    "commune_other": 403,
    "job_centre": 403,
    "anonymous": 303,
}
# The old form: a raw person id, which the server no longer reads (nothing to enrol: 400).
ENROL_BY_ID = ENROL_GUESSED | {"admin": 400, "institution_own": 400}
# The lookup with the stranger's ID number and a guessed birth date: "nobody found" (200).
LOOKUP_GUESSED = ENROL_GUESSED | {"admin": 200, "institution_own": 200}


def _enrolled(session: Session, person_id: int) -> int:
    found = session.execute(
        select(func.count()).select_from(Enrolment).where(Enrolment.person_id == person_id)  # type: ignore[arg-type]
    ).scalar_one()
    session.rollback()
    return int(found)


def test_people_outside_the_relation_are_missing_for_every_role(app, session: Session) -> None:
    world = _world(session)
    people = _people(session, world)
    clients = {role: _client(app, role, world) for role in ROLES}
    vacancy, course = world.params["vacancy_id"], world.params["course_id"]
    guessed = {"existing": "1", "citizen_id": STRANGER_ID, "birth_date": "1999-02-04"}
    guessed["enrolled_on"] = "2026-03-02"  # inside the course: only the birth date is wrong
    lookup = {"find_id": STRANGER_ID, "find_birth": "1999-02-04"}
    cases = [
        ("GET", f"/trainees/{people.stranger}", None, TRAINEE_PAGE),
        ("POST", f"/trainees/{people.stranger}/consent", {"consent": "1"}, CONSENT),
        ("POST", f"/vacancies/{vacancy}/candidates/{people.stranger}/refer", {}, REFER),
        ("POST", f"/vacancies/{vacancy}/candidates/{people.stranger}/hire", {}, HIRE),
        ("POST", f"/courses/{course}/enrol", guessed, ENROL_GUESSED),
        ("POST", f"/courses/{course}/enrol", {"person_id": str(people.stranger)}, ENROL_BY_ID),
        ("POST", f"/courses/{course}/enrol/lookup", lookup, LOOKUP_GUESSED),
    ]
    wrong: list[str] = []
    for method, url, data, expected in cases:
        for role, client in clients.items():
            before = _row_counts(session)
            if method == "GET":
                response = client.get(url, follow_redirects=False)
            else:
                response = client.post(url, data=data, follow_redirects=False)
            if response.status_code != expected[role]:
                wrong.append(
                    f"{method} {url} as {role}: {response.status_code}, expected {expected[role]}"
                )
            if _row_counts(session) != before:
                wrong.append(f"{method} {url} as {role} changed the database")
            if "Bí Mật" in response.text and expected is not TRAINEE_PAGE:
                wrong.append(f"{method} {url} as {role} shows the stranger's name")
            if expected is LOOKUP_GUESSED and response.status_code == 200:
                answer = parse(response.text)
                if find_all(answer, "#found-none") == [] or find_all(answer, "#enrol-found"):
                    wrong.append(f"{method} {url} as {role} did not answer 'nobody found'")
    assert wrong == [], "\n".join(wrong)
    assert _enrolled(session, people.stranger) == 1


def _form(page_html: str, selector: str) -> tuple[str, dict[str, str]]:
    """The action and the hidden and filled-in fields of the one form `selector` names."""
    form = one(parse(page_html), selector)
    fields = {
        node.attributes["name"] or "": node.attributes.get("value") or ""
        for node in find_all(form, "input")
        if node.attributes.get("name")
    }
    return form.attributes["action"] or "", fields


def test_an_institution_enrols_a_stranger_only_through_the_id_and_birth_date(
    app, session: Session
) -> None:
    world = _world(session)
    people = _people(session, world)
    client = _client(app, "institution_own", world)
    course = world.params["course_id"]
    action, fields = _form(client.get(f"/courses/{course}/enrol").text, 'form[role="search"]')
    fields |= {"find_id": STRANGER_ID, "find_birth": "03/02/1999"}
    answer = client.post(action, data=fields)
    assert answer.status_code == 200
    # The answer is "found" and what was typed: nothing of the person.
    assert "Bí Mật" not in answer.text and "911" not in answer.text
    assert find_all(parse(answer.text), "[data-person-id]") == []
    action, fields = _form(answer.text, "form#enrol-found")
    assert "person_id" not in fields
    fields["enrolled_on"] = "2026-03-02"  # the form offers today; the course ran in 2026
    enrolled = client.post(action, data=fields, follow_redirects=False)
    assert (enrolled.status_code, enrolled.headers["location"]) == (303, f"/courses/{course}"), (
        fields
    )
    assert _enrolled(session, people.stranger) == 2
    # Now the institution's trainee: their data, its own enrolment, a count of the others.
    page = parse(client.get(f"/trainees/{people.stranger}").text)
    assert text(one(page, 'dd[data-field="citizen_id"]')) == STRANGER_ID
    assert [row.attributes["data-course-id"] for row in body_rows(page, "table#enrolments")] == [
        str(course)
    ]
    assert one(page, "#enrolled-elsewhere").attributes["data-count"] == "1"


def test_an_employer_refers_and_hires_its_ranking_its_referrals_and_its_cohort(
    app, session: Session
) -> None:
    world = _world(session)
    people = _people(session, world)
    client = _client(app, "employer_own", world)
    vacancy = world.params["vacancy_id"]
    page = client.get(f"/vacancies/{vacancy}/candidates").text
    listed = {node.attributes["data-person"] for node in find_all(parse(page), "li.candidate")}
    assert listed == {str(people.ranked)}
    refer_url = f"/vacancies/{vacancy}/candidates/{people.ranked}/refer"
    action, fields = _form(page, f'form[action="{refer_url}"]')
    assert client.post(action, data=fields, follow_redirects=False).status_code == 303
    unranked = session.get(Vacancy, int(str(vacancy)))
    unranked.age_max = unranked.age_min = 15  # type: ignore[union-attr]
    session.commit()  # nobody is eligible now: a referral stays related
    for person_id in (people.ranked, people.cohort):
        url = f"/vacancies/{vacancy}/candidates/{person_id}/hire"
        assert client.post(url, data={}, follow_redirects=False).status_code == 303, person_id
    hired = session.execute(
        select(Referral.person_id).where(Referral.status == "hired")  # type: ignore[arg-type]
    ).scalars()
    assert sorted(hired) == sorted([people.ranked, people.cohort])
    session.rollback()
    other = _client(app, "employer_other", world)
    url = f"/vacancies/{vacancy}/candidates/{people.ranked}/withdraw"
    assert other.post(url, data={}).status_code == 404
