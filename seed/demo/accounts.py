"""The demo's sign-in accounts: an administrator, a provincial official, staff of the college
and staff of one employer, all with the same demo password (printed by the CLI, listed in
docs/demo-data.md). Created with models.accounts.create_user, so the usual rules apply."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.accounts import create_user
from models.enums import Role, TrainingOrderStatus
from models.errors import ConflictError
from models.tables import UserAccount
from seed.demo.context import DemoBuild, Row, local_time
from seed.demo.plan import DemoAccount

DEMO_PASSWORD = "DienBien-2026"
COLLEGE_CODE = "CD-DB"
USERNAMES = ("demo.admin", "demo.official", "demo.college", "demo.employer")


def refuse_taken_usernames(session: Session) -> None:
    taken = session.exec(
        select(UserAccount.username).where(col(UserAccount.username).in_(USERNAMES))
    ).all()
    if taken:
        raise ConflictError(
            "username",
            "The demo accounts cannot be created: the username {username} is already taken.",
            username=sorted(taken)[0],
        )


def create_accounts(session: Session, build: DemoBuild) -> tuple[list[DemoAccount], list[int]]:
    """The four accounts, and their ids. Institution and employer rows must be written."""
    college = next(i for i in build.rows["institution"] if i["code"] == COLLEGE_CODE)
    employer = _showcase_employer(build)
    specs = [
        ("demo.admin", "Quản trị hệ thống (demo)", Role.ADMIN, {}),
        ("demo.official", "Cán bộ Sở Nội vụ (demo)", Role.OFFICIAL, {}),
        (
            "demo.college",
            f"Cán bộ {college['name']} (demo)",
            Role.INSTITUTION,
            {"institution_id": college["id"]},
        ),
        (
            "demo.employer",
            f"Cán bộ tuyển dụng {employer['name']} (demo)",
            Role.EMPLOYER,
            {"employer_id": employer["id"]},
        ),
    ]
    accounts, ids = [], []
    for username, full_name, role, links in specs:
        user = create_user(
            session,
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            role=role.value,
            **links,
        )
        user.created_at = local_time(build.today, 8)  # not the clock: reproducible
        accounts.append(DemoAccount(username, DEMO_PASSWORD, role.value, full_name))
        ids.append(int(user.id))  # type: ignore[arg-type]
    session.flush()
    return accounts, ids


def _showcase_employer(build: DemoBuild) -> Row:
    """An employer with the most to show: one whose training order was fulfilled, else the
    one with most vacancies."""
    fulfilled = [
        o
        for o in build.rows["training_order"]
        if o["status"] == TrainingOrderStatus.FULFILLED.value
    ]
    employers = {e["id"]: e for e in build.rows["employer"]}
    if fulfilled:
        return employers[fulfilled[0]["employer_id"]]
    counts: dict[int, int] = {}
    for vacancy in build.rows["vacancy"]:
        counts[vacancy["employer_id"]] = counts.get(vacancy["employer_id"], 0) + 1
    best = max(counts, key=lambda e: (counts[e], -e)) if counts else build.rows["employer"][0]["id"]
    return employers[best]
