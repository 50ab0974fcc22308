"""Shape of the non-test code: function length (median, p90, max) and the commits and rollbacks
written outside the unit of work (models/db.py's unit_of_work and session helpers).

    .venv/bin/python bench/code_shape.py [ROOT]

Prints one line per figure; ROOT defaults to the checkout this file is in, so the same command
run on an older checkout (git worktree) gives the before-figures.
"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

PACKAGES = ("matching", "models", "web", "seed", "cli")
TRANSACTION_CALLS = {"commit", "rollback"}
UNIT_OF_WORK = {"models/db.py"}


def sources(root: Path) -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def function_lengths(tree: ast.AST) -> list[int]:
    return [
        (node.end_lineno or node.lineno) - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def transaction_calls(tree: ast.AST) -> int:
    return sum(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in TRANSACTION_CALLS
        and not node.args
        for node in ast.walk(tree)
    )


def main(root: Path) -> None:
    lengths: list[int] = []
    by_package: dict[str, int] = {}
    for path in sources(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lengths += function_lengths(tree)
        relative = path.relative_to(root).as_posix()
        if relative not in UNIT_OF_WORK:
            package = relative.split("/")[0]
            by_package[package] = by_package.get(package, 0) + transaction_calls(tree)
    lengths.sort()
    p90 = lengths[int(0.9 * (len(lengths) - 1))]
    print(f"functions: {len(lengths)}")
    median = statistics.median(lengths)
    print(f"function length (lines): median {median:g}, p90 {p90}, max {lengths[-1]}")
    for package in PACKAGES:
        print(f"commit()/rollback() outside the unit of work in {package}: {by_package[package]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
