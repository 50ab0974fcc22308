"""Exchange files of the register of graduates (docs/exchange.md): graduates loaded from a file
read back as the same rows, also after an undo and a second import of the export; a changed
manifest or data file is refused with a clear message; one bad row refuses the whole file
with that row's error (the trainee import's own message); another institution's course is
refused; formula-looking text travels unchanged; every export and import is audited.
Runs on SQLite and PostgreSQL. Personas: `centre` (staff of the course's institution),
`other` (staff of another institution), `employer` (may not export graduates)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from models.clock import today
from models.exchange import GRADUATES_V1, build, read
from models.exchange.files import (
    UNKNOWN_LAYOUT,
    WRONG_COUNT,
    WRONG_HASH,
)
from models.queries.admin_units import resolve_commune
from models.tables import AuditEntry, Course, Enrolment, TrainingOccupation
from tests.html import attr, one, parse, table_rows, text
from tests.web import test_imports as shared
from tests.web.test_imports import as_user, counts, vi
from web.services.exchange.graduates import NO_COURSE
from web.services.imports.trainees import OTHER_BIRTH_DATE

app = shared.app
world = shared.world
HOSTILE = '=HYPERLINK("http://evil.example","Bản")'


def graduate_rows(session, world, count: int = 3) -> list[dict[str, Any]]:
    course = session.get(Course, world.course_id)
    occupation = session.get(TrainingOccupation, course.occupation_id)
    commune = resolve_commune(session, "Xã Quài Tở")
    assert commune is not None
    rows = []
    for n in range(1, count + 1):
        female = n % 2 == 0
        rows.append(
            {
                "course_code": course.code,
                "occupation": occupation.key,
                "level_code": course.level_code,
                "full_name": ["Lò Văn Minh", "Quàng Thị Mai", "Giàng A Dính"][n % 3],
                "birth_date": "2001-05-04",
                "sex": "nu" if female else "nam",
                "ethnicity": "03",
                "citizen_id": f"011{3 if female else 2}01{n:06d}",
                "phone": "+84912345678",
                "commune": commune.code,
                "village": HOSTILE if n == 1 else "Bản Có",
                "household": "ngheo" if n == 1 else "",
                "disability": "false",
                "consent": "true",
                "enrolled_on": course.start_date.isoformat(),
                "support_amount": "",
                "status": "tot_nghiep",
                "result": "dat",
                "graduated_on": (today() - timedelta(days=5)).isoformat(),
                "certificate_kind": "chung_chi_so_cap",
                "certificate_number": f"SC-{n:04d}",
            }
        )
    session.rollback()
    return rows


def exchange_file(rows: list[dict[str, Any]], **manifest: Any) -> bytes:
    return build(
        GRADUATES_V1,
        rows,
        generated_at=today_moment(),
        personal_data=["citizen_id", "phone"],
        extra={"institution": {"code": "X", "name": "X"}, **manifest},
    )


def today_moment():
    from models.clock import utcnow

    return utcnow()


def upload(client, data: bytes, name: str = "tot-nghiep.zip"):
    return client.post("/exchange/graduates", files={"file": (name, data, "application/zip")})


def download(client, **params: str) -> bytes:
    response = client.get("/exchange/graduates", params=params)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/zip"
    return response.content


def rewrite(
    data: bytes, *, manifest: dict[str, Any] | None = None, csv: bytes | None = None
) -> bytes:
    """The archive with its manifest or its data file replaced."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    if manifest is not None:
        parts["manifest.json"] = json.dumps(manifest).encode()
    if csv is not None:
        parts["data.csv"] = csv
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def refusal(response) -> str:
    return text(one(parse(response.text), "#exchange-refused"))


def test_graduates_round_trip_through_import_export_undo_and_import_again(client, session, world):
    as_user(client, session, world, "centre")
    rows = graduate_rows(session, world)
    before = counts(session)
    response = upload(client, exchange_file(rows))
    assert response.status_code == 200, response.text[:500]
    page = parse(response.text)
    assert text(one(page, "#exchange-saved")) == vi(
        "Saved: {count} graduates in {courses} courses.", count=3, courses=1
    )
    assert counts(session)[:2] == (before[0] + 3, before[1] + 3)

    exported = download(client, course_id=str(world.course_id))
    back = read(exported)
    assert back.manifest["formula_guard"] == "none: machine exchange file, text is exact"
    assert back.manifest["rows"] == 3 and back.manifest["layout"] == "graduates/1"
    by_id = {values["citizen_id"]: values for _n, values in back.rows}
    assert by_id == {row["citizen_id"]: row for row in rows}
    assert by_id["011201000001"]["village"] == HOSTILE  # no quote added, none lost

    # Undo the import: the database is as before it; the export imports again the same.
    undo = attr(
        parse(client.get(attr(page, "#exchange-imports a", "href")).text),
        "form#undo-form",
        "action",
    )
    assert client.post(undo, follow_redirects=False).status_code == 303
    assert counts(session)[:2] == before[:2]
    assert upload(client, exported).status_code == 200
    again = read(download(client, course_id=str(world.course_id)))
    assert sorted(v.items() for _n, v in again.rows) == sorted(v.items() for _n, v in back.rows)


