"""The conversation presenter against a plain fake view (no window): typed and spoken turns, stale judgements, say-again, the end, saving, resuming."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator.conversation import SAY_AGAIN
from simulator.engine.loader import load_library
from simulator.settings import Settings
from simulator.ui.context import Devices
from simulator.ui.conversation.presenter import ConversationPresenter, Phase
from tests.support.tasks import Later
from tests.ui.conversation.test_speaking import a_wav
from tests.ui.fakes import FakeListener, FakeMicrophone, FakeVoice

pytestmark = pytest.mark.gui

WARM = "I'm so sorry Sam, I understand"


class FakeView:
    """Records what the presenter shows (ConversationView); answers its questions from `answers`."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.phases: list[str] = []
        self.lines: list[str] = []
        self.replies: list[tuple[str, bool]] = []
        self.reply_words: list[tuple] = []
        self.notices: list[str] = []
        self.endings: list[tuple[str, str | None]] = []
        self.answers: dict[str, str] = {}

    def _note(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))

    def show_briefing(self, scenario, resumed_turns): self._note("briefing", scenario.id, resumed_turns)
    def show_conversation(self, scenario, history): self._note("conversation", len(history))
    def show_customer_line(self, line, animate): self.lines.append(line.text)
    def show_say_again(self, text): self.lines.append(text)
    def add_trainee_reply(self, text, spoken, words=()):
        self.replies.append((text, spoken))
        self.reply_words.append(tuple(words))
    def show_partial(self, text): self._note("partial", text)
    def set_level(self, level): self._note("level", level)
    def set_phase(self, phase): self.phases.append(phase)
    def set_busy(self, busy): self._note("busy", busy)
    def show_ending(self, outcome, summary): self.endings.append((outcome, summary))
    def show_notice(self, text, kind="info", retry_microphone=False): self.notices.append(text)
    def hide_notice(self, text): self._note("hide_notice", text)
    def set_capabilities(self, can_talk, talk_problem, can_speak): self._note("capabilities", can_talk, can_speak)
    def set_paused(self, paused): self._note("paused", paused)
    def offer_typing(self): self._note("offer_typing")
    def ask(self, question): return self.answers.get(question)


@pytest.fixture
def devices():
    return Devices(voice=FakeVoice(), microphone=FakeMicrophone(), listener=FakeListener())


@pytest.fixture
def scenario(scenario_dir):
    return load_library([scenario_dir]).scenarios["parcel"]


@pytest.fixture
def setup(qapp, make_context, devices):
    ctx = make_context(Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True), devices)
    view = FakeView()
    presenter = ConversationPresenter(view, ctx)
    yield presenter, view, ctx
    presenter.disconnect_devices()


def started(setup, scenario):
    presenter, view, ctx = setup
    presenter.load(scenario)
    presenter.begin()
    ctx.devices.voice.finish()  # the customer's first line is over
    return presenter, view, ctx


def test_a_typed_turn(setup, scenario):
    presenter, view, ctx = started(setup, scenario)
    assert view.lines == ["I was promised this parcel today. Where is it?"] and presenter.phase is Phase.YOUR_TURN
    assert presenter.submit_text(WARM)
    assert view.replies == [(WARM, False)]
    assert view.lines[-1] == "Fine. So what are you going to do about it?"
    assert presenter.phase is Phase.SPEAKING and Phase.THINKING in view.phases
    assert [t.reply for t in ctx.store.load(presenter.record.session_id).state.turns] == [WARM]


def test_a_spoken_turn_keeps_its_recording(setup, scenario, tmp_path):
    presenter, view, ctx = started(setup, scenario)
    listener = ctx.devices.listener
    assert presenter.press_to_talk() and presenter.phase is Phase.LISTENING
    presenter.release_to_talk()
    assert presenter.phase is Phase.THINKING
    listener.hear(WARM, wav_path=a_wav(tmp_path / "reply.wav"), confidence=0.8, words=(("sorry", 0.9),))
    assert view.replies == [(WARM, True)]
    turn = ctx.store.load(presenter.record.session_id).state.turns[0]
    assert turn.reply == WARM and turn.audio_file and turn.audio_file.startswith(str(ctx.store.recordings.folder(presenter.record.session_id)))
    assert not (tmp_path / "reply.wav").exists()  # moved into the session


def test_a_spoken_reply_is_shown_with_the_recognisers_confidence_in_each_word(setup, scenario, tmp_path):
    presenter, view, ctx = started(setup, scenario)
    presenter.press_to_talk()
    presenter.release_to_talk()
    words = (("I'm", 0.95), ("so", 0.9), ("sorry", 0.31), ("Sam,", 0.97), ("I", 0.9), ("understand", 0.9))
    ctx.devices.listener.hear(WARM, wav_path=a_wav(tmp_path / "reply.wav"), confidence=0.8, words=words)
    assert view.replies == [(WARM, True)] and view.reply_words == [words]
    assert ctx.store.load(presenter.record.session_id).state.turns[0].heard == list(words)


