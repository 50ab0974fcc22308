"""Time the candidates page (ranked on request) on the demo database, biggest vacancies first.

    .venv/bin/python bench/bench_candidates_page.py [--database var/dienbien.sqlite3] [--runs 7]

Signs in as the demo administrator, asks each open vacancy's first page once to warm up, then
times the `--top` vacancies with the most eligible graduates `--runs` times each and prints
the median and the fastest run (the page, HTTP included, as a browser would ask it).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import statistics
import time

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.clock import today
from models.db import make_engine
from models.queries.candidates import CandidateFilters
from models.ranking import rank_candidates
from models.settings import Settings
from models.tables import Vacancy
from seed.demo.accounts import DEMO_PASSWORD
from web.app import create_app


def _sign_in(client: TestClient) -> None:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    data = {"username": "demo.admin", "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="var/dienbien.sqlite3")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args()
    url = f"sqlite:///{args.database}"
    settings = dataclasses.replace(Settings.from_env(), database_url=url, embedded_worker=False)
    engine = make_engine(url)
    with Session(engine) as session:
        vacancies = session.execute(select(Vacancy).where(Vacancy.status == "open")).scalars()
        sizes = [
            (rank_candidates(session, v, on=today(), filters=CandidateFilters()).eligible, v.id)
            for v in vacancies
        ]
    sizes.sort(reverse=True)
    with TestClient(create_app(settings)) as client:
        _sign_in(client)
        for eligible, vacancy_id in sizes[: args.top]:
            url = f"/vacancies/{vacancy_id}/candidates"
            assert client.get(url).status_code == 200
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - start)
            print(
                f"vacancy {vacancy_id}: {eligible} eligible, page median "
                f"{statistics.median(times) * 1000:.0f} ms, fastest {min(times) * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
