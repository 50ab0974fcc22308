"""A walk over every GET route of the site, as each role, on a database of demo data.

Used by the page benchmark (bench/bench_pages.py: a server on loopback, timed) and by the
query-count guard (tests/web/test_query_counts.py: in process, statements counted). The routes
come from the app's route table (tests/web/route_table.py); their path parameters from the
PROVIDERS below, which pick realistic records for the caller in the database (the demo's own
institution's busiest course, the employer's vacancy with the most referrals, ...). A route
whose path parameter has no provider is a `WalkError`: a new route cannot be left out.

Callers: a visitor, the six demo accounts (seed/demo/accounts.py) and, for `/api/v1`, a
visitor and an API token of each kind of organisation (`stage` makes them, with every scope).
An API route is visited by every API caller; the walk keeps those it answers with 200.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session

from models.clock import utcnow
from models.enums import ApiScope, OrganisationKind, Role
from models.monitoring.read import figure_table
from models.queries.api_tokens import TOKEN_PREFIX, token_digest
from models.tables import (
    ApiToken,
    ExcelImport,
    GuidanceSession,
    JobFair,
    JobFairCommune,
    JobFairVacancy,
    TrainingOrder,
)
from tests.web.route_table import ServedRoute, served_routes

DEMO_PASSWORD = "DienBien-2026"  # seed.demo.accounts.DEMO_PASSWORD
DEMO_ACCOUNTS = {
    Role.ADMIN: "demo.admin",
    Role.OFFICIAL: "demo.official",
    Role.INSTITUTION: "demo.college",
    Role.EMPLOYER: "demo.employer",
    Role.COMMUNE: "demo.commune",
    Role.JOB_CENTRE: "demo.centre",
}
ANONYMOUS = "anonymous"
STAGED_FAIR = "Phiên giao dịch việc làm (trang đo)"
STAGED_GUIDANCE = "page-walk-guidance"
# Routes not walked, and why.
NOT_WALKED = {
    "login": "a sign-in form (each caller signs in before the walk)",
}
# Roles that POLICY lets in but that the route answers 404 whatever the record (the same rows
# as NOT_FOUND in tests/web/test_permission_matrix.py): not walked as them.
ANSWERED_MISSING = {
    "outbox": frozenset(Role) - {Role.ADMIN},
    "job_fair_invitations": frozenset({Role.EMPLOYER}),
    "job_fair_invitations_csv": frozenset({Role.EMPLOYER}),
    "import_preview": frozenset({Role.ADMIN}),  # an import is shown to the user who made it
    "import_progress": frozenset({Role.ADMIN}),
}
# Routes whose walked record answers with another status than 200, and why.
EXPECTED_STATUS = {
    "import_progress": 303,  # the staged import has finished: its progress sends to the preview
}


class WalkError(Exception):
    """The walk cannot cover a route: no provider for a path parameter."""


@dataclass(frozen=True)
class Caller:
    """Who makes the requests: a visitor, a demo account, or an API token."""

    label: str
    role: Role | None = None
    username: str = ""
    institution_id: int | None = None
    employer_id: int | None = None
    commune_code: str | None = None
    token: str = ""  # an API token's secret
    api_only: bool = False  # only the /api/v1 routes

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


@dataclass(frozen=True)
class Visit:
    """One URL to request as one caller; `key` names it in tables and in the count file."""

    caller: Caller
    route: ServedRoute
    variant: str  # the query string ('' for none)
    url: str

    @property
    def key(self) -> str:
        shown = self.route.name + (f" {self.variant}" if self.variant else "")
        return f"{self.caller.label}: {shown}"

    @property
    def download(self) -> bool:
        return bool(re.search(r"\.(csv|xlsx|docx|zip)$|export|template|my-data", self.route.path))


# ---- who walks ---------------------------------------------------------------------------


def callers(session: Session, tokens: dict[str, str]) -> list[Caller]:
    """The visitor, the demo accounts found in the database and the API tokens `stage` made."""
    found = [Caller(ANONYMOUS)]
    rows = session.execute(
        text(
            "SELECT username, role, institution_id, employer_id, commune_code FROM user_account"
            " WHERE username IN :names"
        ).bindparams(_expanding("names")),
        {"names": list(DEMO_ACCOUNTS.values())},
    ).all()
    by_name = {row.username: row for row in rows}
    for role, username in DEMO_ACCOUNTS.items():
        row = by_name.get(username)
        if row is None:
            raise WalkError(f"the demo account {username} is missing from the database")
        found.append(
            Caller(
                str(role),
                role,
                username,
                row.institution_id,
                row.employer_id,
                row.commune_code,
            )
        )
    for kind, secret in tokens.items():
        like = next(each for each in found if each.role == _ROLE_OF_KIND[kind])
        found.append(replace(like, label=f"api {kind}", token=secret, api_only=True))
    return found


_ROLE_OF_KIND = {
    OrganisationKind.INSTITUTION: Role.INSTITUTION,
    OrganisationKind.EMPLOYER: Role.EMPLOYER,
    OrganisationKind.COMMUNE: Role.COMMUNE,
    OrganisationKind.JOB_CENTRE: Role.JOB_CENTRE,
}


def _expanding(name: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import bindparam

    return bindparam(name, expanding=True)


# ---- what the walk adds to the (copied) database -----------------------------------------


def stage(session: Session, today: date) -> dict[str, str]:
    """Records the demo does not make, so that their pages have something to show: a job fair
    two weeks ahead serving the demo commune with the demo employer's vacancy, a guidance
    session in that commune, and an API token (every scope) for each kind of organisation.
    Returns the tokens' secrets by organisation kind. Commits."""
    accounts = {
        row.username: row
        for row in session.execute(
            text("SELECT id, username, institution_id, employer_id, commune_code FROM user_account")
        )
    }
    official, commune = accounts["demo.official"], accounts["demo.commune"]
    employer = accounts["demo.employer"]
    vacancy = session.execute(
        text(
            "SELECT id FROM vacancy WHERE employer_id = :e ORDER BY status = 'open' DESC, id DESC"
        ),
        {"e": employer.employer_id},
    ).scalar()
    fair = JobFair(
        title=STAGED_FAIR,
        held_on=today + timedelta(days=14),
        place="Điện Biên Phủ",
        created_by_id=official.id,
    )
    session.add(fair)
    session.flush()
    assert fair.id is not None
    session.add(JobFairCommune(fair_id=fair.id, commune_code=commune.commune_code))
    if vacancy is not None:
        session.add(
            JobFairVacancy(
                fair_id=fair.id,
                vacancy_id=vacancy,
                employer_id=employer.employer_id,
                registered_by_id=employer.id,
            )
        )
    session.add(
        GuidanceSession(
            form_key=STAGED_GUIDANCE,
            commune_code=commune.commune_code,
            recorded_by_id=commune.id,
            consent=False,
        )
    )
    owners = {
        OrganisationKind.INSTITUTION: {"institution_id": accounts["demo.college"].institution_id},
        OrganisationKind.EMPLOYER: {"employer_id": employer.employer_id},
        OrganisationKind.COMMUNE: {"commune_code": commune.commune_code},
        OrganisationKind.JOB_CENTRE: {},
    }
    tokens = {str(kind): _token(session, kind, owner) for kind, owner in owners.items()}
    _stage_order(session, accounts["demo.college"].institution_id, employer.employer_id, today)
    _stage_import(session, accounts["demo.college"])
    _stage_departure(session, commune.commune_code)
    session.commit()
    return tokens