def test_a_judgement_that_comes_back_after_a_restart_is_dropped(setup, scenario):
    presenter, view, ctx = started(setup, scenario)
    later = ctx.tasks = Later()
    presenter.submit_text(WARM)
    assert presenter.busy
    old = presenter.record.session_id
    presenter.restart()
    later.run()
    assert not presenter.busy and presenter.record.session_id != old
    assert presenter.runner.state.turns == []
    assert ctx.store.all() == []  # nothing was applied or saved to either session


def test_a_restart_keeps_the_answered_turns_marked_restarted_not_unfinished(setup, scenario):
    presenter, view, ctx = started(setup, scenario)
    presenter.submit_text(WARM)
    old = presenter.record.session_id
    presenter.restart()
    kept = ctx.store.load(old)
    assert kept.restarted and kept.closed and [t.reply for t in kept.state.turns] == [WARM]
    assert ctx.store.unfinished() == []
    presenter.restart()  # before any turn: nothing is kept
    assert [r.session_id for r in ctx.store.all()] == [old]


def test_an_unsure_reply_is_asked_for_again(setup, scenario, tmp_path):
    presenter, view, ctx = started(setup, scenario)
    wav = a_wav(tmp_path / "unsure.wav")
    ctx.devices.listener.hear("I'm sorry bam", wav_path=wav, confidence=0.2)
    assert view.lines[-1] == SAY_AGAIN and not wav.exists()
    assert presenter.runner.state.turns == [] and presenter.runner.state.repeats == 1
    assert any("wasn't sure it heard you" in n for n in view.notices)
    presenter.submit_text(WARM)  # heard this time: the hint goes
    assert ("hide_notice", (view.notices[0],)) in view.calls


def test_an_ending_closes_and_saves_the_session_after_every_turn(setup, scenario):
    presenter, view, ctx = started(setup, scenario)
    presenter.submit_text(WARM)
    assert len(ctx.store.load(presenter.record.session_id).state.turns) == 1
    ctx.devices.voice.finish()
    presenter.submit_text("I can refund you now, I'm sorry")
    record = ctx.store.load(presenter.record.session_id)
    assert len(record.state.turns) == 2 and record.closed
    assert view.endings == [("resolved", "Sam left satisfied.")] and presenter.phase is Phase.ENDED
    assert not presenter.accepts_reply()


def test_a_saved_session_resumes_where_it_was(setup, scenario):
    presenter, view, ctx = started(setup, scenario)
    presenter.submit_text(WARM)
    presenter.leave_for_later()
    saved = ctx.store.load(presenter.record.session_id)
    resumed_view = FakeView()
    again = ConversationPresenter(resumed_view, ctx)
    again.load(scenario, saved.state)
    again.begin()
    assert ("briefing", ("parcel", 1)) in resumed_view.calls and ("conversation", (1,)) in resumed_view.calls
    assert resumed_view.lines == ["Fine. So what are you going to do about it?"]
    again.disconnect_devices()


# -- judging at a pause, before the reply is over (moved from the full-window tests) ------------------

def test_a_reply_judged_at_a_pause_is_answered_as_soon_as_the_pause_is_its_end(setup, scenario, tmp_path, judge):
    presenter, view, ctx = started(setup, scenario)
    listener, voice = ctx.devices.listener, ctx.devices.voice
    presenter.press_to_talk()
    wav = a_wav(tmp_path / "likely.wav")
    listener.pause_in("I'm so sorry Sam I understand", wav_path=wav, confidence=0.8, speculation=3)
    assert judge.calls == ["I'm so sorry Sam I understand"]  # judged while the hangover runs
    assert presenter.runner.state.turns == [] and presenter.phase == "listening"  # nothing shown yet
    listener.hear("I'm so sorry Sam I understand", wav_path=wav, confidence=0.8, speculation=3)
    assert judge.calls == ["I'm so sorry Sam I understand"]  # not judged twice
    turn = presenter.runner.state.turns[0]
    assert turn.reply == "I'm so sorry Sam I understand" and turn.judgement.intent == "deescalate"
    kept = ctx.store.recordings.turn_path(presenter.record.session_id, 0)
    assert turn.audio_file == str(kept) and kept.is_file() and not wav.exists()
    assert view.replies == [("I'm so sorry Sam I understand", True)]  # shown once
    assert voice.spoken[-1][1] == "Fine. So what are you going to do about it?"


