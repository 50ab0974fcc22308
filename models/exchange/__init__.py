"""Exchange files for systems without an API: versioned column layouts (layouts), and the
zip archive with its manifest and data file (files). See docs/exchange.md."""

from models.exchange.files import ExchangeFile, archive_pieces, build, read
from models.exchange.layouts import CURRENT, GRADUATES_V1, LAYOUTS, NEW_JOBS_V1, Layout

__all__ = [
    "CURRENT",
    "GRADUATES_V1",
    "LAYOUTS",
    "NEW_JOBS_V1",
    "ExchangeFile",
    "Layout",
    "archive_pieces",
    "build",
    "read",
]
