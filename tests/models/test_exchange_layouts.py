"""The exchange layouts are defined once: docs/exchange.md shows exactly the code's columns,
and every column is one the platform's Excel checks read (so a row is checked by their code)."""

from __future__ import annotations

from models.excel.columns import RESULT_COLUMNS, TRAINEE_COLUMNS
from models.excel.new_jobs import NEW_JOB_COLUMNS
from models.exchange.docs import DOC, with_layouts
from models.exchange.layouts import GRADUATES_V1, LAYOUTS, NEW_JOBS_V1, UNVERIFIED


def test_the_document_shows_the_layouts_of_the_code() -> None:
    document = DOC.read_text(encoding="utf-8")
    assert with_layouts(document) == document, "run: python -m models.exchange.docs"


def test_every_column_is_read_by_the_excel_checks() -> None:
    graduates = {c.key for c in (*TRAINEE_COLUMNS, *RESULT_COLUMNS)} | {
        "course_code",
        "occupation",
        "level_code",
    }
    assert set(GRADUATES_V1.headers) <= graduates
    assert NEW_JOBS_V1.headers == [column.key for column in NEW_JOB_COLUMNS]


def test_every_column_is_mapped_or_marked_unverified() -> None:
    for layout in LAYOUTS.values():
        assert len(set(layout.headers)) == len(layout.headers)
        for column in layout.columns:
            assert column.article17.startswith("Art. 17") or column.article17 == UNVERIFIED
            assert column.decree318.startswith("Decree 318") or column.decree318 == UNVERIFIED
