"""`simulator report`: export one session, one trainee or a class as PDF and/or CSV.

    simulator report --class "Tuesday evening" --pdf tuesday.pdf --csv tuesday.csv
    simulator report --trainee "Sam Patel" --pdf sam.pdf
    simulator report --session 3afd7a14... --csv session.csv
    simulator report --coverage late-pickup      # which branches and endings trainees have reached

Reads the configured records database (SIMULATOR_DATABASE_URL, the setting, or the data folder's
SQLite file); --database points at another. Qt is loaded only for --pdf.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.fileio import StorageError

if TYPE_CHECKING:
    from simulator.records.store import SessionStore


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="export a session, a trainee or a class as PDF or CSV",
                       description="Export training records: one session, one trainee's sessions or a "
                                   "whole class, as a PDF report (charts and per-turn feedback) and/or "
                                   "a CSV file (one row per turn).")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--class", dest="class_name", metavar="NAME", help="every session of a class")
    what.add_argument("--trainee", metavar="NAME", help="every session of one trainee")
    what.add_argument("--session", metavar="ID", help="one session")
    what.add_argument("--coverage", metavar="SCENARIO",
                      help="print which branches and endings of a scenario (id or file) trainees have "
                           "reached, and which never")
    p.add_argument("--pdf", type=Path, metavar="FILE", help="write a PDF report here")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write a CSV file here")
    p.add_argument("--database", metavar="URL",
                   help="records database URL (default: the connection setting, or the data folder)")
    p.set_defaults(run=run)


def _fail(message: str) -> int:
    print(f"simulator report: {message}", file=sys.stderr)
    return 1


def _said(exc: StorageError) -> str:
    # StorageError(errno, text) would print as "[Errno 13] text"; the text alone says it all.
    return exc.strerror or str(exc)


def _open_store(database: str | None) -> SessionStore | str:
    """The records store to report on, or why it cannot be opened."""
    from simulator.records.store import SessionStore

    try:
        return SessionStore(url=database)
    except StorageError as exc:
        # A data folder gone read-only still has its records to report on: read them as they are.
        from simulator import paths
        from simulator.records.db import configured_url, read_only_url

        fallback = read_only_url(database or configured_url(paths.data_dir()))
        if fallback is None:
            return _said(exc)
        try:
            return SessionStore(url=fallback)
        except StorageError:
            return _said(exc)


def _coverage(args: argparse.Namespace) -> int:
    from simulator.engine.loader import ScenarioError
    from simulator.records.coverage import coverage_lines
    from simulator.scenario_folders import NotFound, find

    if args.pdf is not None or args.csv is not None:
        return _fail("--coverage prints its report; it takes no --pdf or --csv")
    try:
        scenario = find(args.coverage)
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return _fail(f"the scenario '{args.coverage}' has errors (above); fix them to see its coverage")
    except NotFound as exc:
        return _fail(str(exc))
    store = _open_store(args.database)
    if isinstance(store, str):
        return _fail(store)
    try:
        report = store.coverage(scenario)
    except StorageError as exc:
        return _fail(_said(exc))
    finally:
        store.close()
    print("\n".join(coverage_lines(report)))
    return 0


def run(args: argparse.Namespace) -> int:
    if args.coverage is not None:
        return _coverage(args)
    if args.pdf is None and args.csv is None:
        return _fail("say where to write the report: --pdf FILE and/or --csv FILE")
    # Imported here: every command's parser is built at start, and the database code is heavy.
    from simulator.records.reports import build_report, write_csv
    from simulator.records.roster import UnknownClass, UnknownTrainee
    from simulator.records.sessions import SessionNotFound

    store = _open_store(args.database)
    if isinstance(store, str):
        return _fail(store)
    try:
        report = build_report(store, session_id=args.session, trainee=args.trainee, class_name=args.class_name)
    except (UnknownClass, UnknownTrainee) as exc:
        known = store.classes() if isinstance(exc, UnknownClass) else [t.name for t in store.trainees()]
        hint = f" (known: {', '.join(known)})" if known and len(known) <= 20 else ""
        return _fail(f"{exc}{hint}")
    except SessionNotFound:
        return _fail(f"no session with id '{args.session}'")
    except StorageError as exc:
        return _fail(_said(exc))
    finally:
        store.close()

    try:
        if args.csv is not None:
            write_csv(report, args.csv)
            print(f"Wrote {args.csv} ({len(report.sessions)} session(s)).")
        if args.pdf is not None:
            from simulator.reports.pdf import write_pdf

            write_pdf(report, args.pdf)
            print(f"Wrote {args.pdf} ({len(report.sessions)} session(s)).")
    except StorageError as exc:
        return _fail(_said(exc))
    return 0