def test_a_trainee_who_goes_on_after_the_pause_is_judged_on_the_whole_reply(setup, scenario, tmp_path, judge):
    presenter, view, ctx = started(setup, scenario)
    presenter.press_to_talk()
    ctx.devices.listener.pause_in("calm down", wav_path=a_wav(tmp_path / "a.wav"), speculation=1)
    ctx.devices.listener.hear("calm down I'm sorry", wav_path=a_wav(tmp_path / "b.wav"))
    assert judge.calls == ["calm down", "calm down I'm sorry"]
    assert presenter.runner.state.turns[0].reply == "calm down I'm sorry"


def test_a_reply_confirmed_while_still_being_judged_is_answered_when_the_judging_ends(setup, scenario, tmp_path,
                                                                                      judge):
    presenter, view, ctx = started(setup, scenario)
    later = ctx.tasks = Later()
    presenter.press_to_talk()
    wav = a_wav(tmp_path / "likely.wav")
    ctx.devices.listener.pause_in("I'm so sorry I understand", wav_path=wav, speculation=1)
    ctx.devices.listener.hear("I'm so sorry I understand", wav_path=wav, speculation=1)
    # The recording stays where the judge reads it until the judging is done.
    assert presenter.phase == "thinking" and wav.exists() and presenter.runner.state.turns == []
    assert view.replies == [("I'm so sorry I understand", True)]
    later.run()
    assert judge.calls == ["I'm so sorry I understand"]
    turn = presenter.runner.state.turns[0]
    assert turn.reply == "I'm so sorry I understand" and not wav.exists() and Path(turn.audio_file).is_file()
    assert not presenter.busy and presenter.phase == "speaking"
    assert view.replies == [("I'm so sorry I understand", True)]  # still shown once


def test_an_unsure_transcript_at_a_pause_is_not_judged(setup, scenario, tmp_path, judge):
    presenter, view, ctx = started(setup, scenario)
    presenter.press_to_talk()
    ctx.devices.listener.pause_in("I'm sorry bam", wav_path=a_wav(tmp_path / "a.wav"), confidence=0.2,
                                  speculation=1)
    assert judge.calls == []
    ctx.devices.listener.hear("I'm sorry bam", wav_path=a_wav(tmp_path / "a.wav"), confidence=0.2, speculation=1)
    assert judge.calls == [] and presenter.runner.state.repeats == 1


def test_talking_over_the_customer_stops_their_voice(setup, scenario):
    presenter, view, ctx = setup
    presenter.load(scenario)
    presenter.begin()
    assert presenter.phase == "speaking"
    before = ctx.devices.voice.stops
    assert presenter.press_to_talk()
    assert ctx.devices.voice.stops > before


# -- a grave trigger resting on a word the recogniser was unsure of (moved from the full-window tests) --

MISHEARD = "sorry it was put on the wrong shelf that was a dick"


def heard_words(text: str, dick: float) -> tuple[tuple[str, float], ...]:
    return tuple((w, dick if w == "dick" else 0.9) for w in text.split())


@pytest.fixture
def judged(qapp, make_context, devices, scenario):
    """A spoken session judged by the real rubric judge (a stand-in tone analysis: calm), the customer's first line over."""
    from simulator.analysis.judge import RubricJudge
    from simulator.engine.judgement import ToneReading

    judge = RubricJudge(analyse_tone=lambda audio, baseline=None: ToneReading(label="calm"),
                        load_baseline=lambda path: None)
    calls: list[str] = []
    real = judge.judge
    judge.judge = lambda reply, context: calls.append(reply.text) or real(reply, context)
    ctx = make_context(Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True), devices, judge_=judge)
    view = FakeView()
    presenter = ConversationPresenter(view, ctx)
    presenter.load(scenario)
    presenter.begin()
    devices.voice.finish()
    yield presenter, view, ctx, calls
    presenter.disconnect_devices()


def test_an_insult_heard_on_an_unsure_word_is_asked_again_not_applied(judged, tmp_path):
    presenter, view, ctx, calls = judged
    listener, voice = ctx.devices.listener, ctx.devices.voice
    presenter.press_to_talk()
    presenter.release_to_talk()
    listener.hear(MISHEARD, wav_path=a_wav(tmp_path / "reply.wav"), confidence=0.8, words=heard_words(MISHEARD, 0.2))
    assert calls == [MISHEARD]
    state = presenter.runner.state
    assert state.turns == [] and state.repeats == 1 and not presenter.runner.ended
    assert view.lines[-1] == SAY_AGAIN and voice.spoken[-1][1] == SAY_AGAIN
    assert any("that was a dick" in notice for notice in view.notices)
    assert not ctx.store.recordings.turn_path(state.session_id, 0).exists()  # nobody will play it
    # Said again and heard surely this time: now it stands.
    voice.finish()
    presenter.press_to_talk()
    presenter.release_to_talk()
    listener.hear(MISHEARD, wav_path=a_wav(tmp_path / "again.wav"), confidence=0.8, words=heard_words(MISHEARD, 0.9))
    turn = presenter.runner.state.turns[0]
    assert "insult" in turn.judgement.trigger_names() and turn.judgement.unsure_words == []
    assert presenter.runner.ended and presenter.runner.state.ending_id == "blows_up"


