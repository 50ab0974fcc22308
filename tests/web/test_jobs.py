"""Background work as users and administrators see it, on SQLite and PostgreSQL: with the
embedded worker (the default) a hire reaches the dashboard's figures within seconds without
anybody opening a page, and a big import finishes by itself; imports never confirmed are
deleted after a day; administrators see the jobs and their errors, on the jobs page and with
`dbjobs jobs`; `dbjobs worker` runs what is queued."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

import cli.main as cli_main
from matching.kpi.ids import KpiId
from models.clock import today, utcnow
from models.db import unit_of_work
from models.jobs import queue
from models.jobs.kinds import FAILED, JobKind
from models.jobs.worker import Handler, Worker, periodic_key
from models.monitoring.store import refresh_year
from models.settings import Settings
from models.tables import (
    ExcelImport,
    ImportPart,
    Job,
    KpiFigure,
    KpiFigureValue,
    KpiSnapshot,
)
from tests.html import attr, parse, table_rows
from tests.web.conftest import VISITOR_TOKEN
from tests.web.helpers import make_account, sign_in
from tests.web.jobs import jobs, run_jobs
from tests.web.test_hiring_concurrency import _principal, _setup
from tests.web.test_imports import World, new_import, several, trainee_file, upload
from tests.web.test_imports import world as world
from web.app import create_app
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER
from web.services import imports as import_service
from web.services import referrals
from web.services.imports import store
from web.services.imports.store import Status


@contextmanager
def embedded(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    """The site as `./dev demo` serves it: the worker runs in a thread of the app. Opened
    after the test has written its records (on SQLite a test session's read turned into a
    write would be refused if the worker wrote in between)."""
    settings = Settings(database_url=str(engine.url), import_dir=tmp_path / "imp")
    assert settings.embedded_worker  # the default
    with TestClient(create_app(settings, engine=engine)) as client:
        client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
        client.headers[CSRF_HEADER] = VISITOR_TOKEN
        yield client


def new_jobs_this_year(session: Session) -> float | None:
    query = (
        select(KpiFigureValue.value)
        .join(KpiFigure, col(KpiFigure.id) == col(KpiFigureValue.figure_id))
        .join(KpiSnapshot, col(KpiSnapshot.id) == col(KpiFigure.snapshot_id))
        .where(
            col(KpiFigureValue.generation) == col(KpiSnapshot.generation),
            col(KpiSnapshot.year) == today().year,
            col(KpiFigure.kpi) == KpiId.NEW_JOBS,
            col(KpiFigure.dimension) == "",
        )
    )
    found = session.exec(query).first()
    session.rollback()
    return found


def test_a_hire_reaches_the_figures_within_seconds_with_nobody_opening_a_page(
    engine, session, tmp_path
):
    vacancy_id, people = _setup(session, people=1)
    refresh_year(engine, today().year)
    before = new_jobs_this_year(session) or 0
    principal = _principal(session)
    session.rollback()
    with embedded(engine, tmp_path):
        saved = time.monotonic()
        referrals.hire(session, principal=principal, vacancy_id=vacancy_id, person_id=people[0])
        while new_jobs_this_year(session) == before and time.monotonic() - saved < 10:
            time.sleep(0.1)
        took = time.monotonic() - saved
    assert new_jobs_this_year(session) == before + 1
    assert took < 10
    [refresh] = [job for job in jobs(engine) if job.kind == JobKind.KPI_REFRESH]
    assert (refresh.payload, refresh.status) == ({"year": today().year}, "done")


def test_a_big_import_finishes_by_itself_with_the_embedded_worker(
    engine, session, world: World, monkeypatch, tmp_path
):
    monkeypatch.setattr(import_service, "INLINE_MAX_BYTES", 1000)
    monkeypatch.setattr(import_service, "INLINE_MAX_ROWS", 10)
    make_account(session, "institution", "centre", institution_id=world.institution_id)
    session.rollback()
    with embedded(engine, tmp_path) as client:
        sign_in(client, "centre")
        progress = upload(client, world, trainee_file(several(20))).headers["location"]
        assert progress.endswith("/progress")
        preview = wait_for(client, progress)
        action = attr(parse(preview), "form#confirm-form", "action")
        confirm = client.post(action, follow_redirects=False).headers["location"]
        assert confirm.endswith("/progress")  # 20 rows: more than a request writes itself
        done = wait_for(client, confirm)
    assert attr(parse(done), "dd[data-field=status]", "data-status") == Status.DONE


def wait_for(client: TestClient, progress: str, seconds: float = 20) -> str:
    """Follow the progress page until it sends the reader to the preview."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.get(progress, follow_redirects=False)
        if response.status_code == 303:
            return client.get(response.headers["location"]).text
        time.sleep(0.2)
    raise AssertionError("the import did not finish")


