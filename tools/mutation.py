"""Mutation testing of the engine, store, service and API routers with mutmut, each area
against only the tests that can notice it, and a score per area.

    python tools/mutation.py                 # every area
    python tools/mutation.py engine api      # some of them
    python tools/mutation.py --keep engine   # reuse the last run's mutants and verdicts
    python tools/mutation.py --survivors api # try the last run's survivors again (new tests)
    python tools/mutation.py api --only 'src/rota/api/routes/webhooks.py'  # some files
    python tools/mutation.py --commit HEAD store   # the last commit, not the working tree
    python tools/mutation.py service --only 'src/rota/service/group_commit.py' --patience 3 \
        --tests tests/service/test_group_commit.py tests/api/test_bookings.py

mutmut reads its settings from ``pyproject.toml`` in the directory it runs in, so each run
gets a directory of its own under ``.mutation/`` (git-ignored) with links to ``src`` and
``tests`` and a generated ``pyproject.toml``. The engine is checked by the engine tests and
the simulator; the store, service and API routers together (one run, one stats pass) by
every test that drives them in-process (store, service, API, assistant, calendars,
messages and the Hub's pages without a browser) on SQLite only. One test process at a time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
MUTMUT = Path(sys.executable).parent / "mutmut"

# The database-backed tests run on SQLite alone: PostgreSQL doubles the time and the
# mutants they would kill there are the same ones.
SQLITE_ONLY = "not postgres and not browser"


@dataclass(frozen=True)
class Area:
    name: str
    run: str  # the mutmut run (working directory) the area belongs to
    module: str  # prefix of its mutant names
    only: tuple[str, ...]
    skip: tuple[str, ...] = ()


AREAS = [
    Area("engine", "engine", "rota.engine.", ("src/rota/engine/*",)),
    Area(
        "store",
        "app",
        "rota.store.",
        ("src/rota/store/*",),
        ("src/rota/store/migrations/*",),
    ),
    Area("service", "app", "rota.service.", ("src/rota/service/*",)),
    Area("api", "app", "rota.api.routes.", ("src/rota/api/routes/*",)),
]

# The engine's own tests only: the simulator's tests (tests/test_simulator.py) show the
# same promises over long runs and would more than double the time of each mutant.
TESTS = {
    "engine": ["tests/engine"],
    "app": [
        "tests/store",
        "tests/service",
        "tests/api",
        "tests/assistant",
        "tests/calendars",
        "tests/notify",
        "tests/web",
    ],
}
# Tests that serve the app or its worker from other processes: those import the code
# unmutated, so they cannot kill a mutant and only take time. The Schemathesis test
# drives the app through a portal thread that its client starts once per process: mutmut
# forks each mutant's run from the process that ran the tests, where that thread is gone,
# so the test waits for it forever (until mutmut's wall limit, twenty minutes a mutant).
IGNORE = {
    "engine": [],
    "app": [
        "tests/api/test_concurrency.py",
        "tests/api/test_schemathesis.py",
        "tests/notify/test_serve_worker.py",
        "tests/notify/test_worker_crash.py",
    ],
}

# What the tests read besides the code (the example teams, the API reference, README).
DATA = ("examples", "docs", "README.md")

KILLED = {"killed", "timeout", "caught by type check"}


def toml_list(items: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def checkout(commit: str) -> Path:
    """A tree of its own at ``commit`` (a git worktree under ``.mutation/``), so that work
    in progress in the working tree (others' edits, a test half written) neither breaks
    the run nor goes into it: the figures are those of that commit."""
    # Named here, where "HEAD" or a branch means this checkout's, not the tree's own.
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{commit}^{{commit}}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    tree = WORK / "tree"
    if not (tree / ".git").exists():
        shutil.rmtree(tree, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--force", str(tree), sha],
            cwd=ROOT,
            check=True,
        )
    subprocess.run(["git", "checkout", "--quiet", "--detach", sha], cwd=tree, check=True)
    return tree


def prepare(
    run: str,
    areas: list[Area],
    keep: bool,
    only: list[str],
    source: Path,
    deselect: list[str],
    patience: float,
    tests: list[str],
) -> Path:
    folder = WORK / run
    if folder.exists() and not keep:
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("src", "tests", *DATA):
        link = folder / name
        if link.is_symlink() and link.resolve() != (source / name).resolve():
            link.unlink()
        if not link.exists():
            link.symlink_to(source / name)
    project = (source / "pyproject.toml").read_text()
    pytest_section = project[project.index("[tool.pytest.ini_options]") :]
    pytest_args = [
        "-m",
        SQLITE_ONLY,
        *(f"--ignore={path}" for path in IGNORE[run]),
        *(f"--deselect={test}" for test in deselect),
    ]
    (folder / "pyproject.toml").write_text(
        "[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"also_copy = {toml_list(DATA)}\n"
        f"only_mutate = {toml_list(only or [p for a in areas for p in a.only])}\n"
        f"do_not_mutate = {toml_list([p for a in areas for p in a.skip])}\n"
        f"timeout_multiplier = {patience}\n"
        f"pytest_add_cli_args = {toml_list(pytest_args)}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        "\n" + pytest_section
    )
    return folder


def verdicts(folder: Path) -> dict[str, str]:
    listing = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for line in listing.splitlines():
        match = re.fullmatch(r"\s+(\S+): (.+)", line)
        if match:
            found[match[1]] = match[2].strip()
    return found


def report(areas: list[Area], found: dict[str, dict[str, str]]) -> None:
    print("\nmutation score per area (killed / total)")
    for area in areas:
        mine = {k: v for k, v in found[area.run].items() if k.startswith(area.module)}
        killed = sum(v in KILLED for v in mine.values())
        total = len(mine)
        share = f"{100 * killed / total:.1f} %" if total else "-"
        print(f"\n{area.name}: {killed} / {total} killed ({share})")
        by_status: dict[str, list[str]] = defaultdict(list)
        for name, status in sorted(mine.items()):
            if status not in KILLED:
                by_status[status].append(name)
        for status, names in sorted(by_status.items()):
            print(f"  {status}: {len(names)}")
            for name in names:
                print(f"    {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("areas", nargs="*", help=", ".join(a.name for a in AREAS))
    parser.add_argument("--keep", action="store_true", help="reuse the last run's verdicts")
    parser.add_argument("--only", nargs="+", default=[], help="mutate only these file globs")
    parser.add_argument(
        "--survivors", action="store_true", help="run the mutants the last run did not kill again"
    )
    parser.add_argument(
        "--commit",
        metavar="REV",
        help="mutate this commit (checked out under .mutation/tree) instead of the working tree",
    )
    parser.add_argument(
        "--deselect",
        nargs="+",
        default=[],
        metavar="TEST",
        help="leave out these tests (pytest node ids): ones failing on the code as written, "
        "which mutmut's clean pass refuses",
    )
    parser.add_argument(
        "--patience",
        type=float,
        default=15.0,
        metavar="TIMES",
        help="a mutant's tests time out after this many times their time on the code as "
        "written (mutmut's default, 15); lower it for code whose mutants hang, such as a "
        "hand-over between threads that never wakes its waiter",
    )
    parser.add_argument(
        "--tests",
        nargs="+",
        default=[],
        metavar="PATH",
        help="run only these tests against the mutants (instead of the area's own), for code "
        "that nearly every test reaches but a few check closely",
    )
    args = parser.parse_args()
    unknown = set(args.areas) - {a.name for a in AREAS}
    if unknown:
        parser.error(f"unknown area: {', '.join(sorted(unknown))}")
    areas = [a for a in AREAS if not args.areas or a.name in args.areas]
    found: dict[str, dict[str, str]] = {}
    source = checkout(args.commit) if args.commit else ROOT
    for run in dict.fromkeys(a.run for a in areas):
        mine = [a for a in areas if a.run == run]
        tests = args.tests or TESTS[run]
        folder = prepare(
            run,
            mine,
            args.keep or args.survivors,
            args.only,
            source,
            args.deselect,
            args.patience,
            tests,
        )
        again = []
        if args.survivors:
            again = [
                name
                for name, status in verdicts(folder).items()
                if status not in KILLED and any(name.startswith(a.module) for a in mine)
            ]
        print(f"== mutmut in {folder.relative_to(ROOT)}: {' '.join(tests)}", flush=True)
        env = {
            **os.environ,
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": str(ROOT / "tools"),
            "PYTEST_PLUGINS": "mutation_plugin",
        }
        command = [str(MUTMUT), "run", "--max-children", "1", *again]
        subprocess.run(command, cwd=folder, env=env, check=True)
        found[run] = verdicts(folder)
    report(areas, found)


if __name__ == "__main__":
    main()