def _stage_departure(session: Session, commune_code: str) -> None:
    """A small demo may send nobody from the demo commune abroad: then one person who left
    from elsewhere is moved to it, so the commune's departure pages show a row at every size
    (an empty list sends fewer statements than a full one)."""
    abroad = "l.channel = 'xuat_khau_lao_dong' AND r.withdrawn_at IS NULL"
    source = "FROM new_job_line l JOIN new_job_report r ON r.id = l.report_id JOIN person p"
    seen = session.execute(
        text(
            f"SELECT count(*) {source} ON p.id = l.person_id WHERE {abroad}"
            " AND (p.commune_code = :c OR r.commune_code = :c)"
        ),
        {"c": commune_code},
    ).scalar()
    if seen:
        return
    person = session.execute(
        text(f"SELECT max(l.person_id) {source} ON p.id = l.person_id WHERE {abroad}")
    ).scalar()
    if person is not None:
        session.execute(
            text("UPDATE person SET commune_code = :c WHERE id = :p"),
            {"c": commune_code, "p": person},
        )


def _stage_order(session: Session, institution_id: int, employer_id: int, today: date) -> None:
    """A training order from the demo employer to the demo institution, unless each has one."""
    owned = session.execute(
        text(
            "SELECT (SELECT count(*) FROM training_order WHERE institution_id = :i),"
            " (SELECT count(*) FROM training_order WHERE employer_id = :e)"
        ),
        {"i": institution_id, "e": employer_id},
    ).one()
    if owned[0] and owned[1]:
        return
    course = session.execute(
        text("SELECT occupation_id, level_code FROM course WHERE institution_id = :i"),
        {"i": institution_id},
    ).first()
    if course is None:
        return
    session.add(
        TrainingOrder(
            employer_id=employer_id,
            institution_id=institution_id,
            occupation_id=course.occupation_id,
            level_code=course.level_code,
            quantity=20,
            needed_by=today + timedelta(days=120),
            hiring_commitment=15,
        )
    )


