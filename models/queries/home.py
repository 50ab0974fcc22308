"""What the home page shows: how much the platform holds, read in one round trip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session, col

from models.kept import Kept
from models.tables import Course, EmploymentSpell, Enrolment, Institution, Vacancy
from models.vacancy_open import open_on

# Every visitor's first page: its figures are kept a minute per year and day (models/kept.py),
# dropped at once when this process writes to a table they count. Counting the people with an
# enrolment walks an index of every enrolment: about 200 ms at 100 times the province's size.
HOME_FIGURE_SECONDS = 60.0
_HOME_FIGURES = Kept(
    ("institution", "course", "enrolment", "vacancy", "employment_spell"),
    seconds=HOME_FIGURE_SECONDS,
    size=16,
)


@dataclass(frozen=True)
class HomeFigures:
    """Headline counts of the registries, and the placements of one calendar year."""

    year: int
    institutions: int
    courses: int
    trainees: int  # distinct persons with at least one enrolment
    open_vacancies: int
    open_places: int  # places still to fill in the open vacancies
    placements: int  # employment spells starting in `year`


def home_figures(session: Session, *, year: int, on: date) -> HomeFigures:
    """The figures of `year` as of `on`, kept a minute (see `_HOME_FIGURES`)."""
    return _HOME_FIGURES.get(
        session, (year, on), lambda: count_home_figures(session, year=year, on=on)
    )


def count_home_figures(session: Session, *, year: int, on: date) -> HomeFigures:
    """Every figure as a scalar subquery of one SELECT. Each is a COUNT over a primary key or
    an indexed column (enrolment.person_id, vacancy.status, employment_spell.start_date), so
    the page stays fast with a million rows. A vacancy counts as open on `on` only before
    its deadline has passed."""
    is_open = open_on(on)
    in_year = col(EmploymentSpell.start_date).between(date(year, 1, 1), date(year, 12, 31))
    figures = (
        select(func.count()).select_from(Institution),
        select(func.count()).select_from(Course),
        # COUNT over a DISTINCT subquery: PostgreSQL walks the person_id index once
        # (about 150 ms for a million enrolments) where COUNT(DISTINCT) sorts (about 380 ms).
        select(func.count()).select_from(select(col(Enrolment.person_id)).distinct().subquery()),
        select(func.count()).select_from(Vacancy).where(is_open),
        select(func.sum(col(Vacancy.quantity) - col(Vacancy.filled))).where(is_open),
        select(func.count()).select_from(EmploymentSpell).where(in_year),
    )
    row = session.execute(select(*(figure.scalar_subquery() for figure in figures))).one()
    institutions, courses, trainees, open_vacancies, open_places, placements = (
        int(value or 0)
        for value in row  # SUM over no rows is NULL
    )
    return HomeFigures(
        year=year,
        institutions=institutions,
        courses=courses,
        trainees=trainees,
        open_vacancies=open_vacancies,
        open_places=open_places,
        placements=placements,
    )
