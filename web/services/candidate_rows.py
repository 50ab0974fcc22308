"""One person on the candidates or referrals page, as this user may see them: score and reasons,
the referral's status, and the steps this user may take now."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.clock import today
from models.enums import Role
from models.formatting import format_number
from models.i18n import translate
from models.queries.candidates import ReferralRow
from models.ranking import SHOWN_DECIMALS
from models.suggestions import explain, reason_line
from models.tables import Person, TrainingLevel, Vacancy
from models.vacancy_open import is_open
from web.auth import Actor
from web.permissions import Permission, PersonView, allowed
from web.services import referrals as service
from web.services.referral_views import ShownCandidate

COMPONENT_LABELS = {
    "occupation": "Occupation",
    "skills": "Skills",
    "level": "Level",
    "place": "Place",
    "wage": "Wage",
    "timing": "Availability",
    "order": "Training order",
    "language": "Foreign language",
}


def shown_score(score: float) -> float:
    """The engine's score (0–1) as the percent the page shows: to SHOWN_DECIMALS places,
    because at whole percent people whose evidence differs a little (a higher level, more
    room in the wage) would show the same number."""
    return round(score * 100, SHOWN_DECIMALS)


def score_text(score: float, lang: str) -> str:
    """:func:`shown_score` in the reader's number format."""
    return format_number(shown_score(score), lang)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Row:
    """One person on the candidates or referrals page, as this user may see them."""

    person_id: int
    name: str
    view: PersonView | None  # None: an employer may no longer see this person
    commune: str = ""
    level: str | None = None
    occupation: str | None = None
    rank: int | None = None
    score: float | None = None  # percent, to SHOWN_DECIMALS places
    score_text: str = ""  # the same in the reader's number format ("95,3" in Vietnamese)
    reason: str = ""
    breakdown: list[tuple[str, int]] = field(default_factory=list)
    status: str | None = None
    note: str = ""  # why rejected or withdrawn
    elsewhere: bool = False
    actions: frozenset[str] = frozenset()
    trade: str = ""  # what an applicant wrote as their trade


def actions_for(
    principal: Actor, vacancy: Vacancy, status: str | None, person: Person, elsewhere: bool
) -> frozenset[str]:
    """The steps this user may take now (the services check them again). Nobody is referred
    or hired without their consent, nor while employed elsewhere."""
    may_refer = allowed(principal, Permission.REFER_CANDIDATES)
    may_hire = allowed(principal, Permission.HIRE)
    taking = is_open(vacancy.status, vacancy.deadline, today())
    free = taking and person.consent_to_employers and not elsewhere
    active = status in service.IN_PROGRESS
    steps = {
        "refer": may_refer and free and status not in (*service.IN_PROGRESS, "hired"),
        "interview": may_hire and status in ("proposed", "referred"),
        "hire": may_hire and free and (status is None or active) and not _full(vacancy),
        "reject": may_hire and active,
        "withdraw": may_refer and active,
        "undo_hire": status == "hired" and (may_hire or principal.role == Role.OFFICIAL),
    }
    return frozenset(step for step, possible in steps.items() if possible)


def _full(vacancy: Vacancy) -> bool:
    return vacancy.filled >= vacancy.quantity


def candidate_row(
    shown: ShownCandidate,
    vacancy: Vacancy,
    principal: Actor,
    required: TrainingLevel | None,
    lang: str,
) -> Row:
    c = shown.candidate
    reason = explain(
        c.suggestion,
        vacancy,
        training=c.training,
        person_commune=c.person.commune_code,
        person_wishes=c.person.willing_to_work or [],
        commune_name=c.commune_name,
        required_level=required,
        expected_wage=c.person.expected_wage,
    )
    status = c.referral.status if c.referral else None
    components = c.suggestion.components or {}
    return Row(
        person_id=shown.view.person_id,
        name=shown.view.full_name,
        view=shown.view,
        commune=c.commune_name,
        level=c.training.level_name if c.training else None,
        occupation=c.training.occupation_name if c.training else None,
        rank=c.suggestion.rank,
        score=shown_score(c.suggestion.score),
        score_text=score_text(c.suggestion.score, lang),
        reason=reason_line(reason, lang),
        breakdown=[
            (label, round(components[name] * 100))
            for name, label in COMPONENT_LABELS.items()
            if name in components
            and (name != "order" or vacancy.training_order_id)
            and (name != "language" or components[name] < 1.0)
        ],
        status=status,
        note=c.referral.reason if c.referral else "",
        elsewhere=c.employed_elsewhere,
        actions=actions_for(principal, vacancy, status, c.person, c.employed_elsewhere),
    )


def referral_row(
    row: ReferralRow, view: PersonView | None, vacancy: Vacancy, principal: Actor, lang: str
) -> Row:
    status = row.referral.status
    return Row(
        person_id=row.person.id or 0,
        name=view.full_name if view else translate("Not shown: consent withdrawn", lang),
        view=view,
        commune=row.commune_name if view else "",
        level=row.training.level_name if row.training else None,
        occupation=row.training.occupation_name if row.training else None,
        score=None if row.referral.score is None else shown_score(row.referral.score),
        score_text="" if row.referral.score is None else score_text(row.referral.score, lang),
        status=status,
        note=row.referral.reason,
        elsewhere=row.employed_elsewhere,
        # A referral stays closable (reject, withdraw) when its person is no longer shown.
        actions=actions_for(principal, vacancy, status, row.person, row.employed_elsewhere)
        - {"refer"},
    )