def _stage_import(session: Session, college) -> None:  # type: ignore[no-untyped-def]
    """A finished import of trainees by the demo institution, for its preview page."""
    course_id = _one(
        session, "SELECT max(id) FROM course WHERE institution_id = :i", i=college.institution_id
    )
    if course_id is None:
        return
    session.add(
        ExcelImport(
            token=secrets.token_urlsafe(24),
            user_id=college.id,
            kind="trainees",
            course_id=course_id,
            institution_id=college.institution_id,
            filename="hoc-vien.xlsx",
            file_sha256="0" * 64,
            status="done",
            phase="writing",
        )
    )


def _token(session: Session, kind: OrganisationKind, owner: dict[str, object]) -> str:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        ApiToken(
            name="page walk",
            token_hash=token_digest(secret),
            prefix=secret[:10],
            org_kind=kind.value,
            scopes=[scope.value for scope in ApiScope],
            created_at=now,
            expires_at=now + timedelta(days=1),
            **owner,  # type: ignore[arg-type]
        )
    )
    return secret


# ---- path parameters ---------------------------------------------------------------------


def _one(session: Session, sql: str, **params: object) -> object:
    return session.execute(text(sql), params).scalar()


def _vacancy(session: Session, caller: Caller, today: date) -> object:
    if caller.label == ANONYMOUS:
        # What a visitor sees: a vacancy on the job board (taking people today).
        return _one(
            session,
            "SELECT id FROM vacancy WHERE status = 'open' AND (deadline IS NULL OR"
            " deadline >= :today) AND filled < quantity ORDER BY id DESC",
            today=today,
        )
    mine = "WHERE v.employer_id = :e" if caller.employer_id else ""
    return _one(
        session,
        "SELECT v.id FROM vacancy v LEFT JOIN referral r ON r.vacancy_id = v.id "
        f"{mine} GROUP BY v.id, v.status ORDER BY v.status = 'open' DESC, count(r.id) DESC,"
        " v.id DESC",
        e=caller.employer_id,
    )


def _course(session: Session, caller: Caller, today: date) -> object:
    mine = "WHERE c.institution_id = :i" if caller.institution_id else ""
    return _one(
        session,
        "SELECT c.id FROM course c JOIN enrolment e ON e.course_id = c.id "
        f"{mine} GROUP BY c.id ORDER BY count(e.id) DESC, c.id DESC",
        i=caller.institution_id,
    )


def _enrolment(session: Session, caller: Caller, today: date) -> object:
    return _one(
        session,
        "SELECT max(e.id) FROM enrolment e WHERE e.course_id = :c",
        c=_course(session, caller, today),
    )


