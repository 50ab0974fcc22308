"""The province's target of a year as the dashboard, the alerts and the report judge it
(models/monitoring/targets.py): yearly flows as stored, the shares and the structure at their
milestones or on the path to the next one (docs/kpi.md); and a year without any record shows
"no data" in the report's progress table, not zeros judged "missed"."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.monitoring.read import FigureTable, figure_table, snapshot_info
from models.monitoring.report_progress import progress_table
from models.monitoring.store import refresh_year
from models.monitoring.targets import targets
from models.tables import LabourForceFigure, Target
from seed.reference import load_reference_data
from seed.reference.policy import ORIENTATION_PLACEHOLDER
from tests import factories

pytestmark = pytest.mark.today("2028-03-01")


def _set_2030(session: Session, low: float, high: float | None) -> None:
    """The administrator's 2030 orientation of the trained share (the seed holds a
    placeholder)."""
    row = session.exec(
        select(Target).where(col(Target.indicator) == "trained_share_pct", col(Target.year) == 2030)
    ).one()
    assert row.source_document == ORIENTATION_PLACEHOLDER
    row.value_min, row.value_max = low, high
    row.source_document = "Kế hoạch 2026–2030"
    session.add(row)
    session.commit()


def test_yearly_flows_stay_yearly_and_shares_follow_the_path(session: Session) -> None:
    load_reference_data(session)
    _set_2030(session, 75, 80)

    in_2027 = targets(session, 2027)
    # 2027 is 2 of the 5 years from the 2025 milestone (65–70 %) to 2030 (75–80 %):
    # 65 + 10 × 2/5 = 69, 70 + 10 × 2/5 = 74.
    share = in_2027["trained_share_pct"]
    assert (share.value_min, share.value_max, share.path_to) == (
        pytest.approx(69.0),
        pytest.approx(74.0),
        2030,
    )
    # The certified share's placeholder repeats 2025's 40 %: a flat path.
    assert in_2027["certified_share_pct"].value_min == pytest.approx(40.0)
    assert "trained_people" not in in_2027  # the flows are yearly: none set for 2027

    in_2025 = targets(session, 2025)
    assert (in_2025["trained_share_pct"].value_min, in_2025["trained_share_pct"].path_to) == (
        65,
        None,
    )
    assert (in_2025["trained_people"].value_min, in_2025["trained_people"].value_max) == (
        8000,
        8300,
    )
    # Before the first milestone with no figure to start from, a share has no target.
    assert "trained_share_pct" not in targets(session, 2023)
    assert targets(session, 2023)["new_jobs"].value_min == 8700
    assert "trained_share_pct" not in targets(session, 2031)


def test_the_last_stored_figure_starts_the_path(engine: Engine, session: Session) -> None:
    load_reference_data(session)
    _set_2030(session, 75, 80)
    # 2026: 660 of 1,000 workers trained (66 %); the labour force and the employed agree,
    # so the share is 0.66 whichever is the denominator.
    session.add(
        LabourForceFigure(
            year=2026, labour_force=1000, trained=660, trained_certified=300, employed=1000,
            employed_nlts=600, employed_cnxd=150, employed_dv=250, source="Điều tra 2026",
        )
    )  # fmt: skip
    session.commit()
    refresh_year(engine, 2026)
    # From 66 % in 2026 to 75–80 % in 2030, 2027 is 1 of 4 years:
    # 66 + 9 × 1/4 = 68.25, 66 + 14 × 1/4 = 69.5.
    share = targets(session, 2027)["trained_share_pct"]
    assert (share.value_min, share.value_max) == (pytest.approx(68.25), pytest.approx(69.5))
    # Agriculture's share: 600 of 1,000 = 60 % in 2026, toward the 62.5 % placeholder:
    # 60 + 2.5 × 1/4 = 60.625.
    nlts = targets(session, 2027)["structure_nlts_pct"]
    assert nlts.value_min == pytest.approx(60.625)
    assert nlts.value_max is None


def _status(table, msgid: str) -> tuple[object, str]:
    row = next(row for row in table.rows if row[0].value == msgid)
    return row[3].value, str(row[-1].value)


def test_a_year_without_records_shows_no_data_in_the_report(engine: Engine, session: Session):
    load_reference_data(session)
    refresh_year(engine, 2023)
    info = snapshot_info(session, 2023)
    assert info is not None and info.records == 0
    figures = figure_table(session, 2023)
    year_targets = targets(session, 2023)

    table = progress_table(figures, year_targets, 2023, info.as_of, has_data=False)
    assert _status(table, "Trained people (all levels)") == (None, "No data for this year")
    assert _status(table, "New jobs created") == (None, "No data for this year")
    # Without the flag the same empty year would read as zero people, target missed.
    judged = progress_table(FigureTable([]), year_targets, 2023, info.as_of)
    assert _status(judged, "Trained people (all levels)") == (None, "Target missed")
    # A share with neither a target nor figures: no figures yet.
    assert _status(table, "Trained share of the employed") == (None, "No figures yet")


def test_the_report_of_a_year_with_records_judges_its_counts(engine: Engine, session: Session):
    load_reference_data(session)
    institution = factories.institution(session)
    course = factories.course(session, institution_id=institution.id)
    person = factories.person(session)
    factories.enrolment(session, person_id=person.id, course_id=course.id)
    session.commit()
    year = course.start_date.year
    refresh_year(engine, year)
    info = snapshot_info(session, year)
    assert info is not None and info.records > 0
    table = progress_table(figure_table(session, year), targets(session, year), year, info.as_of)
    value, status = _status(table, "Trained people (all levels)")
    assert value == 1 and status in {"Target missed", "Behind"}
