"""Exchange files for systems without an API (docs/exchange.md): the register of graduates
(graduates) and the new-jobs register (new_jobs), exported as a zip with a manifest and one
CSV data file in a versioned layout (models/exchange), and imported the same way.

An import checks the manifest, then every row with the checks of the platform's Excel imports
(the same code, the same messages), and writes all rows in one transaction or none. Access is
by relation, as on the pages: an institution's own courses, a reporter's own scope. Every
export and import is in the audit log, with the people an export holds.
"""

from __future__ import annotations

from dataclasses import dataclass

ZIP = "application/zip"


@dataclass(frozen=True)
class ExchangeDownload:
    """An exchange file for the browser (or the CLI) to save."""

    content: bytes
    filename: str
