"""Figures stored before the KPI snapshot kept generations read the same after the migration
(and after going back), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from matching.kpi import KpiId, Measure
from models.db import make_engine
from models.migrate import downgrade, upgrade
from models.monitoring.codec import encode_ids
from models.monitoring.read import figure_ids, figure_table
from tests.models.test_migrations import empty_database_url  # noqa: F401  (fixture)

SNAPSHOT = (
    "INSERT INTO kpi_snapshot (id, year, as_of, computed_at, stale, seconds, records) "
    "VALUES (1, 2025, '2026-01-10', '2026-01-10 03:00:00', false, 1.5, 10)"
)
FIGURE = (
    "INSERT INTO kpi_figure (id, snapshot_id, kpi, measure, dimension, group_key, value, "
    "numerator, denominator, record_kind, note, ids, base_ids) "
    "VALUES (7, 1, 'trained', 'trained', '', '', 3, NULL, NULL, 'enrolment', '', :ids, NULL)"
)


def test_stored_figures_survive_the_move_to_generations_and_back(
    empty_database_url: str,  # noqa: F811
) -> None:
    upgrade(empty_database_url, "0003")
    engine = make_engine(empty_database_url)
    with engine.begin() as conn:
        conn.execute(text(SNAPSHOT))
        conn.execute(text(FIGURE), {"ids": encode_ids([11, 12, 13])})
    engine.dispose()

    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    with Session(engine) as session:
        figure = figure_table(session, 2025).get(KpiId.TRAINED, Measure.TRAINED)
        assert figure is not None and (figure.id, figure.value) == (7, 3)
        assert figure.record_kind == "enrolment"
        assert figure_ids(session, 7).tolist() == [11, 12, 13]
    engine.dispose()

    downgrade(empty_database_url, "0003")
    engine = make_engine(empty_database_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT value, record_kind, ids FROM kpi_figure")).one()
    engine.dispose()
    assert (row.value, row.record_kind, bytes(row.ids)) == (
        3,
        "enrolment",
        encode_ids([11, 12, 13]),
    )