def _person(session: Session, caller: Caller, today: date) -> object:
    """A graduate of the caller's busiest course (any institution's for officials)."""
    return _one(
        session,
        "SELECT person_id FROM enrolment WHERE course_id = :c ORDER BY"
        " graduated_on IS NULL, id DESC",
        c=_course(session, caller, today),
    )


def _order(session: Session, caller: Caller, today: date) -> object:
    if caller.employer_id:
        where, value = "WHERE employer_id = :v", caller.employer_id
    elif caller.institution_id:
        where, value = "WHERE institution_id = :v", caller.institution_id
    else:
        where, value = "", None
    return _one(session, f"SELECT max(id) FROM training_order {where}", v=value)


def _year(session: Session, caller: Caller, today: date) -> object:
    return _one(session, "SELECT max(year) FROM kpi_snapshot") or today.year


def _figure(session: Session, caller: Caller, today: date) -> object:
    """The year's figure of people trained: the largest drill-down."""
    figure = figure_table(session, int(str(_year(session, caller, today)))).get(
        "trained",  # type: ignore[arg-type]
        "trained",  # type: ignore[arg-type]
    )
    return figure.id if figure is not None else None


def _report(session: Session, caller: Caller, today: date) -> object:
    if caller.employer_id:
        where, value = "WHERE employer_id = :v", caller.employer_id
    elif caller.commune_code:
        where, value = "WHERE commune_code = :v", caller.commune_code
    elif caller.role == Role.JOB_CENTRE:
        where, value = "WHERE source = 'centre_report'", None
    else:
        where, value = "", None
    return _one(
        session,
        f"SELECT id FROM new_job_report {where} ORDER BY person_lines DESC, id DESC",
        v=value,
    )


def _departure_line(session: Session, caller: Caller, today: date) -> object:
    """A person line of the register in the channel of work abroad (the caller's commune's)."""
    mine = "AND (r.commune_code = :c OR p.commune_code = :c)" if caller.commune_code else ""
    return _one(
        session,
        "SELECT max(l.id) FROM new_job_line l JOIN new_job_report r ON r.id = l.report_id"
        " JOIN person p ON p.id = l.person_id"
        " WHERE l.channel = 'xuat_khau_lao_dong' AND r.withdrawn_at IS NULL"
        f" AND l.person_id IS NOT NULL {mine}",
        c=caller.commune_code,
    )


def _target(session: Session, caller: Caller, today: date) -> object:
    return _one(
        session,
        "SELECT id FROM target ORDER BY year = :y DESC, id",
        y=_year(session, caller, today),
    )


def _import(session: Session, caller: Caller, today: date) -> object:
    return _one(session, "SELECT token FROM excel_import ORDER BY id DESC")


PROVIDERS: dict[str, Callable[[Session, Caller, date], object]] = {
    "vacancy_id": _vacancy,
    "course_id": _course,
    "enrolment_id": _enrolment,
    "person_id": _person,
    "order_id": _order,
    "year": _year,
    "figure_id": _figure,
    "report_id": _report,
    "line_id": _departure_line,
    "target_id": _target,
    "token": _import,
    "table_id": lambda session, caller, today: "progress",
    "source": lambda session, caller, today: "commune_report",
    "kind": lambda session, caller, today: "trainees",
    "fair_id": lambda session, caller, today: _one(
        session, "SELECT max(id) FROM job_fair WHERE title = :t", t=STAGED_FAIR
    ),
    "session_id": lambda session, caller, today: _one(
        session, "SELECT max(id) FROM guidance_session WHERE form_key = :k", k=STAGED_GUIDANCE
    ),
    "institution_id": lambda session, caller, today: (
        caller.institution_id or _one(session, "SELECT min(id) FROM institution")
    ),
    "employer_id": lambda session, caller, today: (
        caller.employer_id or _one(session, "SELECT min(id) FROM employer")
    ),
}

