"""A trainee's history through the real window: sessions over time, the trend per rubric behaviour, the scenarios
not yet tried, a past debrief; delete-my-data; the retention setting; reports exported from the screens."""

from __future__ import annotations

import csv
import shutil
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from simulator.records.schema import sessions as sessions_table
from simulator.records.schema import turns as turns_table
from simulator.settings import Settings
from tests.ui.conftest import SCENARIO

pytestmark = pytest.mark.gui

OTHER = SCENARIO.replace("id: parcel", "id: kettle").replace("title: The missing parcel", "title: The broken kettle")


@pytest.fixture
def two_scenarios(scenario_dir) -> Path:
    (scenario_dir / "kettle.yaml").write_text(OTHER, encoding="utf-8")
    return scenario_dir


def play_parcel(qtbot, win, replies: list[str]) -> str:
    """One session of the parcel scenario, typed through the conversation screen; returns its id."""
    win.start_scenario("parcel")
    page = win.conversation
    qtbot.mouseClick(page.begin_button, Qt.MouseButton.LeftButton)
    for text in replies:
        if page.presenter.runner.ended:
            break
        page.reply_box.setFocus()
        qtbot.keyClicks(page.reply_box, text)
        qtbot.keyClick(page.reply_box, Qt.Key.Key_Return)
    session_id = page.presenter.runner.state.session_id
    win.show_library()
    return session_id


def play_classroom(qtbot, win, class_name: str, replies: list[str]) -> str:
    """One classroom session of the parcel scenario, its trainees answering in turn; returns its id.

    The trainer types each reply and accepts the proposed judgement (key 2) in the trainer's window.
    """
    win.open_classroom(class_name)
    room = win.classroom
    trainer, presenter = room.trainer, room.presenter
    qtbot.waitExposed(trainer)
    trainer.select_scenario("parcel")
    assert trainer.start()
    for text in replies:
        trainer.reply_box.setFocus()
        qtbot.keyClicks(trainer.reply_box, text)
        qtbot.keyClick(trainer.reply_box, Qt.Key.Key_Return)
        trainer.activateWindow()
        qtbot.waitUntil(trainer.isActiveWindow, timeout=2000)
        qtbot.keyClick(trainer, Qt.Key.Key_2)  # as proposed
    session_id = presenter.record.session_id
    room.close()
    return session_id


def table_rows(page) -> dict[str, tuple[str, str]]:
    """Session id -> (Turns, Score) as the history's sessions table shows them."""
    return {page.table.item(r, 0).data(Qt.ItemDataRole.UserRole): (page.table.item(r, 2).text(),
                                                                    page.table.item(r, 4).text())
            for r in range(page.table.rowCount())}


def backdate(store, session_id: str, days: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.update(sessions_table).where(sessions_table.c.session_id == session_id)
                     .values(started_at=datetime.now(UTC) - timedelta(days=days)))


def with_recordings(store, session_id: str) -> list[Path]:
    """Give each turn of a saved session a recording file, as a spoken session has."""
    record = store.load(session_id)
    paths = []
    for t in record.state.turns:
        wav = store.recordings.turn_path(session_id, t.index)
        wav.parent.mkdir(parents=True, exist_ok=True)
        wav.write_bytes(b"RIFF....WAVE")
        record.state.turns[t.index] = t.model_copy(update={"audio_file": str(wav)})
        paths.append(wav)
    store.save(record)
    return paths


def test_history_shows_sessions_over_time_the_trend_and_what_is_not_tried(qtbot, two_scenarios, window):
    win = window
    first = play_parcel(qtbot, win, ["Calm down.", "Calm down."])
    second = play_parcel(qtbot, win, ["Let me look.", "I'm so sorry, I understand.", "I'm sorry, a refund now?"])
    third = play_parcel(qtbot, win, ["I'm so sorry, I understand.", "I'm sorry, a refund now?"])
    for days, session_id in ((3, first), (2, second), (1, third)):  # played on three days
        backdate(win.ctx.store, session_id, days)

    qtbot.mouseClick(win.nav_history, Qt.MouseButton.LeftButton)
    page = win.history
    assert win.stack.currentWidget() is page and page.current() == "Alex"
    assert page.summary.text().startswith("Alex: 3 sessions, average score")
    # Newest first in the table, oldest first (left) in the chart.
    assert [page.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(3)] == [third, second, first]
    assert [page.table.item(r, 3).text() for r in range(3)] == ["Resolved", "Resolved", "Escalated"]
    calming = page.chart.series["calming"]
    assert len(calming) == 3 and calming[0] == 0 and calming[-1] == 100
    assert page.chart.series["triggers"][0] < page.chart.series["triggers"][-1]
    assert set(page.chart.series) == {"outcome", "techniques", "triggers", "tone", "calming"}
    assert page.untried_titles() == ["The broken kettle"]

    # A past session's debrief: select it, Open debrief.
    page.table.selectRow(2)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.debrief
    assert win.debrief.record.session_id == first and len(win.debrief.cards) == 1


