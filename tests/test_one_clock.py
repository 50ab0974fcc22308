"""One clock: the platform reads the time only through models.clock (Vietnam's time zone), never
through the database server's clock, so tests can set the day and the server's time zone does not
matter. `matching` takes its date from the caller; only its command line reads the day it runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("matching", "models", "web", "seed", "cli")
READS_THE_CLOCK = re.compile(
    r"date\.today\(|datetime\.(?:now|utcnow|today)\(|time\.time\(|func\.now\(|"
    r"CURRENT_(?:DATE|TIMESTAMP)|\bnow\(\)\s*[,)]|localtimestamp",
    re.IGNORECASE,
)
ALLOWED = {
    Path("models/clock.py"),  # the clock itself
    Path("matching/__main__.py"),  # the command line is the caller: --today defaults to the day
}
# A comparison with files' modification times must use the file system's clock.
FILE_TIMES = "# clock: file times"


def _sources() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_only_the_clock_module_reads_the_time() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        if path.relative_to(ROOT) not in ALLOWED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if READS_THE_CLOCK.search(line) and not line.rstrip().endswith(FILE_TIMES)
    ]
    assert offenders == []


def test_the_pattern_finds_each_way_of_reading_the_time() -> None:
    for line in (
        "x = date.today()",
        "datetime.now(UTC)",
        "select(func.now())",
        "server_default=text('CURRENT_TIMESTAMP')",
        "started = time.time()",
    ):
        assert READS_THE_CLOCK.search(line), line
    assert not READS_THE_CLOCK.search("as_of = today()")
