"""`simulator schema [FILE]`: write the scenario JSON Schema that editors use for completion and checks."""

from __future__ import annotations

import argparse
from pathlib import Path

from simulator import paths
from simulator.engine.schema import schema_text


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="write the scenario JSON Schema",
                       description="Write the JSON Schema of the scenario format (default: scenarios/scenario.schema.json).")
    p.add_argument("file", nargs="?", type=Path, default=paths.SCHEMA_FILE)
    p.add_argument("--stdout", action="store_true", help="print it instead")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.stdout:
        print(text, end="")
    else:
        args.file.write_text(text, encoding="utf-8")
        print(f"wrote {args.file}")
    return 0
