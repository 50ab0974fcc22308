"""The KPI snapshot: stored figures equal the KPI functions over the same rows, the ids behind a
figure are the records that made it, and any write makes the snapshot stale."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching import kpi
from matching.kpi import Dimension, KpiId, Measure
from models.monitoring import records as load
from models.monitoring.read import figure_by_id, figure_ids, figure_table, snapshot_info
from models.monitoring.store import decode_ids, encode_ids, refresh_year
from models.tables import Enrolment, KpiFigure
from tests import factories

AS_OF = date(2026, 11, 27)


def _world(session: Session) -> dict[str, int]:
    """Three people in 2025: Lan takes a short course then a sơ cấp course (one trainee, at
    sơ cấp), Minh graduates in sewing and is hired twice (one new job), Hoa drops out."""
    short = factories.course(
        session, level_code="duoi_3_thang", code="NGAN", start_date=date(2025, 2, 1),
        end_date=date(2025, 4, 1),
    )  # fmt: skip
    sewing = factories.course(
        session, code="MAY", start_date=date(2025, 3, 1), end_date=date(2025, 6, 30)
    )
    lan = factories.person(session, full_name="Lò Thị Lan", sex="nu")
    minh = factories.person(session, full_name="Quàng Văn Minh", citizen_id="011201000001")
    hoa = factories.person(session, full_name="Lường Thị Hoa", sex="nu", citizen_id="011301000002")
    factories.enrolment(session, person_id=lan.id, course_id=short.id, enrolled_on=date(2025, 2, 1))
    lan_b = factories.enrolment(
        session, person_id=lan.id, course_id=sewing.id, enrolled_on=date(2025, 3, 1)
    )
    minh_e = factories.enrolment(
        session, person_id=minh.id, course_id=sewing.id, enrolled_on=date(2025, 3, 1),
        status="tot_nghiep", graduated_on=date(2025, 6, 30), certificate_kind="so_cap",
    )  # fmt: skip
    factories.enrolment(
        session, person_id=hoa.id, course_id=short.id, enrolled_on=date(2025, 2, 1), status="bo_hoc"
    )
    first = factories.employment_spell(
        session, person_id=minh.id, start_date=date(2025, 7, 15), enrolment_id=minh_e.id
    )
    factories.employment_spell(session, person_id=minh.id, start_date=date(2025, 9, 1))
    factories.follow_up(
        session, enrolment_id=minh_e.id, months_after=6, observed_on=date(2026, 1, 5),
        status="wage", employment_spell_id=first.id,
    )  # fmt: skip
    session.commit()
    return {"lan": lan.id, "lan_sewing": lan_b.id, "minh": minh.id, "minh_e": minh_e.id}  # type: ignore[dict-item]


def test_stored_figures_equal_the_kpi_functions(engine: Engine) -> None:
    with Session(engine) as session:
        ids = _world(session)
    refresh_year(engine, 2025, as_of=AS_OF)

    with Session(engine) as session:
        table = figure_table(session, 2025)
        enrolments = load.enrolments_in(session, date(2025, 1, 1), date(2025, 12, 31))
        spells = load.spells_starting(session, date(2025, 1, 1), date(2025, 12, 31))
        trained = kpi.trained(enrolments, 2025, by="level")
        jobs = kpi.new_jobs(spells, 2025)

    # Hand-computed: Lan, Minh and Hoa started training; Lan counts once, at sơ cấp.
    assert table.value("trained", "trained") == trained.total.trained.value == 3
    assert table.value("trained", "trained", "level", "so_cap") == 2
    assert table.value("trained", "trained", "level", "duoi_3_thang") == 1
    assert table.value("trained", "certified") == 1
    # Minh was hired twice in the year: one new job.
    assert table.value("new_jobs", "people") == jobs.total.value == 1
    # The hire and the later follow-up of the same job are one observation: 1 of 1 employed.
    employed = table.get("after_training_6", "employed")
    assert employed is not None
    assert (employed.numerator, employed.denominator, employed.value) == (1, 1, 1.0)

    with Session(engine) as session:
        sewing = table.get("trained", "trained", "level", "so_cap")
        assert sewing is not None and sewing.record_kind == "enrolment"
        assert set(figure_ids(session, sewing.id).tolist()) == {ids["lan_sewing"], ids["minh_e"]}
        info = snapshot_info(session, 2025)
        assert info is not None and info.as_of == AS_OF and not info.stale


def test_a_write_makes_the_snapshot_stale_and_a_refresh_counts_it(engine: Engine) -> None:
    with Session(engine) as session:
        _world(session)
    refresh_year(engine, 2025, as_of=AS_OF)

    with Session(engine) as session:
        newcomer = factories.person(session, full_name="Cà Văn Tú", citizen_id="011201000009")
        course = factories.course(session, code="HAN", start_date=date(2025, 5, 1))
        factories.enrolment(
            session, person_id=newcomer.id, course_id=course.id, enrolled_on=date(2025, 5, 1)
        )
        session.commit()
        info = snapshot_info(session, 2025)
        assert info is not None and info.stale
        assert figure_table(session, 2025).value("trained", "trained") == 3  # as stored

    refresh_year(engine, 2025, as_of=AS_OF)
    with Session(engine) as session:
        assert figure_table(session, 2025).value("trained", "trained") == 4
        assert not snapshot_info(session, 2025).stale  # type: ignore[union-attr]


def test_bulk_inserts_mark_stale_and_rollbacks_do_not(engine: Engine) -> None:
    with Session(engine) as session:
        ids = _world(session)
        course_id = factories.course(session, code="BULK", start_date=date(2025, 8, 1)).id
        session.commit()
    refresh_year(engine, 2025, as_of=AS_OF)

    with Session(engine) as session:
        factories.person(session, full_name="Không Lưu", citizen_id="011201000010")
        session.rollback()
        assert not snapshot_info(session, 2025).stale  # type: ignore[union-attr]

    with Session(engine) as session:
        session.execute(
            insert(Enrolment.__table__),  # type: ignore[attr-defined]
            [
                {
                    "person_id": ids["lan"],
                    "course_id": course_id,
                    "enrolled_on": date(2025, 8, 1),
                    "status": "dang_hoc",
                    "support_amount": 0,
                    "created_at": datetime.now(UTC),
                }
            ],
        )
        session.commit()
        assert snapshot_info(session, 2025).stale  # type: ignore[union-attr]


def test_a_vacancy_posted_on_new_years_morning_belongs_to_the_new_year(engine: Engine) -> None:
    # 17:30 UTC on 31 December is 00:30 on 1 January in Điện Biên.
    with Session(engine) as session:
        factories.vacancy(session, created_at=datetime(2025, 12, 31, 17, 30, tzinfo=UTC))
        session.commit()
        in_2025 = load.vacancies_posted(session, date(2025, 1, 1), date(2025, 12, 31))
        in_2026 = load.vacancies_posted(session, date(2026, 1, 1), date(2026, 12, 31))
    assert [v.created_on for v in in_2026] == [date(2026, 1, 1)]
    assert in_2025 == []


@given(st.lists(st.integers(min_value=1, max_value=2**40), max_size=300))
def test_ids_survive_storage(ids: list[int]) -> None:
    assert decode_ids(encode_ids(ids)).tolist() == sorted(ids)


def test_a_graduate_of_an_order_hired_by_the_ordering_employer_counts_for_the_order(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        order = factories.training_order(
            session, quantity=2, hiring_commitment=2, unit_cost=3_000_000,
            requested_at=datetime(2025, 1, 10, 3, 0, tzinfo=UTC),
        )  # fmt: skip
        course = factories.course(
            session, code="DH", training_order_id=order.id, start_date=date(2025, 2, 1),
            end_date=date(2025, 5, 31),
        )  # fmt: skip
        hired, elsewhere = (
            factories.person(session, full_name=name, citizen_id=cid)
            for name, cid in (("Lò Văn A", "011201000021"), ("Lò Văn B", "011201000022"))
        )
        for graduate in (hired, elsewhere):
            factories.enrolment(
                session, person_id=graduate.id, course_id=course.id,
                enrolled_on=date(2025, 2, 1), status="tot_nghiep", graduated_on=date(2025, 5, 31),
            )  # fmt: skip
        spell = factories.employment_spell(
            session, person_id=hired.id, employer_id=order.employer_id, start_date=date(2025, 6, 2)
        )
        other = factories.employer(session)
        factories.employment_spell(
            session, person_id=elsewhere.id, employer_id=other.id, start_date=date(2025, 6, 2)
        )
        session.commit()
        spell_id, order_id = spell.id, order.id
    refresh_year(engine, 2025, as_of=AS_OF)

    with Session(engine) as session:
        table = figure_table(session, 2025)
        hired_figure = table.get("orders", "hired", "order", str(order_id))
        assert hired_figure is not None and hired_figure.value == 1
        assert figure_ids(session, hired_figure.id).tolist() == [spell_id]
    assert table.value("orders", "enrolled") == 2
    assert table.value("orders", "commitment_met") == 0.5
    assert table.value("orders", "cost_per_placed") == 6_000_000


def test_a_figure_keeps_its_id_across_refreshes_so_open_links_still_work(engine: Engine) -> None:
    with Session(engine) as session:
        _world(session)
    refresh_year(engine, 2025, as_of=AS_OF)
    with Session(engine) as session:
        before = figure_table(session, 2025).get("trained", "trained")
        assert before is not None

    with Session(engine) as session:
        newcomer = factories.person(session, full_name="Cà Văn Tú", citizen_id="011201000009")
        course = factories.course(session, code="HAN", start_date=date(2025, 5, 1))
        enrolment = factories.enrolment(
            session, person_id=newcomer.id, course_id=course.id, enrolled_on=date(2025, 5, 1)
        )
        session.commit()
        enrolment_id = enrolment.id
    refresh_year(engine, 2025, as_of=AS_OF)

    with Session(engine) as session:
        after = figure_table(session, 2025).get("trained", "trained")
        assert after is not None and after.id == before.id and after.value == 4
        assert enrolment_id in figure_ids(session, before.id).tolist()


def test_stored_figures_are_read_in_the_kpi_vocabulary(engine: Engine) -> None:
    with Session(engine) as session:
        _world(session)
    refresh_year(engine, 2025, as_of=AS_OF)
    with Session(engine) as session:
        table = figure_table(session, 2025)
        figure = table.get(KpiId.after_training(6), Measure.EMPLOYED)
        assert figure is not None and figure.kpi is KpiId.AFTER_TRAINING_6
        assert {type(f.kpi) for f in table} == {KpiId}
        assert {type(f.dimension) for f in table} == {Dimension}


def test_a_stored_row_of_an_unknown_kpi_is_an_error_not_an_empty_figure(engine: Engine) -> None:
    with Session(engine) as session:
        _world(session)
    refresh_year(engine, 2025, as_of=AS_OF)
    with Session(engine) as session:
        figure = figure_table(session, 2025).get(KpiId.TRAINED, Measure.TRAINED)
        assert figure is not None
        row = session.get(KpiFigure, figure.id)
        assert row is not None
        row.kpi = "after_training_5"
        session.commit()
        with pytest.raises(ValueError, match="after_training_5"):
            figure_table(session, 2025)
        with pytest.raises(ValueError, match="after_training_5"):
            figure_by_id(session, figure.id)


def test_a_record_gets_the_zone_of_its_commune_in_force_on_its_own_date(engine: Engine) -> None:
    """Zones are decided for a period (2026-2030): a 2026 record is cut by its zone, one
    from before the decision shows "not recorded" (no zone) rather than a later zone."""
    from models.tables import CommuneZone

    with Session(engine) as session:
        session.add(
            CommuneZone(
                commune_code="03253",
                zone="II",
                valid_from=date(2026, 1, 1),
                valid_to=date(2030, 12, 31),
            )
        )
        person = factories.person(session, commune_code="03253")
        early = factories.enrolment(
            session,
            person_id=person.id,
            course_id=factories.course(session).id,
            enrolled_on=date(2025, 9, 1),
        )
        later = factories.enrolment(
            session,
            person_id=person.id,
            course_id=factories.course(session).id,
            enrolled_on=date(2026, 3, 2),
        )
        factories.employment_spell(session, person_id=person.id, start_date=date(2026, 7, 1))
        factories.employment_spell(session, person_id=person.id, start_date=date(2031, 2, 1))
        session.commit()

        enrolments = load.enrolments_in(session, date(2025, 1, 1), date(2026, 12, 31))
        spells = load.spells_starting(session, date(2026, 1, 1), date(2031, 12, 31))
        ids = (early.id, later.id)

    zones = {record.enrolment_id: record.zone for record in enrolments}
    assert zones == {ids[0]: None, ids[1]: "II"}
    assert sorted((s.start_date.year, s.zone) for s in spells) == [(2026, "II"), (2031, None)]


def test_where_zone_periods_touch_a_record_takes_the_later_decision_once(engine: Engine) -> None:
    """An old decision left open beside a new one must not repeat the record under two
    zones: the later decision in force on the record's date wins."""
    from models.tables import CommuneZone

    with Session(engine) as session:
        session.add(
            CommuneZone(
                commune_code="03253",
                zone="III",
                valid_from=date(2021, 1, 1),
                valid_to=date(2026, 1, 1),
            )
        )
        session.add(CommuneZone(commune_code="03253", zone="II", valid_from=date(2026, 1, 1)))
        person = factories.person(session, commune_code="03253")
        for day in (date(2025, 6, 1), date(2026, 1, 1)):
            factories.enrolment(
                session,
                person_id=person.id,
                course_id=factories.course(session).id,
                enrolled_on=day,
            )
        session.commit()

        enrolments = load.enrolments_in(session, date(2025, 1, 1), date(2026, 12, 31))

    assert sorted((r.started_on, r.zone) for r in enrolments) == [
        (date(2025, 6, 1), "III"),
        (date(2026, 1, 1), "II"),
    ]
