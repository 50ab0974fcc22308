"""The API's OpenAPI 3.1 document. The app serves the whole document at /openapi.json; the
API's part of it (the /api/v1 paths, the schemas they use and the bearer scheme) is
committed as docs/openapi.json for generated clients, and a test fails when the two differ.

Regenerate it with `.venv/bin/python -m web.api.openapi > docs/openapi.json`."""

from __future__ import annotations

import json
import sys
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from web.api.problems import API_PREFIX, PROBLEM_TYPE, Problem, ProblemError

API_TITLE = "Điện Biên: training to jobs API"
API_VERSION = "1"


def install_openapi(app: FastAPI) -> None:
    """Serve the document with the problem schemas, and with problem details (not FastAPI's
    default shape) for the API's invalid requests."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, routes=app.routes, openapi_version="3.1.0"
            )
            _with_problems(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]


def _with_problems(schema: dict[str, Any]) -> None:
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    defs = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(defs.pop("$defs", {}))
    schemas["Problem"] = defs
    schemas.setdefault("ProblemError", ProblemError.model_json_schema())
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for operation in operations.values():
            invalid = operation.get("responses", {}).get("422")
            if invalid is not None:
                ref = {"$ref": "#/components/schemas/Problem"}
                invalid["content"] = {PROBLEM_TYPE: {"schema": ref}}


def api_document(full: dict[str, Any]) -> dict[str, Any]:
    """The API's part of the served document: its paths and every schema they reach."""
    paths = {path: ops for path, ops in full["paths"].items() if path.startswith(API_PREFIX)}
    schemas = full.get("components", {}).get("schemas", {})
    used: set[str] = set()
    pending = _refs(paths)
    while pending:
        name = pending.pop()
        if name in used or name not in schemas:
            continue
        used.add(name)
        pending |= _refs(schemas[name])
    components: dict[str, Any] = {"schemas": {name: schemas[name] for name in sorted(used)}}
    security = full.get("components", {}).get("securitySchemes")
    if security:
        components["securitySchemes"] = security
    return {
        "openapi": full["openapi"],
        "info": {"title": API_TITLE, "version": API_VERSION},
        "paths": paths,
        "components": components,
    }


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def render(document: dict[str, Any]) -> str:
    """Deterministic text: sorted keys, two-space indent, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    from models.settings import Settings
    from web.app import create_app

    app = create_app(Settings(database_url="sqlite://", embedded_worker=False))
    sys.stdout.write(render(api_document(app.openapi())))


if __name__ == "__main__":
    main()