def test_a_shared_classroom_session_shows_each_trainee_the_score_of_the_turns_they_answered(qtbot, window):
    from simulator.engine.scoring import score_session

    win, store = window, window.ctx.store
    for name in ("Ana", "Ben"):
        store.add_trainee(name, "Tuesday")
    # Ana apologises twice (two techniques each time, both calm the customer); Ben's one reply is neutral.
    shared = play_classroom(qtbot, win, "Tuesday", [
        "I'm so sorry, I understand.", "Let me look at the tracking page.", "I'm sorry, a refund now?"])
    record = store.load(shared)
    assert [t.trainee for t in record.state.turns] == ["Ana", "Ben", "Ana"] and record.state.outcome == "resolved"
    assert f"{record.score:.0f}" == "87"  # the whole session's score, which neither of them earned alone
    # Ben also practises alone, badly: a solo session keeps its own score, 0 shown as 0.
    win.ctx.settings.trainee_name = "Ben"
    solo = play_parcel(qtbot, win, ["Calm down."])
    assert store.load(solo).score == 0
    backdate(store, shared, 1)

    win.show_history("Ana")
    page = win.history
    assert table_rows(page) == {shared: ("2 of 3", "100")}
    assert page.summary.text() == "Ana: 1 session, average score 100."
    assert "the whole session scored 87" in page.table.item(0, 4).toolTip()
    # The same turns as the trend chart: every behaviour at full marks.
    assert [page.chart.series[k] for k in ("techniques", "triggers", "calming")] == [[100.0]] * 3

    win.show_history("Ben")
    assert table_rows(page) == {shared: ("1 of 3", "61"), solo: ("1", "0")}
    assert page.summary.text() == "Ben: 2 sessions, average score 31."  # (61.1 + 0) / 2
    assert page.table.item(1, 4).toolTip() == "Scored on the 1 turn Ben answered; the whole session scored 87"
    assert page.table.item(0, 4).toolTip() == ""  # his own session: its score is his
    assert page.chart.series["techniques"][0] == 0 and page.chart.series["calming"][0] == 0
    bens = score_session([record.state.turns[1]], "resolved")
    assert round(bens.total) == 61 and bens.line("techniques").points == 0


def test_a_shared_session_the_trainee_answered_none_of_has_no_score_and_no_part_in_the_average(qtbot, window):
    win, store = window, window.ctx.store
    for name in ("Ana", "Ben", "Cleo"):
        store.add_trainee(name, "Tuesday")
    win.ctx.settings.trainee_name = "Cleo"
    solo = play_parcel(qtbot, win, ["I'm so sorry, I understand.", "I'm sorry, a refund now?"])
    shared = play_classroom(qtbot, win, "Tuesday", ["I'm so sorry, I understand.", "I'm sorry, a refund now?"])
    # Filed under Cleo, though Ana and Ben answered every turn of it (the session is scored, Cleo has no part).
    record = store.load(shared)
    assert [t.trainee for t in record.state.turns] == ["Ana", "Ben"] and record.score == 100
    record.trainee = "Cleo"
    store.save(record)

    win.show_history("Cleo")
    page = win.history
    assert table_rows(page) == {solo: ("2", "100"), shared: ("0 of 2", "")}
    assert page.summary.text() == "Cleo: 2 sessions, average score 100."
    blank = next(r for r in range(2) if page.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == shared)
    assert page.table.item(blank, 4).toolTip() == "Cleo answered none of its turns; the whole session scored 100"


