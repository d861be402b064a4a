"""`simulator validate PATH...`: check scenario files or folders; exit 0 when all are valid."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.engine.loader import check_file, scenario_files
from simulator.engine.problems import Problem


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check scenario files or folders",
                       description="Check scenario files (or every .yaml in a folder). "
                                   "Prints file:line: problem for everything wrong; exit 0 when all are valid.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    files: list[Path] = []
    problems: list[Problem] = []
    for path in args.paths:
        if path.is_dir():
            in_folder = scenario_files(path)
            if not in_folder:
                problems.append(Problem(str(path), 0, "no .yaml scenario files in this folder"))
            files.extend(in_folder)
        else:
            files.append(path)
    ids: dict[str, Path] = {}
    valid = 0
    for file in files:
        scenario, found = check_file(file)
        if scenario is not None and scenario.id in ids:
            found = [*found, Problem(str(file), 0, f"id '{scenario.id}' is already used by {ids[scenario.id]}")]
            scenario = None
        problems.extend(found)
        if scenario is not None:
            ids[scenario.id] = file
            valid += 1
            if not args.quiet:
                print(f"{file}: ok ({scenario.id}: {len(scenario.nodes)} nodes, {len(scenario.endings)} endings)")
    for problem in problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    errors = sum(p.severity == "error" for p in problems)
    if not args.quiet:
        print(f"{valid} of {len(files)} scenario files valid, {errors} error(s).")
    return 0 if errors == 0 else 1
