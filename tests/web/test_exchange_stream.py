"""Exchange files are sent while they are written: data.csv first, in pieces of a few hundred
rows compressed as they come, and the manifest last, with the row count and the SHA-256 of
the data file as it was written; the file still reads back. The checks and the audit entry
(the people the file holds, its row count) come before the first byte, so a refused export
is an error page, never a started download. Runs on SQLite and PostgreSQL (the route tests).
Personas: `centre` (staff of the course's institution), `other` (staff of another one)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from models.clock import today
from models.exchange import GRADUATES_V1, archive_pieces, read
from models.people import name_fields
from models.tables import AuditEntry, Enrolment, Person
from tests.web import test_imports as shared
from tests.web.test_imports import as_user

app = shared.app
world = shared.world
GRADUATES = 1500  # enough for data.csv to be compressed and sent in several pieces
MANIFEST_FIELDS = [
    "format",
    "layout",
    "data_file",
    "encoding",
    "rows",
    "sha256",
    "generated_at",
    "source",
    "columns",
    "personal_data",
    "formula_guard",
]


def members(archive: bytes) -> tuple[list[str], dict[str, Any], bytes]:
    """The names of the archive's members in their order, its manifest and its data file."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = opened.namelist()
        return names, json.loads(opened.read("manifest.json")), opened.read("data.csv")


def test_an_archive_is_sent_while_its_rows_are_read_and_its_manifest_comes_last():
    read_so_far: list[int] = []

    def rows() -> Iterator[dict[str, Any]]:
        for n in range(1, 3001):
            read_so_far.append(n)
            digest = hashlib.sha256(str(n).encode()).hexdigest()
            yield {"full_name": f"Lò Văn {digest[:12]}", "certificate_number": digest[12:40]}

    pieces = archive_pieces(
        GRADUATES_V1,
        rows(),
        generated_at=datetime(2026, 5, 1, 3, 0),
        personal_data=["citizen_id", "phone"],
        extra={"year": 2026},
        chunk_rows=300,
    )
    sent: list[bytes] = []
    read_when_sent: list[int] = []
    for piece in pieces:
        sent.append(piece)
        read_when_sent.append(len(read_so_far))
    # Compressed data went out while rows were still unread, more than once.
    assert sum(1 for count in read_when_sent if 0 < count < 3000) >= 2
    archive = b"".join(sent)
    assert max(len(piece) for piece in sent) < len(archive) // 3
    names, manifest, data = members(archive)
    assert names == ["data.csv", "manifest.json"]  # the manifest is written last
    assert list(manifest) == [*MANIFEST_FIELDS, "year"]
    assert manifest["rows"] == 3000
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    assert data.count(b"\r\n") == 3001  # the header and every row
    assert len(read(archive, kind="graduates").rows) == 3000


def _graduates(session: Session, course_id: int, count: int) -> list[int]:
    """`count` graduates of the course, with distinct ID numbers and villages (text that
    compresses as little as real addresses do); their person ids."""
    graduated = today() - timedelta(days=5)
    people = []
    for n in range(count):
        name = f"Lò Văn Minh {n:04d}"
        people.append(
            Person(
                **name_fields(name),
                birth_date=date(2001, 5, 4),
                sex="nam",
                ethnicity_code="03",
                citizen_id=f"0112010{n:05d}",
                phone=f"+849123{n:05d}",
                commune_code="03253",
                village=f"Bản {hashlib.sha256(name.encode()).hexdigest()[:32]}",
            )
        )
    session.add_all(people)
    session.flush()
    session.add_all(
        Enrolment(
            person_id=person.id or 0,
            course_id=course_id,
            enrolled_on=graduated - timedelta(days=90),
            status="tot_nghiep",
            result="dat",
            graduated_on=graduated,
            certificate_kind="chung_chi_so_cap",
            certificate_number=f"SC-{n:05d}",
        )
        for n, person in enumerate(people)
    )
    session.commit()
    return sorted(person.id or 0 for person in people)


def _exports(session: Session) -> list[AuditEntry]:
    session.expire_all()
    found = list(session.exec(select(AuditEntry).where(col(AuditEntry.action) == "export")))
    session.rollback()  # end the read: on SQLite an open transaction holds the write lock
    return found


def test_a_large_export_arrives_in_pieces_manifest_last_and_imports_back(client, session, world):
    person_ids = _graduates(session, world.course_id, GRADUATES)
    as_user(client, session, world, "centre")
    params = {"course_id": str(world.course_id)}
    with client.stream("GET", "/exchange/graduates", params=params) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/zip"
        assert response.headers["cache-control"] == "no-store"
        assert "content-length" not in response.headers  # sent in pieces
        pieces = list(response.iter_raw())
    assert response.headers["content-disposition"].startswith('attachment; filename="tot-nghiep-')
    archive = b"".join(pieces)
    assert len(pieces) > 3
    assert max(len(piece) for piece in pieces) < len(archive) // 2
    names, manifest, data = members(archive)
    assert names == ["data.csv", "manifest.json"]
    assert list(manifest) == [*MANIFEST_FIELDS, "institution", "year"]
    assert manifest["rows"] == GRADUATES
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    back = read(archive, kind="graduates")
    assert len(back.rows) == GRADUATES
    assert {values["citizen_id"] for _n, values in back.rows} == {
        f"0112010{n:05d}" for n in range(GRADUATES)
    }
    # In Vietnamese name order: the given name (here the last word, a number) first.
    numbers = [values["certificate_number"] for _n, values in back.rows]
    assert numbers == sorted(numbers)
    (entry,) = _exports(session)
    assert entry.details["rows"] == GRADUATES
    assert entry.details["person_ids"] == person_ids


def test_an_export_without_personal_data_blanks_it_and_says_so_in_its_manifest(
    client, session, world
):
    _graduates(session, world.course_id, 3)
    as_user(client, session, world, "centre")
    params = {"course_id": str(world.course_id), "personal_data": "0"}
    response = client.get("/exchange/graduates", params=params)
    assert response.status_code == 200
    names, manifest, data = members(response.content)
    assert names == ["data.csv", "manifest.json"]
    assert manifest["personal_data"] == [] and manifest["rows"] == 3
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    back = read(response.content)
    assert {(v["citizen_id"], v["phone"]) for _n, v in back.rows} == {("", "")}
    assert {v["certificate_number"] for _n, v in back.rows} == {"SC-00000", "SC-00001", "SC-00002"}
    (entry,) = _exports(session)
    assert entry.details["rows"] == 3 and entry.details["personal_data"] == []


@pytest.mark.parametrize(
    ("who", "params", "status"),
    [
        ("other", {"course_id": "{course}"}, 404),  # another institution's course
        ("other", {"institution_id": "{institution}"}, 404),  # another institution
        ("centre", {"course_id": "abc"}, 400),
        ("centre", {"year": "12"}, 400),
        ("centre", {"course_id": "999999"}, 404),
    ],
)
def test_a_refused_export_is_an_error_page_not_a_started_download(
    client, session, world, who, params, status
):
    _graduates(session, world.course_id, 3)
    as_user(client, session, world, who)
    chosen = {
        name: value.format(course=world.course_id, institution=world.institution_id)
        for name, value in params.items()
    }
    response = client.get("/exchange/graduates", params=chosen)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in response.headers
    assert _exports(session) == []  # nothing audited: nothing was sent
