"""Closed vocabularies stored as short strings. Lists that change by law (levels, occupations,
admin units, wages, targets) are tables, not enums: see models/tables/reference.py."""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    MALE = "nam"
    FEMALE = "nu"


class HouseholdStatus(StrEnum):
    POOR = "ngheo"
    NEAR_POOR = "can_ngheo"


class Zone(StrEnum):
    """Khu vực of a commune in ethnic-minority and mountainous areas (I easiest, III hardest)."""

    I = "I"  # noqa: E741
    II = "II"
    III = "III"


class SectorGroup(StrEnum):
    AGRICULTURE = "nlts"  # nông, lâm nghiệp, thủy sản
    INDUSTRY = "cnxd"  # công nghiệp, xây dựng
    SERVICES = "dv"  # dịch vụ, thương mại


class LocationKind(StrEnum):
    COMMUNE = "commune"  # a commune or ward of the province
    OTHER_PROVINCE = "other_province"
    ABROAD = "abroad"


class InstitutionKind(StrEnum):
    COLLEGE = "cao_dang"
    INTERMEDIATE = "trung_cap"
    CENTRE = "trung_tam_gdnn_gdtx"
    ENTERPRISE = "doanh_nghiep"
    OTHER = "khac"


class CourseStatus(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class FundingSource(StrEnum):
    POVERTY_PROGRAMME = "ctmtqg_giam_ngheo"
    ETHNIC_PROGRAMME = "ctmtqg_dtts"
    RURAL_PROGRAMME = "ctmtqg_ntm"
    LEARNER_SUPPORT = "qd46"
    PROVINCE_BUDGET = "ngan_sach_tinh"
    EMPLOYER = "doanh_nghiep"
    LEARNER = "nguoi_hoc"


class EnrolmentStatus(StrEnum):
    STUDYING = "dang_hoc"
    DROPPED = "bo_hoc"
    COMPLETED = "hoan_thanh"  # finished the course, result pending or failed
    GRADUATED = "tot_nghiep"  # passed and holds the credential


class CertificateKind(StrEnum):
    COLLEGE_DIPLOMA = "bang_cao_dang"
    INTERMEDIATE_DIPLOMA = "bang_trung_cap"
    ELEMENTARY_CERTIFICATE = "chung_chi_so_cap"
    TRAINING_CERTIFICATE = "chung_chi_dao_tao"
    COMPLETION_CERTIFICATE = "giay_chung_nhan"
    NATIONAL_SKILLS = "chung_chi_ky_nang_nghe"


class VacancyStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"


class TrainingOrderStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_TRAINING = "in_training"
    TRAINED = "trained"
    FULFILLED = "fulfilled"
    CLOSED = "closed"


class ReferralStatus(StrEnum):
    PROPOSED = "proposed"
    REFERRED = "referred"
    INTERVIEW = "interview"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


ACTIVE_REFERRAL_STATUSES = (
    ReferralStatus.PROPOSED,
    ReferralStatus.REFERRED,
    ReferralStatus.INTERVIEW,
    ReferralStatus.HIRED,
)


class EmploymentKind(StrEnum):
    WAGE = "wage"  # làm công ăn lương
    SELF_EMPLOYED = "self_employed"  # tự tạo việc làm
    HOUSEHOLD = "household"  # sản xuất hộ gia đình
    ABROAD = "abroad"  # đi làm việc ở nước ngoài theo hợp đồng
    IMPROVED_SAME_JOB = "improved_same_job"  # tiếp tục việc cũ, năng suất cao hơn


class NewJobChannel(StrEnum):
    """The six channels in which Điện Biên counts new jobs, in the province's priority order."""

    LOAN = "vay_von"
    ABROAD = "xuat_khau_lao_dong"
    OUTSIDE_PROVINCE = "dn_ngoai_tinh"
    INSIDE_PROVINCE = "dn_trong_tinh"
    PUBLIC_BODY = "co_quan_hcsn"
    OTHER_PROGRAMME = "chuong_trinh_khac_tu_tao"


class FollowUpStatus(StrEnum):
    WAGE = "wage"
    SELF_EMPLOYED = "self_employed"
    HOUSEHOLD = "household"
    ABROAD = "abroad"
    IMPROVED_SAME_JOB = "improved_same_job"
    UNEMPLOYED = "unemployed"
    STUDYING = "studying"
    MILITARY = "military"
    NOT_REACHED = "not_reached"


EMPLOYED_FOLLOW_UP_STATUSES = (
    FollowUpStatus.WAGE,
    FollowUpStatus.SELF_EMPLOYED,
    FollowUpStatus.HOUSEHOLD,
    FollowUpStatus.ABROAD,
    FollowUpStatus.IMPROVED_SAME_JOB,
)


class FollowUpSource(StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    EMPLOYER = "employer"
    SOCIAL_INSURANCE = "social_insurance"
    PLATFORM_HIRE = "platform_hire"
    COMMUNE_REPORT = "commune_report"


class EmploymentSource(StrEnum):
    PLATFORM = "platform"  # a hire recorded on the platform
    EMPLOYER = "employer"
    COMMUNE_REPORT = "commune_report"
    CENTRE_REPORT = "centre_report"  # the Employment Service Centre's register lines
    AGENCY_REPORT = "agency_report"


class Role(StrEnum):
    ADMIN = "admin"
    OFFICIAL = "official"
    INSTITUTION = "institution"
    EMPLOYER = "employer"
    COMMUNE = "commune"  # a commune officer: the new-jobs register of one commune
    JOB_CENTRE = "job_centre"  # staff of the Employment Service Centre, province-wide


class WillingScope(StrEnum):
    COMMUNE = "commune"
    PROVINCE = "province"
    OTHER_PROVINCE = "other_province"
    ABROAD = "abroad"


class TargetIndicator(StrEnum):
    TRAINED = "trained_people"
    NEW_JOBS = "new_jobs"
    TRAINED_SHARE = "trained_share_pct"
    CERTIFIED_SHARE = "certified_share_pct"
    STRUCTURE_AGRICULTURE = "structure_nlts_pct"
    STRUCTURE_INDUSTRY = "structure_cnxd_pct"
    STRUCTURE_SERVICES = "structure_dv_pct"
    ABROAD = "abroad_departures"

    @property
    def milestone(self) -> bool:
        """A share or the structure: set *by* a year (2025, the 2030 orientation), judged in
        the years between on the path to the next milestone (docs/kpi.md); the others are
        yearly flows (people trained, new jobs, departures each year)."""
        return self in MILESTONE_INDICATORS

    @property
    def by_commune(self) -> bool:
        """A count of people, which communes can share out (their targets add up)."""
        return not self.milestone

    @property
    def by_institution(self) -> bool:
        """Institutions train: their targets are people trained."""
        return self is TargetIndicator.TRAINED


MILESTONE_INDICATORS = frozenset(
    {
        TargetIndicator.TRAINED_SHARE,
        TargetIndicator.CERTIFIED_SHARE,
        TargetIndicator.STRUCTURE_AGRICULTURE,
        TargetIndicator.STRUCTURE_INDUSTRY,
        TargetIndicator.STRUCTURE_SERVICES,
    }
)


class ReportSource(StrEnum):
    """Who reported a new job to the register; the spell a line becomes has the same value
    as its EmploymentSource."""

    COMMUNE = "commune_report"
    JOB_CENTRE = "centre_report"
    EMPLOYER = "employer"
    OFFICIAL = "agency_report"


class ReportFrequency(StrEnum):
    MONTHLY = "monthly"
    HALF_YEARLY = "half_yearly"


class DataRequestKind(StrEnum):
    """What a person asks about their own data (Decree 356/2025)."""

    ACCESS = "access"
    CORRECTION = "correction"
    DELETION = "deletion"


class DataRequestChannel(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    WRITTEN = "written"


class DataRequestOutcome(StrEnum):
    DONE = "done"  # given, corrected or deleted
    REFUSED = "refused"  # refused with a reason the law allows
    WITHDRAWN = "withdrawn"  # the person withdrew the request


class ApiScope(StrEnum):
    """What a machine's API token may do (docs/api.md). `personal-data:read` is needed on top
    of a resource's own read scope before any personal data leaves through the API."""

    VACANCIES_READ = "vacancies:read"
    VACANCIES_WRITE = "vacancies:write"
    ORDERS_READ = "orders:read"
    ORDERS_WRITE = "orders:write"
    ENROLMENTS_WRITE = "enrolments:write"
    COURSES_WRITE = "courses:write"
    RESULTS_WRITE = "results:write"
    NEW_JOBS_WRITE = "new-jobs:write"
    FOLLOW_UPS_WRITE = "follow-ups:write"
    KPI_READ = "kpi:read"
    CANDIDATES_READ = "candidates:read"
    PERSONAL_DATA_READ = "personal-data:read"


class OrganisationKind(StrEnum):
    """The organisations an API token can belong to."""

    INSTITUTION = "institution"
    EMPLOYER = "employer"
    COMMUNE = "commune"
    JOB_CENTRE = "job_centre"  # the Employment Service Centre: one in the province


class AbroadSupportKind(StrEnum):
    """The loan or support a person going to work abroad received."""

    POLICY_BANK_LOAN = "policy_bank_loan"  # vay vốn Ngân hàng Chính sách xã hội
    POOR_SUPPORT = "poor_support"  # hỗ trợ người nghèo, cận nghèo, dân tộc thiểu số
    OTHER = "other"
