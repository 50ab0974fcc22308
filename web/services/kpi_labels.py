"""Labels of what the dashboard and the drill-down show: KPIs, measures, dimensions, the groups of
each dimension and the codes in record lists, in the reader's language.

Every label is a msgid (the English text) with its Vietnamese in models/locale/vi.po. Groups
whose keys are codes of a register (communes, occupations, institutions…) are named from the
register with one small query per dimension (models.queries.kpi_names).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlmodel import Session

from matching.kpi import Dimension as D
from matching.kpi import KpiFamily
from matching.kpi import Measure as M
from models.i18n import translate
from models.monitoring.figures import NONE_KEY
from models.queries.kpi_names import NAMED_DIMENSIONS, group_names
from models.queries.labels import GROUP_VOCABULARIES, NOT_RECORDED

KPI_LABELS: dict[KpiFamily, str] = {
    KpiFamily.TRAINED: "Trained people",
    KpiFamily.NEW_JOBS: "New jobs",
    KpiFamily.ABROAD: "Departures abroad",
    KpiFamily.AFTER_TRAINING: "Employment after training",
    KpiFamily.ORDERS: "Training orders",
    KpiFamily.VACANCIES: "Vacancies",
    KpiFamily.TRAINED_SHARE: "Trained share of the employed",
    KpiFamily.CERTIFIED_SHARE: "Share of the employed trained 3 months or more with a certificate",
    KpiFamily.LABOUR_STRUCTURE: "Labour structure (imported figures)",
    KpiFamily.NEW_JOB_STRUCTURE: "Sector groups of the new jobs recorded",
    KpiFamily.OUTCOMES: "Outcomes of training",
    KpiFamily.SUPPLY_DEMAND: "Supply and demand by occupation",
}
MEASURE_LABELS: dict[M, str] = {
    M.TRAINED: "Trained (started in the year)",
    M.STARTED: "Started training",
    M.FINISHED: "Finished training",
    M.CERTIFIED: "Certified",
    M.PEOPLE: "People",
    M.AGGREGATED: "People in counts without names",
    M.EMPLOYED: "Employed",
    M.IN_TRAINED_OCCUPATION: "In the trained occupation",
    M.RESPONSE: "Response rate",
    M.NOT_REACHED: "Could not be reached",
    M.STUDYING: "Studying further",
    M.MILITARY: "Military service",
    M.UNOBSERVED: "Nothing known yet",
    M.ORDERED: "Workers ordered",
    M.HIRING_COMMITMENT: "Hiring commitment",
    M.ENROLLED: "Enrolled",
    M.COMPLETED: "Completed",
    M.GRADUATED: "Graduated",
    M.HIRED: "Hired by the ordering employer",
    M.FILL: "Fill rate",
    M.COMMITMENT_MET: "Share of the commitment hired",
    M.COST: "Training cost",
    M.COST_PER_PLACED: "Cost per person placed",
    M.POSTED: "Vacancies posted",
    M.PLACES_OFFERED: "Places offered",
    M.PLACES_FILLED: "Places filled",
    M.MEDIAN_DAYS_TO_FILL: "Median days to fill",
    M.SHARE: "Share",
    M.AGRICULTURE: "Agriculture, forestry and fishery",
    M.INDUSTRY: "Industry and construction",
    M.SERVICES: "Services",
    M.UNKNOWN: "Sector not recorded",
    M.EMPLOYED_6: "Employed after 6 months",
    M.EMPLOYED_12: "Employed after 12 months",
    M.RESPONSE_6: "Response rate after 6 months",
    M.RESPONSE_12: "Response rate after 12 months",
    M.IN_TRADE_6: "Working in the trade after 6 months",
    M.IN_TRADE_12: "Working in the trade after 12 months",
    M.MEDIAN_WAGE: "Median wage reported",
    M.OPEN_PLACES: "Vacancy places open now",
    M.PROMISED_PLACES: "Places in training orders that promise a job",
    M.COMPLETION: "Completion rate",
    M.AVAILABLE_NOW: "Available now",
}
DIMENSION_LABELS: dict[D, str] = {
    D.TOTAL: "Total",
    D.MONTH: "Month",
    D.COMMUNE: "Commune",
    D.ZONE: "Zone",
    D.SEX: "Sex",
    D.ETHNICITY: "Ethnic group",
    D.ETHNIC_MINORITY: "Ethnic minority",
    D.PRIORITY_GROUP: "Priority group",
    D.HOUSEHOLD: "Household",
    D.AGE_BAND: "Age band",
    D.LEVEL: "Level",
    D.OCCUPATION: "Occupation",
    D.INSTITUTION: "Institution",
    D.CHANNEL: "Channel",
    D.SECTOR_GROUP: "Sector group",
    D.SOURCE: "Source",
    D.LOCATION_KIND: "Place of work",
    D.COUNTRY: "Country",
    D.PROGRAMME: "Programme",
    D.EMPLOYER: "Employer",
    D.STATUS: "Status",
    D.ORDER: "Training order",
    D.OCCUPATION_INSTITUTION: "Occupation and institution",
    D.INSTITUTION_LEVEL: "Institution and level",
    D.OCCUPATION_PLACE: "Occupation and place",
}
# Codes -> msgids, per vocabulary; a dimension of the same name uses the same labels.
VOCABULARIES: dict[str, Mapping[str, str]] = {
    **GROUP_VOCABULARIES,  # the groups' vocabularies, shared with the yearly report
    "employment_kind": {
        "wage": "Wage job",
        "self_employed": "Self-employed",
        "household": "Household production",
        "abroad": "Working abroad",
        "improved_same_job": "Same job, more productive",
    },
    "employment_source": {
        "platform": "Hire recorded on the platform",
        "employer": "The employer",
        "commune_report": "Commune report",
        "centre_report": "Employment Service Centre report",
        "agency_report": "Agency report",
    },
    "enrolment_status": {
        "dang_hoc": "Studying",
        "bo_hoc": "Dropped out",
        "hoan_thanh": "Completed",
        "tot_nghiep": "Graduated",
    },
    "certificate": {
        "bang_cao_dang": "College diploma",
        "bang_trung_cap": "Intermediate diploma",
        "chung_chi_so_cap": "Elementary certificate",
        "chung_chi_dao_tao": "Training certificate",
        "giay_chung_nhan": "Certificate of completion",
        "chung_chi_ky_nang_nghe": "National vocational skills certificate",
    },
    "follow_up_status": {
        "wage": "Wage job",
        "self_employed": "Self-employed",
        "household": "Household production",
        "abroad": "Working abroad",
        "improved_same_job": "Same job, more productive",
        "unemployed": "Not working",
        "studying": "Studying further",
        "military": "Military service",
        "not_reached": "Could not be reached",
    },
    "order_status": {
        "requested": "Requested",
        "accepted": "Accepted",
        "declined": "Declined",
        "in_training": "In training",
        "trained": "Trained",
        "fulfilled": "Fulfilled",
        "closed": "Closed",
    },
}
# Dimensions whose groups are labelled by a vocabulary of another name.
_DIMENSION_VOCABULARY = {"status": "order_status", "source": "employment_source"}


def all_label_msgids() -> set[str]:
    """Every msgid of this module (a test checks each has its Vietnamese)."""
    found = {NOT_RECORDED, *KPI_LABELS.values(), *MEASURE_LABELS.values()}
    found |= set(DIMENSION_LABELS.values())
    for vocabulary in VOCABULARIES.values():
        found |= set(vocabulary.values())
    return found


class Labeller:
    """Labels of groups and codes in one language; register names read once per dimension."""

    def __init__(self, session: Session, lang: str) -> None:
        self.session = session
        self.lang = lang
        self._names: dict[str, dict[str, str]] = {}

    def text(self, msgid: str, **params: object) -> str:
        return translate(msgid, self.lang, **params)

    def code(self, vocabulary: str, code: str | None) -> str:
        """A stored code's label (an unknown code as stored; nothing for None)."""
        if code is None or code == "":
            return ""
        msgid = VOCABULARIES.get(vocabulary, {}).get(str(code))
        return self.text(msgid) if msgid else str(code)

    def load(self, dimension: str, keys: Iterable[str]) -> None:
        """Read the register names of these keys (one query), before labelling them."""
        if dimension in NAMED_DIMENSIONS:
            self._names.setdefault(dimension, {}).update(group_names(self.session, dimension, keys))

    def group(self, dimension: str, key: str) -> str:
        """A group's label: 'Not recorded' for records without a value."""
        if key == NONE_KEY:
            return self.text(NOT_RECORDED)
        if dimension in NAMED_DIMENSIONS:
            if dimension not in self._names:
                self.load(dimension, [key])
            return self._names[dimension].get(key, key)
        if dimension == "month" and len(key) == 7:
            return f"{key[5:]}/{key[:4]}"
        vocabulary = _DIMENSION_VOCABULARY.get(dimension, dimension)
        return self.code(vocabulary, key)
