"""Each form and import column enforces the limit its model field declares: the longest
value the model allows passes, one character (or one item) more is refused, with the
form's own message. The limits are read from the models, never restated here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from models.clock import today
from models.errors import InvalidError, ValidationErrors
from models.excel.columns import CERTIFICATE_NUMBER, VILLAGE
from models.tables import Enrolment, UserAccount
from models.tables.employment import TrainingOrderCreate, VacancyCreate
from models.tables.training import CourseCreate, PersonCreate
from models.validation import bounds, item_max_length, max_length, validate_full_name
from web.services import course_form, order_form, person_form, users, vacancy_form
from web.services.imports import results as result_import
from web.services.imports import trainee_fields


def _refused(check: Callable[[str], Any], text: str) -> InvalidError:
    with pytest.raises(InvalidError) as caught:
        check(text)
    return caught.value


@pytest.mark.parametrize(
    ("check", "model", "field", "msgid"),
    [
        (vacancy_form._title, VacancyCreate, "title", "A title may have at most {max} characters."),
        (
            vacancy_form._description,
            VacancyCreate,
            "description",
            "The description may have at most {max} characters.",
        ),
        (
            order_form._note,
            TrainingOrderCreate,
            "note",
            "The note may have at most {max} characters.",
        ),
        (person_form._village, PersonCreate, "village", "At most {max} characters."),
        (
            validate_full_name,
            PersonCreate,
            "full_name",
            "A name may have at most {max} characters.",
        ),
        (users._full_name, UserAccount, "full_name", "At most {max} characters."),
        (trainee_fields.village, PersonCreate, "village", "At most {max} characters."),
        (
            result_import._certificate_number,
            Enrolment,
            "certificate_number",
            "At most {max} characters.",
        ),
    ],
)
def test_a_text_field_takes_the_length_its_model_declares(
    check: Callable[[str], Any], model: Any, field: str, msgid: str
) -> None:
    limit = max_length(model, field)
    assert check("a" * limit) == "a" * limit
    error = _refused(check, "a" * (limit + 1))
    assert (error.field, error.msgid, error.params) == (field, msgid, {"max": limit})


def test_the_import_columns_carry_the_limits_of_the_fields_they_fill() -> None:
    assert VILLAGE.max_length == max_length(PersonCreate, "village")
    assert CERTIFICATE_NUMBER.max_length == max_length(Enrolment, "certificate_number")


def test_the_vacancy_skills_take_the_count_and_length_the_model_declares() -> None:
    count, length = max_length(VacancyCreate, "skills"), item_max_length(VacancyCreate, "skills")
    assert len(vacancy_form._skills(", ".join(f"skill {n}" for n in range(count)))) == count
    error = _refused(vacancy_form._skills, ", ".join(f"skill {n}" for n in range(count + 1)))
    assert (error.msgid, error.params) == ("List at most {max} skills.", {"max": count})
    assert vacancy_form._skills("a" * length) == ["a" * length]
    error = _refused(vacancy_form._skills, "a" * (length + 1))
    assert error.msgid == "A skill may have at most {max} characters."
    assert error.params == {"max": length}


def _errors(check: Callable[[], Any]) -> dict[str | None, InvalidError]:
    try:
        check()
    except ValidationErrors as errors:
        return {error.field: error for error in errors.errors if isinstance(error, InvalidError)}
    return {}


def _course_errors(session: Session, **typed: str) -> dict[str | None, InvalidError]:
    form = course_form.CourseForm(**typed)
    return _errors(
        lambda: course_form.validated_course(session, form, institution_id=1, course=None)
    )


def test_the_course_form_takes_the_limits_course_create_declares(session: Session) -> None:
    for field in ("code", "name"):
        limit = max_length(CourseCreate, field)
        assert field not in _course_errors(session, **{field: "a" * limit})
        error = _course_errors(session, **{field: "a" * (limit + 1)})[field]
        assert (error.msgid, error.params) == ("At most {max} characters.", {"max": limit})
    low, high = bounds(CourseCreate, "hours")
    assert "hours" not in _course_errors(session, hours=str(high))
    error = _course_errors(session, hours=str(high + 1))["hours"]
    assert (error.msgid, error.params) == ("Between {low} and {high}.", {"low": low, "high": high})
    most = bounds(CourseCreate, "capacity")[1]
    assert "capacity" not in _course_errors(session, capacity=str(most))
    error = _course_errors(session, capacity=str(most + 1))["capacity"]
    assert error.params == {"maximum": most}


@pytest.mark.parametrize(
    ("parse", "form_class", "model"),
    [
        (vacancy_form.parse_vacancy, vacancy_form.VacancyForm, VacancyCreate),
        (order_form.parse_order, order_form.OrderForm, TrainingOrderCreate),
    ],
)
def test_the_quantity_takes_the_bound_its_model_declares(
    session: Session, parse: Any, form_class: Any, model: Any
) -> None:
    most = bounds(model, "quantity")[1]
    on = today()
    fits = _errors(lambda: parse(session, form_class(quantity=str(most)), on=on))
    assert "quantity" not in fits
    error = _errors(lambda: parse(session, form_class(quantity=str(most + 1)), on=on))["quantity"]
    assert (error.msgid, error.params) == (
        "The quantity may not be more than {maximum}.",
        {"maximum": most},
    )
