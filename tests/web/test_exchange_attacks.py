"""Hostile exchange files of the register of graduates: a data file with a cell past the CSV
reader's limit, or a manifest whose `personal_data` or `institution` is not what the format
says, is refused with one clear message and writes nothing (never a 500). The manifest's
SHA-256 and count are made to match, as an attacker would. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

from models.exchange.files import NOT_CSV
from tests.web import test_exchange as shared
from tests.web.test_exchange import exchange_file, graduate_rows, read, refusal, rewrite, upload
from tests.web.test_imports import as_user, counts, vi
from web.services.exchange.graduates import NO_INSTITUTION, WITHOUT_PERSONAL

app = shared.app
world = shared.world


def data_of(archive: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return opened.read("data.csv")


def forged(good: bytes, data: bytes | None = None, **manifest: Any) -> bytes:
    """`good` with another data file or manifest values, its hash and count made to match."""
    data = data_of(good) if data is None else data
    stated = {
        **read(good).manifest,
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": data.count(b"\r\n") - 1,
        **manifest,
    }
    return rewrite(good, manifest=stated, csv=data)


def test_a_cell_past_the_csv_limit_is_refused_with_its_line(client, session, world):
    as_user(client, session, world, "centre")
    good = exchange_file(graduate_rows(session, world))
    header, first, *_rest = data_of(good).split(b"\r\n")
    huge = header + b"\r\n" + first + b"\r\n" + b"x" * 200_000 + first + b"\r\n"
    before = counts(session)
    response = upload(client, forged(good, huge))
    assert response.status_code == 400
    assert refusal(response) == vi(NOT_CSV, line=3)
    assert counts(session) == before


def test_a_manifest_with_personal_data_not_a_list_is_refused(client, session, world):
    as_user(client, session, world, "centre")
    good = exchange_file(graduate_rows(session, world))
    for stated in (5, "citizen_id, phone", {"citizen_id": True}):
        response = upload(client, forged(good, personal_data=stated))
        assert response.status_code == 400, stated
        assert refusal(response) == vi(WITHOUT_PERSONAL), stated


def test_an_administrator_gets_a_message_for_an_institution_not_named_as_text(
    client, session, world
):
    as_user(client, session, world, "admin")
    good = exchange_file(graduate_rows(session, world))
    before = counts(session)
    for stated in ("CD-DB", {"code": ["CD-DB"]}, {"code": 7}, None):
        response = upload(client, forged(good, institution=stated))
        assert response.status_code == 400, stated
        assert refusal(response) == vi(NO_INSTITUTION), stated
    assert counts(session) == before
