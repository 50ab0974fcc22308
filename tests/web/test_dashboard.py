"""The officials' dashboard: the numbers it shows are the KPI functions' numbers over the same
rows, each number opens exactly the records behind it, the drill-down is audited, only
officials and administrators get in, and a stale year is shown then refreshed.

The world is tests/web/dashboard_world.py (the year 2025, with a few numbers checked by hand).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching import kpi
from matching.kpi import Dimension, KpiFamily, KpiId, Measure
from models.clock import today
from models.i18n import catalogue
from models.monitoring import drill_rows
from models.monitoring.figures import group_key
from models.monitoring.read import figure_table, snapshot_info
from models.monitoring.store import read_year, refresh_year
from models.queries.reference import Option, commune_options
from models.tables import AuditEntry, KpiFigure
from seed.reference import load_reference_data
from tests import factories
from tests.html import attr, attrs, data_attrs, find_all, first, one, parse, text
from tests.web.dashboard_world import YEAR, build_world
from tests.web.helpers import make_account, sign_in
from tests.web.jobs import jobs, run_jobs
from web.services import dashboard, kpi_labels
from web.services.dashboard import charts as dashboard_charts
from web.services.dashboard.sections import CUTS

Key = tuple[str, str, str, str]


def numbers(html: str) -> list[dict[str, str]]:
    """The data-* attributes of every number on the page (elements with data-measure and
    data-value), without the prefix: {"kpi": ..., "measure": ..., "value": ...}."""
    return [data_attrs(node) for node in find_all(parse(html), "[data-measure][data-value]")]


def links(html: str) -> dict[Key, str]:
    """The drill-down link of each number that has one."""
    return {
        key_of(data_attrs(a)): attrs(a)["href"] for a in find_all(parse(html), "a[data-measure]")
    }


def key_of(number: dict[str, str]) -> Key:
    return (number["kpi"], number["measure"], number["dimension"], number["key"])


def expected_figures(session: Session, as_of: date) -> dict[Key, float | None]:
    """The figures of the year computed by the KPI functions over the year's rows."""
    data = read_year(session, YEAR, as_of)
    found: dict[Key, float | None] = {}

    def put(kpi_id: str, measure: str, dim: str, key: Any, value: float | None) -> None:
        found[(kpi_id, measure, dim, group_key(key) if dim else "")] = value

    for dim in ("", "level", "commune", "sex", "ethnicity", "priority_group", "occupation",
                "institution", "month"):  # fmt: skip
        trained = kpi.trained(data.enrolments, YEAR, by=dim or None)
        groups = trained.groups.items() if dim else [(None, trained.total)]
        for key, counts in groups:
            for measure in ("trained", "started", "finished", "certified"):
                put("trained", measure, dim, key, getattr(counts, measure).value)
    for dim in ("", "channel", "commune", "sex", "level", "month"):
        jobs = kpi.new_jobs(data.spells, YEAR, by=dim or None)
        for key, count in jobs.groups.items() if dim else [(None, jobs.total)]:
            put("new_jobs", "people", dim, key, count.value)
    put("abroad", "people", "", None, kpi.abroad(data.spells, YEAR).total.value)
    after = kpi.employment_after_training(
        data.enrolments, data.follow_ups, data.graduate_spells,
        window_months=6, cohort=YEAR, as_of=as_of,
    ).total  # fmt: skip
    for measure in ("employed", "in_trained_occupation", "response"):
        put("after_training_6", measure, "", None, getattr(after, measure).value)
    for measure in ("not_reached", "studying", "military", "unobserved"):
        put("after_training_6", measure, "", None, len(getattr(after, f"{measure}_ids")))
    orders = kpi.orders(data.orders, data.order_enrolments, data.order_spells, year=YEAR).total
    for measure in ("ordered", "hiring_commitment"):
        put("orders", measure, "", None, getattr(orders, measure))
    for measure in ("enrolled", "graduated", "hired"):
        put("orders", measure, "", None, getattr(orders, measure).value)
    put("orders", "fill", "", None, orders.fill.value)
    put("orders", "cost_per_placed", "", None, orders.cost_per_placed)
    vacancies = kpi.vacancies(data.vacancies, YEAR).total
    put("vacancies", "places_offered", "", None, vacancies.places_offered)
    put("vacancies", "places_filled", "", None, vacancies.places_filled)
    put("vacancies", "median_days_to_fill", "", None, vacancies.median_days_to_fill)
    put("trained_share", "share", "", None, kpi.trained_share(data.labour_force, YEAR).share.value)
    structure = kpi.labour_structure(data.labour_force, YEAR).shares
    recorded = kpi.new_job_structure(data.spells, YEAR)
    for sector in ("nlts", "cnxd", "dv"):
        put("labour_structure", sector, "", None, structure[sector].value)
        put("new_job_structure", sector, "", None, recorded.shares[sector].value)
    put("new_job_structure", "unknown", "", None, recorded.unknown)
    return found


