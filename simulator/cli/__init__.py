"""The `simulator` command: starts the app, or runs one of the subcommands headless.

Each subcommand lives in its own module with `add_parser(subparsers)` and `run(args) -> int`.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from simulator.logs import setup_logging

# name -> module under simulator.cli; imported lazily so `simulator validate` never loads Qt.
SUBCOMMANDS: dict[str, str] = {
    "validate": "validate",
    "play": "play",
    "assess": "assess",
    "schema": "schema",
    "report": "report",
    "say": "say",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simulator",
        description="De-escalation simulator. With no command, starts the desktop app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in SUBCOMMANDS.values():
        try:
            module = importlib.import_module(f"simulator.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"simulator.cli.{module_name}":
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        # The desktop app: its first frame does not wait for every subcommand's modules (issue 18).
        setup_logging()
        from simulator.ui.app import run_app

        return run_app()
    parser = build_parser()
    args = parser.parse_args(argv)
    log_path = setup_logging()
    if args.command is None:
        from simulator.ui.app import run_app

        return run_app()
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`simulator assess ... | head`): stop quietly, as other tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # a trainer should see what went wrong, never a traceback
        logging.getLogger("simulator.cli").exception("simulator %s failed", args.command)
        where = f" Details are in {log_path}." if log_path else ""
        print(f"simulator {args.command}: unexpected error: {exc}.{where}", file=sys.stderr)
        return 3
