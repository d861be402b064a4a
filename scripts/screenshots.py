#!/usr/bin/env python3
"""Screenshots of every screen of the app, taken offscreen at 1280x720 into docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--size 1280x720] [--scale 1.0]

Plays the shipped late-pickup scenario with typed replies (the real judge when it is installed)
in a throwaway data folder, so the library, conversation and debrief show real content.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPLIES = ["I'm really sorry you've been kept waiting. I can see how frustrating that is."]


def _judge():
    try:
        from simulator.analysis.judge import RubricJudge

        return RubricJudge()
    except ImportError:
        from simulator.engine.judgement import Finding, Judgement

        class DemoJudge:
            """Stands in until the rubric judge is installed: warm words calm, anything else is neutral."""

            def warm(self, baseline_audio=None) -> None:
                pass  # nothing to load

            def judge(self, reply, context):
                text = reply.text.lower()
                if "sorry" in text or "frustrat" in text or "stressful" in text:
                    found = [Finding(name="apologise", evidence="I'm really sorry")] if "sorry" in text else []
                    if "frustrat" in text or "stressful" in text:
                        found.append(Finding(name="empathy", evidence="I can see how frustrating"))
                    return Judgement(intent="deescalate", confidence=0.9, agitation_delta=-14, techniques=found,
                                     explanation=["You acknowledged the wait before explaining anything."])
                return Judgement(intent="neutral", confidence=0.6, agitation_delta=3)

        return DemoJudge()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--scale", type=float, default=1.0, help="text size, as in Settings")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="simulator-shots-"))
    os.environ["SIMULATOR_DATA_DIR"] = str(data)

    from PySide6.QtWidgets import QApplication

    from simulator.devices.workers import InlineWorker
    from simulator.records.store import SessionStore
    from simulator.settings import Settings
    from simulator.ui.context import AppContext, Devices, default_library
    from simulator.ui.main_window import MainWindow
    from simulator.ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    settings = Settings(first_run_done=False, trainee_name="", voice_enabled=False, text_scale=args.scale)
    ctx = AppContext(settings=settings, store=SessionStore(data), tasks=InlineWorker(),
                     judge_factory=_judge, library_loader=default_library, devices=Devices(),
                     settings_file=data / "settings.json")
    apply_theme(app, args.scale)
    win = MainWindow(ctx)
    win.resize(width, height)
    win.show()

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        # Let the meter and portrait animations finish so the picture shows where they settle.
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(800, loop.quit)
        loop.exec()
        path = args.out / f"{name}.png"
        win.grab().save(str(path))
        print(path)

    shot("01-welcome")
    win.welcome.name.setText("Alex Morgan")
    win.welcome._on_skip_clicked()
    shot("02-library")
    win.show_calibration()
    shot("03-microphone-check")
    win.show_settings()
    shot("04-settings")

    win.start_scenario("late-pickup")
    shot("05-briefing")
    page = win.conversation
    page.presenter.begin()
    shot("06-conversation-start")
    runner = page.presenter.runner

    def reply_well() -> None:
        # The node's own model answer: the debrief then shows a conversation that was resolved.
        node = runner.scenario.nodes[runner.state.node_id]
        page.reply_box.setText(node.model_answer or REPLIES[0])
        page._on_send_clicked()

    for _ in range(2):
        reply_well()
    page.reply_box.setText("Can I take your order number, please?")
    shot("07-conversation")
    page.presenter.pause()
    shot("08-paused")
    page.presenter.resume()
    for _ in range(12):
        if runner.ended:
            break
        reply_well()
    shot("09-conversation-ended")
    page.presenter.show_debrief()
    shot("10-debrief")
    win.debrief.scroller.verticalScrollBar().setValue(win.debrief.cards[0].y() - 20)
    shot("11-debrief-turns")

    # A conversation left part-way: its banner at the top of the library and Resume on its card.
    win.start_scenario("door-no-id")
    page.presenter.begin()
    page.reply_box.setText("Good evening. Can I see some ID, please?")
    page._on_send_clicked()
    page.presenter.leave_for_later()
    shot("23-library-left-part-way")

    # Authoring: a shipped scenario's graph, a typed try-out, then a draft with mistakes marked.
    win.show_authoring()
    authoring = win.authoring
    authoring.open_file(ROOT / "scenarios" / "late-pickup.yaml")
    authoring.graph.centerOn(authoring.graph.nodes["start"])
    shot("12-authoring-graph")
    authoring.tabs.setCurrentWidget(authoring.play)
    authoring.play.send("I'm really sorry you've been kept waiting, Dana. I can see how frustrating that is.")
    shot("13-authoring-try-it")
    draft = data / "scenarios" / "cold-coffee-draft.yaml"
    draft.parent.mkdir(parents=True, exist_ok=True)
    example = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8").split("<!-- worked-example: complete -->")[1]
    example = example.split("```yaml\n")[1].split("```")[0]
    draft.write_text(example.replace("goto: sorted\n        note: Clear", "goto: sortd\n        note: Clear")
                     .replace("id: cold-coffee", "id: cold-coffee-draft"), encoding="utf-8")
    authoring.refresh()
    authoring.open_file(draft)
    authoring.select_node("choices")
    authoring.tabs.setCurrentWidget(authoring.details)
    shot("14-authoring-problems")

    trainer_screens(win, ctx, shot, args.out, width, height)
    win.close()
    voice_screens(args.out, data / "voice", width, height, args.scale)
    return 0


def trainer_screens(win, ctx, shot, out: Path, width: int, height: int) -> None:
    """The trainers' screens: a class's roster, a trainee's history after a few classroom sessions, and
    classroom mode mid-turn (projector view at this size and at 1920x1080, the trainer's window)."""
    from PySide6.QtCore import QEventLoop, QTimer

    def settle(ms: int = 800) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def grab(widget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    win.show_roster()
    roster = win.roster
    shot("22-classes-empty")
    roster.add_class("Tuesday evening")
    for name in ("Ana Silva", "Ben Okoro", "Chloe Martin", "Dev Patel", "Erin Walsh"):
        roster.add_trainee(name)
    roster.add_class("Thursday morning")
    roster.add_trainee("Femi Adeyemi")
    roster.refresh(select="Tuesday evening")

    # A few classroom sessions, Ana improving over them: first blunt replies, then the model answers.
    win.open_classroom("Tuesday evening")
    room = win.classroom
    p, trainer = room.presenter, room.trainer
    trainer.rotate.setChecked(False)
    blunt = ["Calm down, it's not my fault.", "There's nothing I can do about it.", "You'll have to wait."]

    def play(scenario_id: str, who: list[str], good: int, overrides: dict[int, str] | None = None) -> None:
        trainer.select_scenario(scenario_id)
        trainer.start()
        for i in range(14):
            if p.runner.ended:
                break
            p.set_trainee(who[i % len(who)])
            node = p.runner.scenario.nodes[p.runner.state.node_id]
            text = node.model_answer if i < good else blunt[i % len(blunt)]
            p.submit_text(text or "I'm sorry about this.")
            p.decide((overrides or {}).get(i, "proposed"))
        if not p.runner.ended:
            p.end_now()
        played.append(p.record.session_id)

    played: list[str] = []

    play("late-pickup", ["Ana Silva"], good=0)
    play("refund-no-receipt", ["Ana Silva", "Ben Okoro"], good=2, overrides={1: "calmer"})
    play("door-no-id", ["Ana Silva"], good=3)
    play("late-pickup", ["Ana Silva", "Chloe Martin"], good=14, overrides={2: "escalate"})
    # A week apart, as a course runs (played here within a second, their order would be arbitrary).
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from simulator.records.schema import sessions

    with ctx.store.engine.begin() as conn:
        for weeks, session_id in enumerate(reversed(played), start=1):
            conn.execute(sa.update(sessions).where(sessions.c.session_id == session_id)
                         .values(started_at=datetime.now(UTC) - timedelta(weeks=weeks)))

    # Mid-turn: Ben's reply judged and proposed, waiting for the trainer's key.
    trainer.select_scenario("price-not-honoured")
    trainer.start()
    p.set_trainee("Ana Silva")
    node = p.runner.scenario.nodes[p.runner.state.node_id]
    p.submit_text(node.model_answer or "I'm sorry about that.")
    p.decide("proposed")
    p.set_trainee("Ben Okoro")
    p.submit_text("I understand it's annoying, but the price on the shelf was a mistake, so calm down "
                  "and I'll see what I can do.")
    room.projector.showNormal()
    room.projector.resize(width, height)
    grab(room.projector, "17-classroom-projector")
    room.projector.resize(1920, 1080)
    grab(room.projector, "projector-1920x1080-classroom")
    room.projector.resize(width, height)
    trainer.resize(width, height)
    grab(trainer, "18-classroom-trainer")
    room.close()

    win.show_roster()
    roster.refresh(select="Tuesday evening")
    roster.roster.setCurrentRow(0)
    shot("15-roster")
    win.show_history("Ana Silva")
    shot("16-history")


def voice_screens(out: Path, data: Path, width: int, height: int, scale: float) -> None:
    """The screens as a trainee with a microphone sees them: the level warning of a microphone that
    clips, push-to-talk mid-reply with the live transcript, and a spoken turn in the debrief (its
    recording, loudness and pitch against the baseline). The audio services are the stand-ins the
    GUI tests use; the voice is espeak-ng's, so these are skipped where it is not installed."""
    import shutil
    import subprocess

    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    if espeak is None:
        print("espeak-ng not found: skipping the screenshots with a microphone")
        return
    from PySide6.QtCore import QEventLoop, QTimer

    from simulator.devices.workers import InlineWorker
    from simulator.records.store import SessionStore
    from simulator.settings import Settings
    from simulator.ui.context import AppContext, Devices, default_library
    from simulator.ui.main_window import MainWindow
    from tests.ui.fakes import FakeListener, FakeMicrophone, FakeVoice

    data.mkdir(parents=True, exist_ok=True)

    def speak(name: str, text: str) -> Path:
        path = data / f"{name}.wav"
        subprocess.run([espeak, "-v", "en-gb", "-s", "160", "-w", str(path), text], check=True)
        return path

    from simulator.ui.calibration.view import SENTENCE

    baseline = speak("baseline", SENTENCE)
    voice, mic, listener = FakeVoice(), FakeMicrophone(recording=baseline), FakeListener()
    settings = Settings(first_run_done=True, trainee_name="Alex Morgan", voice_enabled=True, text_scale=scale)
    ctx = AppContext(settings=settings, store=SessionStore(data), tasks=InlineWorker(), judge_factory=_judge,
                     library_loader=default_library, devices=Devices(voice=voice, microphone=mic, listener=listener),
                     settings_file=data / "settings.json")
    win = MainWindow(ctx)
    win.resize(width, height)
    win.show()

    def shot(name: str) -> None:
        loop = QEventLoop()
        QTimer.singleShot(800, loop.quit)
        loop.exec()
        path = out / f"{name}.png"
        win.grab().save(str(path))
        print(path)

    win.show_calibration()
    for level in (0.7, 0.99, 0.97):
        mic.level.emit(level)
    shot("19-microphone-check-clipping")
    win.calibration.calibrate_from_wav(baseline)

    win.start_scenario("late-pickup")
    page = win.conversation
    page.presenter.begin()
    voice.finish()
    page.presenter.press_to_talk()
    listener.partial.emit("I'm really sorry you've been kept waiting, Dana")
    for level in (0.55, 0.7, 0.62):
        listener.level.emit(level)
    shot("20-conversation-speaking")
    page.presenter.release_to_talk()
    runner = page.presenter.runner
    first = runner.scenario.nodes[runner.state.node_id].model_answer or "I'm really sorry you've been kept waiting."
    # Heard with one word the recogniser was unsure of (and got wrong): marked, then corrected.
    heard = first.replace("Dana", "Donna") if "Dana" in first else first
    words = tuple((w, 0.41 if w.startswith("Donna") else 0.94) for w in heard.split())
    listener.hear(heard, wav_path=speak("reply", first), confidence=0.9, words=words)
    for _ in range(12):
        if runner.ended:
            break
        voice.finish()
        page.reply_box.setText(runner.scenario.nodes[runner.state.node_id].model_answer or "I'm sorry.")
        page._on_send_clicked()
    page.presenter.show_debrief()
    loop = QEventLoop()
    QTimer.singleShot(300, loop.quit)  # the cards are laid out before the scroll position is read
    loop.exec()
    win.debrief.scroller.verticalScrollBar().setValue(win.debrief.cards[0].y() - 20)
    shot("21-debrief-spoken-turn")
    card = win.debrief.cards[0]
    if card.correct is not None:
        card.open_editor()
        card.correction_box.setText(first)
        card.judge_again.click()
        loop = QEventLoop()
        QTimer.singleShot(300, loop.quit)
        loop.exec()
        win.debrief.scroller.verticalScrollBar().setValue(win.debrief.cards[0].y() - 20)
        shot("24-debrief-corrected")
    win.close()


if __name__ == "__main__":
    raise SystemExit(main())
