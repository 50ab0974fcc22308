"""The new-jobs register as an exchange file: the person lines of one period within the
user's scope (a commune officer's commune, the centre, an employer's own hires; officials the
province), exported with the ID numbers the reporters gave, and imported through the
register's own use case (register.import_rows): the same rules, messages, scope and
all-or-nothing write as the Excel sheet. An imported file becomes one report, which its
reporter withdraws like any other to undo it."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import audit
from models.clock import today as clock_today
from models.clock import utcnow
from models.db import unit_of_work
from models.excel import SheetRow
from models.exchange import NEW_JOBS_V1, archive_pieces, read
from models.queries import exchange as queries
from models.register_periods import parse_period, period_containing
from web.auth import Principal
from web.downloads import read_apart
from web.services import register
from web.services.exchange import ExchangeDownload
from web.services.register.views import scope_of

PERSONAL = ("citizen_id",)


def export_new_jobs(
    session: Session, engine: Engine, *, principal: Principal, period: str | None
) -> ExchangeDownload:
    """The lines of one period (a code of the reporter's schedule: 2026-03, 2026-H1; none:
    the period that holds today). Audited with the people it holds before a byte is sent;
    the lines are read through `engine` while the file is written."""
    reporter = register.reporter_of(principal)
    schedule = register.schedule_of(session, reporter.source)
    if period:
        chosen = parse_period(period, *schedule)
    else:
        chosen = period_containing(clock_today(), *schedule)
    scope = scope_of(principal)
    wanted = queries.NewJobFilter(scope, start=chosen.start, end=chosen.end)
    held = queries.new_job_lines_held(session, wanted)
    extra = {
        "period": chosen.code,
        "reporter": {
            "source": scope.source or "province",
            "commune_code": scope.commune_code,
            "employer_id": scope.employer_id,
        },
    }
    generated_at = utcnow()
    with unit_of_work(session):
        audit.record(
            session,
            user_id=principal.user.id,
            action="export",
            entity="new_job_register",
            export_kind=NEW_JOBS_V1.name,
            period=chosen.code,
            rows=held.rows,
            person_ids=held.person_ids,
        )
    pieces = archive_pieces(
        NEW_JOBS_V1,
        read_apart(engine, lambda reader: queries.each_new_job_line(reader, wanted)),
        generated_at=generated_at,
        personal_data=list(PERSONAL),
        extra=extra,
    )
    return ExchangeDownload(pieces, f"viec-lam-moi-{chosen.code}.zip", held.rows)


def import_new_jobs(
    session: Session,
    *,
    principal: Principal,
    data: bytes,
    filename: str,
    period: str | None = None,
    on_behalf_of: str | None = None,
) -> register.FileOutcome:
    """Check the manifest, then the lines for the period chosen (the file's own period when
    none is), within the user's scope; all written as one report, or nothing."""
    exchange = read(data, kind=NEW_JOBS_V1.kind)
    stated = exchange.manifest.get("period")
    chosen = period or (stated if isinstance(stated, str) else None)
    return register.import_rows(
        session,
        principal=principal,
        period=chosen,
        on_behalf_of=on_behalf_of,
        filename=filename,
        digest=exchange.sha256,
        read_rows=lambda: [SheetRow(number, dict(values)) for number, values in exchange.rows],
        exchange_layout=exchange.layout.name,
    )
