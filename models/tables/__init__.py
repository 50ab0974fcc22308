"""All tables, imported together so SQLModel.metadata (and Alembic) sees every one."""

from sqlmodel import SQLModel

# Deterministic constraint names, identical on SQLite and PostgreSQL, so migrations can
# name what they drop.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# ruff: noqa: E402

from models.tables.abroad import AbroadDeparture
from models.tables.accounts import AuditEntry, AuthSession, LoginAttempt, UserAccount
from models.tables.api import ApiIdempotency, ApiRateWindow, ApiScopeAllowance, ApiToken
from models.tables.contact import Application, Notification, OutboxMessage, PhoneCode
from models.tables.corrections import DataRequest, LegalDeadline, PersonChange
from models.tables.employment import (
    Employer,
    EmploymentSpell,
    FollowUp,
    LabourForceFigure,
    PublishedFigure,
    Referral,
    TrainingOrder,
    Vacancy,
    VacancySuggestion,
)
from models.tables.fairs import (
    JobFair,
    JobFairCommune,
    JobFairGuest,
    JobFairMatch,
    JobFairStep,
    JobFairVacancy,
)
from models.tables.guidance import GuidanceSession
from models.tables.jobs import ExcelImport, ImportPart, Job
from models.tables.learning import WeightProposal
from models.tables.monitoring import KpiFigure, KpiFigureValue, KpiSnapshot
from models.tables.monitoring_admin import TargetChange
from models.tables.person_names import PersonNameWord
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
from models.tables.register import (
    NewJobAggregate,
    NewJobLine,
    NewJobReport,
    ReportingSchedule,
)
from models.tables.training import Course, Enrolment, Institution, Person

__all__ = [
    "AbroadDeparture",
    "AdminUnit",
    "AdminUnitLineage",
    "ApiIdempotency",
    "ApiRateWindow",
    "ApiScopeAllowance",
    "ApiToken",
    "Application",
    "AuditEntry",
    "AuthSession",
    "CommuneZone",
    "Country",
    "Course",
    "DataRequest",
    "EconomicSector",
    "Employer",
    "EmploymentSpell",
    "Enrolment",
    "Ethnicity",
    "ExcelImport",
    "FollowUp",
    "GuidanceSession",
    "ImportPart",
    "Institution",
    "Job",
    "JobFair",
    "JobFairCommune",
    "JobFairGuest",
    "JobFairMatch",
    "JobFairStep",
    "JobFairVacancy",
    "KpiFigure",
    "KpiFigureValue",
    "KpiSnapshot",
    "LabourForceFigure",
    "LegalDeadline",
    "LoginAttempt",
    "MinimumWage",
    "NewJobAggregate",
    "NewJobLine",
    "NewJobReport",
    "Notification",
    "OutboxMessage",
    "Person",
    "PersonChange",
    "PersonNameWord",
    "PhoneCode",
    "PublishedFigure",
    "Referral",
    "ReportingSchedule",
    "Target",
    "TargetChange",
    "TrainingLevel",
    "TrainingOccupation",
    "TrainingOrder",
    "UserAccount",
    "Vacancy",
    "VacancySuggestion",
    "WageRegionAssignment",
    "WeightProposal",
]
