"""The matching weights page: an administrator sees each proposal with how it and the hand
weights ranked the later outcomes, adopts one that beat them, and reverts to the weights used
before. A double click changes nothing the second time; a proposal that lost cannot be
adopted; other roles are refused (tests/web/test_permission_matrix.py)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from matching.score import Weights
from models.db import unit_of_work
from models.learned_weights import adopted_weights
from models.tables import AuditEntry, WeightProposal
from tests.html import body_rows, find_all, one, parse, text
from tests.web.helpers import make_account, sign_in

FITTED = {
    "occupation": 0.3,
    "skills": 0.1,
    "level": 0.1,
    "place": 0.3,
    "wage": 0.05,
    "timing": 0.05,
    "order": 0.1,
}
METRICS = {
    "hand": {"ndcg": 0.71, "auc": 0.6, "vacancies": 40, "pairs": 300},
    "fitted": {"ndcg": 0.78, "auc": 0.66, "vacancies": 40, "pairs": 300},
    "train_outcomes": 500,
    "test_outcomes": 200,
    "confidence": 0.99,
}


def proposal(session: Session, *, beats_hand: bool = True) -> int:
    with unit_of_work(session):
        row = WeightProposal(
            fitted_on=date(2026, 11, 27),
            weights=FITTED,
            hand_weights=Weights().as_dict(),
            metrics=METRICS,
            beats_hand=beats_hand,
        )
        session.add(row)
    assert row.id is not None
    return row.id


def in_use(session: Session) -> Weights:
    session.rollback()  # a fresh read: the pages wrote in their own sessions
    return adopted_weights(session)


def notice(response) -> str:
    return text(one(parse(response.text), "#notice"))


def test_an_administrator_adopts_once_and_reverts_to_the_hand_weights(client, session):
    chosen = proposal(session)
    lost = proposal(session, beats_hand=False)
    make_account(session, "admin", "adm")
    sign_in(client, "adm")
    client.cookies.set("lang", "en")
    page = parse(client.get("/admin/matching-weights").text)
    rows = body_rows(page, "#weight-proposals")
    assert [row.attributes["data-proposal-id"] for row in rows] == [str(lost), str(chosen)]
    assert "0.710 / 0.780" in text(rows[1])
    assert not find_all(rows[0], "form")  # a proposal that lost offers no adoption
    assert text(one(page, "#weights-source")) == "Hand weights"

    adopt = f"/admin/matching-weights/{chosen}/adopt"
    first = client.post(adopt)
    again = client.post(adopt)  # the double click
    assert notice(first) == "The weights have been adopted: rankings use them from now on."
    assert notice(again) == "Nothing changed: this was done already."
    assert in_use(session) == Weights(**FITTED)
    page = parse(again.text)
    assert text(one(page, "#weights-source")) == f"Adopted proposal #{chosen}"

    refused = client.post(f"/admin/matching-weights/{lost}/adopt")
    assert refused.status_code == 409
    assert client.post("/admin/matching-weights/987654/adopt").status_code == 404

    revert = f"/admin/matching-weights/{chosen}/revert"
    assert notice(client.post(revert)) == "The previous weights are used again."
    assert notice(client.post(revert)) == "Nothing changed: this was done already."
    assert in_use(session) == Weights()
    session.rollback()
    actions = session.exec(
        select(AuditEntry.action).where(AuditEntry.entity == "weight_proposal")
    ).all()
    assert sorted(actions) == ["adopt", "revert"]