# --- abandoned imports ----------------------------------------------------------------------


@pytest.mark.today("2026-12-01")
def test_imports_never_confirmed_are_deleted_after_a_day(engine, session, world: World):
    abandoned = new_import(session, world, status=Status.READY)
    invalid = new_import(session, world, status=Status.INVALID)
    written = new_import(session, world)
    with unit_of_work(session):
        store.drop_parts(session, written.id)
        store.set_fields(session, written.id, status=Status.DONE, summary={"enrolments": 3})
    with time_machine.travel(utcnow() + timedelta(hours=20)):
        recent = new_import(session, world, status=Status.READY)
        assert run_jobs(engine, kinds=(JobKind.PURGE,)) == 0  # nothing queued: nothing run
        purge_now(engine)
        assert kept(session) == {abandoned.id, invalid.id, written.id, recent.id}
    with time_machine.travel(utcnow() + timedelta(hours=25)):
        purge_now(engine)
        assert kept(session) == {written.id, recent.id}  # a written import keeps its summary
        session.expire_all()
        parts = session.exec(select(ImportPart.import_id)).all()
        assert set(parts) == {recent.id}  # the file of the one still waiting, nothing else
        session.rollback()


def purge_now(engine: Engine) -> None:
    """Run the periodic purge now (queued now unless its next run is queued and due)."""
    with Session(engine) as session, unit_of_work(session):
        queue.enqueue(session, JobKind.PURGE, key=periodic_key(JobKind.PURGE))
    assert run_jobs(engine, kinds=(JobKind.PURGE,)) == 1


def kept(session: Session) -> set[int]:
    session.expire_all()
    ids = set(session.exec(select(ExcelImport.id)).all())
    session.rollback()
    return {each for each in ids if each is not None}


def test_the_purge_is_a_periodic_job_a_worker_queues(engine):
    from web.services.jobs import HANDLERS

    Worker(engine, HANDLERS).schedule_periodic()
    Worker(engine, HANDLERS).schedule_periodic()  # a second worker starting adds nothing
    with Session(engine) as session:
        queued = session.exec(select(Job.kind, Job.run_after).where(Job.status == "queued")).all()
    due_in = {kind: aware(run_after) - utcnow() for kind, run_after in queued}
    assert len(queued) == 2 and set(due_in) == {JobKind.PURGE, JobKind.SUGGESTIONS}
    assert timedelta(minutes=4) < due_in[JobKind.PURGE] <= timedelta(minutes=5)
    assert timedelta(hours=23) < due_in[JobKind.SUGGESTIONS] <= timedelta(days=1)
    assert run_jobs(engine) == 0  # neither is due yet
    with time_machine.travel(utcnow() + timedelta(minutes=6)):
        assert run_jobs(engine) == 1  # the purge; the next one is queued an hour later


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- what administrators see ------------------------------------------------------------------


