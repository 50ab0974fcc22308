"""Labels of stored codes in the reader's language and dates shown dd/mm/yyyy: what the course,
trainee, user and monitoring pages call in their templates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from models.clock import VIETNAM
from models.enums import (
    CertificateKind,
    CourseStatus,
    EnrolmentStatus,
    FundingSource,
    HouseholdStatus,
    Role,
    Sex,
)
from models.formatting import format_date
from models.i18n import translate

# Stored codes -> msgids of their labels: the English label is the msgid, so an English
# reader needs no catalogue entry; models/locale/vi.po holds the Vietnamese.
LABELS: dict[str, dict[str, str]] = {
    "course_status": {
        CourseStatus.PLANNED: "Planned",
        CourseStatus.RUNNING: "Under way",
        CourseStatus.FINISHED: "Finished",
        CourseStatus.CANCELLED: "Cancelled",
    },
    "funding": {  # the same labels as the training-order pages
        FundingSource.POVERTY_PROGRAMME: "National target programme: poverty reduction",
        FundingSource.ETHNIC_PROGRAMME: "National target programme: ethnic minority areas",
        FundingSource.RURAL_PROGRAMME: "National target programme: new rural areas",
        FundingSource.LEARNER_SUPPORT: "Learner support (QĐ 46/2015)",
        FundingSource.PROVINCE_BUDGET: "Province budget",
        FundingSource.EMPLOYER: "The employer",
        FundingSource.LEARNER: "The learners",
    },
    "enrolment_status": {
        EnrolmentStatus.STUDYING: "Studying",
        EnrolmentStatus.DROPPED: "Dropped out",
        EnrolmentStatus.COMPLETED: "Completed",
        EnrolmentStatus.GRADUATED: "Graduated",
    },
    "certificate": {
        CertificateKind.COLLEGE_DIPLOMA: "College diploma",
        CertificateKind.INTERMEDIATE_DIPLOMA: "Intermediate diploma",
        CertificateKind.ELEMENTARY_CERTIFICATE: "Elementary certificate",
        CertificateKind.TRAINING_CERTIFICATE: "Training certificate",
        CertificateKind.COMPLETION_CERTIFICATE: "Certificate of completion",
        CertificateKind.NATIONAL_SKILLS: "National vocational skills certificate",
    },
    "result": {"dat": "Passed", "khong_dat": "Failed"},
    "sex": {Sex.MALE: "Male", Sex.FEMALE: "Female"},
    "household": {
        HouseholdStatus.POOR: "Poor household",
        HouseholdStatus.NEAR_POOR: "Near-poor household",
    },
    "role": {
        Role.ADMIN: "role:admin",
        Role.OFFICIAL: "role:official",
        Role.INSTITUTION: "role:institution",
        Role.EMPLOYER: "role:employer",
        Role.COMMUNE: "role:commune",
        Role.JOB_CENTRE: "role:job_centre",
    },
}


def page_tools(lang: str) -> dict[str, Any]:
    """What every page of these areas uses: labels of stored codes in the reader's language
    (an unknown code is shown as stored) and dates as dd/mm/yyyy."""

    def label(kind: str, code: str | None) -> str:
        if not code:
            return ""
        msgid = LABELS[kind].get(code)
        return translate(msgid, lang) if msgid else code

    def show_date(value: date | datetime | None) -> str:
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(VIETNAM)  # a moment is shown on Vietnam's calendar
        return format_date(value, lang) if value else ""

    return {"labels": LABELS, "label": label, "show_date": show_date}