@pytest.fixture
def world(session: Session, engine: Engine):
    load_reference_data(session)
    built = build_world(session)
    refresh_year(engine, YEAR)
    return built


@pytest.fixture
def official(client: TestClient, session: Session) -> TestClient:
    make_account(session, "official", "can_bo")
    sign_in(client, "can_bo")
    session.rollback()
    return client


def _dashboard(client: TestClient, query: str = "") -> str:
    response = client.get(f"/dashboard?year={YEAR}{query}")
    assert response.status_code == 200, response.text[:2000]
    return response.text


def test_the_dashboard_shows_the_numbers_of_the_kpi_functions(world, official, session) -> None:
    html = _dashboard(official)
    shown = numbers(html)
    expected = expected_figures(session, today())
    session.rollback()

    # A few by hand (tests/web/dashboard_world.py): 6 trained, 4 new jobs, 1 abroad, 2 of 3
    # observed graduates employed at 6 months with 4 of 5 answering, the order's one hire.
    by_hand = {
        ("trained", "trained", "", ""): 6,
        ("trained", "certified", "", ""): 5,
        ("trained", "trained", "level", "so_cap"): 3,
        ("new_jobs", "people", "", ""): 4,
        ("new_jobs", "people", "channel", "dn_trong_tinh"): 1,
        ("abroad", "people", "", ""): 1,
        ("after_training_6", "employed", "", ""): 2 / 3,
        ("after_training_6", "response", "", ""): 4 / 5,
        ("after_training_6", "not_reached", "", ""): 1,
        ("after_training_6", "military", "", ""): 1,
        ("orders", "hired", "", ""): 1,
        ("vacancies", "median_days_to_fill", "", ""): 30,
        # 150,000 trained of the 280,000 employed (not of the 300,000 in the labour force)
        ("trained_share", "share", "", ""): 150_000 / 280_000,
    }
    for key, value in by_hand.items():
        assert expected[key] == pytest.approx(value), key
    seen: set[Key] = set()
    for number in shown:
        key = key_of(number)
        if key in expected:
            _assert_value(number["value"], expected[key], key)
            seen.add(key)
    assert set(expected) - seen - _cut_table_only(expected) == set()


def _assert_value(shown: str, value: float | None, key: object) -> None:
    if value is None:
        assert shown == "", key
    else:
        assert float(shown) == pytest.approx(value), key


def _cut_table_only(expected: dict[Key, float | None]) -> set[Key]:
    """Started, finished and certified by group: shown in the cut table, by commune here."""
    return {
        key
        for key in expected
        if key[0] == "trained" and key[1] != "trained" and key[2] not in ("", "commune")
    }


def test_every_number_on_the_page_is_a_stored_figure(world, official, session) -> None:
    html = _dashboard(official, "&cut=after_training:sex")
    table = figure_table(session, YEAR)
    session.rollback()
    for number in numbers(html):
        if number["key"] == "others":  # the sum of the smaller occupations
            continue
        figure = table.get(*key_of(number))
        if figure is None:  # a group with no record: a count of 0, with nothing to open
            assert number["value"] in ("0", ""), key_of(number)
        else:
            _assert_value(number["value"], figure.value, key_of(number))


