"""Schemathesis against the served OpenAPI document: a bounded run of generated requests per
operation of /api/v1 (valid and invalid data), in process through ASGI, on both databases,
with a token of an employer and one of the Employment Service Centre that hold every scope,
and without a token. Every answer must be a documented status with a body and content type
that conform to the document, and none a server error. Failures are collected (no
shrinking: the run stays bounded) and reported together."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.enums import ApiScope, VacancyStatus
from models.settings import Settings
from seed.reference import load_reference_data
from tests import factories
from tests.web.api_world import bearer, make_token
from web.app import create_app

EXAMPLES = 4  # per operation, generation mode and caller: about a minute a database
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EVERY_SCOPE = list(ApiScope)


@pytest.fixture
def api(engine: Engine) -> Iterator[tuple[Any, dict[str, dict[str, str]]]]:
    """The app (no rate limit to speak of) on a small world, its API's schema, and the
    headers of each caller."""
    with Session(engine) as session:
        load_reference_data(session)
        employer = factories.employer(session).id
        factories.vacancy(session, employer_id=employer, title="Thợ may")
        factories.vacancy(session, employer_id=employer, status=VacancyStatus.CLOSED.value)
        factories.vacancy(session, title="Thợ hàn")
        session.commit()
        callers = {
            "employer": bearer(make_token(session, employer_id=employer, scopes=EVERY_SCOPE)),
            "centre": bearer(make_token(session, job_centre=True, scopes=EVERY_SCOPE)),
            "anonymous": {},
        }
    settings_ = Settings(
        database_url=str(engine.url), embedded_worker=False, api_requests_per_minute=1_000_000
    )
    app = create_app(settings_, engine=engine)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/v1/")
    yield schema, callers


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> list[str]:
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:
            failures.append(
                f"{operation.label} [{mode.value}] -> {response.status_code}: "
                + " ".join(str(error).split())[:400]
            )

    check()
    return failures


@pytest.mark.parametrize("caller", ["employer", "centre", "anonymous"])
def test_the_api_answers_generated_requests_as_its_document_says(api, caller):
    schema, callers = api
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9  # vacancies, the feed, KPI, candidates, placement plan
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _run(operation, mode, callers[caller])
    assert not failures, "\n".join(sorted(set(failures)))
