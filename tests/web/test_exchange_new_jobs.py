"""Exchange files of the new-jobs register: a commune's month exported, its report withdrawn,
and the file imported again gives the same lines (formula-looking text unchanged); the same
file twice is refused; a line outside the period refuses the file with its row. The file is
sent while it is written, its manifest last; a refused export is an error page. Runs on
SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from models.exchange import read
from models.tables import AuditEntry, NewJobLine, NewJobReport
from tests.html import one, parse, table_rows, text
from tests.web.test_register import (
    GIÀNG_THỊ_B,
    LÒ_VĂN_A,
    _reload,
    as_user,
    upload,
    workbook,
    world,
)

pytestmark = pytest.mark.today("2026-04-10")
__all__ = ["world"]
HOSTILE = '=HYPERLINK("http://evil.example","Thợ may")'


def exchange_upload(client, data: bytes, **fields: str):
    return client.post(
        "/new-jobs/exchange",
        data=fields,
        files={"file": ("viec-lam.zip", data, "application/zip")},
        follow_redirects=False,
    )


def test_a_month_round_trips_through_the_exchange_file(client, world, session):
    as_user(client, world, "commune")
    assert upload(client, workbook([LÒ_VĂN_A, GIÀNG_THỊ_B])).status_code == 303
    # The job as a reporter typed it, formula-looking (a sheet cell typed as text).
    session.execute(
        update(NewJobLine).where(col(NewJobLine.full_name) == "Lò Văn A").values(job_title=HOSTILE)
    )
    session.commit()
    response = client.get("/new-jobs/exchange", params={"period": "2026-03"})
    assert response.status_code == 200
    exported = read(response.content)
    assert exported.manifest["period"] == "2026-03" and exported.manifest["rows"] == 2
    assert exported.rows[0][1]["job"] == HOSTILE
    (report,) = _reload(session, NewJobReport)
    client.post(f"/new-jobs/reports/{report.id}/withdraw")

    imported = exchange_upload(client, response.content)
    assert imported.status_code == 303, imported.text[:500]
    again = read(client.get("/new-jobs/exchange", params={"period": "2026-03"}).content)
    assert [values for _n, values in again.rows] == [values for _n, values in exported.rows]
    # The same file twice for the period: refused, nothing written twice.
    twice = exchange_upload(client, response.content)
    assert twice.status_code == 400
    assert len(_reload(session, NewJobReport)) == 2


def test_a_bad_line_refuses_the_file_with_its_row(client, world, session):
    as_user(client, world, "commune")
    assert upload(client, workbook([LÒ_VĂN_A, GIÀNG_THỊ_B])).status_code == 303
    content = client.get("/new-jobs/exchange", params={"period": "2026-03"}).content
    (report,) = _reload(session, NewJobReport)
    client.post(f"/new-jobs/reports/{report.id}/withdraw")
    # Imported for April, the March start dates fall outside the period: every row refused.
    response = exchange_upload(client, content, period="2026-04")
    assert response.status_code == 400
    page = parse(response.text)
    assert text(one(page, "#import-refused"))
    assert sorted({row for row, _c, _m in table_rows(page, "#row-errors")}) == ["2", "3"]
    assert len(_reload(session, NewJobReport)) == 1


def test_the_file_is_sent_with_its_manifest_last_and_audited_first(client, world, session):
    as_user(client, world, "commune")
    assert upload(client, workbook([LÒ_VĂN_A, GIÀNG_THỊ_B])).status_code == 303
    response = client.get("/new-jobs/exchange", params={"period": "2026-03"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"] == (
        'attachment; filename="viec-lam-moi-2026-03.zip"'
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == ["data.csv", "manifest.json"]
        manifest = json.loads(archive.read("manifest.json"))
        data = archive.read("data.csv")
    assert manifest["rows"] == 2 and manifest["personal_data"] == ["citizen_id"]
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    (entry,) = session.exec(select(AuditEntry).where(col(AuditEntry.action) == "export")).all()
    lines = session.exec(select(NewJobLine)).all()
    assert entry.details["rows"] == 2
    assert entry.details["person_ids"] == sorted({line.person_id for line in lines})
    session.rollback()


@pytest.mark.parametrize(
    ("who", "period", "status"),
    [("commune", "2026-13", 400), ("commune", "march", 400), ("institution", "2026-03", 403)],
)
def test_a_refused_export_is_an_error_page_not_a_started_download(
    client, world, session, who, period, status
):
    as_user(client, world, who)
    response = client.get("/new-jobs/exchange", params={"period": period})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in response.headers
    assert not session.exec(select(AuditEntry).where(col(AuditEntry.action) == "export")).all()
    session.rollback()