def test_delete_my_data_asks_first_then_removes_rows_and_recordings(qtbot, window, answer):
    win, store = window, window.ctx.store
    mine = play_parcel(qtbot, win, ["I'm so sorry, I understand.", "I'm sorry, a refund now?"])
    wavs = with_recordings(store, mine)
    store.add_trainee("Bo")
    theirs = store.load(mine).model_copy(deep=True)
    theirs.trainee = "Bo"
    theirs.state.session_id = "bo-session"
    theirs.state.turns = [t.model_copy(update={"audio_file": None, "trainee": "Bo"}) for t in theirs.state.turns]
    store.save(theirs)
    win.show_history("Alex")
    page = win.history
    assert "2 turns" in page.deletion_summary("Alex") and "2 voice recordings" in page.deletion_summary("Alex")

    answer("delete", "keep")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert answer.asked[-1] == "Delete Alex's data?"
    assert [r.session_id for r in store.history("Alex")] == [mine] and all(w.exists() for w in wavs)

    answer("delete", "delete")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert not any(w.exists() for w in wavs) and not store.recordings.folder(mine).exists()
    # Straight from the database: no session row, no turn rows left.
    engine = sa.create_engine(store.url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(sessions_table)
                            .where(sessions_table.c.session_id == mine)).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(turns_table)
                            .where(turns_table.c.session_id == mine)).scalar() == 0
    engine.dispose()
    assert [t.name for t in store.trainees()] == ["Bo"] and [r.trainee for r in store.all()] == ["Bo"]
    assert win.ctx.settings.trainee_name == ""  # no longer "practising as" a deleted trainee
    assert page.notice.isVisible() and "1 session and 2 recordings deleted" in page.notice.text.text()


def test_retention_is_applied_when_settings_shorten_it_and_at_start_never_to_a_session_in_progress(
        qtbot, window, make_context, answer):
    from simulator.ui.main_window import MainWindow

    win, store = window, window.ctx.store
    old = play_parcel(qtbot, win, ["I'm so sorry, I understand.", "I'm sorry, a refund now?"])  # finished
    new = play_parcel(qtbot, win, ["I'm so sorry, I understand."])  # still in progress
    assert store.load(old).state.outcome == "resolved" and not store.load(new).closed
    old_wavs, new_wavs = with_recordings(store, old), with_recordings(store, new)
    with store.engine.begin() as conn:  # both sessions' turns were recorded 40 days ago
        conn.execute(sa.update(turns_table).where(turns_table.c.session_id.in_([old, new]))
                     .values(at=datetime.now(UTC) - timedelta(days=40)))

    win.show_settings()
    settings_page = win.settings_page
    assert settings_page.retention.value() == 0 and settings_page.retention.text() == "For ever"
    settings_page.retention.setValue(30)
    qtbot.mouseClick(settings_page.save_button, Qt.MouseButton.LeftButton)
    assert win.ctx.settings.recording_retention_days == 30
    saved = Settings.model_validate_json(win.ctx.settings_file.read_text(encoding="utf-8"))
    assert saved.recording_retention_days == 30

    # Applied on saving, and said where it was set: the finished session's old recordings go; the
    # session in progress keeps its own however old they are; every session stays.
    assert settings_page.status.text() == "Saved. 2 recordings older than 30 days were deleted."
    assert not any(w.exists() for w in old_wavs) and all(w.exists() for w in new_wavs)
    kept = store.load(old)
    assert len(kept.state.turns) == 2 and all(t.audio_file is None for t in kept.state.turns)
    assert all(t.audio_file for t in store.load(new).state.turns)

    # Lengthening it deletes nothing; shortening it with nothing left to delete says so.
    calls = win.ctx.tasks.calls
    settings_page.retention.setValue(60)
    qtbot.mouseClick(settings_page.save_button, Qt.MouseButton.LeftButton)
    assert settings_page.status.text() == "Saved." and win.ctx.tasks.calls == calls
    settings_page.retention.setValue(20)
    qtbot.mouseClick(settings_page.save_button, Qt.MouseButton.LeftButton)
    assert settings_page.status.text() == "Saved. No recordings older than 20 days were found, so none were deleted."
    assert all(w.exists() for w in new_wavs)

    # The next start applies it too, still not to the session in progress ...
    saved = Settings.model_validate_json(win.ctx.settings_file.read_text(encoding="utf-8"))
    restarted = MainWindow(make_context(settings=saved))
    qtbot.addWidget(restarted)
    assert all(w.exists() for w in new_wavs)
    # ... until it is finished: the trainee discards it from the library, and the start after that purges it.
    restarted.show_library()
    answer("discard", "discard")
    qtbot.mouseClick(restarted.library.discard_button, Qt.MouseButton.LeftButton)
    assert store.load(new).closed
    again = MainWindow(make_context(settings=saved))
    qtbot.addWidget(again)
    assert not any(w.exists() for w in new_wavs)
    assert all(t.audio_file is None for t in store.load(new).state.turns)

