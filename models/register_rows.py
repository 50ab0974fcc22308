"""How a line of the new-jobs register becomes rows: the employment spell that holds the job and
the line that keeps who reported it and what they wrote. Plain dicts for bulk inserts, shared by
the register's service (web.services.register.write) and the demo generator, so a demo line
looks exactly like one that came in through the register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass
class ReportedJob:
    """The new job of a line, as its employment spell will hold it."""

    title: str
    channel: str
    kind: str
    location_kind: str
    start_date: date
    province_code: str | None = None
    country_code: str | None = None
    programme: str | None = None
    sending_company: str = ""
    sector_code: str | None = None
    employer_id: int | None = None
    employer_name: str = ""
    self_employed: bool = False
    contract_type: str | None = None
    wage: int | None = None


def spell_row(
    job: ReportedJob, *, person_id: int | None, source: str, now: datetime
) -> dict[str, Any]:
    """The employment spell a line becomes (no id: the caller's insert assigns one)."""
    return {
        "person_id": person_id,
        "employer_id": job.employer_id,
        "vacancy_id": None,
        "referral_id": None,
        "enrolment_id": None,
        "start_date": job.start_date,
        "end_date": None,
        "kind": job.kind,
        "channel": job.channel,
        "is_new_job": True,
        "abroad_programme": job.programme,
        "occupation_id": None,
        "in_trained_occupation": None,
        "sector_code": job.sector_code,
        "wage": job.wage,
        "source": source,
        "created_at": now,
        "location_kind": job.location_kind,
        "commune_code": None,
        "province_code": job.province_code,
        "country_code": job.country_code,
    }


def line_row(
    job: ReportedJob,
    *,
    report_id: int | None,
    person_id: int | None,
    spell_id: int,
    source: str,
    full_name: str,
    row_number: int | None,
    now: datetime,
) -> dict[str, Any]:
    """The register line linked to its person and to the spell it became."""
    return {
        "report_id": report_id,
        "person_id": person_id,
        "employment_spell_id": spell_id,
        "source": source,
        "channel": job.channel,
        "start_date": job.start_date,
        "row_number": row_number,
        "full_name": full_name,
        "job_title": job.title,
        "employer_name": job.employer_name,
        "self_employed": job.self_employed,
        "sending_company": job.sending_company,
        "contract_type": job.contract_type,
        "created_at": now,
    }
