"""The kinds of background work and the states of a job, defined once."""

from __future__ import annotations

from enum import StrEnum

QUEUED = "queued"  # waiting for a worker (or for its retry time)
RUNNING = "running"  # claimed by a worker, whose lease says it is alive
DONE = "done"
FAILED = "failed"  # every attempt failed; ``error`` says how
STATUSES = (QUEUED, RUNNING, DONE, FAILED)


class JobKind(StrEnum):
    IMPORT_CHECK = "import_check"  # read and check an uploaded workbook
    IMPORT_WRITE = "import_write"  # write a confirmed import
    KPI_REFRESH = "kpi_refresh"  # recompute one year's KPI figures
    SUGGESTIONS = "suggestions"  # rank graduates for open vacancies and store them
    PURGE = "purge"  # delete abandoned imports and old jobs


def kpi_refresh_key(year: int) -> str:
    return f"{JobKind.KPI_REFRESH}:{year}"


def import_key(import_id: int) -> str:
    return f"import:{import_id}"
