"""Bounded uploads (issue 10, item 7): a zip bomb, a sheet too long or too wide, and text
multiplied by shared strings are refused before the server does the work, with a message.

The bomb is a valid workbook whose sheet XML is about 1 GB of one repeated row, compressed to
about 1 MB (written as a stream: the test never holds the gigabyte). It must be refused from
the archive's directory alone (the sheet is never opened), in under 2 s and 200 MB.
"""

from __future__ import annotations

import io
import random
import string
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest

from models.csv_read import read_csv_table
from models.errors import InvalidError
from models.excel import Column, bounds, read, read_table
from tests.web.test_imports import app, as_user, counts, field_errors, upload, vi, world
from tests.xlsx_files import HEADERS, bomb_rows, honest_rows, row_xml, text_cell, write_xlsx

__all__ = ["app", "world"]  # fixtures of the import tests, used here too

COLUMNS = (
    Column("full_name", HEADERS[0], required=True),
    Column("birth_date", HEADERS[1], kind="date"),
    Column("sex", HEADERS[2]),
)
SHEET = "xl/worksheets/sheet1.xml"
TOO_BIG = (
    "The file expands to more than {max} MB when opened: it is too big to import. "
    "Split it into several files, or delete what it holds beside the data."
)
TOO_COMPRESSED = (
    "The file is not a normal Excel workbook: part of it expands {ratio} times when "
    "opened. Save it again from Excel, or copy the data into the template."
)
TOO_MANY_ROWS = (
    "The sheet {sheet} has more than {max} rows: split it into files of at most {max} rows."
)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = write_xlsx(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", bomb_rows(1024), level=9)
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        expanded = archive.getinfo(SHEET).file_size
    assert len(data) < 2 * 1024 * 1024 and expanded > 10**9  # ~1 MB that opens to 1 GB
    return data


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the archive parts anything opens to read (and so decompresses)."""
    names: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        if (args[0] if args else kwargs.get("mode", "r")) == "r":
            names.append(getattr(name, "filename", name))
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return names


def _refusal(data: bytes, columns=COLUMNS) -> InvalidError:
    with pytest.raises(InvalidError) as caught:
        read_table(data, columns)
    return caught.value


def test_a_zip_bomb_is_refused_before_decompression_fast_and_small(bomb, opened) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = _refusal(bomb)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (error.msgid, error.params) == (TOO_BIG, {"max": 128})
    assert SHEET not in opened  # refused from the directory: the sheet was never inflated
    assert elapsed < 2
    assert peak < 200 * 1024 * 1024


def test_the_bomb_uploaded_is_refused_with_a_message_and_nothing_kept(
    app, client, session, world, bomb, tmp_path, opened
) -> None:
    as_user(client, session, world, "centre")
    before = counts(session)
    started = time.perf_counter()
    response = upload(client, world, bomb, name="hoc-vien.xlsx")
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert field_errors(response.text)["file"] == vi(TOO_BIG, max=128)
    assert elapsed < 2
    assert SHEET not in opened
    assert counts(session) == before
    kept = tmp_path / "imp"
    assert not kept.exists() or sum(f.stat().st_size for f in kept.rglob("*")) == 0


def test_a_part_that_expands_too_much_is_refused_by_its_ratio(tmp_path, opened) -> None:
    data = write_xlsx(tmp_path / "small-bomb.xlsx", bomb_rows(20), level=9).read_bytes()
    error = _refusal(data)  # 20 MB is within the size limits, not the ratio
    assert error.msgid == TOO_COMPRESSED
    assert int(error.params["ratio"]) > bounds.MAX_RATIO
    assert SHEET not in opened


def test_a_bomb_in_any_part_is_refused_before_the_file_type_is_told(
    tmp_path, monkeypatch, opened
) -> None:
    """An .ods is told by its `mimetype` part: a bomb there is refused before it is read."""
    monkeypatch.setattr(bounds, "MAX_PART_BYTES", 1024 * 1024)
    path = tmp_path / "mimetype-bomb.ods"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("mimetype", "w") as part,
    ):
        for _ in range(4):
            part.write(b"application/vnd.oasis.opendocument" + b" " * 1024 * 1024)
    opened.clear()
    error = _refusal(path.read_bytes())
    assert error.msgid == TOO_BIG
    assert opened == []


def test_an_honest_file_over_the_row_limit_is_refused_from_its_dimension(tmp_path) -> None:
    rows = bounds.MAX_SHEET_ROWS + 1
    path = write_xlsx(tmp_path / "long.xlsx", honest_rows(rows - 1), dimension=f"A1:C{rows}")
    started = time.perf_counter()
    error = _refusal(path.read_bytes())
    assert time.perf_counter() - started < 2  # the dimension is at the top of the sheet
    assert (error.msgid, error.params) == (
        TOO_MANY_ROWS,
        {"sheet": "Học viên", "max": bounds.MAX_SHEET_ROWS},
    )


def test_rows_are_counted_as_they_stream_when_the_sheet_has_no_dimension(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(read, "MAX_SHEET_ROWS", 100)
    monkeypatch.setattr(bounds, "MAX_SHEET_ROWS", 100)
    fits = write_xlsx(tmp_path / "fits.xlsx", honest_rows(99)).read_bytes()
    assert len(read_table(fits, COLUMNS).rows) == 99
    long = write_xlsx(tmp_path / "long.xlsx", honest_rows(100)).read_bytes()
    error = _refusal(long)
    assert (error.msgid, error.params["max"]) == (TOO_MANY_ROWS, 100)


def test_a_sheet_wider_than_the_limit_is_refused_naming_its_last_column(tmp_path) -> None:
    path = write_xlsx(tmp_path / "wide.xlsx", honest_rows(3), dimension="A1:XFD4")
    error = _refusal(path.read_bytes())
    assert error.params == {"sheet": "Học viên", "last": "XFD", "max": bounds.MAX_SHEET_COLUMNS}


def test_text_multiplied_past_the_budget_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(bounds, "MAX_TEXT_MILLIONS", 1)
    letters = random.Random(10)  # text that does not compress: only the budget refuses it
    rows = [row_xml(1, (text_cell(i, 1, h) for i, h in enumerate(HEADERS, 1)))]
    for n in range(2, 1_000):  # 1,200 characters a row: 1,000 rows pass one million
        name = "".join(letters.choices(string.ascii_letters, k=1_200))
        rows.append(row_xml(n, [text_cell(1, n, name)]))
    error = _refusal(write_xlsx(tmp_path / "text.xlsx", rows).read_bytes())
    assert error.params == {"max": 1}


def test_a_sheet_with_a_dtd_is_refused_as_damaged(tmp_path) -> None:
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    path = write_xlsx(tmp_path / "laughs.xlsx", honest_rows(2), prologue=laughs)
    error = _refusal(path.read_bytes())
    assert error.msgid == "The file is not an Excel workbook (.xlsx), or it is damaged."


def test_a_csv_file_has_the_same_row_and_column_limits(monkeypatch) -> None:
    header = ",".join(HEADERS)
    lines = [header] + [f"Người {n},04/05/2001,Nam" for n in range(bounds.MAX_SHEET_ROWS)]
    with pytest.raises(InvalidError) as caught:
        read_csv_table("\n".join(lines).encode(), COLUMNS, max_rows=10**6)
    assert (caught.value.msgid, caught.value.params["sheet"]) == (TOO_MANY_ROWS, "CSV")
    wide = header + "\n" + "x," * bounds.MAX_SHEET_COLUMNS + "x\n"
    with pytest.raises(InvalidError) as caught:
        read_csv_table(wide.encode(), COLUMNS)
    assert caught.value.params["max"] == bounds.MAX_SHEET_COLUMNS


def test_every_limit_message_has_its_vietnamese() -> None:
    for msgid in (TOO_BIG, TOO_COMPRESSED, TOO_MANY_ROWS):
        assert vi(msgid) != msgid


def test_helpers_write_files_openpyxl_reads(tmp_path: Path) -> None:
    """Guards the tests above: the hand-built workbook is one openpyxl reads."""
    data = write_xlsx(tmp_path / "ok.xlsx", honest_rows(3), dimension="A1:C4").read_bytes()
    assert [row.values["full_name"] for row in read_table(data, COLUMNS).rows] == [
        "Người 2",
        "Người 3",
        "Người 4",
    ]
