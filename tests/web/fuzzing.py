"""The request fuzzer behind tests/web/test_fuzz.py and bench/bench_fuzz.py (not a test module).

It learns the site from the app itself, so a new route is fuzzed without being listed here:

1. The routes: every entry of the app's route table (`app.routes`, included routers and
   mounts too), with its methods, path parameters and declared query and form parameters.
2. A world to fuzz: the demo data at a small scale (every role's pages have records, orders in
   every state, referrals, follow-ups due, KPI figures), one trainee import waiting for
   confirmation, and a client signed in as each role (plus a visitor).
3. A crawl: each role opens every page it reaches from the parameterless pages by following
   links, and every form on those pages is read (its action, its fields with their values and
   choices). That gives real values for path parameters and the names of the fields that
   routes read from the posted form (`FormDep`) or from the query string.
4. Requests: a seeded random generator takes each route in turn, as a role that reached it,
   and sends the form or URL it found with some values replaced by hostile ones (NUL, huge and
   negative numbers, 100k-character strings, right-to-left marks, emoji, wrong types, empty
   values, repeated keys). Same seed, same requests.

A route that no crawl reached can't be filled: `unfillable` names it, and the test fails, so a
new page or form must be reachable in the world (or the world must grow)."""

from __future__ import annotations

import io
import logging
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.routing import Mount, Route

from models.accounts import hash_password
from models.clock import utcnow
from models.settings import Settings
from models.tables import (
    ApiScopeAllowance,
    ApiToken,
    LoginAttempt,
    UserAccount,
    WeightProposal,
)
from tests.html import field_errors, find_all, parse
from web.app import create_app
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER
from web.forms import _form_data, form_fields

DEMO_DAY = date(2026, 11, 27)  # the demo's own "today": its courses, vacancies, follow-ups
DEMO_SCALE = 0.01  # about 85 trainees: every kind of record, built in seconds
DEMO_PASSWORD = "DienBien-2026"
ACCOUNTS = {
    "admin": "demo.admin",
    "official": "demo.official",
    "institution": "demo.college",
    "employer": "demo.employer",
}
ROLES = ("visitor", *ACCOUNTS)
VISITOR_TOKEN = "visitor-token-for-fuzzing"
PAGES_PER_ROUTE = 2  # distinct URLs of one route a role's crawl opens
URL_VALUE_MAX = 8_000  # the longest value put in a URL (servers refuse longer request lines)

NUL = "\x00"
BIG_DIGITS = "9" * 5000  # past Python's int() limit of 4300 digits
HOSTILE: tuple[str, ...] = (
    NUL,
    f"a{NUL}b",
    "%00",
    "99999999999999999999",
    str(2**31),
    str(2**63),
    str(-(2**31) - 1),
    BIG_DIGITS,
    "-1",
    "0",
    "-0",
    "1.5",
    "1e308",
    "NaN",
    "inf",
    "",
    " ",
    "x" * 100_000,
    "9" * 100_000,
    "ab " * 20_000,  # many words
    "\u202egnp.exe",  # right-to-left override
    "\u200f\u0645\u0631\u062d\u0628\u0627",  # right-to-left mark and Arabic
    "👩\u200d🌾🇻🇳" * 3,
    "\u0661\u0662",  # Arabic-Indic digits
    "１２３",  # full-width digits
    "²",  # a digit to str.isdigit(), not to int()
    "Nguyễn\u0301",  # a combining mark on an accented letter
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "../../etc/passwd",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "31/12/2026",
    "true",
    "[]",
    "{}",
    "null",
    "on",
)


# --- the app's routes ------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteSpec:
    """One method of one route: what the fuzzer may fill in."""

    method: str
    name: str
    template: str  # "/courses/{course_id}"
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    form_params: tuple[str, ...]
    file_params: tuple[str, ...]
    regex: re.Pattern[str]

    @property
    def key(self) -> str:
        return f"{self.method} {self.name}"

    def match(self, path: str) -> dict[str, str] | None:
        found = self.regex.match(path)
        return found.groupdict() if found else None


