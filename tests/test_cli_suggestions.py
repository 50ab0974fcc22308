"""`dbjobs compute-suggestions` ranks graduates for every open vacancy, says what it is doing
and how many suggestions it stored, and refuses a bad --top in one sentence without writing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col
from typer.testing import CliRunner, Result

import cli.main as cli_main
from models.formatting import format_number
from models.i18n import translate
from models.tables import VacancySuggestion
from tests import factories


def run(engine: Engine, *args: str, lang: str = "vi") -> Result:
    url = engine.url.render_as_string(hide_password=False)
    env = {"COLUMNS": "160", "DBJOBS_LANG": lang, "DATABASE_URL": ""}
    return CliRunner().invoke(cli_main.app, ["--database-url", url, *args], env=env)


def _world(session: Session, graduates: int = 4) -> list[int]:
    course = factories.course(session)
    for n in range(graduates):
        person = factories.person(session, full_name=f"Lò Văn Học {n}", consent_to_employers=True)
        factories.enrolment(
            session,
            person_id=person.id,
            course_id=course.id,
            status="tot_nghiep",
            graduated_on=date(2026, 6, 30),
        )
    vacancies = [factories.vacancy(session).id, factories.vacancy(session).id]
    factories.vacancy(session, status="closed")
    session.commit()
    return vacancies


def _stored(engine: Engine) -> dict[int, int]:
    with Session(engine) as session:
        rows = session.execute(
            select(col(VacancySuggestion.vacancy_id), func.count()).group_by(
                col(VacancySuggestion.vacancy_id)
            )
        ).all()
    return {vacancy_id: count for vacancy_id, count in rows}


def test_compute_suggestions_reports_progress_and_the_count(engine, session):
    open_ids = _world(session)

    result = run(engine, "compute-suggestions", "--top", "3")

    assert result.exit_code == 0, result.output
    stored = _stored(engine)
    assert stored == {open_ids[0]: 3, open_ids[1]: 3}  # the closed vacancy gets none
    lines = result.stdout.strip().splitlines()
    assert lines[0] == translate(
        "Ranking {graduates} graduates for {vacancies} open vacancies…",
        "vi",
        graduates=format_number(4, "vi"),
        vacancies=format_number(2, "vi"),
    )
    done = translate("Stored {count} suggestions in {seconds} s.", "vi", count="6", seconds="§")
    before, after = done.split("§")
    assert lines[-1].startswith(before) and lines[-1].endswith(after)


def test_running_it_again_replaces_the_suggestions(engine, session):
    _world(session)
    assert run(engine, "compute-suggestions").exit_code == 0
    first = _stored(engine)
    assert run(engine, "compute-suggestions", lang="en").exit_code == 0
    assert _stored(engine) == first
    assert sum(first.values()) == 8  # 4 graduates for each of 2 vacancies (default top 20)


def test_messages_in_english(engine, session):
    _world(session, graduates=1)
    result = run(engine, "compute-suggestions", lang="en")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Ranking 1 graduates for 2 open vacancies…"
    assert result.stdout.splitlines()[-1].startswith("Stored 2 suggestions in ")


def test_a_bad_top_is_refused_and_nothing_is_written(engine, session):
    _world(session)
    for top in ("0", "501"):
        result = run(engine, "compute-suggestions", "--top", top)
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert result.stderr.strip().removeprefix("✗").strip() == translate(
            "--top must be a whole number from 1 to {limit}.", "vi", limit=500
        )
    assert _stored(engine) == {}


def test_an_empty_database_stores_nothing(engine):
    result = run(engine, "compute-suggestions")
    assert result.exit_code == 0, result.output
    assert _stored(engine) == {}
