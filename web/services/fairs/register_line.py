"""A hire made at a job fair enters the new-jobs register: one line per person in the
session's own report (source: the Employment Service Centre, its period the day of the
session), with its employment spell made the register's way (models.register_rows). The line
keeps the channel of the job itself (a firm in the province, another province, abroad), as
the platform's hire decided it. K2 counts the person once a year whatever else recorded them
(docs/kpi.md); a person already on the session's report is not added twice. A hire undone
takes its line (and the line's spell) out of the report again."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models import audit
from models.clock import utcnow
from models.enums import EmploymentKind, ReportSource
from models.monitoring.refresh_jobs import enqueue_refreshes
from models.register_rows import ReportedJob, line_row, spell_row
from models.tables import (
    Employer,
    EmploymentSpell,
    JobFair,
    JobFairStep,
    NewJobLine,
    NewJobReport,
    Person,
    Vacancy,
)
from web.auth import Principal
from web.services.register.write import drop_lines


def fair_report(session: Session, principal: Principal, fair: JobFair) -> NewJobReport:
    """The session's report in the register (made by its first hire)."""
    if fair.report_id is not None:
        report = session.get(NewJobReport, fair.report_id)
        if report is not None and report.withdrawn_at is None:
            return report
    report = NewJobReport(
        source=ReportSource.JOB_CENTRE.value,
        period_start=fair.held_on,
        period_end=fair.held_on,
        dedupe_key=f"fair:{fair.id}:{utcnow().isoformat()}"[:120],
        submitted_by_id=principal.user.id,
    )
    session.add(report)
    session.flush()
    fair.report_id = report.id
    return report


def _job(session: Session, spell: EmploymentSpell) -> ReportedJob:
    vacancy = session.get(Vacancy, spell.vacancy_id) if spell.vacancy_id else None
    employer = session.get(Employer, spell.employer_id) if spell.employer_id else None
    return ReportedJob(
        title=vacancy.title if vacancy else "",
        channel=spell.channel,
        kind=spell.kind or EmploymentKind.WAGE.value,
        location_kind=spell.location_kind,
        start_date=spell.start_date,
        province_code=spell.province_code,
        country_code=spell.country_code,
        sector_code=spell.sector_code,
        employer_id=spell.employer_id,
        employer_name=employer.name if employer else "",
        wage=spell.wage,
    )


def enter_hire(
    session: Session, *, principal: Principal, fair: JobFair, spell: EmploymentSpell
) -> NewJobLine | None:
    """The hire's line in the session's report; None when the person is already on it."""
    report = fair_report(session, principal, fair)
    already = session.exec(
        select(NewJobLine.id).where(
            col(NewJobLine.report_id) == report.id, col(NewJobLine.person_id) == spell.person_id
        )
    ).first()
    if already is not None:
        return None
    person = session.get(Person, spell.person_id)
    assert person is not None and report.id is not None
    job = _job(session, spell)
    now = utcnow()
    register_spell = EmploymentSpell(
        **spell_row(job, person_id=person.id, source=report.source, now=now)
    )
    session.add(register_spell)
    session.flush()
    assert register_spell.id is not None
    line = NewJobLine(
        **line_row(
            job,
            report_id=report.id,
            person_id=person.id,
            spell_id=register_spell.id,
            source=report.source,
            full_name=person.full_name,
            row_number=None,
            now=now,
        )
    )
    session.add(line)
    report.person_lines += 1
    session.flush()
    audit.record(
        session,
        user_id=principal.user.id,
        action="add_line",
        entity="new_job_report",
        entity_id=report.id,
        person_id=person.id,
        job_fair_id=fair.id,
        lines=1,
    )
    enqueue_refreshes(session, {spell.start_date.year})
    return line


def leave_hire(session: Session, *, principal: Principal, steps: list[JobFairStep]) -> list[int]:
    """The hires of these steps were undone (their spells are being deleted): each person's
    line leaves the session's report, with its register spell and the report's count. A
    person still hired at the session for another vacancy keeps a line, made again from that
    hire. Returns the ids of the lines taken out."""
    dropped: list[int] = []
    for step in steps:
        fair = session.get(JobFair, step.fair_id)
        if fair is None or fair.report_id is None:
            continue
        report = session.get(NewJobReport, fair.report_id)
        if report is None or report.withdrawn_at is not None:
            continue  # a withdrawn report's lines are already out of the register
        lines = session.exec(
            select(NewJobLine).where(
                col(NewJobLine.report_id) == report.id,
                col(NewJobLine.person_id) == step.person_id,
            )
        ).all()
        if not lines:
            continue
        dropped += [line.id for line in lines if line.id is not None]
        years = drop_lines(session, lines)
        report.person_lines = max(report.person_lines - len(lines), 0)
        audit.record(
            session,
            user_id=principal.user.id,
            action="remove_line",
            entity="new_job_report",
            entity_id=report.id,
            person_id=step.person_id,
            job_fair_id=fair.id,
            lines=len(lines),
        )
        enqueue_refreshes(session, years)
        other = session.exec(
            select(EmploymentSpell)
            .join(JobFairStep, col(JobFairStep.employment_spell_id) == col(EmploymentSpell.id))
            .where(
                col(JobFairStep.fair_id) == fair.id,
                col(JobFairStep.person_id) == step.person_id,
                col(JobFairStep.id) != step.id,
                col(JobFairStep.hired_at).is_not(None),
            )
        ).first()
        if other is not None:
            enter_hire(session, principal=principal, fair=fair, spell=other)
    return dropped