def _walk(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for route in routes:
        if hasattr(route, "original_router"):  # an included router (FastAPI >= 0.130)
            yield from _walk(route.original_router.routes, prefix)
        elif isinstance(route, (Mount, APIRoute, Route)):
            yield prefix, route


def _params(dependant: Dependant, kind: str) -> list[Any]:
    """The parameters of one kind a route and all its dependencies declare."""
    found = list(getattr(dependant, kind))
    for each in dependant.dependencies:
        found += [p for p in _params(each, kind) if p.alias not in {f.alias for f in found}]
    return found


def route_specs(app: FastAPI) -> list[RouteSpec]:
    """Every method of every route in the app's route table."""
    specs = []
    for _, route in _walk(app.routes):
        if isinstance(route, Mount):
            template = route.path + "/{path}"
            regex = re.compile("^" + re.escape(route.path) + "/(?P<path>.+)$")
            specs.append(RouteSpec("GET", str(route.name), template, ("path",), (), (), (), regex))
            continue
        path_params = tuple(route.param_convertors)
        query: tuple[str, ...] = ()
        form: tuple[str, ...] = ()
        files: tuple[str, ...] = ()
        if isinstance(route, APIRoute):
            query = tuple(each.alias for each in _params(route.dependant, "query_params"))
            body = _params(route.dependant, "body_params")
            files = tuple(p.alias for p in body if "UploadFile" in str(p.field_info.annotation))
            form = tuple(p.alias for p in body if p.alias not in files)
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            specs.append(
                RouteSpec(
                    method, route.name, route.path, path_params, query, form, files,
                    route.path_regex,
                )
            )  # fmt: skip
    return specs


def _calls(dependant: Dependant) -> Iterator[Any]:
    for each in dependant.dependencies:
        yield each.call
        yield from _calls(each)


def reads_undeclared_form(app: FastAPI) -> set[str]:
    """Keys of the routes that read the posted form as a whole (web/forms.py), whose field
    names only a page's form tells."""
    readers = {form_fields, _form_data}
    return {
        f"{method} {route.name}"
        for _, route in _walk(app.routes)
        if isinstance(route, APIRoute) and readers & set(_calls(route.dependant))
        for method in route.methods
    }


# --- pages read like a browser reads them ------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    name: str
    kind: str  # text, hidden, select, checkbox, radio, textarea, file, ...
    value: str  # what the form sends as it stands ("" for an unchecked box)
    choices: tuple[str, ...] = ()  # select options, radio and checkbox values


@dataclass(frozen=True)
class Sample:
    """A concrete request a page leads to: a link, or a form with its fields."""

    role: str
    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    fields: tuple[FormField, ...] = ()
    multipart: bool = False


def _fields(form: Any) -> tuple[FormField, ...]:
    found: dict[tuple[str, str], FormField] = {}
    order: list[FormField] = []
    for node in find_all(form, "input[name], select[name], textarea[name]"):
        name = node.attributes.get("name") or ""
        kind = (node.attributes.get("type") or "text").lower() if node.tag == "input" else node.tag
        if kind in ("submit", "button", "reset", "image"):
            continue
        value = node.attributes.get("value") or ""
        if node.tag == "select":
            options = [o.attributes.get("value") or "" for o in find_all(node, "option")]
            chosen = [o.attributes.get("value") or "" for o in find_all(node, "option[selected]")]
            value = (chosen or options[:1] or [""])[0]
            order.append(FormField(name, "select", value, tuple(options)))
        elif node.tag == "textarea":
            order.append(FormField(name, "textarea", node.text()))
        elif kind in ("checkbox", "radio"):
            checked = "checked" in node.attributes
            key = (name, kind)
            earlier = found.get(key)
            choices = (*(earlier.choices if earlier else ()), value or "on")
            sent = (value or "on") if checked else (earlier.value if earlier else "")
            found[key] = FormField(name, kind, sent, choices)
            if earlier is None:
                order.append(found[key])
            else:
                order[order.index(earlier)] = found[key]
        else:
            order.append(FormField(name, kind, value))
    return tuple(order)


def read_page(role: str, url: str, html: str) -> tuple[list[Sample], list[str]]:
    """The forms of a page (as samples) and the same-site links it carries."""
    page = parse(html)
    here = urlsplit(url)
    samples = []
    for form in find_all(page, "form"):
        action = urlsplit(form.attributes.get("action") or url)
        path = action.path or here.path
        method = (form.attributes.get("method") or "get").upper()
        multipart = (form.attributes.get("enctype") or "").startswith("multipart/")
        query = tuple(parse_qsl(action.query, keep_blank_values=True))
        samples.append(Sample(role, method, path, query, _fields(form), multipart))
    hrefs = [node.attributes.get("href") or "" for node in find_all(page, "a[href], link[href]")]
    hrefs += [node.attributes.get("src") or "" for node in find_all(page, "script[src], img[src]")]
    local = [href for href in hrefs if href.startswith("/") and not href.startswith("//")]
    return samples, local


# --- the world ----------------------------------------------------------------------------------


@dataclass
class World:
    app: FastAPI
    engine: Engine
    clients: dict[str, TestClient]
    specs: list[RouteSpec]
    samples: dict[str, list[Sample]] = field(default_factory=dict)  # spec key -> samples
    workbooks: list[tuple[str, bytes]] = field(default_factory=list)  # (filename, content)
    crawled: Counter[int] = field(default_factory=Counter)  # status -> count
    undeclared_forms: set[str] = field(default_factory=set)  # specs reading FormDep fields

    def spec_for(self, method: str, path: str) -> RouteSpec | None:
        for spec in self.specs:
            if spec.method == method and spec.match(path) is not None:
                return spec
        return None

    def close(self) -> None:
        for client in self.clients.values():
            client.__exit__(None, None, None)  # ends the lifespan _client started


def build_world(engine: Engine, import_dir: Path) -> World:
    """The demo data, a client per role, one import waiting, and the crawl of the site."""
    from models.monitoring.store import refresh_year
    from models.suggestions import compute_suggestions
    from seed.demo import generate_demo

    generate_demo(engine, years=[DEMO_DAY.year], scale=DEMO_SCALE, today=DEMO_DAY)
    with Session(engine) as session:
        compute_suggestions(session)
    refresh_year(engine, DEMO_DAY.year)
    settings = Settings(database_url=str(engine.url), import_dir=import_dir)
    app = create_app(settings, engine=engine)
    clients = {role: _client(app, role) for role in ROLES}
    world = World(app=app, engine=engine, clients=clients, specs=route_specs(app))
    world.undeclared_forms = reads_undeclared_form(app)
    _start_an_import(world)
    _an_api_token(engine)
    vacancy_id, application_id = _people_asking(engine)
    _job_fairs(engine)
    _weight_proposals(engine)
    crawl(world)
    _steps_after_a_code(world, vacancy_id, application_id)
    fill_the_rest(world)
    return world


def _an_api_token(engine: Engine) -> None:
    """A token of the demo employer (its revoke form) and the scopes its staff may grant
    (its issue form)."""
    scopes = ["vacancies:read", "vacancies:write"]
    with Session(engine) as session:
        employer_id = session.exec(
            select(UserAccount.employer_id).where(UserAccount.username == ACCOUNTS["employer"])
        ).one()
        session.add(ApiScopeAllowance(org_kind="employer", employer_id=employer_id, scopes=scopes))
        session.add(
            ApiToken(
                name="HR system",
                token_hash="0" * 64,
                prefix="dbj_fuzz",
                org_kind="employer",
                employer_id=employer_id,
                scopes=scopes,
                expires_at=utcnow() + timedelta(days=30),
            )
        )
        session.commit()


def _weight_proposals(engine: Engine) -> None:
    """A fit of the demo's outcomes, and two proposals that beat the hand weights, one of
    them adopted: the matching weights page shows its adopt and revert forms."""
    from matching.score import Weights
    from models.learned_weights import adopt, fit_proposal

    with Session(engine, expire_on_commit=False) as session:
        fit_proposal(session, on=DEMO_DAY)
        rows = [
            WeightProposal(
                fitted_on=DEMO_DAY,
                weights=Weights().as_dict(),
                hand_weights=Weights().as_dict(),
                beats_hand=True,
            )
            for _ in range(2)
        ]
        session.add_all(rows)
        session.commit()
        adopt(session, proposal_id=rows[0].id or 0, user_id=None)


def _people_asking(engine: Engine) -> tuple[int, int]:
    """State whose forms only show once people act: every demo person agreed to be shown to
    employers (the institution's "apply for this person" form), one application from the
    board, one open data request and one guidance session. Returns an open vacancy's id and
    the application's."""
    from datetime import timedelta

    from models.tables import Application, DataRequest, GuidanceSession, Person, Vacancy
    from models.vacancy_open import taking_people

    with Session(engine) as session:
        session.execute(update(Person).values(consent_to_employers=True))
        vacancy_id = session.exec(
            select(Vacancy.id).where(taking_people(DEMO_DAY)).order_by(col(Vacancy.id))
        ).first()
        person_id = session.exec(select(Person.id).order_by(col(Person.id))).first()
        assert vacancy_id is not None and person_id is not None, "the demo has no open job"
        application = Application(vacancy_id=vacancy_id, person_id=person_id, trade="may")
        request = DataRequest(
            person_id=person_id,
            kind="access",
            channel="phone",
            received_on=DEMO_DAY,
            due_on=DEMO_DAY + timedelta(days=15),
        )
        guidance = GuidanceSession(  # a counsellor's session, for /guidance/{session_id}
            form_key="fuzz-guidance", commune_code="03127", consent=True, age=20
        )
        session.add_all([application, request, guidance])
        session.commit()
        return vacancy_id, int(application.id or 0)


def _job_fairs(engine: Engine) -> None:
    """Two job fairs ahead of the demo's day: one with the demo employer's open vacancy
    registered and a person invited to it (the day's forms, the employer's withdraw form),
    one with nothing registered yet (the employer's register form)."""
    from models.tables import (
        JobFair,
        JobFairCommune,
        JobFairGuest,
        JobFairMatch,
        JobFairVacancy,
        Person,
        Vacancy,
    )
    from models.vacancy_open import taking_people

    with Session(engine) as session:
        official_id = session.exec(
            select(UserAccount.id).where(UserAccount.username == ACCOUNTS["official"])
        ).one()
        employer_id = session.exec(
            select(UserAccount.employer_id).where(UserAccount.username == ACCOUNTS["employer"])
        ).one()
        vacancy_id = session.exec(
            select(Vacancy.id)
            .where(taking_people(DEMO_DAY), col(Vacancy.employer_id) == employer_id)
            .order_by(col(Vacancy.id))
        ).first()
        person = session.exec(
            select(Person.id, Person.commune_code).order_by(col(Person.id))
        ).first()
        assert vacancy_id and person and official_id and employer_id, "no open job of the employer"
    person_id, commune = person
    # A fresh session whose first statement writes: SQLite takes the write lock at once.
    with Session(engine) as session:
        fairs = [
            JobFair(
                title=title,
                held_on=DEMO_DAY + timedelta(days=days),
                place="Điện Biên Phủ",
                created_by_id=official_id,
            )
            for title, days in (("Phiên tháng 12", 10), ("Phiên trực tuyến", 20))
        ]
        session.add_all(fairs)
        session.flush()
        for fair in fairs:
            session.add(JobFairCommune(fair_id=fair.id or 0, commune_code=commune))
        first = fairs[0].id or 0
        session.add_all(
            [
                JobFairVacancy(
                    fair_id=first,
                    vacancy_id=vacancy_id,
                    employer_id=employer_id,
                    registered_by_id=official_id,
                ),
                JobFairGuest(fair_id=first, person_id=person_id, commune_code=commune),
                JobFairMatch(fair_id=first, person_id=person_id, vacancy_id=vacancy_id, score=0.8),
            ]
        )
        session.commit()


def _steps_after_a_code(world: World, vacancy_id: int, application_id: int) -> None:
    """The public forms a visitor sees only after asking for a code (the code itself comes
    by SMS): sent as the pages send them."""
    applicant = (
        FormField("full_name", "text", "Lò Văn Thử"),
        FormField("phone", "text", "0912345678"),
        FormField("birth_year", "text", "2000"),
        FormField("sex", "select", "nam", ("nam", "nu")),
        FormField("commune_code", "text", "03127"),
        FormField("trade", "text", "may"),
        FormField("consent", "checkbox", "1", ("1",)),
    )
    steps = {
        ("POST", f"/board/{vacancy_id}/apply"): applicant,
        ("POST", f"/board/{vacancy_id}/apply/confirm"): (
            *applicant,
            FormField("code", "text", "123456"),
        ),
        ("POST", "/my-applications/confirm"): (
            FormField("phone", "text", "0912345678"),
            FormField("code", "text", "123456"),
        ),
        ("POST", f"/my-applications/{application_id}/withdraw"): (),
    }
    for (method, path), fields in steps.items():
        spec = world.spec_for(method, path)
        assert spec is not None, f"no route for {method} {path}"
        if not world.samples.get(spec.key):
            world.samples[spec.key] = [Sample("visitor", method, path, (), fields)]


def _client(app: FastAPI, role: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()  # runs the app's lifespan
    client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
    client.headers[CSRF_HEADER] = VISITOR_TOKEN
    if role != "visitor":
        sign_in(client, role)
    return client


def sign_in(client: TestClient, role: str) -> bool:
    client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
    client.headers[CSRF_HEADER] = VISITOR_TOKEN
    form = {"username": ACCOUNTS[role], "password": DEMO_PASSWORD, "next": "/"}
    response = client.post("/login", data=form, follow_redirects=False)
    if response.status_code != 303:
        return False
    page = parse(client.get("/account").text)
    tokens = [node.attributes.get("value") or "" for node in find_all(page, f"[name={CSRF_FIELD}]")]
    if not tokens:
        return False
    client.headers[CSRF_HEADER] = tokens[0]
    return True


def restore_accounts(world: World) -> None:
    """Fuzzed forms may deactivate a demo account or reset its password (an administrator's
    reset, or the account's own change), and fuzzed sign-ins with wrong passwords make the
    next sign-in wait (the guard's back-off): switch the accounts back on with the demo
    password and forget the failed attempts, as the back-off's wait would."""
    with Session(world.engine) as session:
        query = update(UserAccount).where(UserAccount.username.in_(ACCOUNTS.values()))  # type: ignore[attr-defined]
        session.execute(
            query.values(
                is_active=True,
                must_change_password=False,
                password_hash=hash_password(DEMO_PASSWORD),
            )
        )
        session.execute(delete(LoginAttempt).where(col(LoginAttempt.succeeded).is_(False)))
        session.commit()


def _start_an_import(world: World) -> None:
    """A course's results exported by the college and uploaded again: an import waiting to
    be confirmed, and a well-formed workbook to upload while fuzzing."""
    college = world.clients["institution"]
    courses = [s for s in _links_of(college, "/courses") if re.fullmatch(r"/courses/\d+", s)]
    assert courses, "the demo college has no course to export"
    course_id = courses[0].rsplit("/", 1)[1]
    exported = college.get(f"/exports/results?course_id={course_id}")
    assert exported.status_code == 200, exported.status_code
    world.workbooks.append(("results.xlsx", exported.content))
    world.workbooks.append(("hostile.xlsx", hostile_workbook(exported.content)))
    files = {"file": ("results.xlsx", exported.content, XLSX)}
    data = {"kind": "results", "course_id": course_id}
    uploaded = college.post("/imports", data=data, files=files, follow_redirects=False)
    assert uploaded.status_code == 303, field_errors(parse(uploaded.text))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _links_of(client: TestClient, url: str) -> list[str]:
    response = client.get(url)
    return [urlsplit(link).path for link in read_page("", url, response.text)[1]]


def hostile_workbook(content: bytes) -> bytes:
    """The same workbook with hostile values in every cell below its header rows."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    chooser = random.Random(len(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2, max_row=max(sheet.max_row, 4)):
            for cell in row:
                value = chooser.choice(HOSTILE)
                if NUL not in value and len(value) < 30_000:  # what a cell can hold
                    cell.value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def crawl(world: World) -> None:
    """Each role opens the pages it reaches from the parameterless GET routes, at most
    PAGES_PER_ROUTE URLs of each route, and keeps every link and form as a sample. A file
    (a workbook, a CSV) is downloaded by the first role only: building it is slow, and it
    holds no links or forms."""
    starts = [s.template for s in world.specs if s.method == "GET" and not s.path_params]
    files: set[str] = set()  # keys of the routes that answered with a file
    for role, client in world.clients.items():
        queue = list(starts)
        seen: set[str] = set()
        opened: Counter[str] = Counter()
        while queue:
            url = queue.pop(0)
            spec = world.spec_for("GET", urlsplit(url).path)
            if url in seen or spec is None or opened[spec.key] >= PAGES_PER_ROUTE:
                continue
            seen.add(url)
            opened[spec.key] += 1
            target = urlsplit(url)
            if spec.key in files:
                sample = Sample(role, "GET", target.path, tuple(parse_qsl(target.query, True)))
                world.samples[spec.key].append(sample)
                continue
            response = client.get(url, follow_redirects=False)
            world.crawled[response.status_code] += 1
            if response.status_code >= 500:
                raise AssertionError(f"crawling as {role}: GET {url} gave {response.status_code}")
            if response.status_code >= 400:
                continue
            world.samples.setdefault(spec.key, []).append(
                Sample(role, "GET", target.path, tuple(parse_qsl(target.query, True)))
            )
            if response.status_code in (301, 302, 303, 307):
                queue.append(response.headers["location"])
                continue
            if "html" not in response.headers.get("content-type", ""):
                files.add(spec.key)
                continue
            forms, links = read_page(role, url, response.text)
            for sample in forms:
                found = world.spec_for(sample.method, sample.path)
                known = world.samples.setdefault(found.key, []) if found else []
                if found is not None and sample not in known:
                    known.append(sample)
            queue.extend(links)


def fill_the_rest(world: World) -> None:
    """A route no page showed (a step offered only in some state, a page only redirected to)
    is filled from path values seen on other routes with the same parameter names, and its
    declared form parameters, as every role that saw those values. A route that reads fields
    it does not declare (`FormDep`) needs a form on some page."""
    seen: dict[str, dict[str, set[str]]] = {}  # parameter -> value -> roles
    for spec in world.specs:
        for sample in world.samples.get(spec.key, []):
            for name, value in (spec.match(sample.path) or {}).items():
                seen.setdefault(name, {}).setdefault(value, set()).add(sample.role)
    for spec in world.specs:
        if world.samples.get(spec.key) or spec.key in world.undeclared_forms:
            continue
        if not all(seen.get(name) for name in spec.path_params):
            continue
        values = {name: sorted(seen[name])[0] for name in spec.path_params}
        roles = set(world.clients).intersection(*(seen[n][values[n]] for n in spec.path_params))
        path = spec.template
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        fields = tuple(FormField(name, "text", "") for name in spec.form_params)
        fields += tuple(FormField(name, "file", "") for name in spec.file_params)
        world.samples[spec.key] = [
            Sample(role, spec.method, path, (), fields, bool(spec.file_params))
            for role in sorted(roles)
        ]


def unfillable(world: World) -> list[str]:
    """Routes the crawl found no URL or form for: the fuzzer can't fill them."""
    return [
        f"{spec.key} ({spec.template}): no page of the fuzz world links to it or has a form "
        "for it, and its path parameters or form fields are seen nowhere else"
        for spec in world.specs
        if not world.samples.get(spec.key)
    ]


# --- requests ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FuzzRequest:
    number: int
    role: str
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    form: tuple[tuple[str, str], ...] | None
    files: tuple[tuple[str, str, bytes], ...] = ()
    json_body: str | None = None
    csrf_field: str | None = None  # sent in the form instead of the header

    def url(self) -> str:
        return self.path + (f"?{urlencode(self.query)}" if self.query else "")

    def describe(self) -> str:
        parts = [f"#{self.number} as {self.role}: {self.method} {_short(self.url())}"]
        if self.form is not None:
            parts.append(f"form {[(k, _short(v)) for k, v in self.form]}")
        if self.files:
            parts.append(f"files {[(k, n, f'{len(c)} bytes') for k, n, c in self.files]}")
        if self.json_body is not None:
            parts.append(f"json {_short(self.json_body)}")
        if self.csrf_field is not None:
            parts.append(f"csrf field {_short(self.csrf_field)} (no header)")
        return " ".join(parts)


def _short(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}...({len(value)} chars)"


class Generator:
    """Seeded requests: each route in turn (shuffled per round), from a sample a role found,
    with a few values made hostile."""

    def __init__(self, world: World, seed: int) -> None:
        self.world = world
        self.rng = random.Random(seed)

    def requests(self, count: int) -> Iterator[FuzzRequest]:
        specs = [spec for spec in self.world.specs if self.world.samples.get(spec.key)]
        number = 0
        while number < count:
            round_ = list(specs)
            self.rng.shuffle(round_)
            for spec in round_[: count - number]:
                yield self.request(number, spec)
                number += 1

    def hostile(self, original: str = "") -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.6 or not original:
            return rng.choice(HOSTILE)
        if roll < 0.75:
            return original + rng.choice((NUL, "9" * 20, "\u202e", "💥", " " * 3))
        if roll < 0.85:
            return "-" + original
        return original * rng.choice((2, 1000))

    def request(self, number: int, spec: RouteSpec) -> FuzzRequest:
        rng = self.rng
        samples = self.world.samples[spec.key]
        sample = rng.choice(samples)
        role = sample.role if rng.random() < 0.85 else rng.choice(sorted(self.world.clients))
        path = self._path(spec, sample)
        given = list(sample.query)
        if spec.method == "GET":  # a search form's fields go in the query string
            given += [(f.name, f.value) for f in sample.fields if f.name != CSRF_FIELD]
        given += [(n, "") for n in spec.query_params if n not in dict(given)]
        chosen = self._pairs(given, 0.5, sample.fields if spec.method == "GET" else ())
        query = [(k, v[:URL_VALUE_MAX]) for k, v in chosen]
        form = None
        files: tuple[tuple[str, str, bytes], ...] = ()
        json_body = None
        if spec.method != "GET":
            given = [(f.name, f.value) for f in sample.fields if f.kind != "file"]
            given = [(k, v) for k, v in given if k != CSRF_FIELD]
            given += [(n, "") for n in spec.form_params if n not in dict(given)]
            form = tuple(self._pairs(given, 0.25, sample.fields))
            file_names = {f.name for f in sample.fields if f.kind == "file"} | set(spec.file_params)
            files = tuple(self._file(name) for name in sorted(file_names))
            if form and rng.random() < 0.03:  # a text field sent as a file
                name, value = rng.choice(form)
                files += ((name, "field.txt", value.encode("utf-8", "replace")),)
            if rng.random() < 0.03:
                json_body, form, files = self._json(form), None, ()
        csrf = None
        if rng.random() < 0.03:
            csrf = self.hostile(VISITOR_TOKEN)
        return FuzzRequest(
            number, role, spec.method, path, tuple(query), form, files, json_body, csrf
        )

    def _path(self, spec: RouteSpec, sample: Sample) -> str:
        values = spec.match(sample.path) or {}
        if spec.path_params and self.rng.random() < 0.3:
            name = self.rng.choice(spec.path_params)
            values[name] = self.hostile(values.get(name, ""))[:URL_VALUE_MAX]
        path = spec.template
        for name in spec.path_params:
            value = values.get(name, "")
            safe = "/" if name == "path" and NUL not in value else ""
            path = path.replace("{" + name + "}", quote(value, safe=safe) if value else "x")
        path = re.sub(r"\{(\w+):\w+\}", lambda m: quote(values.get(m.group(1), "x")), path)
        return path

    def _pairs(
        self, pairs: list[tuple[str, str]], share: float, fields: tuple[FormField, ...] = ()
    ) -> list[tuple[str, str]]:
        rng = self.rng
        choices = {f.name: f.choices for f in fields if f.choices}
        out = []
        for name, value in pairs:
            roll = rng.random()
            if roll < share:
                out.append((name, self.hostile(value)))
            elif roll < share + 0.1 and choices.get(name):
                out.append((name, rng.choice(choices[name])))
            elif roll < share + 0.15:
                continue  # left out
            else:
                out.append((name, value))
            if rng.random() < 0.05:
                out.append((name, self.hostile(value)))  # the same key again
        if pairs and rng.random() < 0.05:
            out.append((self.hostile("x")[:50] or "x", self.hostile()))
        return out

    def _file(self, name: str) -> tuple[str, str, bytes]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4 and self.world.workbooks:
            filename, content = rng.choice(self.world.workbooks)
            return name, filename, content
        if roll < 0.6:
            return name, "data.xlsx", rng.randbytes(rng.choice((0, 10, 5000)))
        if roll < 0.7:
            return name, self.hostile("a.xlsx"), b"PK\x03\x04" + rng.randbytes(100)
        return name, "notes.csv", self.hostile("a,b\n1,2").encode("utf-8", "replace")

    def _json(self, form: Iterable[tuple[str, str]] | None) -> str:
        import json

        return json.dumps(dict(form or ()) | {"x": self.rng.choice((NUL, "ok", 10**30))})


# --- sending ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())


class _LastError(logging.Handler):
    """Keeps the last unhandled error the app logged, to show beside the failing request."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.last: str = ""

    def emit(self, record: logging.LogRecord) -> None:
        info = record.exc_info
        self.last = f"{info[0].__name__}: {info[1]}" if info and info[0] else record.getMessage()


def send(world: World, request: FuzzRequest) -> Response:
    client = world.clients[request.role]
    headers = {}
    kwargs: dict[str, Any] = {}
    if request.json_body is not None:
        kwargs["content"] = request.json_body.encode()
        headers["content-type"] = "application/json"
    elif request.files:
        data: dict[str, list[str]] = {}
        for key, value in _with_csrf(request):
            data.setdefault(key, []).append(value)
        kwargs["data"] = data
        kwargs["files"] = [(k, (n, c, XLSX)) for k, n, c in request.files]
    elif request.form is not None:
        kwargs["content"] = urlencode(list(_with_csrf(request))).encode()
        headers["content-type"] = "application/x-www-form-urlencoded"
    if request.csrf_field is not None:
        saved = client.headers.pop(CSRF_HEADER, None)
    try:
        return client.request(
            request.method, request.url(), headers=headers, follow_redirects=False, **kwargs
        )
    finally:
        if request.csrf_field is not None and saved is not None:
            client.headers[CSRF_HEADER] = saved


def _with_csrf(request: FuzzRequest) -> list[tuple[str, str]]:
    pairs = list(request.form or ())
    if request.csrf_field is not None:
        pairs.append((CSRF_FIELD, request.csrf_field))
    return pairs


def run(
    world: World,
    requests: Iterable[FuzzRequest],
    *,
    on_each: Callable[[FuzzRequest, Response], None] | None = None,
) -> Outcome:
    """Send the requests; a 5xx is a failure, kept with its request and the logged error."""
    outcome = Outcome()
    errors = _LastError()
    logger = logging.getLogger("web")
    logger.addHandler(errors)
    try:
        for request in requests:
            errors.last = ""
            response = send(world, request)
            outcome.statuses[response.status_code] += 1
            if response.status_code >= 500:
                outcome.failures.append(f"{response.status_code} {request.describe()}")
                outcome.failures.append(f"    {errors.last or response.text[:200]}")
            _keep_signed_in(world, request.role, response)
            if on_each is not None:
                on_each(request, response)
    finally:
        logger.removeHandler(errors)
    return outcome


def _keep_signed_in(world: World, role: str, response: Response) -> None:
    """A fuzzed sign-out or deactivation ends a role's session: sign in again."""
    lost = response.status_code == 303 and "/login" in response.headers.get("location", "")
    if role == "visitor" or not lost:
        return
    client = world.clients[role]
    if not sign_in(client, role):
        restore_accounts(world)
        assert sign_in(client, role), f"could not sign in again as {role}"