def test_a_number_opens_exactly_the_records_behind_it(world, official, session) -> None:
    html = _dashboard(official)
    data = read_year(session, YEAR, today())
    session.rollback()
    found = links(html)

    trained = kpi.trained(data.enrolments, YEAR).total.trained
    page = official.get(found[("trained", "trained", "", "")]).text
    assert _record_ids(page) == set(trained.record_ids)
    assert _count(page) == trained.value == 6

    channel = kpi.new_jobs(data.spells, YEAR, by="channel").groups["vay_von"]
    assert _record_ids(official.get(found[("new_jobs", "people", "channel", "vay_von")]).text) == (
        set(channel.record_ids)
    )
    after = kpi.employment_after_training(
        data.enrolments, data.follow_ups, data.graduate_spells,
        window_months=6, cohort=YEAR, as_of=today(),
    ).total  # fmt: skip
    employed = found[("after_training_6", "employed", "", "")]
    assert _record_ids(official.get(employed).text) == set(after.employed.numerator_ids)
    base = official.get(employed + "?base=1").text
    assert _record_ids(base) == set(after.employed.denominator_ids)
    assert len(after.employed.denominator_ids) == 3


def test_a_rate_links_its_denominator(world, official) -> None:
    html = _dashboard(official)
    parts = find_all(parse(html), "a[data-part=denominator]")
    assert parts and all(attrs(a)["href"].endswith("?base=1") for a in parts)


def _record_ids(html: str) -> set[int]:
    return {int(data_attrs(tr)["id"]) for tr in find_all(parse(html), "table#records tr[data-id]")}


def _count(html: str) -> int:
    return int(attr(parse(html), "#record-count", "data-total"))


def test_the_records_list_names_people_and_places(world, official, session) -> None:
    html = _dashboard(official)
    link = links(html)[("new_jobs", "people", "channel", "xuat_khau_lao_dong")]
    page = official.get(link).text
    assert "Lò Thị Lan" in page and "Nhật Bản" in page  # the person and the country by name
    assert re.search(r"/dashboard/figures/\d+$", link)  # no personal data in the address


