"""The machine API's two figures, in-process (the ASGI app through Starlette's test client: no
network, nothing listens), on a fresh database:

    .venv/bin/python bench/bench_api.py                   # SQLite in a temporary folder
    .venv/bin/python bench/bench_api.py --vacancies 2000 --people 5000
    .venv/bin/python bench/bench_api.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

(a) read: every public vacancy through `GET /api/v1/vacancies` by cursor (200 a page):
    records per second (goal >= 1,000/s). Baseline in the same run: the same pages read by
    the query alone (models.queries.vacancy_sync), so the API's own cost shows.
(b) push: 10,000 enrolments in batches of 500 through `POST /api/v1/courses/{id}/enrolments`
    (20 courses of 500 places; every person new): total time (goal < 20 s). Baseline in the
    same run: one batch written by the service alone (web.services.enrolment_batches), times
    the number of batches. Then a batch with one bad item is sent: it must write nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 500
FAMILY = ["Lò", "Quàng", "Giàng", "Lường", "Cà", "Vừ", "Tòng", "Mùa", "Nguyễn", "Sùng"]
GIVEN = ["Minh", "Mai", "Dính", "Pàng", "Thắm", "Hùng", "Sinh", "Xuân", "Lan", "Chứ"]
COMMUNES = ["03127", "Xã Quài Tở", "Xã Mường Ảng", "Phường Mường Thanh"]
ETHNIC = ["03", "Thái", "Mông", "Kinh"]


def _database(postgres: str | None, folder: Path) -> tuple[Any, Callable[[], None]]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlmodel import SQLModel

    from models.db import make_engine, normalise_url

    if postgres is None:
        engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
        SQLModel.metadata.create_all(engine)
        return engine, engine.dispose
    base = make_url(normalise_url(postgres))
    name = f"bench_api_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(base.set(database=name).render_as_string(hide_password=False))
    SQLModel.metadata.create_all(engine)

    def drop() -> None:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return engine, drop


def trainees(count: int, start: int, seed: int = 7) -> list[dict[str, Any]]:
    """Valid, distinct people: each ID number agrees with the birth date and the sex."""
    rng = random.Random(seed + start)
    items = []
    for index in range(start, start + count):
        male = rng.random() < 0.5
        born = date(rng.randint(1975, 2008), rng.randint(1, 12), rng.randint(1, 28))
        century_sex = (0 if born.year < 2000 else 2) + (0 if male else 1)
        items.append(
            {
                "citizen_id": f"011{century_sex}{born.year % 100:02d}{index:06d}",
                "full_name": f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}",
                "birth_date": born.isoformat(),
                "sex": "nam" if male else "nu",
                "ethnicity": rng.choice(ETHNIC),
                "commune": rng.choice(COMMUNES),
                "phone": f"09{rng.randint(12, 89)}{rng.randint(100000, 999999)}",
                "consent": bool(index % 2),
            }
        )
    return items


def _world(engine: Any, vacancies: int, courses: int) -> tuple[list[int], str, int]:
    from sqlmodel import Session

    from models.clock import today
    from models.enums import ApiScope
    from seed.reference import load_reference_data
    from tests import factories
    from tests.web.api_world import make_token

    with Session(engine, expire_on_commit=False) as session:
        load_reference_data(session)
        employer = factories.employer(session)
        for n in range(vacancies):
            factories.vacancy(session, employer_id=employer.id, title=f"Công nhân may {n}")
        institution = factories.institution(session)
        occupation = factories.occupation(session)
        start = today() - timedelta(days=30)
        course_ids = [
            factories.course(
                session,
                institution_id=institution.id,
                occupation_id=occupation.id,
                capacity=BATCH,
                start_date=start,
                end_date=start + timedelta(days=120),
            ).id
            or 0
            for _ in range(courses + 2)  # and one for the baseline, one for the bad batch
        ]
        session.commit()
        token = make_token(
            session, institution_id=institution.id, scopes=(ApiScope.ENROLMENTS_WRITE,)
        )
        return course_ids, token, institution.id or 0


def read_vacancies(client: Any) -> tuple[int, float]:
    started, count, cursor = time.perf_counter(), 0, None
    while True:
        params: dict[str, Any] = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/vacancies", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        count += len(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return count, time.perf_counter() - started


def read_by_query(engine: Any) -> tuple[int, float]:
    from sqlmodel import Session

    from models.clock import today
    from models.queries.vacancy_sync import vacancies_after

    started, count, after = time.perf_counter(), 0, None
    with Session(engine) as session:
        while True:
            rows = vacancies_after(
                session, on=today(), employer_id=None, after=after, updated_since=None, limit=200
            )
            count += len(rows)
            if len(rows) < 200:
                return count, time.perf_counter() - started
            after = (rows[-1].updated_at, rows[-1].id or 0)


def push_batches(client: Any, token: str, course_ids: list[int], people: int) -> float:
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    for number, start in enumerate(range(0, people, BATCH)):
        body = {"items": trainees(min(BATCH, people - start), start)}
        response = client.post(
            f"/api/v1/courses/{course_ids[number]}/enrolments",
            json=body,
            headers={**headers, "Idempotency-Key": f"bench-{number}"},
        )
        assert response.status_code == 201, response.text[:500]
    return time.perf_counter() - started


def service_batch(engine: Any, course_id: int, institution_id: int) -> float:
    """One batch through the service alone, as an institution token's caller."""
    from sqlmodel import Session

    from models.db import unit_of_work
    from models.enums import ApiScope, OrganisationKind
    from web.api.auth import ApiCaller
    from web.services.enrolment_batches import enrol_batch

    caller = ApiCaller(
        token_id=1,
        org_kind=OrganisationKind.INSTITUTION,
        scopes=frozenset({ApiScope.ENROLMENTS_WRITE}),
        institution_id=institution_id,
    )
    items = trainees(BATCH, 900_000)
    started = time.perf_counter()
    with Session(engine) as session, unit_of_work(session):
        enrol_batch(session, principal=caller, course_id=course_id, items=items)
    return time.perf_counter() - started


