"""What a page says after a form saved something (post/redirect/get).

The redirect carries a short-lived cookie that names what was saved with one word (a key of
`Saved`, never a value the user typed: no personal data in a URL, a log or a browser's
history). The next page rendered shows the notice of a known key at the top of its content
(base.html) and clears the cookie, so a reload or the back button does not say it again.
The links and addresses of the pages stay as they were.
"""

from __future__ import annotations

from enum import StrEnum

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "saved"
COOKIE_SECONDS = 60  # the next page follows the redirect at once; a stale notice must not linger


class Saved(StrEnum):
    """What a form saved; its message is `NOTICES[key]` (a msgid)."""

    COURSE_CREATED = "course_created"
    COURSE_UPDATED = "course_updated"
    RESULTS = "results"
    ENROLLED = "enrolled"
    CONSENT = "consent"
    VACANCY_CREATED = "vacancy_created"
    VACANCY_UPDATED = "vacancy_updated"
    VACANCY_CLOSED = "vacancy_closed"
    ORDER_CREATED = "order_created"
    ORDER_UPDATED = "order_updated"
    TARGET_SAVED = "target_saved"
    TARGET_YEAR = "target_year"
    USER_CREATED = "user_created"
    USER_UPDATED = "user_updated"
    REGISTER_LINE = "register_line"
    REGISTER_COUNTS = "register_counts"
    REGISTER_NOTHING = "register_nothing"
    REGISTER_IMPORTED = "register_imported"
    REGISTER_WITHDRAWN = "register_withdrawn"
    SCHEDULE = "schedule"
    APPLIED_FOR = "applied_for"
    ABROAD_SAVED = "abroad_saved"
    FAIR_SAVED = "fair_saved"
    FAIR_CANCELLED = "fair_cancelled"
    FAIR_VACANCY = "fair_vacancy"
    FAIR_VACANCY_WITHDRAWN = "fair_vacancy_withdrawn"
    FAIR_INVITED = "fair_invited"
    FAIR_RECORDED = "fair_recorded"
    GUIDANCE = "guidance"


NOTICES: dict[Saved, str] = {
    Saved.COURSE_CREATED: "The course was created.",
    Saved.COURSE_UPDATED: "The changes to the course were saved.",
    Saved.RESULTS: "The results were saved.",
    Saved.ENROLLED: "The trainee was enrolled in the course.",
    Saved.CONSENT: "The consent was saved.",
    Saved.GUIDANCE: "The guidance session was recorded.",
    Saved.APPLIED_FOR: "The application was sent: the employer sees it among the candidates.",
    Saved.VACANCY_CREATED: "The vacancy was created.",
    Saved.VACANCY_UPDATED: "The changes to the vacancy were saved.",
    Saved.VACANCY_CLOSED: "The vacancy was closed.",
    Saved.ORDER_CREATED: "The training order was sent.",
    Saved.ORDER_UPDATED: "The training order was updated.",
    Saved.TARGET_SAVED: "The target was saved.",
    Saved.TARGET_YEAR: "The targets of the year were created.",
    Saved.USER_CREATED: "The user was created.",
    Saved.USER_UPDATED: "The user was updated.",
    Saved.REGISTER_LINE: "The person was added to the report.",
    Saved.REGISTER_COUNTS: "The counts were added to the report.",
    Saved.REGISTER_NOTHING: "The report of no new jobs was saved.",
    Saved.REGISTER_IMPORTED: "The file was imported into the report.",
    Saved.REGISTER_WITHDRAWN: "The report was withdrawn.",
    Saved.SCHEDULE: "The due dates were saved.",
    Saved.ABROAD_SAVED: "The departure was saved.",
    Saved.FAIR_SAVED: "The job fair was saved.",
    Saved.FAIR_CANCELLED: "The job fair was cancelled.",
    Saved.FAIR_VACANCY: "The vacancy was registered for the job fair.",
    Saved.FAIR_VACANCY_WITHDRAWN: "The vacancy was withdrawn from the job fair.",
    Saved.FAIR_INVITED: "The invitation lists were made.",
    Saved.FAIR_RECORDED: "Recorded.",
}


def remember_saved(request: Request, response: Response, saved: Saved) -> Response:
    """Have the next page say what was saved."""
    settings = request.app.state.settings
    response.set_cookie(
        COOKIE,
        saved.value,
        max_age=COOKIE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https" or settings.secure_cookies,
        path="/",
    )
    return response


def saved_notice(request: Request) -> str | None:
    """The msgid of what the previous form saved, if the cookie names a known key."""
    try:
        return NOTICES[Saved(request.cookies.get(COOKIE, ""))]
    except ValueError:
        return None


def forget_saved(request: Request, response: Response) -> None:
    """The notice was shown (or was unknown): clear the cookie."""
    if COOKIE in request.cookies:
        response.delete_cookie(COOKIE, path="/")
