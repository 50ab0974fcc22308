"""Undoing an import: its owner, within a day of it, while nothing depends on its rows. A
trainee file's new people and enrolments are deleted (people it only matched stay); a
results file's enrolments get back the values it overwrote. Rows that depend on it (a
result, follow-ups, a referral, a hire, a register line) refuse the undo with a message that
names them, and nothing changes; after a day the undo is refused; another user's import is
answered as missing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select

from models.clock import today, utcnow
from models.tables import AuditEntry, Enrolment, ExcelImport, Person
from tests import factories
from tests.html import attr, find_all, one, parse, text
from tests.web import test_imports as shared
from tests.web.test_imports import (
    _enrol,
    as_user,
    counts,
    results_file,
    several,
    trainee_file,
    upload,
    vi,
)
from web.services.imports.store import Status

app = shared.app  # the fixtures of the import tests: an institution's course, an app
world = shared.world


def _imported(client, session, world, rows: int = 3) -> str:
    """A trainee file imported by the centre; its preview's path."""
    as_user(client, session, world, "centre")
    location = upload(client, world, trainee_file(several(rows))).headers["location"]
    client.post(location + "/confirm")
    return location


def test_the_owner_undoes_a_trainee_import_within_a_day(client, session, world):
    kept = factories.person(
        session,
        citizen_id="011301000002",
        full_name="Quàng Thị Mai",
        sex="nu",
        birth_date=date(2001, 5, 4),
    )
    session.commit()
    before = counts(session)
    location = _imported(client, session, world)
    assert counts(session)[:2] == (before[0] + 2, before[1] + 3)
    page = parse(client.get(location).text)
    action = attr(page, "form#undo-form", "action")
    history = parse(client.get("/imports").text)
    assert len(find_all(history, "form.undo-import")) == 1

    response = client.post(action, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == location + "?done=undone"
    assert counts(session)[:2] == before[:2]
    assert session.get(Person, kept.id) is not None  # matched, not created: kept
    state = session.exec(select(ExcelImport)).one()
    entry = session.exec(select(AuditEntry).where(col(AuditEntry.action) == "undo_import")).one()
    assert state.status == Status.UNDONE
    assert entry.details["enrolments_deleted"] == 3 and len(entry.details["people_deleted"]) == 2
    session.rollback()
    shown = parse(client.get(response.headers["location"]).text)
    assert text(one(shown, "#notice")) == vi(
        "The import has been undone: what it saved was removed or put back as it was."
    )
    assert attr(shown, "dd[data-field=status]", "data-status") == Status.UNDONE
    assert not find_all(shown, "form#undo-form")
    # A second click changes nothing more.
    assert client.post(action, follow_redirects=False).status_code == 303


def test_an_import_whose_rows_have_results_is_not_undone(client, session, world):
    location = _imported(client, session, world)
    session.exec(select(Enrolment)).first().result = "dat"  # type: ignore[union-attr]
    session.commit()
    before = counts(session)
    response = client.post(location + "/undo")
    assert response.status_code == 409
    message = vi(
        "This import cannot be undone: {what} depend on its rows. Nothing was changed.",
        what=vi("results"),
    )
    assert text(one(parse(response.text), "#conflict")) == message
    assert counts(session) == before
    assert session.exec(select(ExcelImport)).one().status == Status.DONE
    session.rollback()


def test_an_import_cannot_be_undone_after_a_day(client, session, world):
    location = _imported(client, session, world)
    state = session.exec(select(ExcelImport)).one()
    state.created_at = utcnow() - timedelta(days=1, minutes=1)
    session.commit()
    before = counts(session)
    page = parse(client.get(location).text)
    assert not find_all(page, "form#undo-form")
    response = client.post(location + "/undo")
    assert response.status_code == 409
    assert text(one(parse(response.text), "#conflict")) == vi(
        "An import can be undone only within a day of it: correct the records one by one."
    )
    assert counts(session) == before


def test_another_users_import_is_answered_as_missing(client, session, world):
    location = _imported(client, session, world)
    before = counts(session)
    as_user(client, session, world, "other")
    assert client.post(location + "/undo").status_code == 404
    assert counts(session) == before


def test_a_results_import_is_undone_by_putting_the_old_values_back(client, session, world):
    as_user(client, session, world, "centre")
    enrolment_id = _enrol(session, world, "011201000001", "Lò Văn Minh", date(2001, 5, 4))
    session.commit()
    rows = [
        {
            "citizen_id": "011201000001",
            "result": "Đạt",
            "graduated_on": today() - timedelta(days=5),
            "certificate_number": "SC-0001",
        }
    ]
    location = upload(client, world, results_file(rows), kind="results").headers["location"]
    client.post(location + "/confirm")
    session.expire_all()
    assert session.get(Enrolment, enrolment_id).certificate_number == "SC-0001"  # type: ignore[union-attr]
    session.rollback()
    response = client.post(location + "/undo", follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    restored = session.get(Enrolment, enrolment_id)
    assert restored is not None
    assert (restored.status, restored.result, restored.graduated_on) == ("dang_hoc", None, None)
    assert restored.certificate_number is None
    session.rollback()