def test_a_changed_manifest_or_data_file_is_refused(client, session, world):
    as_user(client, session, world, "centre")
    good = exchange_file(graduate_rows(session, world))
    manifest = read(good).manifest
    before = counts(session)
    changed_csv = read(good)  # one character of the data changed, the manifest kept
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        data = archive.read("data.csv")
    cases = {
        "hash": (rewrite(good, csv=data.replace(b"SC-0001", b"SC-0009")), vi(WRONG_HASH)),
        "count": (
            rewrite(good, manifest={**manifest, "rows": 4}),
            vi(WRONG_COUNT, actual=3, stated=4),
        ),
        "layout": (
            rewrite(good, manifest={**manifest, "layout": "graduates/9"}),
            vi(UNKNOWN_LAYOUT, layout="graduates/9", known="graduates/1, new-jobs/1"),
        ),
    }
    assert changed_csv.rows
    for name, (data_file, message) in cases.items():
        response = upload(client, data_file)
        assert response.status_code == 400, name
        assert refusal(response) == message, name
    # A data file changed with its hash updated but not its count.
    extra_line = data + data.splitlines(keepends=True)[-1]
    counted = {**manifest, "sha256": hashlib.sha256(extra_line).hexdigest()}
    response = upload(client, rewrite(good, manifest=counted, csv=extra_line))
    assert refusal(response) == vi(WRONG_COUNT, actual=4, stated=3)
    assert counts(session) == before


def test_one_bad_row_refuses_the_whole_file_with_its_error(client, session, world):
    as_user(client, session, world, "centre")
    rows = graduate_rows(session, world)
    rows[1]["sex"] = "nam"  # the ID number says female
    before = counts(session)
    response = upload(client, exchange_file(rows))
    assert response.status_code == 400
    problems = table_rows(parse(response.text), "#row-errors")
    assert [row for row, _column, _message in problems] == ["3"]
    assert problems[0][1] == "citizen_id"
    assert counts(session) == before


def test_another_institutions_course_is_refused(client, session, world):
    as_user(client, session, world, "other")
    before = counts(session)
    response = upload(client, exchange_file(graduate_rows(session, world)))
    assert response.status_code == 400
    problems = table_rows(parse(response.text), "#row-errors")
    assert {(column, message) for _row, column, message in problems} == {
        ("course_code", vi(NO_COURSE))
    }
    assert counts(session) == before
    # Nor may it export that course's graduates: answered as missing.
    assert (
        client.get("/exchange/graduates", params={"course_id": world.course_id}).status_code == 404
    )


def test_exports_are_audited_and_refused_to_employers(client, session, world):
    as_user(client, session, world, "centre")
    upload(client, exchange_file(graduate_rows(session, world)))
    plain = read(download(client, personal_data="0"))
    assert plain.manifest["personal_data"] == []
    assert {values["citizen_id"] for _n, values in plain.rows} == {""}
    # A file without ID numbers cannot be loaded.
    response = upload(client, download(client, personal_data="0"))
    assert refusal(response) == vi(
        "This file was exported without ID numbers: graduates cannot be imported from it."
    )
    entries = session.exec(
        select(AuditEntry).where(col(AuditEntry.action).in_(["export", "import"]))
    ).all()
    kinds = sorted(
        (entry.action, entry.details.get("export_kind") or entry.details.get("import_kind"))
        for entry in entries
    )
    assert kinds == [("export", "graduates/1"), ("export", "graduates/1"), ("import", "graduates")]
    assert len(next(e for e in entries if e.action == "export").details["person_ids"]) == 3
    session.rollback()
    client.cookies.clear()
    client.headers.clear()
    as_user(client, session, world, "employer")
    assert client.get("/exchange/graduates").status_code == 403


def test_the_trainee_checks_apply_against_the_database(client, session, world):
    """A person registered with another date of birth: the trainee import's message."""
    as_user(client, session, world, "centre")
    rows = graduate_rows(session, world, count=1)
    assert upload(client, exchange_file(rows)).status_code == 200
    rows[0]["birth_date"] = "2001-06-04"
    other = session.exec(select(Course).where(col(Course.id) == world.other_course_id)).one()
    session.rollback()
    assert other.id
    response = upload(client, exchange_file(rows))
    problems = table_rows(parse(response.text), "#row-errors")
    assert (problems[0][1], problems[0][2]) == ("birth_date", vi(OTHER_BIRTH_DATE))
    assert session.exec(select(Enrolment)).all()
