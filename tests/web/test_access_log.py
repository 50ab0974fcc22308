"""The server's access log: each request's path is logged, its query string never is (a
searched name, a filter), on the real server."""

from __future__ import annotations

import logging
import socket
import threading
import time

import httpx
import pytest
import uvicorn


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_access_log_names_the_path_without_its_query(app, caplog) -> None:
    port = _free_port()
    # log_config=None: uvicorn leaves logging alone, so its access lines reach caplog.
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=True)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    try:
        answer = httpx.get(
            f"http://127.0.0.1:{port}/board",
            params={"q": "Lò Văn Hùng 0912345678"},
            timeout=20,
        )
        assert answer.status_code == 200
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    lines = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any('"GET /board HTTP/1.1" 200' in line for line in lines), lines
    logged = "\n".join(lines)
    for secret in ("0912345678", "L%C3%B2", "Lò", "q="):
        assert secret not in logged


@pytest.mark.parametrize("path", ["/trainees?q=x", "/vacancies", "/a?b=c?d=e"])
def test_the_filter_keeps_everything_but_the_query(app, caplog, path) -> None:
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "10.0.0.1:5000", "GET", path, "1.1", 200
    )
    (line,) = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert line == f'10.0.0.1:5000 - "GET {path.split("?")[0]} HTTP/1.1" 200'
