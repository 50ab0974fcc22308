"""All tables, imported together so SQLModel.metadata (and Alembic) sees every one."""

from models.tables.accounts import AuditEntry, AuthSession, LoginAttempt, UserAccount
from models.tables.employment import (
    Employer,
    EmploymentSpell,
    FollowUp,
    LabourForceFigure,
    Referral,
    TrainingOrder,
    Vacancy,
    VacancySuggestion,
)
from models.tables.reference import (
    AdminUnit,
    AdminUnitLineage,
    CommuneZone,
    Country,
    EconomicSector,
    Ethnicity,
    MinimumWage,
    Target,
    TrainingLevel,
    TrainingOccupation,
    WageRegionAssignment,
)
from models.tables.training import Course, Enrolment, Institution, Person

__all__ = [
    "AdminUnit",
    "AdminUnitLineage",
    "AuditEntry",
    "AuthSession",
    "CommuneZone",
    "Country",
    "Course",
    "EconomicSector",
    "Employer",
    "EmploymentSpell",
    "Enrolment",
    "Ethnicity",
    "FollowUp",
    "Institution",
    "LabourForceFigure",
    "LoginAttempt",
    "MinimumWage",
    "Person",
    "Referral",
    "Target",
    "TrainingLevel",
    "TrainingOccupation",
    "TrainingOrder",
    "UserAccount",
    "Vacancy",
    "VacancySuggestion",
    "WageRegionAssignment",
]
