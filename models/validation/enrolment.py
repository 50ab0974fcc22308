"""An enrolment's dates against its course: one rule for every place that writes them (the enrol
form, the trainee import, the results table and the results import).

- **Enrolment.** Registration opens before a course starts, so an enrolment may come up to six
  months (183 days) before the start; it may not come after the course has ended.
- **Graduation.** On or after the course's start and the trainee's enrolment, and at most 90
  days after the course's end: exams, marking and the printing of certificates follow the last
  lesson, and a trung cấp or cao đẳng graduation decision can take a couple of months. The demo
  graduates up to 10 days after the end.
"""

from __future__ import annotations

from datetime import date, timedelta

from models.errors import InvalidError

EARLY_ENROLMENT = timedelta(days=183)  # enrolment may open up to six months before the start
LATE_GRADUATION = timedelta(days=90)  # exams and certificates after the course's last day


def check_enrolment_date(
    enrolled_on: date, *, start: date, end: date, field: str = "enrolled_on"
) -> date:
    """The enrolment date if it falls between six months before the course's start and its
    end; else InvalidError on `field`."""
    if not start - EARLY_ENROLMENT <= enrolled_on <= end:
        raise InvalidError(
            field,
            "The enrolment date {date} is outside the course ({start} – {end}); it may be at "
            "most six months before the start.",
            date=enrolled_on,
            start=start,
            end=end,
        )
    return enrolled_on


def check_graduation_date(
    graduated_on: date,
    *,
    start: date,
    end: date,
    enrolled_on: date | None,
    field: str = "graduated_on",
) -> date:
    """The graduation date if it is on or after the course's start and the enrolment, and at
    most LATE_GRADUATION after the course's end; else InvalidError on `field`."""
    if graduated_on < start:
        raise InvalidError(
            field,
            "The graduation date {date} is before the course started ({start}).",
            date=graduated_on,
            start=start,
        )
    if enrolled_on is not None and graduated_on < enrolled_on:
        raise InvalidError(
            field,
            "The graduation date {date} is before the enrolment ({enrolled}).",
            date=graduated_on,
            enrolled=enrolled_on,
        )
    if graduated_on > end + LATE_GRADUATION:
        raise InvalidError(
            field,
            "The graduation date {date} is more than {days} days after the course ended ({end}).",
            date=graduated_on,
            days=LATE_GRADUATION.days,
            end=end,
        )
    return graduated_on
