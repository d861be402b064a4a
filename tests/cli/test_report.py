"""`simulator report`: PDF and CSV for a class, a trainee or a session; clear messages, never a traceback."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from simulator.cli import main
from simulator.records.db import ENV_VAR
from simulator.records.store import SessionStore
from tests.records.factories import record, sample_class
from tests.support.postgres import PostgresServer, postgres_server  # noqa: F401 - a fixture

UNREACHABLE = "postgresql+psycopg://trainer:secret@127.0.0.1:1/records"


@pytest.fixture
def store(private_data_dir, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    s = SessionStore()
    yield s
    s.close()


def _csv(path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_class_report_as_pdf_and_csv(store, tmp_path, capsys, qapp):
    sample_class(store)
    pdf, table = tmp_path / "out" / "class.pdf", tmp_path / "class.csv"
    assert main(["report", "--class", "Tuesday evening", "--pdf", str(pdf), "--csv", str(table)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert {r["trainee"] for r in _csv(table)} == {"Sam Patel", "Alex Moreno"}
    out = capsys.readouterr().out
    assert f"Wrote {pdf} (5 session(s))." in out and f"Wrote {table}" in out


def test_trainee_and_session_reports(store, tmp_path):
    s = sample_class(store)
    assert main(["report", "--trainee", "Alex Moreno", "--csv", str(tmp_path / "alex.csv")]) == 0
    assert {r["session_id"] for r in _csv(tmp_path / "alex.csv")} == {
        s["alex_pickup"].session_id, s["alex_refund"].session_id}
    assert main(["report", "--session", s["sam_door"].session_id, "--csv", str(tmp_path / "one.csv")]) == 0
    assert [r["reply"] for r in _csv(tmp_path / "one.csv")] == ["Rules are rules."]


@pytest.mark.parametrize(("args", "message"), [
    (["--class", "Friday"], "no class called 'Friday' (known: Tuesday evening, Weekend)"),
    (["--trainee", "Zed"], "no trainee called 'Zed' (known: Alex Moreno, Jo Kim, Other Person, Sam Patel)"),
    (["--session", "abc"], "no session with id 'abc'"),
])
def test_unknown_subjects(store, tmp_path, capsys, args, message):
    sample_class(store)
    assert main(["report", *args, "--csv", str(tmp_path / "x.csv")]) == 1
    assert capsys.readouterr().err.strip() == f"simulator report: {message}"
    assert not (tmp_path / "x.csv").exists()


def test_an_unwritable_output_path(store, tmp_path, capsys):
    sample_class(store)
    blocker = tmp_path / "file"
    blocker.write_text("")
    target = blocker / "report.csv"
    assert main(["report", "--trainee", "Sam Patel", "--csv", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"simulator report: {target} could not be saved")
    assert "Errno" not in err


def test_an_output_is_required(store, capsys):
    assert main(["report", "--trainee", "Sam Patel"]) == 1
    assert "--pdf FILE and/or --csv FILE" in capsys.readouterr().err


def test_an_unreachable_server(tmp_path, capsys, monkeypatch):
    expected = "simulator report: cannot reach the database at 127.0.0.1:1: check the connection setting\n"
    assert main(["report", "--class", "X", "--csv", str(tmp_path / "x.csv"), "--database", UNREACHABLE]) == 1
    assert capsys.readouterr().err == expected
    monkeypatch.setenv(ENV_VAR, UNREACHABLE)  # the training centre's connection setting
    assert main(["report", "--class", "X", "--csv", str(tmp_path / "x.csv")]) == 1
    assert capsys.readouterr().err == expected


def test_as_a_real_command_without_a_traceback(store, tmp_path):
    sample_class(store)
    result = subprocess.run([sys.executable, "-m", "simulator", "report", "--class", "Nope", "--pdf",
                             str(tmp_path / "x.pdf")], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no class called 'Nope'" in result.stderr


def test_a_shared_server_report_has_every_stations_sessions(request, tmp_path, monkeypatch):
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    monkeypatch.setenv(ENV_VAR, url)
    for station in ("front-desk", "stockroom"):
        s = SessionStore(station=station, root=tmp_path / station)
        s.add_trainee("Sam Patel", "Tuesday evening")
        s.save(record("Sam Patel"))
        s.close()
    assert main(["report", "--class", "Tuesday evening", "--csv", str(tmp_path / "all.csv")]) == 0
    assert {r["station"] for r in _csv(tmp_path / "all.csv")} == {"front-desk", "stockroom"}


def test_coverage_of_a_scenario_file(store, tmp_path, capsys):
    from tests.engine.conftest import MINI, parse_inline
    from tests.records.factories import played

    path = tmp_path / "mini.yaml"
    path.write_text(MINI)
    scenario = parse_inline(MINI)[0]
    store.save(played(scenario, "+ sorry", "+ here it is"))
    store.save(played(scenario, "! calm down", trainee="Alex Moreno"))
    assert main(["report", "--coverage", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Coverage of “A late order” (mini): 2 sessions in the records"
    assert "Branches taken: 3 of 7" in out and "Endings reached: 2 of 3" in out
    assert "  gave_up (unresolved): NEVER REACHED" in out
    assert "  branch 3 of start (words: “manager” -> gave_up)" in out


def test_coverage_of_a_shipped_scenario_by_id(store, capsys):
    assert main(["report", "--coverage", "late-pickup"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Coverage of “The late click-and-collect” (late-pickup): 0 sessions in the records")


@pytest.mark.parametrize(("args", "message"), [
    (["--coverage", "no-such-scenario"], "no-such-scenario"),
    (["--coverage", "late-pickup", "--pdf", "x.pdf"], "--coverage prints its report; it takes no --pdf or --csv"),
])
def test_coverage_mistakes_are_clear_messages(store, capsys, args, message):
    assert main(["report", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("simulator report: ") and message in err and "Traceback" not in err
