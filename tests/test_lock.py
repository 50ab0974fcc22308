"""The same versions everywhere: requirements.lock pins every dependency with hashes, for every
Python the project supports, and `./dev setup` installs exactly that (reinstalling when the
lock changes), the project itself with --no-deps, and the admin-unit data package outside the
lock."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# The GPL-licensed package the admin-unit data package depends on, and that package itself.
OUTSIDE_THE_LOCK = {"vietnamadminunits", "unidecode"}


def locked() -> list[tuple[str, str, str, list[str]]]:
    """(name, version, marker, hashes) of every pin in the lock."""
    entries = []
    text = LOCK.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=\S)", text):
        head = block.split("\\", 1)[0].strip()
        if not head or head.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)(?:\s*;\s*(.+))?", head)
        assert match, f"not a pin: {head!r}"
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
        entries.append((canonicalize_name(match[1]), match[2], match[3] or "", hashes))
    return entries


def declared() -> list[Requirement]:
    project = PYPROJECT["project"]
    extras = project["optional-dependencies"]
    names = [*project["dependencies"], *extras["dev"], *extras["postgres"]]
    return [Requirement(spec) for spec in names + PYPROJECT["build-system"]["requires"]]


def test_every_pin_has_hashes():
    entries = locked()
    assert len(entries) > 50
    assert all(hashes for _, _, _, hashes in entries)


@pytest.mark.parametrize("python", ["3.11", "3.12", "3.13", "3.14"])
def test_every_declared_dependency_is_pinned_for_every_supported_python(python):
    """The lock is universal: each Python the README promises finds exactly one pin of each
    dependency, within the range pyproject.toml declares."""
    environment = {**default_environment(), "python_version": python}
    environment["python_full_version"] = python + ".0"
    pins: dict[str, list[str]] = {}
    for name, version, marker, _ in locked():
        if not marker or Requirement(f"x; {marker}").marker.evaluate(environment):  # type: ignore[union-attr]
            pins.setdefault(name, []).append(version)
    for requirement in declared():
        if requirement.marker and not requirement.marker.evaluate(environment):
            continue
        versions = pins.get(canonicalize_name(requirement.name))
        assert versions and len(versions) == 1, f"{requirement.name}: {versions}"
        assert SpecifierSet(str(requirement.specifier)).contains(versions[0], prereleases=True)


def test_the_gpl_dependency_stays_out_of_the_lock():
    names = {name for name, _, _, _ in locked()}
    assert not names & OUTSIDE_THE_LOCK
    assert "dienbien-jobs" not in names


def test_the_project_asks_for_python_311_or_newer():
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"


def _fake_checkout(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of `dev`, the lock and pyproject.toml, with a .venv whose python only writes
    down how it was called."""
    for name in ("dev", "requirements.lock", "pyproject.toml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    log = tmp_path / "calls.log"
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\necho "$*" >> {log}\n', encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    return log, tmp_path / "requirements.lock"


def _setup(checkout: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(checkout)}
    subprocess.run([str(checkout / "dev"), "setup"], cwd=checkout, env=env, check=True)


def test_setup_installs_the_lock_with_hashes_then_the_project_without_dependencies(tmp_path):
    log, _ = _fake_checkout(tmp_path)
    _setup(tmp_path)
    calls = log.read_text().splitlines()
    assert "--require-hashes -r requirements.lock" in calls[0]
    assert "--no-deps" in calls[1] and calls[1].endswith("-e .")
    assert "--no-deps" in calls[2] and "vietnamadminunits" in calls[2]
    assert len(calls) == 3


def test_setup_installs_again_only_when_the_lock_changes(tmp_path):
    log, lock = _fake_checkout(tmp_path)
    _setup(tmp_path)
    _setup(tmp_path)
    assert len(log.read_text().splitlines()) == 3  # nothing changed: nothing installed

    lock.write_text(lock.read_text() + "\n# a new pin\n")
    _setup(tmp_path)
    calls = log.read_text().splitlines()
    assert len(calls) == 6
    assert "--require-hashes -r requirements.lock" in calls[3]
