"""The API's OpenAPI 3.1 document: the committed docs/openapi.json is what the app serves (a
generated client stays true), it describes the bearer scheme and problem details, and every
operation of /api/v1 names its response models."""

from __future__ import annotations

import json
from pathlib import Path

from web.api.openapi import api_document, render

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
REGENERATE = ".venv/bin/python -m web.api.openapi > docs/openapi.json"


def test_the_committed_document_is_what_the_app_serves(client):
    served = client.get("/openapi.json").json()
    assert render(api_document(served)) == COMMITTED.read_text(encoding="utf-8"), (
        f"docs/openapi.json is out of date: run `{REGENERATE}`"
    )


def test_the_document_describes_the_bearer_scheme_and_problem_details():
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerToken"]["description"],
    }
    operations = [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    assert operations and all(path.startswith("/api/v1/") for path, _, _ in operations)
    for path, method, operation in operations:
        ok = [status for status in operation["responses"] if status.startswith("2")]
        assert ok, f"{method} {path} has no success response"
        for status in ok:
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema.get("$ref", "").startswith("#/components/schemas/"), (method, path)
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                assert list(response["content"]) == ["application/problem+json"], (method, path)
        # Every operation names the bearer token, but the public feed, which asks none.
        public = path.startswith("/api/v1/feeds/")
        assert (
            operation["security"] == [{}]
            if public
            else {"bearerToken": []} in operation["security"]
        )
