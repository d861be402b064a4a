"""PDF reports: rendered to page images with poppler's pdftoppm and checked for content, page by page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from simulator.fileio import StorageError
from simulator.records.reports import build_report
from simulator.records.store import SessionStore
from tests.records.factories import classroom_session, sample_class


@pytest.fixture
def poppler() -> None:
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        reason = "poppler-utils (pdftoppm, pdftotext) is not installed"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {reason}")
        pytest.skip(reason)


@pytest.fixture
def store(private_data_dir, monkeypatch, qapp):
    monkeypatch.delenv("SIMULATOR_DATABASE_URL", raising=False)
    s = SessionStore(station="station-a")
    yield s
    s.close()


def _pages(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out / "page")], check=True)
    return sorted(out.glob("page-*.png"))


def _ink(png: Path) -> float:
    """The share of a page's pixels that are not white."""
    from PySide6.QtGui import QImage

    image = QImage(str(png)).convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(image.constBits())[: image.bytesPerLine() * image.height()]
    return sum(1 for b in data if b < 235) / len(data)


def _text(pdf: Path) -> str:
    """The PDF's words in reading order, on one line, with typographic ligatures and quotes undone."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for fancy, plain in (("ﬀ", "ff"), ("ﬁ", "fi"), ("ﬂ", "fl"), ("“", '"'), ("”", '"')):
        text = text.replace(fancy, plain)
    return " ".join(text.split())


def _behaviours(text: str) -> dict[str, str]:
    """The summary's two lines ("Techniques used most", "Triggers to work on") and the Behaviours table's cells."""
    lines = re.search(r"Techniques used most: (.*?) Triggers to work on: (.*?) (?:Scores|Trainees|Behaviours) ", text)
    table = re.search(r"Behaviours Behaviour (.*?) Times each behaviour", text)
    assert lines and table, text
    return {"techniques": lines[1], "triggers": lines[2], "table": table[1]}


def test_trainee_report_pages_have_charts_and_feedback(store, tmp_path, poppler):
    from simulator.reports.pdf import write_pdf

    sample_class(store)
    pdf = tmp_path / "sam.pdf"
    write_pdf(build_report(store, trainee="Sam Patel"), pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = _pages(pdf, tmp_path)
    assert len(pages) >= 4  # the summary, then a page or more per session
    assert all(_ink(p) > 0.01 for p in pages), [(_ink(p), p.name) for p in pages]
    text = _text(pdf)
    for expected in ("Trainee report: Sam Patel", "Late click-and-collect pickup", "Turn 1",
                     "nobody can tell me where my order is", "Ordering them to calm down",
                     '"Calm down"', "trainer judged it calmer", "calm down usually does the opposite",
                     "raised", f"Page 1 of {len(pages)}", "Behaviours", "Scores"):
        assert expected in text, expected


def test_class_and_session_reports_render(store, tmp_path, poppler):
    from simulator.reports.pdf import render_pdf

    s = sample_class(store)
    for name, report in (("class", build_report(store, class_name="Tuesday evening")),
                         ("session", build_report(store, session_id=s["sam_door"].session_id))):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(render_pdf(report))
        folder = tmp_path / name
        folder.mkdir()
        pages = _pages(pdf, folder)
        assert pages and all(_ink(p) > 0.01 for p in pages)
    class_text = _text(tmp_path / "class.pdf")
    assert "Jo Kim" in class_text and "no sessions yet" in class_text
    assert "Other Person" not in class_text  # another class's trainee
    assert "Staff member without ID" in _text(tmp_path / "session.pdf")


def test_a_trainee_s_report_shows_their_own_score_in_a_shared_classroom_session(store, tmp_path, poppler):
    from simulator.reports.pdf import write_pdf

    shared = classroom_session(store)  # the whole session 70.8; Ana's turns 87.5, Ben's 37.5
    texts = {}
    for name, report in (("ben", build_report(store, trainee="Ben")), ("ana", build_report(store, trainee="Ana")),
                         ("class", build_report(store, class_name="Tue")),
                         ("session", build_report(store, session_id=shared.session_id))):
        write_pdf(report, tmp_path / f"{name}.pdf")
        texts[name] = _text(tmp_path / f"{name}.pdf")
    ben, ana, whole = texts["ben"], texts["ana"], texts["class"]
    # The summary's figures (sessions, replies, resolved, escalated, average score, overrides), the sessions
    # table's row, the session's heading: Ben's own score and replies (1 of the 3), and the whole session's.
    assert "1 1 1 0 38 0 session" in ben and "Late Pickup 3 resolved 38 " in ben
    assert "score 38 for Ben's 1 of 3 turns · whole session 71" in ben
    assert "1 2 1 0 88 0 session" in ana and "Late Pickup 3 resolved 88 " in ana
    assert "score 88 for Ana's 2 of 3 turns · whole session 71" in ana
    # The class's roster: each trainee's own average; the class's figures keep the whole session's score.
    assert "Ana 1 1 88" in whole and "Ben 1 1 38" in whole and "Cleo 0 0 —" in whole
    assert "1 3 1 0 71 0 session" in whole and "Late Pickup 3 resolved 71 " in whole
    assert "outcome resolved · score 71 · agitation" in texts["session"]

    # Techniques and triggers: a trainee's report counts the turns they answered (Ana's two showed empathy,
    # Ben's was "Calm down."); the class's report counts every turn, each trainee's in their own column.
    assert {name: _behaviours(texts[name]) for name in ("ana", "ben", "class")} == {
        "ana": {"techniques": "Acknowledging the feeling (2)", "triggers": "none",
                "table": "04 Mar 2025 ✓ Acknowledging the feeling 2"},
        "ben": {"techniques": "none yet", "triggers": "Ordering them to calm down (1)",
                "table": "04 Mar 2025 ✗ Ordering them to calm down 1"},
        "class": {"techniques": "Acknowledging the feeling (2)", "triggers": "Ordering them to calm down (1)",
                  "table": "Ana (1) Ben (1) Cleo (0) ✓ Acknowledging the feeling 2 · · "
                           "✗ Ordering them to calm down · 1 ·"},
    }
    assert "oldest session first; in a classroom session shared with others, only Ben's replies." in ben


def test_a_class_with_no_sessions_yet_is_one_page(store, tmp_path, poppler):
    from simulator.reports.pdf import write_pdf

    store.add_trainee("New Starter", "Monday")
    pdf = tmp_path / "monday.pdf"
    write_pdf(build_report(store, class_name="Monday"), pdf)
    assert len(_pages(pdf, tmp_path)) == 1
    assert "No sessions recorded yet" in _text(pdf)


def test_the_agitation_chart_marks_escalating_replies_in_red(store):
    from PySide6.QtGui import QColor

    from simulator.reports.pdf import INTENT_COLOURS, agitation_chart

    s = sample_class(store)
    red = QColor(INTENT_COLOURS["escalate"])
    chart = agitation_chart(s["sam_door"], 900, 270)
    assert chart.width() == 900
    assert any(chart.pixelColor(x, y) == red for x in range(0, 900, 2) for y in range(0, 270, 2))


def test_an_unwritable_pdf_path_is_explained(store, tmp_path):
    from simulator.reports.pdf import write_pdf

    sample_class(store)
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StorageError, match="could not be saved"):
        write_pdf(build_report(store, trainee="Sam Patel"), blocker / "out.pdf")


def test_a_session_report_shows_a_corrected_reply_beside_the_one_heard_and_a_restart(store, tmp_path, poppler):
    from simulator.reports.pdf import render_pdf
    from tests.records.factories import corrected_session

    r = corrected_session(store, restarted=True)
    pdf = tmp_path / "session.pdf"
    pdf.write_bytes(render_pdf(build_report(store, session_id=r.session_id)))
    text = _text(pdf)
    assert 'Reply "that was a dick"' in text and 'Corrected to "that was our mistake"' in text
    assert text.index("Insults and profanity") < text.index("Corrected to"), "the original first, as heard"
    assert "Judged as corrected de-escalating" in text and "outcome restarted" in text
def test_the_trainers_notes_are_in_the_session_pdf(store, tmp_path, poppler):
    from simulator.reports.pdf import write_pdf

    shared = classroom_session(store)
    store.save_note(shared.session_id, "Good teamwork.\nNext time: slow down.")
    store.save_note(shared.session_id, "Ben raised his voice <b>twice</b>", turn_index=1)
    write_pdf(build_report(store, session_id=shared.session_id), tmp_path / "session.pdf")
    text = _text(tmp_path / "session.pdf")
    assert "Trainer's note: Good teamwork. Next time: slow down." in text
    # The note sits in turn 2's table, after the judge's feedback, as typed (not read as markup).
    turn2 = text[text.index("Turn 2"):text.index("Turn 3")]
    assert "Trainer's note Ben raised his voice <b>twice</b>" in turn2
    assert text.count("Trainer's note") == 2  # turns without a note get no empty row


def _guided_mini():
    from tests.engine.conftest import MINI, parse_inline

    text = (MINI.replace("    model_answer: I'm sorry you've waited, Dana. Let me find it now.\n",
                         "    model_answer: I'm sorry you've waited, Dana. Let me find it now.\n"
                         "    coach: Apologise before you explain.\n")
            .replace("    say: Thank you.\n", "    say: Thank you.\n    summary: Dana left with her order.\n"))
    scenario, problems = parse_inline(text)
    assert scenario is not None, problems
    return scenario


def test_a_session_pdf_carries_the_model_answers_the_score_breakdown_and_the_ending(store, tmp_path, poppler):
    from simulator.engine.scoring import score_session
    from simulator.reports.pdf import write_pdf
    from tests.records.factories import played

    scenario = _guided_mini()
    session = played(scenario, "+ sorry", "+ here it is")
    store.save(session)
    pdf = tmp_path / "session.pdf"
    write_pdf(build_report(store, session_id=session.session_id), pdf, scenarios={scenario.id: scenario})
    text = _text(pdf)
    # Under the first turn (at the start node), as the debrief shows it.
    first = text[text.index("Turn 1"):text.index("Turn 2")]
    assert "A reply that works here \"I'm sorry you've waited, Dana. Let me find it now.\"" in first
    assert "Coach Apologise before you explain." in first
    assert "How it ended resolved — Dana: \"Thank you.\" Dana left with her order." in text
    score = score_session(session.state.turns, session.state.outcome)
    assert f"Score: {score.total:.0f} out of 100 · {score.grade}" in text
    for line in score.lines:
        assert line.behaviour in text and " ".join(line.detail.split()[:4]) in text, line


def test_a_pdf_from_the_command_line_finds_the_shipped_scenario_s_model_answers(store, tmp_path, poppler):
    from simulator import paths
    from simulator.cli import main
    from simulator.engine.loader import load_scenario
    from tests.records.factories import played

    scenario = load_scenario(paths.SCENARIOS_DIR / "late-pickup.yaml")
    session = played(scenario, "+ I'm so sorry")
    store.save(session)
    pdf = tmp_path / "pickup.pdf"
    assert main(["report", "--session", session.session_id, "--pdf", str(pdf)]) == 0
    answer = scenario.nodes[scenario.start_node].model_answer
    assert answer and " ".join(answer.split()[:6]) in _text(pdf).replace("’", "'")


def test_the_pdf_chart_has_the_app_s_mood_bands(store):
    from PySide6.QtGui import QColor

    from simulator.engine.vocabulary import AGITATION_BANDS
    from simulator.reports.pdf import BAND_COLOURS, agitation_chart
    from simulator.ui.widgets.chart import BANDS

    assert BANDS == AGITATION_BANDS  # the debrief's chart
    chart = agitation_chart(record_with_no_turns(), 1000, 300)
    unit = 300 / 100
    top, height = unit * 5, 300 - unit * 17  # the plot's margins in agitation_chart
    left = int(unit * 16) + 4

    def colour_at(agitation: float) -> QColor:
        return chart.pixelColor(left, round(top + height * (100 - agitation) / 100))

    for low, high, name in AGITATION_BANDS:
        assert colour_at((low + high) / 2) == QColor(BAND_COLOURS[name]), name


def record_with_no_turns():
    from tests.records.factories import record

    return record(n_turns=0)