def test_an_insult_heard_surely_is_applied(judged, tmp_path):
    presenter, view, ctx, calls = judged
    presenter.press_to_talk()
    presenter.release_to_talk()
    ctx.devices.listener.hear(MISHEARD, wav_path=a_wav(tmp_path / "reply.wav"), confidence=0.8,
                              words=heard_words(MISHEARD, 0.95))
    assert presenter.runner.state.repeats == 0
    assert "insult" in presenter.runner.state.turns[0].judgement.trigger_names()
    assert presenter.runner.ended and presenter.runner.state.ending_id == "blows_up"


def test_a_typed_insult_is_applied(judged):
    presenter, view, ctx, calls = judged
    assert presenter.submit_text(MISHEARD)
    assert presenter.runner.state.repeats == 0
    assert "insult" in presenter.runner.state.turns[0].judgement.trigger_names()
    assert presenter.runner.ended and presenter.runner.state.ending_id == "blows_up"


def test_an_insult_on_an_unsure_word_judged_at_a_pause_is_asked_again(judged, tmp_path):
    presenter, view, ctx, calls = judged
    presenter.press_to_talk()
    wav = a_wav(tmp_path / "likely.wav")
    words = heard_words(MISHEARD, 0.2)
    ctx.devices.listener.pause_in(MISHEARD, wav_path=wav, confidence=0.8, speculation=2, words=words)
    assert calls == [MISHEARD] and presenter.runner.state.turns == []
    ctx.devices.listener.hear(MISHEARD, wav_path=wav, confidence=0.8, speculation=2, words=words)
    assert calls == [MISHEARD]  # the early judgement, not judged twice
    state = presenter.runner.state
    assert state.turns == [] and state.repeats == 1 and not presenter.runner.ended
    assert view.lines[-1] == SAY_AGAIN


def test_the_customer_s_possible_answers_are_rendered_first_while_they_speak(qapp, make_context, devices,
                                                                             scenario):
    ctx = make_context(Settings(first_run_done=True, voice_enabled=True), devices)
    presenter = ConversationPresenter(FakeView(), ctx)
    presenter.load(scenario)
    presenter.begin()
    voice = devices.voice
    line = presenter.conversation.current_line
    assert voice.expected == [(scenario.next_lines(line.node_id), line.agitation)]
    assert voice.expected[0][0]  # the lines of the nodes its branches lead to


@pytest.mark.parametrize("mode", ["push_to_talk", "hands_free"])
def test_rendering_ahead_waits_while_the_trainee_s_reply_is_heard(qapp, make_context, devices, scenario, tmp_path,
                                                                  mode):
    """On 2 cores the scenario's lines rendered in the background compete with the recogniser: they
    are held from the moment the trainee speaks until the customer answers."""
    ctx = make_context(Settings(first_run_done=True, voice_enabled=True, listen_mode=mode), devices)
    presenter = ConversationPresenter(FakeView(), ctx)
    voice, listener = devices.voice, devices.listener
    try:
        presenter.load(scenario)
        presenter.begin()
        voice.finish()
        assert not voice.prepare_held  # the customer's turn and the trainee's silence: rendering goes on
        if mode == "push_to_talk":
            assert presenter.press_to_talk()
        else:
            assert presenter.phase is Phase.LISTENING
            assert not voice.prepare_held
            listener.speech_started.emit()
        assert voice.prepare_held
        if mode == "push_to_talk":
            presenter.release_to_talk()
            assert voice.prepare_held  # recognising
        listener.hear(WARM, wav_path=a_wav(tmp_path / "reply.wav"), confidence=0.8)
        # Judged and answered: the customer's next line was spoken, and rendering ahead goes on.
        assert presenter.phase is Phase.SPEAKING and voice.spoken[-1][1] == "Fine. So what are you going to do about it?"
        assert not voice.prepare_held and voice.holds == [True, False]
        # A reply begun and then abandoned by pausing lets it go on too.
        voice.finish()
        presenter.press_to_talk() if mode == "push_to_talk" else listener.speech_started.emit()
        assert voice.prepare_held
        presenter.pause()
        assert not voice.prepare_held
    finally:
        presenter.disconnect_devices()
