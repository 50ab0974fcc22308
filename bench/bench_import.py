"""How long an Excel import of trainees takes, end to end, at 10,000 rows (or --rows N).

    .venv/bin/python bench/bench_import.py                     # SQLite in a temporary folder
    .venv/bin/python bench/bench_import.py --rows 2000
    .venv/bin/python bench/bench_import.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

Parts, each timed alone on a fresh database with the reference data loaded:

- build: writing the test workbook with openpyxl (not part of the import; for scale);
- upload: the layout check done while the user waits (header only);
- check: reading every row and checking it against the reference lists and the database,
  as the background task behind the progress page does it;
- write: the confirmation: the rows checked again inside the writing transaction, then the
  people and enrolments inserted in bulk and committed with one audit entry;
- export: the course's trainees written back to a workbook.

The figures the brief asks for are check and write (each should stay under ~30 s here).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAMILY = ["Lò", "Quàng", "Giàng", "Lường", "Cà", "Vừ", "Tòng", "Mùa", "Nguyễn", "Sùng"]
MIDDLE = ["Văn", "Thị", "A", "Seo", "Thị Thu", "Văn Hải"]
GIVEN = ["Minh", "Mai", "Dính", "Pàng", "Thắm", "Hùng", "Sinh", "Xuân", "Lan", "Chứ"]
COMMUNES = ["Xã Quài Tở", "quai to", "Xã Mường Ảng", "03127", "Thanh Minh, Điện Biên Phủ",
            "Nà Tòng, Tuần Giáo", "Phường Mường Thanh", "Xã Tủa Chùa"]  # fmt: skip
ETHNIC = ["Thái", "Mông", "H'Mông", "03", "Kinh", "Khơ Mú", "Dao"]


def trainee_rows(count: int, seed: int = 7) -> list[list[object]]:
    """Valid, distinct trainees: the ID number agrees with the date of birth and the sex."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        male = rng.random() < 0.5
        born = date(rng.randint(1975, 2008), rng.randint(1, 12), rng.randint(1, 28))
        century_sex = (0 if born.year < 2000 else 2) + (0 if male else 1)
        number = f"011{century_sex}{born.year % 100:02d}{index:06d}"
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        phone = f"09{rng.randint(12, 89)}{rng.randint(100000, 999999)}" if index % 3 else None
        rows.append([
            name, born.strftime("%d/%m/%Y"), "Nam" if male else "Nữ", rng.choice(ETHNIC),
            number, phone, rng.choice(COMMUNES), "Bản Noong Bua" if index % 4 == 0 else None,
            "Hộ nghèo" if index % 5 == 0 else None, "Không", "Có" if index % 2 else "Không",
            None,
        ])  # fmt: skip
    return rows


def build_workbook(rows: list[list[object]]) -> bytes:
    import io

    from openpyxl import Workbook

    from models.excel.columns import TRAINEE_COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Học viên")
    sheet.append([column.header for column in TRAINEE_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _database(postgres: str | None, folder: Path):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlmodel import SQLModel

    import models.tables  # noqa: F401
    from models.db import make_engine, normalise_url
    from models.encryption import Keyring, install_keys

    install_keys(Keyring.generate())  # a throwaway database: throwaway personal data keys
    if not postgres:
        engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
        SQLModel.metadata.create_all(engine)
        return engine, lambda: engine.dispose()
    base = make_url(normalise_url(postgres))
    name = f"bench_import_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(base.set(database=name).render_as_string(hide_password=False))
    SQLModel.metadata.create_all(engine)

    def drop() -> None:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return engine, drop


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(started: tuple[float, float]) -> tuple[float, float]:
    """(wall, CPU) seconds: CPU time is the steadier figure on a shared, busy machine."""
    wall, cpu = _clock()
    return wall - started[0], cpu - started[1]


def run(count: int, postgres: str | None) -> dict[str, tuple[float, float]]:
    from sqlalchemy import func
    from sqlmodel import Session, select

    from models.tables import Enrolment, Person
    from seed.reference import load_reference_data
    from tests import factories
    from web.services import imports
    from web.services.imports import store
    from web.services.imports.export import export_trainees
    from web.services.imports.store import Status
    from web.services.jobs import run_now

    timings: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine, drop = _database(postgres, folder)
        try:
            with Session(engine, expire_on_commit=False) as session:
                load_reference_data(session)
                course = factories.course(session, capacity=count + 10)
                user = factories_user(session, course.institution_id)
                session.commit()
            principal = _principal(user)
            started = _clock()
            data = build_workbook(trainee_rows(count))
            timings["build"] = _since(started)
            with Session(engine, expire_on_commit=False) as session:
                started = _clock()
                state, job_id = imports.start_import(
                    session, principal=principal, kind="trainees",
                    course_id=course.id, filename="bench.xlsx", data=data,
                )  # fmt: skip
                timings["upload"] = _since(started)
            started = _clock()
            assert run_now(engine, job_id)  # the check job, as a worker runs it
            timings["check"] = _since(started)
            with Session(engine) as session:
                checked = store.get(session, state.id)
            assert checked and checked.status == Status.READY, checked
            with Session(engine, expire_on_commit=False) as session:
                _, write_job = imports.claim_import(session, principal=principal, token=state.token)
            assert write_job is not None
            started = _clock()
            assert run_now(engine, write_job)
            timings["write"] = _since(started)
            with Session(engine) as session:
                done = store.get(session, state.id)
            assert done and done.status == Status.DONE, done
            with Session(engine, expire_on_commit=False) as session:
                people = session.exec(select(func.count()).select_from(Person)).one()
                enrolments = session.exec(select(func.count()).select_from(Enrolment)).one()
                assert people == enrolments == count, (people, enrolments)
                started = _clock()
                export_trainees(session, principal=principal, course_id=course.id)
                timings["export"] = _since(started)
            print(f"  file: {len(data) / 1e6:.2f} MB")
        finally:
            drop()
    return timings


def factories_user(session, institution_id: int):  # type: ignore[no-untyped-def]
    from models.accounts import create_user

    return create_user(
        session, username="bench", password="mật-khẩu-đủ-dài", full_name="Bench",
        role="institution", institution_id=institution_id,
    )  # fmt: skip


def _principal(user):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from models.tables import AuthSession
    from web.auth import Principal

    auth = AuthSession(
        token_hash="x", user_id=user.id, csrf_token="x", expires_at=datetime.now(UTC)
    )
    return Principal(user=user, auth=auth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL (a database is made)")
    args = parser.parse_args()
    where = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Excel import of {args.rows:,} trainees on {where}")
    timings = run(args.rows, args.postgres)
    print(f"  {'part':<8} {'wall s':>8} {'CPU s':>8}")
    for name, (wall, cpu) in timings.items():
        print(f"  {name:<8} {wall:8.2f} {cpu:8.2f}")


if __name__ == "__main__":
    main()
