"""`dbjobs exchange` as an institution's clerk runs it (docs/exchange.md): a graduates file
loads into the institution's course, an export reads the same rows back, a file sent twice is
refused whole with each row's reason, and a file changed after it was written is refused
before any row is read. Runs on SQLite and PostgreSQL (the `engine` fixture)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from models.tables import Enrolment
from tests.test_cli import run, url_of
from tests.web.helpers import make_account
from tests.web.test_exchange import exchange_file, graduate_rows
from tests.web.test_imports import world  # noqa: F401  (fixture)


def enrolments(engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(Enrolment)).scalar_one()


def data_rows(archive: Path) -> list[dict[str, str]]:
    with zipfile.ZipFile(archive) as opened:
        text = opened.read("data.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_clerk_loads_graduates_and_reads_them_back(engine, session, world, tmp_path):  # noqa: F811
    make_account(session, "institution", "centre", institution_id=world.institution_id)
    session.commit()
    rows = graduate_rows(session, world)
    sent = tmp_path / "graduates.zip"
    sent.write_bytes(exchange_file(rows))
    url = url_of(engine)

    loaded = run(url, "exchange", "import", str(sent), "--as", "centre", lang="en")
    assert loaded.exit_code == 0, loaded.output
    assert "Imported 3 rows" in loaded.output
    assert enrolments(engine) == 3

    back = tmp_path / "check.zip"
    exported = run(url, "exchange", "export", "graduates", "--as", "centre", "--out", str(back))
    assert exported.exit_code == 0, exported.output
    read_back = data_rows(back)
    assert sorted(row["citizen_id"] for row in read_back) == sorted(r["citizen_id"] for r in rows)
    # A formula-looking village travels as it was typed: this is a machine exchange file.
    assert '=HYPERLINK("http://evil.example","Bản")' in {row["village"] for row in read_back}

    again = run(url, "exchange", "import", str(sent), "--as", "centre", lang="en")
    assert again.exit_code == 1
    assert "Nothing was written: 3 problems in the file." in again.stderr
    assert len([line for line in again.stderr.splitlines() if "\tcitizen_id\t" in line]) == 3
    assert "Traceback" not in again.output
    assert enrolments(engine) == 3


def test_a_changed_file_is_refused_before_any_row(engine, session, world, tmp_path):  # noqa: F811
    make_account(session, "institution", "centre", institution_id=world.institution_id)
    session.commit()
    original = exchange_file(graduate_rows(session, world))
    changed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(changed, "w") as out:
        for name in source.namelist():
            content = source.read(name)
            if name == "data.csv":
                content = content.replace("Bản Có".encode(), "Bản Khác".encode(), 1)
            out.writestr(name, content)
    sent = tmp_path / "changed.zip"
    sent.write_bytes(changed.getvalue())

    result = run(url_of(engine), "exchange", "import", str(sent), "--as", "centre", lang="en")
    assert result.exit_code == 1
    assert "SHA-256" in result.stderr or "hash" in result.stderr.lower(), result.stderr
    assert enrolments(engine) == 0
