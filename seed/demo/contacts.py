"""A little of people reaching each other in the demo: two applications from the job board to
an open vacancy of the demo employer (with the note it got), and the text messages that went
with them in the outbox, so the demo administrator finds some at /outbox."""

from __future__ import annotations

from sqlmodel import Session

from models.i18n import translate
from models.messaging import Channel, Message, OutboxSender, Purpose
from models.notifications import notify
from models.tables import Application
from seed.demo.context import DemoBuild, local_time

APPLICANTS = 2


def write_demo_contacts(session: Session, build: DemoBuild, employer_id: int) -> int:
    """Applications and messages; returns how many applications were written."""
    vacancies = [
        v
        for v in build.rows["vacancy"]
        if v["employer_id"] == employer_id and v.get("status") == "open"
    ]
    if not vacancies:
        return 0
    vacancy = vacancies[0]
    taken = {(r["person_id"], r["vacancy_id"]) for r in build.rows["referral"]}
    people = [
        p
        for p in build.rows["person"]
        if p.get("consent_to_employers")
        and p.get("phone")
        and (p["id"], vacancy["id"]) not in taken
    ][:APPLICANTS]
    sender = OutboxSender()
    for n, person in enumerate(people):
        session.add(
            Application(
                vacancy_id=vacancy["id"],
                person_id=person["id"],
                trade=vacancy["title"],
                created_at=local_time(build.today, 9 + n),
            )
        )
        code = f"{(build.seed * 7919 + n * 104729) % 1_000_000:06d}"
        text = translate(
            "Your code to apply for a job: {code}. It is valid for 10 minutes.", "vi", code=code
        )
        sender.send(
            session,
            Message(Channel.SMS, person["phone"], text, Purpose.APPLY_CODE, person["id"]),
        )
        notify(
            session,
            employer_id=employer_id,
            msgid="New application to {title}",
            link=f"/vacancies/{vacancy['id']}/candidates#applications",
            title=vacancy["title"],
        )
    session.flush()
    return len(people)
