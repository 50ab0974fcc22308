"""The conventions every resource of the API shares (docs/api.md): the `Idempotency-Key` of
a write and the fingerprint of its request, and strong ETags with `If-Match`. The opaque
cursor of a list synced by update time is web.services.cursors."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from models.errors import InvalidError
from web.api.problems import PreconditionFailed, PreconditionRequired
from web.services.api_idempotency import StoredResponse

KEY_MAX = 255


def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="A unique value per intended write (a UUID): a retry with the same "
            "key returns the first response and writes nothing. Kept 24 hours.",
        ),
    ] = None,
) -> str | None:
    if key is None:
        return None
    if not 1 <= len(key) <= KEY_MAX or not key.isascii() or not key.isprintable():
        raise InvalidError(
            None,
            "The Idempotency-Key must be 1 to {max} printable ASCII characters.",
            max=KEY_MAX,
        )
    return key


def fingerprint(request: Request, payload: BaseModel | None) -> str:
    """The request as far as a retry must repeat it: method, path and the parsed body."""
    body = payload.model_dump(mode="json", exclude_unset=True) if payload is not None else None
    text = json.dumps([request.method, request.url.path, body], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def etag_of(body: dict[str, Any]) -> str:
    """A strong ETag: the digest of the representation, so it changes whenever any field a
    client sees changes (and not otherwise)."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag of the version this change is based on (from a GET); "
        "another version answers 412.",
    ),
]


def check_if_match(if_match: str | None, current: str, *, required: bool) -> None:
    """412 when `If-Match` names another version than `current`; 428 when it is required
    and missing."""
    if if_match is None:
        if required:
            raise PreconditionRequired(
                None, "Send If-Match with the ETag of the version you are changing."
            )
        return
    tags = {each.strip() for each in if_match.split(",")}
    if "*" not in tags and current not in tags:
        raise PreconditionFailed(
            None, "This record was changed since you read it: read it again, then retry."
        )


def stored_json(stored: StoredResponse, **headers: str) -> JSONResponse:
    """The response of a write, first sent or replayed, with its ETag."""
    extra = dict(headers)
    if stored.status_code < 300:
        extra["ETag"] = etag_of(stored.body)
    if stored.replayed:
        extra["Idempotent-Replayed"] = "true"
    return JSONResponse(stored.body, status_code=stored.status_code, headers=extra)
