"""CSV and zip downloads are sent while they are written (issue 16): a CSV file's header goes
out before its rows are read, its rows in pieces of a few hundred; a zip archive member after
member, each compressed as it comes; the rows are read in a session of their own that takes no
write lock. What is sent is what the whole file built in memory was, byte for byte, formula
cells neutralised; the checks and the audit entry come before the first byte."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.formula_guard import CsvWriter, csv_chunks
from models.i18n import translate
from models.queries.reference import all_commune_names, country_options
from models.tables import AuditEntry, Person
from tests import factories
from tests.web import test_abroad as abroad
from web.downloads import read_apart, zip_chunks
from web.routes.abroad import SUPPORT_LABELS
from web.services.abroad import lists

pytestmark = abroad.pytestmark  # the day the departures' dates are written for
world = abroad.world  # the fixture: the reference data and an account per role

HOSTILE = '=HYPERLINK("http://evil.example")'
SOURCE = '=HYPERLINK("http://x")'  # the source of a loan, as a recorder may type it


def _in_memory(header: list[object], rows: list[list[object]], **options: object) -> bytes:
    """The CSV file as the downloads wrote it before they streamed."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = CsvWriter(buffer, **options)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def test_a_csv_file_sends_its_header_before_reading_a_row_then_rows_in_pieces():
    read: list[int] = []

    def rows() -> Iterator[list[object]]:
        for n in range(1, 1001):
            read.append(n)
            yield [n, f"Lò Văn {n}", HOSTILE if n % 7 == 0 else "-5", -n]

    pieces = csv_chunks(["Số", "Họ tên", "Ghi chú", "Số âm"], rows(), chunk_rows=300)
    first = next(pieces)
    assert first.decode("utf-8") == "\ufeffSố,Họ tên,Ghi chú,Số âm\r\n"
    assert read == []  # nothing read yet: the reader's download has started
    second = next(pieces)
    assert len(read) == 300 and second.count(b"\r\n") == 300
    rest = list(pieces)
    assert len(rest) == 3  # 300 + 300 + 100
    content = first + second + b"".join(rest)
    expected = [[n, f"Lò Văn {n}", HOSTILE if n % 7 == 0 else "-5", -n] for n in range(1, 1001)]
    assert content == _in_memory(["Số", "Họ tên", "Ghi chú", "Số âm"], expected)
    cells = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert cells[7][2] == "'" + HOSTILE and cells[1][2] == "'-5"  # text neutralised
    assert cells[1][3] == "-1"  # a negative number stays a number


def test_an_empty_csv_file_is_its_header():
    assert b"".join(csv_chunks(["a", "b"], iter(()))) == _in_memory(["a", "b"], [])


def test_a_zip_archive_is_sent_member_by_member_and_reads_back_whole():
    opened: list[str] = []

    def pieces(name: str) -> Iterator[bytes]:
        opened.append(name)
        for n in range(50):
            yield f"{name},{n}\r\n".encode() * 200

    members = ((name, pieces(name)) for name in ("a.csv", "b.csv", "c.csv"))
    stream = zip_chunks(members)
    sent = [next(stream)]
    assert opened == ["a.csv"]  # the later members are not read yet
    sent += list(stream)
    assert len(sent) > 3
    archive = zipfile.ZipFile(io.BytesIO(b"".join(sent)))
    assert archive.testzip() is None
    assert archive.namelist() == ["a.csv", "b.csv", "c.csv"]
    assert archive.read("b.csv") == b"".join(pieces("b.csv"))
    entry = archive.getinfo("a.csv")
    assert entry.compress_type == zipfile.ZIP_DEFLATED and entry.date_time[0] >= 2024
    assert entry.flag_bits & 0x08  # sizes after the data: nothing sent is rewritten


def test_rows_are_read_in_a_session_that_takes_no_write_lock(engine: Engine, session: Session):
    for n in range(3):
        factories.person(session, full_name=f"Quàng Văn {n}")
    session.commit()
    people = read_apart(engine, lambda reader: reader.exec(select(Person.id)))
    assert next(people) is not None  # the reading session is open, in the middle of its rows
    with Session(engine) as writer:  # another request writes meanwhile, without waiting
        if engine.dialect.name == "sqlite":
            writer.execute(text("PRAGMA busy_timeout = 0"))
        factories.person(writer, full_name="Lò Thị Mai")
        writer.commit()
    assert len(list(people)) == 2
    people.close()


def test_the_departures_csv_is_streamed_and_is_the_file_it_was(client, world, session, app):
    line_id = abroad._departure(client, world, session)
    abroad._returned(client, line_id, support_source=SOURCE)
    abroad.sign_in(client, world["official"])
    response = client.get("/abroad/departures.csv")
    assert response.status_code == 200
    assert "content-length" not in response.headers  # sent in pieces
    assert response.headers["content-disposition"] == (
        'attachment; filename="di-lam-viec-nuoc-ngoai.csv"'
    )
    assert response.headers["cache-control"] == "no-store"
    # What the route wrote before it streamed: the whole list, then the file in memory.
    labels = {msgid: translate(msgid, "vi") for msgid in (*lists.CSV_HEADERS, "Yes", "No")}
    labels |= {str(k): translate(v, "vi") for k, v in SUPPORT_LABELS.items()}
    found = abroad.fresh(session)
    rows = lists.departures(found, lists.ListFilters().query(None))
    countries = {option.value: option.label for option in country_options(found)}
    communes = all_commune_names(found)
    expected = _in_memory(
        [labels[header] for header in lists.CSV_HEADERS],
        [lists._csv_row(row, countries, communes, labels) for row in rows],
    )
    assert len(rows) == 1 and response.content == expected
    cells = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert cells[1][11] == "'" + SOURCE
    audited = found.exec(
        select(AuditEntry).where(AuditEntry.entity == "abroad_departures_csv")
    ).all()
    assert len(audited) == 1 and audited[0].details["person_ids"] == [rows[0].person.id]
    session.rollback()


@pytest.mark.parametrize("role", ["employer", "institution"])
def test_the_departures_csv_is_refused_before_any_byte_to_those_who_do_not_record(
    client, world, role
):
    abroad.sign_in(client, world[role])
    response = client.get("/abroad/departures.csv")
    assert response.status_code in (403, 404)
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("year", ["abc", "1200", "99999999999999999999"])
def test_a_bad_year_for_the_supply_and_demand_csv_is_an_error_page_not_a_broken_file(
    client, world, year
):
    abroad.sign_in(client, world["official"])
    response = client.get("/supply-demand.csv", params={"year": year})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")


def test_the_supply_and_demand_csv_is_streamed_with_its_total_last(client, world):
    abroad.sign_in(client, world["official"])
    response = client.get("/supply-demand.csv", params={"year": "2026"})
    assert response.status_code == 200
    assert "content-length" not in response.headers
    assert response.headers["content-disposition"] == (
        'attachment; filename="supply-demand-20260101-20261231.csv"'
    )
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][0] == translate("Occupation", "vi") and lines[-1][0] == translate("Total", "vi")
