"""The demo's sign-in accounts: an administrator, a provincial official, staff of the college,
staff of one employer, a commune officer and staff of the Employment Service Centre, all with
the same demo password (printed by the CLI, listed in docs/demo-data.md). Created with
models.accounts.create_user, so the usual rules apply.

The register's reports name who sent them: the commune officer their commune's, the centre's
staff the centre's, the employer's staff their employer's; the official the rest (paper
reports of the other communes and employers entered on their behalf, and the official's own)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.accounts import create_user
from models.enums import ReportSource, Role, TrainingOrderStatus
from models.errors import ConflictError
from models.tables import UserAccount
from seed.demo.context import DemoBuild, Row, local_time
from seed.demo.plan import DemoAccount

DEMO_PASSWORD = "DienBien-2026"
COLLEGE_CODE = "CD-DB"
USERNAMES = (
    "demo.admin",
    "demo.official",
    "demo.college",
    "demo.employer",
    "demo.commune",
    "demo.centre",
)
COMMUNE_CODE = "03256"  # Xã Mường Ảng (the example of a commune's count)


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
    """The accounts, and their ids. Institution and employer rows must be written."""
    college = next(i for i in build.rows["institution"] if i["code"] == COLLEGE_CODE)
    employer = _showcase_employer(build)
    communes = {c.code: c for c in build.ref.communes}
    commune = communes.get(COMMUNE_CODE) or build.ref.communes[0]
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
        (
            "demo.commune",
            f"Cán bộ {commune.name} (demo)",
            Role.COMMUNE,
            {"commune_code": commune.code},
        ),
        ("demo.centre", "Cán bộ Trung tâm Dịch vụ việc làm (demo)", Role.JOB_CENTRE, {}),
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


def assign_submitters(build: DemoBuild, accounts: list[DemoAccount], ids: list[int]) -> None:
    """Who sent each register report (see the module's docstring)."""
    by_role = {account.role: user_id for account, user_id in zip(accounts, ids, strict=True)}
    communes = {c.code for c in build.ref.communes}
    officer = COMMUNE_CODE if COMMUNE_CODE in communes else build.ref.communes[0].code
    staff_employer = _showcase_employer(build)["id"]
    for report in build.rows["new_job_report"]:
        if report["source"] == ReportSource.COMMUNE and report["commune_code"] == officer:
            role = Role.COMMUNE
        elif report["source"] == ReportSource.JOB_CENTRE:
            role = Role.JOB_CENTRE
        elif report["source"] == ReportSource.EMPLOYER and report["employer_id"] == staff_employer:
            role = Role.EMPLOYER
        else:
            role = Role.OFFICIAL
        report["submitted_by_id"] = by_role[role.value]


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
