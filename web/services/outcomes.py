"""What the public outcomes page shows: the stored, suppressed outcomes and the courses opening
soon, with the helpers its template formats figures with."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from matching.kpi.outcomes import MIN_GROUP
from models.clock import local_time
from models.formatting import format_date, format_number, format_vnd
from models.queries import reference
from models.queries.outcomes import RATE_MEASURES, courses_opening, outcome_page
from models.validation import clean_text


def outcome_context(
    session: Session, *, lang: str, on: date, commune: str, occupation: str = ""
) -> dict[str, Any]:
    communes = reference.commune_options(session, on=on)
    chosen = clean_text(commune)[:5]
    if chosen not in {option.value for option in communes}:
        chosen = ""
    page = outcome_page(session, year=on.year)
    computed = local_time(page.computed_at) if page.computed_at else None
    return {
        "page": page,
        "courses": courses_opening(session, on=on, commune_code=chosen or None),
        "communes": communes,
        "commune_names": {option.value: option.label for option in communes},
        "chosen_commune": chosen,
        "chosen": next((o for o in page.occupations if o.key == occupation), None),
        "rate_measures": RATE_MEASURES,
        "min_group": MIN_GROUP,
        "computed_at": computed.strftime("%H:%M ") + format_date(computed) if computed else "",
        "percent": lambda value: f"{round(value * 100)} %",
        "money": lambda amount: format_vnd(int(amount), lang),
        "day": lambda value: format_date(value, lang),
        "count": lambda value: format_number(int(value), lang),
    }