def _pdf_pages(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(out / pdf.stem)], check=True)
    return sorted(out.glob(f"{pdf.stem}-*.png"))


def _pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.replace("“", '"').replace("”", '"').split())


def _not_blank(png: Path) -> bool:
    from PySide6.QtGui import QImage

    image = QImage(str(png)).convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(image.constBits())[: image.bytesPerLine() * image.height()]
    return sum(1 for b in data if b < 235) / len(data) > 0.01


@pytest.fixture
def save_as(monkeypatch, tmp_path):
    """Answer the "Save the report as" dialog with files in tmp_path/reports, in order."""
    from simulator.ui import report_export

    folder = tmp_path / "reports"
    folder.mkdir()
    asked: list[str] = []

    def choose(parent, title, suggested, kind):
        asked.append(title)
        return str(folder / Path(suggested).name)

    monkeypatch.setattr(report_export, "choose_report_file", choose)
    return folder


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed")
def test_reports_exported_from_the_screens_off_the_gui_thread(qtbot, window, save_as, tmp_path, monkeypatch):
    from simulator.devices.workers import TaskPool
    from simulator.records import reports

    win, store = window, window.ctx.store
    store.add_trainee("Alex", "Tuesday")
    played = play_parcel(qtbot, win, ["I'm so sorry, I understand.", "I'm sorry, a refund now?"])
    # Reports are written on the app's real task runner, not the GUI thread.
    win.ctx.tasks = TaskPool()
    threads: list[str] = []
    build = reports.build_report
    monkeypatch.setattr(reports, "build_report",
                        lambda *a, **k: threads.append(threading.current_thread().name) or build(*a, **k))

    def export(button, exporter) -> Path:
        with qtbot.waitSignal(exporter.exported, timeout=20000) as done:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        return Path(done.args[0])

    win.show_history("Alex")
    page = win.history
    trainee_pdf = export(page.export_pdf, page.exporter)
    trainee_csv = export(page.export_csv, page.exporter)
    page.table.selectRow(0)
    session_pdf = export(page.session_pdf, page.exporter)
    win.show_roster()
    class_pdf = export(win.roster.export_pdf, win.roster.exporter)
    class_csv = export(win.roster.export_csv, win.roster.exporter)
    win.review_session(played)
    debrief_csv = export(win.debrief.export_csv, win.debrief.exporter)
    assert threads and threading.main_thread().name not in threads

    assert [p.name for p in (trainee_pdf, trainee_csv, class_pdf, class_csv)] == [
        "alex.pdf", "alex.csv", "tuesday.pdf", "tuesday.csv"]
    assert session_pdf.suffix == ".pdf" and debrief_csv.suffix == ".csv" and session_pdf.parent == save_as
    for pdf in (trainee_pdf, session_pdf, class_pdf):
        pages = _pdf_pages(pdf, tmp_path)
        assert pages and all(_not_blank(p) for p in pages), pdf
        text = _pdf_text(pdf)
        assert "The missing parcel" in text and "I'm so sorry, I understand." in text, pdf
    rows = list(csv.DictReader(class_csv.open(encoding="utf-8-sig")))
    assert [(r["class"], r["answered_by"], r["reply"]) for r in rows] == [
        ("Tuesday", "Alex", "I'm so sorry, I understand."), ("Tuesday", "Alex", "I'm sorry, a refund now?")]
    assert list(csv.DictReader(debrief_csv.open(encoding="utf-8-sig"))) == rows
    assert not win.roster.notice.isHidden() and win.roster.notice.text.text() == str(class_csv)
