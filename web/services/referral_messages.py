"""What a referred person is told: an SMS through the MessageSender when they have a phone,
in Vietnamese (people are written to in the province's language)."""

from __future__ import annotations

from sqlmodel import Session

from models.i18n import translate
from models.messaging import Channel, Message, Purpose, sender
from models.tables import Employer, Person, Vacancy
from web.auth import Principal

REFERRAL_TEXT = (
    "You have been referred to the job {title} at {employer}. The employer may call you soon."
)


def tell_referred(session: Session, principal: Principal, person: Person, vacancy: Vacancy) -> None:
    """Inside the referral's unit of work: the message exists only if the referral does."""
    if not person.phone:
        return
    employer = session.get(Employer, vacancy.employer_id)
    text = translate(
        REFERRAL_TEXT, "vi", title=vacancy.title, employer=employer.name if employer else ""
    )
    message = Message(
        Channel.SMS,
        person.phone,
        text,
        Purpose.REFERRAL,
        person_id=person.id,
        user_id=principal.user.id,
    )
    sender().send(session, message)