def failed_job(engine: Engine) -> Job:
    with Session(engine) as session, unit_of_work(session):
        queue.enqueue(session, JobKind.KPI_REFRESH, {"year": 2031}, max_attempts=2)

    def broken(*_args: Any) -> None:
        raise LookupError("secret")

    handlers = {JobKind.KPI_REFRESH: Handler(broken)}
    assert Worker(engine, handlers, backoff=timedelta(0)).run_until_idle() == 2
    [job] = [job for job in jobs(engine) if job.kind == JobKind.KPI_REFRESH]
    return job


def test_administrators_see_the_jobs_and_their_errors(client, engine, session):
    job = failed_job(engine)
    make_account(session, "admin", "quan.tri")
    sign_in(client, "quan.tri")
    session.rollback()
    page = parse(client.get("/jobs?status=failed").text)
    [row] = table_rows(page, "table#jobs")
    assert row[0] == str(job.id) and row[1] == JobKind.KPI_REFRESH and row[2] == "year 2031"
    assert row[4] == "2 / 2" and row[7].startswith("LookupError at tests/web/test_jobs.py")
    assert "secret" not in row[7]
    assert table_rows(parse(client.get("/jobs?status=done").text), "table#jobs") == [
        ["Không có công việc nào."]
    ]


@pytest.mark.parametrize("who", ["official", "employer"])
def test_only_administrators_see_the_jobs(client, session, who):
    bindings = {"employer": {"employer_id": _employer(session)}}
    make_account(session, who, "nguoi.dung", **bindings.get(who, {}))
    sign_in(client, "nguoi.dung")
    session.rollback()
    assert client.get("/jobs").status_code == 403


def _employer(session: Session) -> int:
    from tests import factories

    employer = factories.employer(session)
    session.commit()
    return employer.id or 0


def cli(engine: Engine, *args: str) -> Any:
    url = engine.url.render_as_string(hide_password=False)
    env = {"COLUMNS": "200", "DBJOBS_LANG": "en", "DATABASE_URL": ""}
    return CliRunner().invoke(cli_main.app, ["--database-url", url, *args], env=env)


def test_dbjobs_jobs_lists_jobs_with_their_errors_and_worker_runs_the_queue(engine, session):
    job = failed_job(engine)
    listed = cli(engine, "jobs", "--status", "failed")
    assert listed.exit_code == 0, listed.output
    line = next(line for line in listed.output.splitlines() if f" {job.id} " in line)
    assert "kpi_refresh" in line and "failed" in line and "LookupError" in line
    assert cli(engine, "jobs", "--status", "stuck").exit_code == 1
    with Session(engine) as own, unit_of_work(own):
        queue.enqueue(own, JobKind.PURGE)
    ran = cli(engine, "worker", "--until-idle")
    assert ran.exit_code == 0 and "Jobs run: 1." in ran.output
    statuses = [(each.kind, each.status) for each in jobs(engine)]
    # The purge is periodic: its next run is queued (an hour later).
    assert statuses == [
        (JobKind.KPI_REFRESH, FAILED),
        (JobKind.PURGE, "done"),
        (JobKind.PURGE, "queued"),
    ]


def test_a_write_refreshes_this_year_at_once_and_other_years_a_little_later(engine, session):
    from tests import factories
    from web.services.monitoring import queue_refresh

    this_year, last_year = today().year, today().year - 1
    refresh_year(engine, this_year)
    refresh_year(engine, last_year)
    factories.person(session)
    session.commit()  # a write to a table the KPIs read: both years are stale
    due_in = {job.payload["year"]: aware(job.run_after) - utcnow() for job in jobs(engine)}
    assert set(due_in) == {this_year, last_year}
    assert due_in[this_year] <= timedelta(0)
    assert timedelta(seconds=25) < due_in[last_year] <= timedelta(seconds=30)
    assert run_jobs(engine) == 1  # this year's
    queue_refresh(session, last_year)  # a page shows last year: it is wanted now
    assert len(jobs(engine)) == 2  # the queued refresh was made due, not doubled
    assert run_jobs(engine) == 1
    assert {job.status for job in jobs(engine)} == {"done"}
