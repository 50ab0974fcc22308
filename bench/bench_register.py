"""How long the new-jobs register takes to import a sheet of person lines with the merge of
people already registered, and how soon the dashboard's figures count a commune's import.

    .venv/bin/python bench/bench_register.py                       # 20,000 lines, SQLite
    .venv/bin/python bench/bench_register.py --rows 5000
    .venv/bin/python bench/bench_register.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

Import (the goal: 20,000 lines with the merge in under 20 s). On a fresh database with the
reference data, the same workbook is imported twice, each time into a database of its own:

- baseline: every person on the sheet is new;
- merge: 40 % of the people are already registered (a trainee, or reported by the Employment
  Service Centre the month before), so their lines are linked to them through the keyed hash of
  the citizen ID, and 10 % of those were already reported by another source that year.

Each run reads the sheet, checks every row, cross-checks against the database and writes
people, spells and lines in one transaction (``web.services.register.import_lines``).

Figures (the goal: a commune's import shows in the year's figures within 10 s at the province's
size): after each run the year's figures are computed as the refresh job does
(``models.monitoring.store.refresh_year``); the time from the import's commit to the figures
counting its lines is the import's own time plus that refresh (the job is queued by the
import's own transaction and taken at once, this year's first). ``--province URL`` measures it
on a database that holds the demo data at the province's size (``./dev demo`` builds
var/dienbien.sqlite3): a commune's month of 40 lines, then the refresh; the report is then
withdrawn and the figures refreshed again.

    .venv/bin/python bench/bench_register.py --province sqlite:///var/dienbien.sqlite3
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from harness import REPO_ROOT  # noqa: F401  (puts the repository on sys.path)

FAMILY = ["Lò", "Quàng", "Giàng", "Lường", "Cà", "Vừ", "Tòng", "Mùa", "Nguyễn", "Sùng"]
MIDDLE = ["Văn", "Thị", "A", "Seo", "Thị Thu", "Văn Hải"]
GIVEN = ["Minh", "Mai", "Dính", "Pàng", "Thắm", "Hùng", "Sinh", "Xuân", "Lan", "Chứ"]
ETHNIC = ["Thái", "Mông", "H'Mông", "03", "Kinh", "Khơ Mú", "Dao"]
CHANNELS = [
    "Doanh nghiệp trong tỉnh",
    "Doanh nghiệp ngoài tỉnh",
    "Vay vốn tạo việc làm",
    "Chương trình khác, tự tạo việc làm",
    "Cơ quan hành chính, đơn vị sự nghiệp",
]
HEADERS = [
    "Họ và tên",
    "Số định danh cá nhân (CCCD)",
    "Ngày sinh (dd/mm/yyyy)",
    "Giới tính",
    "Dân tộc",
    "Xã/phường thường trú",
    "Công việc, nghề",
    "Đơn vị làm việc (doanh nghiệp, cơ quan)",
    "Kênh tạo việc làm",
    "Ngày bắt đầu làm việc (dd/mm/yyyy)",
]
MONTH = (2026, 3)
TODAY = date(2026, 4, 10)


def person(index: int, rng: random.Random) -> list[object]:
    male = rng.random() < 0.5
    born = date(rng.randint(1975, 2007), rng.randint(1, 12), rng.randint(1, 28))
    century_sex = (0 if born.year < 2000 else 2) + (0 if male else 1)
    number = f"011{century_sex}{born.year % 100:02d}{index:06d}"
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return [name, number, born.strftime("%d/%m/%Y"), "Nam" if male else "Nữ", rng.choice(ETHNIC)]


def line(who: list[object], rng: random.Random, channel: str | None = None) -> list[object]:
    started = date(MONTH[0], MONTH[1], rng.randint(1, 28)).strftime("%d/%m/%Y")
    return [*who, "Xã Sín Thầu", "Công nhân", "Công ty May Điện Biên",
            channel or rng.choice(CHANNELS), started]  # fmt: skip


def workbook(rows: list[list[object]]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Việc làm mới")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _database(postgres: str | None, folder: Path, tag: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlmodel import SQLModel

    import models.tables  # noqa: F401
    from models.db import make_engine, normalise_url

    if not postgres:
        engine = make_engine(f"sqlite:///{folder / f'{tag}.sqlite3'}")
        SQLModel.metadata.create_all(engine)
        return engine, engine.dispose
    base = make_url(normalise_url(postgres))
    name = f"bench_register_{tag}_{int(time.time())}"
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


def _principal(session, role: str, username: str, **binding):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from models.accounts import create_user
    from models.tables import AuthSession
    from web.auth import Principal

    user = create_user(
        session, username=username, password="mật-khẩu-đủ-dài", full_name=username,
        role=role, password_hash="x", **binding,
    )  # fmt: skip
    auth = AuthSession(token_hash=username, user_id=user.id, csrf_token="x",
                       expires_at=datetime.now(UTC))  # fmt: skip
    return Principal(user=user, auth=auth)


def _known_people(session, rows: list[list[object]], centre) -> None:  # type: ignore[no-untyped-def]
    """Register the people of ``rows``: half as trainees, half as reported by the centre in
    February (a tenth of those in March, by another source than the commune)."""
    from models.tables import Person
    from tests import factories
    from web.services.register import import_lines

    half = len(rows) // 2
    for row in rows[:half]:
        name, number, born, sex = row[:4]
        day, month, year = (int(part) for part in str(born).split("/"))
        session.add(
            Person(
                **_name(str(name)),
                citizen_id=str(number),
                birth_date=date(year, month, day),
                sex="nam" if sex == "Nam" else "nu",
                ethnicity_code="03",
                commune_code="03158",
            )
        )
    session.commit()
    del factories
    rng = random.Random(11)
    reported = []
    for index, row in enumerate(rows[half:]):
        if index % 10 == 0:  # the same job, reported by the centre as well
            reported.append(line(row[:5], rng, "Doanh nghiệp trong tỉnh"))
        else:
            started = [*line(row[:5], rng)]
            started[-1] = date(MONTH[0], MONTH[1] - 1, 10).strftime("%d/%m/%Y")
            reported.append(started)
    march = [r for r in reported if r[-1].endswith(f"/{MONTH[1]:02d}/{MONTH[0]}")]
    february = [r for r in reported if r not in march]
    for period, chosen in (("2026-02", february), ("2026-03", march)):
        if chosen:
            outcome = import_lines(
                session, principal=centre, period=period, on_behalf_of=None,
                filename=f"centre-{period}.xlsx", data=workbook(chosen),
            )  # fmt: skip
            assert outcome.report is not None, outcome.checks.errors[:3]


def _name(full: str) -> dict[str, str]:
    from models.people import name_fields

    return name_fields(full)


def run(count: int, postgres: str | None, *, merge: bool) -> dict[str, float]:
    import time_machine
    from sqlalchemy import func
    from sqlmodel import Session, select

    from models.encryption import Keyring, install_keys
    from models.monitoring.read import figure_table
    from models.monitoring.store import refresh_year
    from models.tables import NewJobLine, Person
    from seed.reference import load_reference_data
    from web.services.register import import_lines

    install_keys(Keyring.generate())  # a throwaway database: throwaway personal data keys
    rng = random.Random(7)
    people = [person(index, rng) for index in range(count)]
    rows = [line(who, rng) for who in people]
    # The commune reports the centre's double-reported jobs with the same channel, so they
    # are the same job reported twice (linked), not two jobs.
    known = people[: int(count * 0.4)] if merge else []
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, time_machine.travel(TODAY, tick=True):
        engine, drop = _database(postgres, Path(tmp), "merge" if merge else "base")
        try:
            with Session(engine, expire_on_commit=False) as session:
                load_reference_data(session)
                commune = _principal(session, "commune", "xa", commune_code="03158")
                centre = _principal(session, "job_centre", "trung.tam")
                session.commit()
                if known:
                    _known_people(session, known, centre)
                    half = len(known) // 2
                    for index in range(half, len(known), 10):
                        rows[index][-2] = "Doanh nghiệp trong tỉnh"
            data = workbook(rows)
            with Session(engine, expire_on_commit=False) as session:
                started = time.perf_counter()
                outcome = import_lines(
                    session, principal=commune, period="2026-03", on_behalf_of=None,
                    filename="xa-thang-3.xlsx", data=data,
                )  # fmt: skip
                figures["import"] = time.perf_counter() - started
            assert outcome.report is not None, outcome.checks.errors[:5]
            started = time.perf_counter()
            refresh_year(engine, MONTH[0])
            figures["refresh"] = time.perf_counter() - started
            with Session(engine) as session:
                stored_people = session.exec(select(func.count()).select_from(Person)).one()
                lines = session.exec(select(func.count()).select_from(NewJobLine)).one()
                total = figure_table(session, MONTH[0]).value("new_jobs", "people")
            figures.update(people=stored_people, lines=lines, new_jobs=total or 0)
        finally:
            drop()
    return figures


def province(url: str, count: int = 40) -> dict[str, float]:
    """On a database holding the demo data (the province's size): a commune officer's import
    of one month (``count`` lines, people new to the platform), then the refresh of the year
    as the job queue runs it, timed apart; the report is withdrawn and the year refreshed
    again at the end, so the database is left as it was."""
    from sqlmodel import Session

    from models.clock import today
    from models.db import make_engine
    from models.encryption import install_keys, load_keys
    from models.monitoring.read import figure_table
    from models.monitoring.store import refresh_year
    from models.settings import Settings
    from web.services.register import import_lines, withdraw_report

    install_keys(load_keys(Settings(database_url=url)).keyring)  # the demo's own keys
    engine = make_engine(url)
    day = today()
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    rng = random.Random(3)
    rows = []
    for index in range(count):
        row = line(person(900_000 + index, rng), rng)
        row[-1] = date(year, month, rng.randint(1, 28)).strftime("%d/%m/%Y")
        rows.append(row)
    figures: dict[str, float] = {}
    with Session(engine, expire_on_commit=False) as session:
        before = figure_table(session, year).value("new_jobs", "people") or 0
        officer = _principal(session, "commune", f"bench.xa.{int(time.time())}",
                             commune_code="03158")  # fmt: skip
        session.commit()
        started = time.perf_counter()
        outcome = import_lines(
            session, principal=officer, period=f"{year:04d}-{month:02d}", on_behalf_of=None,
            filename="bench.xlsx", data=workbook(rows),
        )  # fmt: skip
        figures["import"] = time.perf_counter() - started
    assert outcome.report is not None, outcome.checks.errors[:3]
    started = time.perf_counter()
    refresh_year(engine, year)
    figures["refresh"] = time.perf_counter() - started
    with Session(engine, expire_on_commit=False) as session:
        after = figure_table(session, year).value("new_jobs", "people") or 0
        figures["added"] = after - before
        withdraw_report(session, principal=officer, report_id=outcome.report.id or 0)
    refresh_year(engine, year)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--postgres", default=None)
    parser.add_argument(
        "--province", default=None, help="URL of a database with the demo data: time a commune"
    )
    args = parser.parse_args()
    if args.province:
        found = province(args.province)
        print(
            f"commune import of 40 lines: {found['import']:.2f} s; refresh of the year: "
            f"{found['refresh']:.2f} s; the figures then count {int(found['added'])} more "
            f"new jobs; import + refresh {found['import'] + found['refresh']:.2f} s"
        )
        return
    print(f"new-jobs register, {args.rows:,} lines, {'PostgreSQL' if args.postgres else 'SQLite'}")
    base = run(args.rows, args.postgres, merge=False)
    merged = run(args.rows, args.postgres, merge=True)
    for name, result in (("baseline (all new)", base), ("merge (40 % known)", merged)):
        print(
            f"  {name:20} import {result['import']:6.1f} s   refresh {result['refresh']:5.1f} s"
            f"   people {int(result['people']):,}  lines {int(result['lines']):,}"
            f"  new jobs {int(result['new_jobs']):,}"
        )
    print(f"  merge / baseline: {merged['import'] / base['import']:.2f}× the import time")
    both = merged["import"] + merged["refresh"]
    print(f"  import + refresh (the figures count the lines): {both:.1f} s")


if __name__ == "__main__":
    main()