def bad_batch_writes_nothing(client: Any, engine: Any, token: str, course_id: int) -> bool:
    from sqlmodel import Session, func, select

    from models.tables import Enrolment

    def count() -> int:
        with Session(engine) as session:
            query = select(func.count()).select_from(Enrolment)
            return int(session.exec(query.where(Enrolment.course_id == course_id)).one())

    before = count()
    items = trainees(BATCH, 950_000)
    items[BATCH // 2]["citizen_id"] = "0112"  # one bad item
    response = client.post(
        f"/api/v1/courses/{course_id}/enrolments",
        json={"items": items},
        headers={"Authorization": f"Bearer {token}"},
    )
    pointers = [each["pointer"] for each in response.json().get("errors", [])]
    return (
        response.status_code == 422
        and pointers == [f"/items/{BATCH // 2}/citizen_id"]
        and (count() == before)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vacancies", type=int, default=3000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    people = min(max(args.people, BATCH), 50_000)  # bounded
    courses = -(-people // BATCH)

    from fastapi.testclient import TestClient

    from models.encryption.keyring import Keyring
    from models.settings import Settings
    from web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        engine, drop = _database(args.postgres, Path(tmp))
        try:
            made = time.perf_counter()
            course_ids, token, institution_id = _world(engine, args.vacancies, courses)
            print(
                f"database: {engine.dialect.name}; "
                f"world built in {time.perf_counter() - made:.1f} s"
            )
            settings = Settings(
                database_url=str(engine.url),
                embedded_worker=False,
                api_requests_per_minute=10_000,
                personal_data_keys=Keyring.generate().to_json(),  # this run's own keys
            )
            with TestClient(create_app(settings, engine=engine)) as client:
                read_by_query(engine)  # warm the caches of both
                read_vacancies(client)
                base_n, base_s = read_by_query(engine)
                api_n, api_s = read_vacancies(client)
                print(f"(a) read vacancies by cursor, 200 a page: {api_n} records")
                print(f"    query alone (baseline): {base_n / base_s:10,.0f} records/s")
                print(
                    f"    GET /api/v1/vacancies:  {api_n / api_s:10,.0f} records/s (goal >= 1,000)"
                )
                one = service_batch(engine, course_ids[-2], institution_id)
                total = push_batches(client, token, course_ids, people)
                print(f"(b) push {people:,} enrolments in batches of {BATCH} ({courses} batches)")
                print(
                    f"    service alone (baseline): {one:6.2f} s a batch, "
                    f"{one * courses:6.2f} s in all"
                )
                print(
                    f"    POST .../enrolments:      {total / courses:6.2f} s a batch, "
                    f"{total:6.2f} s in all (goal < 20 s)"
                )
                intact = bad_batch_writes_nothing(client, engine, token, course_ids[-1])
                print(f"    a batch with one bad item writes nothing: {'yes' if intact else 'NO'}")
        finally:
            drop()


if __name__ == "__main__":
    main()
