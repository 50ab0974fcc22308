"""A zip archive written while it is sent or saved: member after member, each from its
pieces, with no seeking back, so memory holds a piece and never the archive. The web's
downloads (web/downloads.py) and the exchange files (models/exchange) both write with it."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator

from models.clock import local_time, utcnow

MEMBER_MODE = 0o600 << 16  # what ZipFile.writestr gives a member: read and write, owner only


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
    iterated as the archive is written, so a member may be read from the database then,
    and a later member may describe what an earlier one held."""
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