def test_the_drill_down_and_its_csv_are_audited(world, official, session) -> None:
    html = _dashboard(official)
    link = attrs(first(parse(html), "a[data-kpi=trained]"))["href"]
    figure_id = int(link.rsplit("/", 1)[1])

    def entries() -> int:
        query = (
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "view_personal_data",  # type: ignore[arg-type]
                AuditEntry.entity == "kpi_figure",  # type: ignore[arg-type]
                AuditEntry.entity_id == str(figure_id),  # type: ignore[arg-type]
            )
        )
        count = session.execute(query).scalar_one()
        session.rollback()
        return count

    assert entries() == 0
    assert official.get(link).status_code == 200
    assert entries() == 1
    response = official.get(f"{link}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert entries() == 2
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + _count(official.get(link).text)


@pytest.mark.parametrize("role", ["employer", "institution"])
def test_other_roles_cannot_open_the_dashboard_or_a_drill_down(world, client, session, role):
    make_account(session, role, f"{role}_x")
    sign_in(client, f"{role}_x")
    figure = figure_table(session, YEAR).get("trained", "trained")
    session.rollback()
    assert figure is not None
    for path in (
        "/dashboard",
        f"/dashboard/figures/{figure.id}",
        f"/dashboard/figures/{figure.id}.csv",
    ):
        assert client.get(path).status_code == 403


def test_a_stored_figure_of_no_known_kpi_is_not_found(world, official, session) -> None:
    figure = figure_table(session, YEAR).get(KpiId.TRAINED, Measure.TRAINED)
    assert figure is not None
    row = session.get(KpiFigure, figure.id)
    assert row is not None
    row.kpi = "nonsense"
    session.commit()
    for path in (f"/dashboard/figures/{figure.id}", f"/dashboard/figures/{figure.id}.csv"):
        response = official.get(path)
        assert response.status_code == 404
        assert text(one(parse(response.text), ".error-message")) == (
            "Số này không thuộc chỉ tiêu nào đã biết."
        )


def test_a_visitor_is_sent_to_sign_in(world, client) -> None:
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303


def test_a_stale_year_is_shown_as_stored_then_refreshed(world, official, session, engine) -> None:
    person = factories.person(session, full_name="Lò Văn Mới", citizen_id="011201000099")
    course = factories.course(session, start_date=date(2025, 8, 1), end_date=date(2025, 9, 1))
    factories.enrolment(
        session, person_id=person.id, course_id=course.id, enrolled_on=date(2025, 8, 1)
    )
    session.commit()

    first = _dashboard(official)  # served as stored; the write queued a refresh
    assert _freshness(first) == "true"
    assert _total(first) == "6"
    assert [job.payload for job in jobs(engine) if job.kind == "kpi_refresh"] == [{"year": YEAR}]
    assert run_jobs(engine) == 1  # a worker refreshes the year
    info = snapshot_info(session, YEAR)
    session.rollback()
    assert info is not None and not info.stale
    second = _dashboard(official)
    assert _freshness(second) == "false"
    assert _total(second) == "7"


def _freshness(html: str) -> str:
    return attr(parse(html), "#freshness", "data-updating")


def _total(html: str) -> str:
    return next(a["value"] for a in numbers(html) if key_of(a) == ("trained", "trained", "", ""))


def test_a_year_never_computed_is_computed_on_the_first_visit(session, official) -> None:
    load_reference_data(session)
    build_world(session, labour_force=False)
    html = _dashboard(official)
    assert _total(html) == "6"
    assert find_all(parse(html), "#no-labour-figures"), (
        "the page says no labour-force figures were imported"
    )


def test_progress_cards_say_their_status_in_words(world, official) -> None:
    html = _dashboard(official)
    page = parse(html)
    cards = {
        data_attrs(a)["indicator"]: data_attrs(a)["status"]
        for a in find_all(page, "[data-indicator]")
    }
    # 2025 is over: 6 people trained against 8,000 missed the target.
    assert cards["trained_people"] == "missed"
    assert cards["trained_share_pct"] == "missed"  # 53.6 % of the employed against 65 %
    status = text(one(page, "[data-indicator=trained_people] .card-status"))
    assert status.endswith("Không đạt")  # the status in words, not colour alone


def test_bad_choices_fall_back_or_are_refused(world, official) -> None:
    assert official.get("/dashboard?year=1999").status_code == 400
    html = _dashboard(official, "&window=5&cut=")
    page = parse(html)
    assert attr(page, "#after-training", "data-window") == "6"
    cut = data_attrs(one(page, "#cut-table"))
    assert (cut["kpi"], cut["dimension"]) == ("trained", "commune")


@pytest.mark.parametrize(
    "cut", ["nonsense", "nonsense:commune", "trained:nonsense", "after_training_6:sex", "orders:"]
)
def test_a_cut_of_no_stored_kpi_is_refused(world, official, cut) -> None:
    response = official.get(f"/dashboard?year={YEAR}&cut={cut}")
    assert response.status_code == 400
    page = parse(response.text)
    assert "#cut-table" not in response.text and find_all(page, "tr[data-key]") == []
    assert text(one(page, ".error-message")).startswith("Không có bảng chỉ tiêu nào như vậy")


@pytest.mark.parametrize(
    "cut", ["after_training:priority_group", "orders:order", "vacancies:month", "abroad:country"]
)
def test_any_stored_cut_is_one_table(world, official, session, cut) -> None:
    html = _dashboard(official, f"&cut={cut}&window=6")
    name, by = cut.split(":")
    family, dimension = KpiFamily(name), Dimension(by)
    stored = family.at(6)
    table = figure_table(session, YEAR, kpis=[stored], dimensions=[dimension])
    session.rollback()
    first = CUTS[family][1][0]
    keys = {f.group_key for f in table.groups(stored, first, dimension)}
    rows = {data_attrs(tr)["key"] for tr in find_all(parse(html), "tr[data-key]")}
    assert rows == keys and keys


def test_the_page_stays_small_with_every_commune(official, session, engine) -> None:
    load_reference_data(session)
    build_world(session)
    communes = [o.value for o in _communes(session)]
    for n, code in enumerate(communes):
        person = factories.person(session, commune_code=code, citizen_id=f"0112020{n:05d}")
        factories.enrolment(session, person_id=person.id, enrolled_on=date(2025, 3, 1))
        factories.employment_spell(session, person_id=person.id, start_date=date(2025, 5, 1))
    session.commit()
    refresh_year(engine, YEAR)
    response = official.get(f"/dashboard?year={YEAR}")
    communes_charted = {a["key"] for a in numbers(response.text) if a["dimension"] == "commune"}
    assert set(communes) <= communes_charted
    assert len(gzip.compress(response.content)) < 60_000


def _communes(session: Session) -> list[Option]:
    options = commune_options(session, on=today())
    session.rollback()
    return options


def test_every_label_has_its_vietnamese() -> None:
    msgids = set(kpi_labels.all_label_msgids()) | set(dashboard.STATUS_LABELS.values())
    msgids |= {indicator.label for indicator in dashboard.INDICATORS}
    for spec in dashboard_charts.BAR_SPECS:
        msgids |= {spec.heading, *(label for _, _, label in spec.series)}
        msgids |= {spec.note} if spec.note else set()
    msgids |= {"Other occupations ({count})", "so far", "Target", "Even pace to the target"}
    msgids |= {"Running total by month against the yearly target"}
    msgids |= {"This number has no records behind it."}
    for columns in (drill_rows.ENROLMENT_COLUMNS, drill_rows.SPELL_COLUMNS,
                    drill_rows.ORDER_COLUMNS, drill_rows.VACANCY_COLUMNS):  # fmt: skip
        msgids |= {column.label for column in columns}
    msgids.add(drill_rows.FOLLOW_UP_COLUMN.label)
    dimensions = {d for dims, _ in CUTS.values() for d in dims}
    assert dimensions - set(kpi_labels.DIMENSION_LABELS) == set()  # every cut has its name
    msgids |= {kpi_labels.DIMENSION_LABELS[d] for d in dimensions}
    msgids |= {kpi_labels.MEASURE_LABELS[m] for _, measures in CUTS.values() for m in measures}
    vietnamese = catalogue("vi")
    assert sorted(m for m in msgids if vietnamese.get(m, m) == m) == []


def test_a_year_without_any_record_says_no_data_not_missed(world, official) -> None:
    """A year before the platform held anything: no zeros judged against the targets."""
    empty = YEAR - 3
    response = official.get(f"/dashboard?year={empty}")
    assert response.status_code == 200
    page = parse(response.text)
    cards = {
        data_attrs(a)["indicator"]: data_attrs(a)["status"]
        for a in find_all(page, "[data-indicator]")
    }
    assert cards["trained_people"] == "no_data"
    status = text(one(page, "[data-indicator=trained_people] .card-status"))
    assert status.endswith("Chưa có số liệu của năm này")
    assert "Không đạt" not in text(one(page, "[data-indicator=trained_people]"))


def test_imported_shares_show_in_a_year_without_records(world, official, session) -> None:
    """'No data' is for figures counted from records: an imported share still shows."""
    empty = YEAR - 3
    response = official.get(f"/dashboard?year={empty}")
    page = parse(response.text)
    statuses = {
        data_attrs(a)["indicator"]: data_attrs(a)["status"]
        for a in find_all(page, "[data-indicator]")
    }
    assert statuses["trained_people"] == "no_data"
    assert all(
        status != "no_data" for indicator, status in statuses.items() if "share" in indicator
    )


def test_the_trained_shares_are_of_the_employed_and_say_so(world, official) -> None:
    page = parse(_dashboard(official))
    rows = {
        text(one(row, "th")): [text(cell) for cell in find_all(row, "td")]
        for row in find_all(page, "#labour-force tbody tr")
    }
    # dashboard_world: 150,000 trained and 90,000 certified of 280,000 employed (300,000 in the
    # labour force): 53.6 % and 32.1 %, where the labour force would give 50 % and 30 %.
    trained = rows["Tỷ lệ lao động qua đào tạo (trên tổng số lao động có việc làm)"]
    certified = rows[
        "Tỷ lệ lao động qua đào tạo từ 3 tháng trở lên có bằng cấp, chứng chỉ "
        "(trên tổng số lao động có việc làm)"
    ]
    assert trained[0] == "53,6 % (150.000 / 280.000)"
    assert certified[0] == "32,1 % (90.000 / 280.000)"
