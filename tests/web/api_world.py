"""Helpers for the API tests: tokens made directly in the database (the pages that issue
them are tested in test_api_tokens.py), and a valid vacancy to post."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from models.clock import utcnow
from models.enums import ApiScope, OrganisationKind
from models.queries.api_tokens import TOKEN_PREFIX, token_digest
from models.tables import ApiToken


def make_token(
    session: Session,
    *,
    employer_id: int | None = None,
    institution_id: int | None = None,
    commune_code: str | None = None,
    job_centre: bool = False,
    scopes: Iterable[ApiScope] = (ApiScope.VACANCIES_READ, ApiScope.VACANCIES_WRITE),
    lives: timedelta = timedelta(days=30),
    revoked: bool = False,
) -> str:
    """A token's secret; the token belongs to the employer, the institution or the commune
    given, or to the Employment Service Centre (`job_centre`)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    kind = OrganisationKind.EMPLOYER if employer_id is not None else OrganisationKind.INSTITUTION
    if commune_code is not None:
        kind = OrganisationKind.COMMUNE
    elif job_centre:
        kind = OrganisationKind.JOB_CENTRE
    now = utcnow()
    session.add(
        ApiToken(
            name="test",
            token_hash=token_digest(secret),
            prefix=secret[:10],
            org_kind=kind.value,
            employer_id=employer_id,
            institution_id=institution_id,
            commune_code=commune_code,
            scopes=[scope.value for scope in scopes],
            created_at=now,
            expires_at=now + lives,
            revoked_at=now if revoked else None,
        )
    )
    session.commit()
    return secret


def bearer(secret: str, lang: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {secret}"}
    if lang:
        headers["Accept-Language"] = lang
    return headers


def vacancy_json(**overrides: Any) -> dict[str, Any]:
    """A vacancy the form accepts (the commune is in wage region III)."""
    values: dict[str, Any] = {
        "title": "Công nhân may",
        "description": "Làm việc tại xưởng may",
        "skills": ["may công nghiệp", "đóng gói"],
        "quantity": 10,
        "wage_min": 5_000_000,
        "wage_max": 7_000_000,
        "location_kind": "commune",
        "commune_code": "03127",
    }
    values.update(overrides)
    return values
