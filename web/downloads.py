"""Files sent while they are written (CSV, zip): the route checks the caller and the
parameters and writes the audit entry first, so a refusal is still an error page; only then
does the response start, its body a generator that reads the rows in a session of its own.

The request's session cannot serve the generator: its transaction ends when the route returns
(web.deps.route_session). The generator's session reads through `reading_engine` (on SQLite a
deferred transaction, which takes no write lock; on PostgreSQL a read-only REPEATABLE READ
one), and is closed when the file is done or the reader goes away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.monitoring.store import reading_engine
from models.zip_stream import zip_chunks as zip_chunks  # written in models: exchange files too

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
ZIP_MEDIA_TYPE = "application/zip"

Item = TypeVar("Item")


def read_apart(engine: Engine, read: Callable[[Session], Iterable[Item]]) -> Iterator[Item]:
    """What `read` yields, from a session of its own kept open while it is iterated."""
    with Session(reading_engine(engine)) as reader:
        yield from read(reader)


def attachment_headers(filename: str, *, personal_data: bool) -> dict[str, str]:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if personal_data:
        headers["Cache-Control"] = "no-store"  # not kept in shared caches
    return headers


def streamed(
    body: Iterator[bytes], filename: str, media_type: str, *, personal_data: bool
) -> StreamingResponse:
    """The file as the reader's download, sent piece by piece as `body` yields them."""
    headers = attachment_headers(filename, personal_data=personal_data)
    return StreamingResponse(body, media_type=media_type, headers=headers)
