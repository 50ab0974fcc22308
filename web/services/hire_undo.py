"""Undoing a hire made by mistake (or that fell through before the first day): the referral
goes back to the interview step, the place is given back and the job leaves the new-jobs
figures, all in one transaction. The audit keeps the hire and its undoing.

The place is released with one conditional UPDATE (models.placement.release_place) after
the referral moved from hired with another, so an undo that races a second undo releases
once, and an undo that races a hire of someone else never lets the vacancy over-fill: the
hire's claim is itself a conditional UPDATE on the same row."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from models.db import unit_of_work
from models.enums import ReferralStatus, Role
from models.errors import NotFoundError
from models.monitoring.refresh_jobs import enqueue_refreshes
from models.placement import release_place
from models.queries.candidates import active_referral
from models.tables import EmploymentSpell, FollowUp, JobFairStep, NewJobLine, Referral
from web.auth import Principal
from web.permissions import Permission
from web.services.fairs.register_line import leave_hire
from web.services.referrals import audit_referral, move_referral, vacancy_for


def undo_hire(
    session: Session, *, principal: Principal, vacancy_id: int, person_id: int
) -> Referral:
    """The employer (or an official) takes a hire back."""
    # Officials watch hiring and correct it; employers hire their own vacancies only.
    official = principal.role in (Role.OFFICIAL, Role.ADMIN)
    permission = Permission.REFER_CANDIDATES if official else Permission.HIRE
    with unit_of_work(session):
        vacancy_for(session, principal, vacancy_id, permission)
        referral = active_referral(session, vacancy_id, person_id)
        if referral is None or referral.status != ReferralStatus.HIRED:
            raise NotFoundError("person", "This person is not hired for this vacancy.")
        referral = move_referral(
            session,
            vacancy_id,
            person_id,
            ReferralStatus.INTERVIEW,
            allowed_from=(ReferralStatus.HIRED,),
        )
        steps = _fair_steps(session, referral)
        spells = _drop_spells(session, referral)
        # A hire made at a job fair also entered the fair's report in the register.
        lines = leave_hire(session, principal=principal, steps=steps)
        release_place(session, vacancy_id)
        audit_referral(
            session,
            principal,
            referral,
            "undo_hire",
            employment_spells=spells,
            **({"register_lines": lines} if lines else {}),
        )
        return referral


def _fair_steps(session: Session, referral: Referral) -> list[JobFairStep]:
    """The job fair steps whose hire recorded this referral's job."""
    spell_ids = select(EmploymentSpell.id).where(col(EmploymentSpell.referral_id) == referral.id)
    return list(
        session.exec(
            select(JobFairStep).where(col(JobFairStep.employment_spell_id).in_(spell_ids))
        ).all()
    )


def _drop_spells(session: Session, referral: Referral) -> list[int]:
    """Delete the job the hire recorded (what points at it is unlinked first) and queue the
    figures of its year again."""
    spells = session.exec(
        select(EmploymentSpell).where(col(EmploymentSpell.referral_id) == referral.id)
    ).all()
    ids = [spell.id for spell in spells if spell.id is not None]
    if not ids:
        return []
    for model in (FollowUp, NewJobLine):
        session.execute(
            update(model)
            .where(col(model.employment_spell_id).in_(ids))
            .values(employment_spell_id=None)
        )
    # A hire made at a job fair is no longer one there either.
    session.execute(
        update(JobFairStep)
        .where(col(JobFairStep.employment_spell_id).in_(ids))
        .values(employment_spell_id=None, hired_at=None)
    )
    years = {spell.start_date.year for spell in spells}
    for spell in spells:
        session.delete(spell)
    session.flush()
    enqueue_refreshes(session, years)
    return ids
