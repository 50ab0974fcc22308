"""Files sent while they are written (CSV, zip): the route checks the caller and the
parameters and writes the audit entry first, so a refusal is still an error page; only then
does the response start, its body a generator that reads the rows in a session of its own.

The request's session cannot serve the generator: its transaction ends when the route returns
(web.deps.route_session). The generator's session reads through `reading_engine` (on SQLite a
deferred transaction, which takes no write lock; on PostgreSQL a read-only REPEATABLE READ
one), and is closed when the file is done or the reader goes away.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.clock import local_time, utcnow
from models.monitoring.store import reading_engine

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
ZIP_MEDIA_TYPE = "application/zip"

Item = TypeVar("Item")
MEMBER_MODE = 0o600 << 16  # what ZipFile.writestr gives a member: read and write, owner only


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


class _Outbox:
    """Where ZipFile writes: bytes kept until taken. It cannot seek or tell, so ZipFile
    writes each member's sizes and checksum after its data (a data descriptor) instead of
    going back to its header: nothing already sent needs rewriting."""

    def __init__(self) -> None:
        self._pending = bytearray()

    def write(self, data: bytes) -> int:
        self._pending += data
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        taken = bytes(self._pending)
        self._pending.clear()
        return taken


def zip_chunks(members: Iterable[tuple[str, Iterable[bytes]]]) -> Iterator[bytes]:
    """A zip archive (deflated) written member after member, each from its pieces, and
    yielded as it is compressed: memory holds a piece, not the archive. `members` is
    iterated as the archive is written, so a member may be read from the database then."""
    outbox = _Outbox()
    with zipfile.ZipFile(outbox, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, pieces in members:
            entry = zipfile.ZipInfo(name, date_time=local_time(utcnow()).timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = MEMBER_MODE
            # Files here stay far below 2 GB, so no Zip64 fields (ZipFile refuses beyond).
            with archive.open(entry, "w") as member:
                for piece in pieces:
                    member.write(piece)
                    if taken := outbox.take():
                        yield taken
            if taken := outbox.take():
                yield taken
    if taken := outbox.take():
        yield taken
