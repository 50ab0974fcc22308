"""The permission matrix: every route of the site tried by every role and by a visitor.

Each GET row lists the roles that get the page (200); every other signed-in role gets 403,
and a visitor is sent to sign in (303) unless the page is public. Each POST is tried by the
roles that may NOT use it: they are refused (403, or 303 to sign in for a visitor) and the
database is unchanged. A route missing from these tables fails the test, so a new page
cannot ship without its row.

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

from models.enums import Role
from models.monitoring.read import figure_table
from models.monitoring.store import refresh_year
from models.tables import Target
from seed.reference import load_reference_data
from tests import factories
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
)
ALL_SIGNED_IN = frozenset(ROLES) - {"anonymous"}
PUBLIC = frozenset(ROLES)
STAFF_VIEW = frozenset({"admin", "official"})
INSTITUTIONS = frozenset({"institution_own", "institution_other"})
EMPLOYERS = frozenset({"employer_own", "employer_other"})

# route name -> roles that get 200 (GET). Records in the path belong to "own" organisations.
GET_ALLOWED: dict[str, frozenset[str]] = {
    "home": PUBLIC,
    "board": PUBLIC,
    "board_vacancy": PUBLIC,
    "healthz": PUBLIC,
    "api_home_figures": PUBLIC,
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
    "vacancies": STAFF_VIEW | EMPLOYERS,
    "vacancy_new": frozenset({"admin"}) | EMPLOYERS,
    "vacancy_detail": STAFF_VIEW | {"employer_own"},
    "vacancy_edit": frozenset({"admin", "employer_own"}),
    "vacancy_candidates": STAFF_VIEW | {"employer_own"},
    "vacancy_referrals": STAFF_VIEW | {"employer_own"},
    "training_orders": STAFF_VIEW | INSTITUTIONS | EMPLOYERS,
    "training_order_new": frozenset({"admin"}) | EMPLOYERS,
    "training_order_detail": STAFF_VIEW | {"institution_own", "employer_own"},
    "users": frozenset({"admin"}),
    "user_new": frozenset({"admin"}),
    "imports": STAFF_VIEW | INSTITUTIONS,  # officials use its export forms
    "import_template": frozenset({"admin"}) | INSTITUTIONS,
    "import_preview": frozenset(),  # an unknown token: nobody sees anything
    "import_progress": frozenset(),
    "export_trainees": STAFF_VIEW | {"institution_own"},
    "export_results": STAFF_VIEW | {"institution_own"},
    "follow_ups": STAFF_VIEW | INSTITUTIONS,
    "targets": STAFF_VIEW,
    "target_edit": frozenset({"admin"}),
    "labour_force": STAFF_VIEW,
    "labour_force_template": STAFF_VIEW,
    "supply_demand": STAFF_VIEW | INSTITUTIONS,  # institutions decide what to train
    "supply_demand_csv": STAFF_VIEW | INSTITUTIONS,
    "reports": STAFF_VIEW,
    "report_xlsx": STAFF_VIEW,
    "report_print": STAFF_VIEW,
    "report_csv": STAFF_VIEW,
    "report_zip": STAFF_VIEW,
    "dashboard": STAFF_VIEW,
    "dashboard_drill": STAFF_VIEW,
    "dashboard_drill_csv": STAFF_VIEW,
}

# Routes whose record does not exist in the world: the roles that may reach it get 404.
NOT_FOUND: dict[str, frozenset[str]] = {
    "import_preview": frozenset({"admin"}) | INSTITUTIONS,
    "import_progress": frozenset({"admin"}) | INSTITUTIONS,
}

# Routes that declare no permission: open to visitors, or (signing out) working even when
# the session has already expired.
UNDECLARED = frozenset(
    {
        "home",
        "board",
        "board_vacancy",
        "healthz",
        "api_home_figures",
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
}

# Query strings a route needs to say which records it is about.
QUERY = {"export_trainees": "?course_id={course_id}", "export_results": "?course_id={course_id}"}

# route name -> roles that may use it; all others are refused. Visitors always are.
POST_ALLOWED: dict[str, frozenset[str]] = {
    "login_submit": PUBLIC,
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
    "vacancy_create": frozenset({"admin"}) | EMPLOYERS,
    "vacancy_update": frozenset({"admin", "employer_own"}),
    "vacancy_close": frozenset({"admin", "employer_own"}),
    "candidate_step": frozenset({"admin", "official", "employer_own"}),
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
    "labour_force_import": STAFF_VIEW,
}


@dataclass
class World:
    params: dict[str, object]
    usernames: dict[str, str]


def _world(session: Session) -> World:
    load_reference_data(session)
    own_institution = factories.institution(session)
    other_institution = factories.institution(session)
    own_employer = factories.employer(session)
    other_employer = factories.employer(session)
    course = factories.course(session, institution_id=own_institution.id, status="finished")
    person = factories.person(session, citizen_id="011201004567", consent_to_employers=True)
    factories.enrolment(
        session,
        person_id=person.id,
        course_id=course.id,
        status="tot_nghiep",
        graduated_on=date(2026, 7, 1),
    )
    vacancy = factories.vacancy(session, employer_id=own_employer.id)
    order = factories.training_order(
        session,
        employer_id=own_employer.id,
        institution_id=own_institution.id,
        occupation_id=course.occupation_id,
    )
    target_id = session.execute(select(Target.id)).scalars().first()
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
    }
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
    }
    return World(params=params, usernames=usernames)


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


def test_every_role_gets_what_the_matrix_says(app, session: Session) -> None:
    world = _world(session)
    clients = {role: _client(app, role, world) for role in ROLES}
    wrong: list[str] = []
    for method, path, name in _routes(app):
        url = (path + QUERY.get(name, "")).format(**world.params)
        for role, client in clients.items():
            if method == "GET":
                got = client.get(url, follow_redirects=False).status_code
                wrong += _check_get(name, role, got)
            elif role not in POST_ALLOWED.get(name, frozenset()):
                before = _row_counts(session)
                got = client.post(url, data={}, follow_redirects=False).status_code
                expected = 303 if role == "anonymous" else 403
                if got != expected or _row_counts(session) != before:
                    wrong.append(f"POST {name} as {role}: {got}, expected {expected}")
    assert wrong == [], "\n".join(wrong)


def _check_get(name: str, role: str, got: int) -> list[str]:
    allowed = GET_ALLOWED[name]
    if role in allowed:
        ok = got == 200 or (name == "login" and got == 303)
        expected = "200"
    elif role == "anonymous":
        ok, expected = got == 303, "303 to sign in"
    elif role in NOT_FOUND.get(name, frozenset()):
        ok, expected = got == 404, "404"
    else:
        ok, expected = got == 403, "403"
    return [] if ok else [f"GET {name} as {role}: {got}, expected {expected}"]
