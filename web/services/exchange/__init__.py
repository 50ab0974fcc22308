"""Exchange files for systems without an API (docs/exchange.md): the register of graduates
(graduates) and the new-jobs register (new_jobs), exported as a zip with a manifest and one
CSV data file in a versioned layout (models/exchange), and imported the same way.

An import checks the manifest, then every row with the checks of the platform's Excel imports
(the same code, the same messages), and writes all rows in one transaction or none. Access is
by relation, as on the pages: an institution's own courses, a reporter's own scope. Every
export and import is in the audit log, with the people an export holds.

An export is sent while it is written (models/exchange archive_pieces, web/downloads): the
caller, the parameters and the audit entry come first, so a refusal is an error page; then
the rows are read in a session of their own as the archive is written, manifest last.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

ZIP = "application/zip"


@dataclass(frozen=True)
class ExchangeDownload:
    """An exchange file for the browser (or the CLI) to save: its pieces, written (and its
    rows read) as they are taken, once the export is checked and audited; `rows` is the
    count the audit entry records."""

    pieces: Iterator[bytes]
    filename: str
    rows: int