# Query strings a route is walked with: its filters and deep pages, as people use them. The
# first is the plain page; a route that needs one to say what it is about has no plain page.
VARIANTS: dict[str, tuple[str, ...]] = {
    "board": ("", "?q=may", "?page=3"),
    "courses": ("", "?year={year}", "?status=finished", "?q=may", "?page=5"),
    "vacancies": ("", "?status=open", "?q=cong+nhan", "?page=3"),
    "trainees": ("", "?page=20"),
    "employers": ("", "?q=cong+ty", "?page=2"),
    "user_new": ("", "?employer_q=cong+ty"),
    "follow_ups": ("", "?page=5"),
    "training_orders": ("", "?status=fulfilled"),
    "dashboard": ("", "?cut=new_jobs:commune"),
    "dashboard_drill": ("", "?page=5"),
    "reporting_status": ("", "?late=1", "?page=2"),
    "export_trainees": ("?course_id={course_id}", "?institution_id={institution_id}"),
    "export_results": ("?course_id={course_id}",),
    "exchange_graduates_export": ("?course_id={course_id}",),
    "new_jobs_exchange_export": ("",),
    "api_kpi": ("?year={year}", "?year={year}&cut=commune"),
    "api_kpi_figure_records": ("", "?limit=100"),
    "api_vacancies": ("", "?limit=200"),
    "api_courses": ("", "?limit=200"),
    "api_enrolments": ("", "?limit=200"),
}


# ---- the plan ----------------------------------------------------------------------------


@dataclass
class Plan:
    visits: list[Visit] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # a provider found no record


def walked_routes(app, only: str = "") -> list[ServedRoute]:
    """The GET routes the walk covers (those whose name or path holds `only`), checked for a
    provider of every path parameter: a route without one raises WalkError."""
    routes = [
        route
        for route in served_routes(app)
        if route.method == "GET"
        and route.name not in NOT_WALKED
        and (only in route.name or only in route.path)
    ]
    unfilled = [
        f"{route.name} ({route.path}): no provider for {name}"
        for route in routes
        for name in route.path_params
        if name not in PROVIDERS
    ]
    if unfilled:
        raise WalkError(
            "routes whose path parameters no provider fills (tests/web/page_walk.py PROVIDERS):\n"
            + "\n".join(unfilled)
        )
    return routes


def may_visit(caller: Caller, route: ServedRoute) -> bool:
    if route.api:
        return caller.label == ANONYMOUS or bool(caller.token)
    if caller.api_only:
        return False
    if route.permissions is None:
        return caller.role is None
    return caller.role in route.roles() - ANSWERED_MISSING.get(route.name, frozenset())


def plan_walk(
    session: Session,
    app,
    everyone: Iterable[Caller],
    today: date,
    *,
    roles: str = "",
    only: str = "",
) -> Plan:
    """Every (caller, route, variant) to request, with the ids filled in."""
    routes = walked_routes(app, only)
    plan = Plan()
    for caller in everyone:
        if roles and caller.label not in roles.split(","):
            continue
        for route in routes:
            if not may_visit(caller, route):
                continue
            values = {name: PROVIDERS[name](session, caller, today) for name in _needed(route)}
            empty = sorted(name for name, value in values.items() if value is None)
            if empty:
                plan.missing.append(f"{caller.label}: {route.name}: no record for {empty}")
                continue
            for variant in VARIANTS.get(route.name, ("",)):
                url = (route.path + variant).format(**values)
                plan.visits.append(Visit(caller, route, variant, url))
    session.rollback()
    return plan


def _needed(route: ServedRoute) -> set[str]:
    names = set(route.path_params)
    for variant in VARIANTS.get(route.name, ("",)):
        names |= set(re.findall(r"\{(\w+)\}", variant))
    return names


# ---- signing in --------------------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(client, caller: Caller) -> None:  # type: ignore[no-untyped-def]
    """Sign `client` (an httpx.Client or Starlette's TestClient) in as the caller; API
    callers send their token with each request instead."""
    if caller.role is None or caller.token:
        return
    page = client.get("/login")
    token = CSRF.search(page.text)
    response = client.post(
        "/login",
        data={
            "username": caller.username,
            "password": DEMO_PASSWORD,
            "csrf_token": token.group(1) if token else "",
        },
        follow_redirects=False,
    )
    if response.status_code != 303:
        raise WalkError(f"{caller.username} could not sign in: {response.status_code}")
