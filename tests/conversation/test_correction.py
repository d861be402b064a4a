"""Correcting a misheard transcript in the debrief: judged again off the GUI thread, kept beside the original, saved at once."""

from __future__ import annotations

import pytest

from simulator.analysis.judge import RubricJudge
from simulator.conversation.correction import CannotCorrect, Corrections, was_spoken
from simulator.engine.judgement import HeardWord, JudgeContext, Judgement, Reply, ToneReading
from simulator.engine.scoring import score_session
from simulator.records.sessions import SessionRecord
from simulator.records.store import SessionStore
from tests.engine.conftest import ScriptedJudge
from tests.records.factories import judgement, record
from tests.support.tasks import Inline, Later

MISHEARD = "sorry that was a dick"
SAID = "sorry, that was our mistake"


class RecordingJudge:
    """The real judge, noting what it was asked (the tone it was handed, the moment it was judged at)."""

    def __init__(self) -> None:
        self.real = RubricJudge()
        self.asked: list[tuple[Reply, JudgeContext]] = []

    def warm(self, baseline_audio=None) -> None:
        pass

    def judge(self, reply: Reply, context: JudgeContext) -> Judgement:
        self.asked.append((reply, context))
        return self.real.judge(reply, context)


def misheard_session(store: SessionStore) -> SessionRecord:
    """A finished session whose first reply was spoken and misheard as an insult."""
    r = record("Sam", n_turns=2, outcome="unresolved")
    first = r.state.turns[0]
    heard = judgement("escalate", triggers=[("insult", "a dick")], tone="calm").model_copy(
        update={"transcript": MISHEARD})
    r.state.turns[0] = first.model_copy(update={
        "reply": MISHEARD, "judgement": heard, "audio_file": "/recordings/turn-000.wav",
        "heard": [HeardWord(w, 0.3 if w == "dick" else 0.95) for w in MISHEARD.split()]})
    r.score = score_session(r.state.turns, "unresolved").total
    store.save(r)
    return r


@pytest.fixture
def store(tmp_path):
    s = SessionStore(tmp_path)
    yield s
    s.close()


def test_a_correction_is_judged_with_the_same_judge_and_the_recordings_tone_and_saved_at_once(store):
    shown = misheard_session(store)
    judge = RecordingJudge()
    later = Later()
    done: list = []
    Corrections(store, lambda: judge, later).correct(shown, 0, f"  {SAID} ", "Dana Whitfield",
                                                     on_done=lambda r, t: done.append((r, t)), on_error=pytest.fail)
    assert judge.asked == [] and done == [], "judged on the task runner, not on the caller's thread"
    later.run()

    reply, context = judge.asked[0]
    assert reply.text == SAID and reply.tone == shown.state.turns[0].judgement.tone and reply.audio_path is None
    turn = shown.state.turns[0]
    assert (context.customer_line, context.agitation) == (turn.customer_line, turn.agitation_before)

    saved = store.load(shown.session_id)
    got = saved.state.turns[0]
    assert got.reply == MISHEARD and got.judgement.trigger_names() == {"insult"}, "the original is kept"
    assert got.correction is not None and got.correction.reply == SAID
    assert got.correction.judgement.trigger_names() == set() and got.correction.judgement.technique_names()
    assert got.correction.judgement.tone == turn.judgement.tone
    assert (got.target, got.applied_delta) == (turn.target, turn.applied_delta), "the branch stays as played"
    assert saved.score == score_session(saved.state.turns, "unresolved").total > shown.score
    assert done[0][0].score == saved.score and done[0][1] == got


def test_typed_empty_and_unchanged_corrections_are_refused_with_a_reason(store):
    shown = misheard_session(store)
    corrections = Corrections(store, ScriptedJudge, Inline())
    typed = shown.state.turns[1]
    assert not was_spoken(typed) and was_spoken(shown.state.turns[0])
    for index, text, reason in ((1, "anything", "typed"), (0, "   ", "empty"), (0, MISHEARD, "already says")):
        with pytest.raises(CannotCorrect, match=reason):
            corrections.correct(shown, index, text, "Dana", on_done=pytest.fail, on_error=pytest.fail)


def test_a_spoken_turn_saved_before_words_were_kept_can_be_corrected(store):
    shown = misheard_session(store)
    old = shown.state.turns[0].model_copy(update={"heard": []})
    assert was_spoken(old), "the judgement's transcript says it was spoken"


def test_when_two_corrections_overlap_the_newest_is_kept(store):
    shown = misheard_session(store)
    later = Later()
    done: list[str] = []
    corrections = Corrections(store, ScriptedJudge, later)
    for text in ("+ first try", "+ second try"):
        corrections.correct(shown, 0, text, "Dana", on_done=lambda r, t: done.append(t.correction.reply),
                            on_error=pytest.fail)
    later.run()
    assert done == ["+ second try"]
    assert store.load(shown.session_id).state.turns[0].correction.reply == "+ second try"


def test_a_failed_save_is_reported_and_the_original_stays(store, monkeypatch):
    shown = misheard_session(store)

    def full(record):
        raise OSError("No space left on device")

    monkeypatch.setattr(store, "save", full)
    failed: list[BaseException] = []
    Corrections(store, ScriptedJudge, Inline()).correct(shown, 0, "+ sorry", "Dana", on_done=pytest.fail,
                                                        on_error=failed.append)
    assert "No space" in str(failed[0])
    assert store.load(shown.session_id).state.turns[0].correction is None


def test_a_correction_keeps_what_was_saved_meanwhile(store):
    shown = misheard_session(store)
    store.save_note(shown.session_id, "Good recovery.")  # the trainer's note, saved meanwhile
    Corrections(store, ScriptedJudge, Inline()).correct(shown, 0, "+ sorry", "Dana", on_done=lambda r, t: None,
                                                        on_error=pytest.fail)
    saved = store.load(shown.session_id)
    assert saved.trainer_note == "Good recovery." and saved.state.turns[0].correction is not None


def test_tone_unknown_stays_unknown():
    judge = RubricJudge()
    assert judge.judge(Reply("I understand", tone=None), JudgeContext()).tone is None
    calm = ToneReading(label="calm")
    assert judge.judge(Reply("I understand", tone=calm), JudgeContext()).tone == calm
