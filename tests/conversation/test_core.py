"""The conversation core without Qt: a turn judged, applied and saved; stale judgements dropped; say-again; overrides; resume."""

from __future__ import annotations

import pytest

from simulator.conversation import SAY_AGAIN, Conversation, Notes, Saved, heard, rewound_state
from simulator.engine.judgement import Judgement, Reply
from simulator.records.outbox import KeptLocally
from simulator.records.sessions import SessionNotFound, SessionRecord
from simulator.records.store import SessionStore
from tests.engine.conftest import MINI, ScriptedJudge, parse_inline
from tests.support.tasks import Inline, Later


@pytest.fixture
def mini():
    scenario, problems = parse_inline(MINI)
    assert scenario is not None, problems
    return scenario


class FlakyStore:
    """A store whose disk fails for the next `failures` saves (Store protocol)."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.saved: list[tuple[int, bool]] = []
        self.rows: dict[int | None, str] = {}  # the notes on rows saved so far (None: the session's)

    def save(self, record: SessionRecord) -> None:
        if self.failures:
            self.failures -= 1
            raise OSError("No space left on device")
        self.saved.append((len(record.state.turns), record.closed))
        # As the real store: a new row comes with its note, a saved row keeps the note it has.
        self.rows.setdefault(None, record.trainer_note)
        for t in record.state.turns:
            self.rows.setdefault(t.index, t.trainer_note)

    def save_note(self, session_id: str, note: str, turn_index: int | None = None) -> bool:
        if self.failures:
            self.failures -= 1
            raise OSError("No space left on device")
        if turn_index not in self.rows:
            return False
        self.rows[turn_index] = note
        return True


def typed_turn(conversation: Conversation, text: str, tasks=None) -> Judgement:
    got: list[Judgement] = []
    conversation.judge(Reply(text), tasks or Inline(), on_done=lambda _, j: got.append(j), on_error=pytest.fail)
    conversation.apply(Reply(text), got[0])
    return got[0]


def test_a_typed_turn_is_judged_applied_and_saved_in_the_real_store(mini, tmp_path):
    store = SessionStore(tmp_path)
    conversation = Conversation(mini, ScriptedJudge, store, seed=1, trainee="Alex")
    typed_turn(conversation, "+ I'm so sorry")
    saved = store.load(conversation.session_id)
    assert [t.reply for t in saved.state.turns] == ["+ I'm so sorry"]
    assert saved.trainee == "Alex" and not saved.closed
    assert conversation.current_line.node_id == "listening"


def test_every_turn_is_saved_after_the_customer_answers_and_an_ending_closes_the_session(mini):
    store = FlakyStore()
    conversation = Conversation(mini, ScriptedJudge, store, seed=1)
    order: list[str] = []
    conversation.apply(Reply("+ sorry"), ScriptedJudge().judge(Reply("+ sorry"), conversation.runner.context()),
                       present=lambda turn: order.append(f"present {turn.index} saved {len(store.saved)}"))
    assert order == ["present 0 saved 0"] and store.saved == [(1, False)]
    typed_turn(conversation, "+ here it is")
    assert conversation.ended and store.saved == [(1, False), (2, True)]


def test_an_ending_closed_by_the_screen_is_not_saved_twice(mini):
    store = FlakyStore()
    conversation = Conversation(mini, ScriptedJudge, store, seed=1)
    conversation.apply(Reply("! calm down"), ScriptedJudge().judge(Reply("! calm down"), conversation.runner.context()),
                       present=lambda turn: conversation.close())
    assert store.saved == [(1, True)]


def test_a_failed_save_is_caught_up_by_the_next(mini):
    store = FlakyStore(failures=1)
    heard_of: list[Saved] = []
    conversation = Conversation(mini, ScriptedJudge, store, seed=1, on_saved=lambda saved, exc: heard_of.append(saved))
    typed_turn(conversation, "neutral")
    assert heard_of == [Saved.FAILED] and store.saved == []
    typed_turn(conversation, "neutral again")
    assert heard_of == [Saved.FAILED, Saved.CAUGHT_UP] and store.saved == [(2, False)]


class UnreachableServer(FlakyStore):
    """A shared server that cannot take the next `failures` saves: each is kept on this computer."""

    def save(self, record: SessionRecord) -> None:
        if self.failures:
            self.failures -= 1
            raise KeptLocally("cannot reach the database at db:5432. The session is kept on this computer")
        self.saved.append((len(record.state.turns), record.closed))


def test_a_turn_the_server_could_not_take_is_kept_and_saved_again_with_the_next(mini):
    store = UnreachableServer(failures=1)
    heard_of: list[Saved] = []
    conversation = Conversation(mini, ScriptedJudge, store, seed=1, on_saved=lambda saved, exc: heard_of.append(saved))
    typed_turn(conversation, "neutral")
    assert heard_of == [Saved.KEPT_LOCALLY] and conversation.unsaved
    typed_turn(conversation, "neutral again")
    assert heard_of == [Saved.KEPT_LOCALLY, Saved.CAUGHT_UP] and store.saved == [(2, False)]


def test_a_judgement_for_an_old_turn_is_dropped(mini):
    later = Later()
    conversation = Conversation(mini, ScriptedJudge, FlakyStore(), seed=1)
    applied: list[Judgement] = []
    dropped: list[bool] = []
    conversation.judge(Reply("- slow judgement"), later, on_done=lambda _, j: applied.append(j),
                       on_error=pytest.fail, on_dropped=lambda: dropped.append(True))
    typed_turn(conversation, "+ sorry")  # the turn moved on meanwhile
    later.run()
    assert applied == [] and dropped == [True]


def test_a_judgement_for_a_replaced_conversation_is_dropped(mini):
    later = Later()
    old = Conversation(mini, ScriptedJudge, FlakyStore(), seed=1)
    applied: list[Judgement] = []
    ticket = old.judge(Reply("+ sorry"), later, on_done=lambda _, j: applied.append(j), on_error=pytest.fail)
    assert old.is_current(ticket)
    old.discard()  # restarted
    later.run()
    assert applied == [] and not old.is_current(ticket)


def test_say_again_rules():
    assert heard("  I'm  sorry ", 0.9, False) == ("I'm sorry", True)
    assert heard("I'm sorry bam", 0.2, False) == ("I'm sorry bam", False)  # below the confidence floor
    assert heard("I'm sorry", 0.9, True) == ("I'm sorry", False)  # the recogniser said it was unsure
    assert heard("", None, False) == ("", False)
    assert Conversation.must_ask_again(Judgement(intent="escalate", confidence=0.9, unsure_words=["dick"]))
    assert not Conversation.must_ask_again(Judgement(intent="neutral", confidence=0.9))
    assert SAY_AGAIN.endswith("?")


def test_say_again_takes_no_turn_and_is_counted(mini):
    store = FlakyStore()
    conversation = Conversation(mini, ScriptedJudge, store, seed=1)
    line = conversation.repeat()
    assert line == conversation.current_line and not conversation.turns and conversation.state.repeats == 1
    assert store.saved == []
    conversation.repeat(save=True)  # the classroom saves the count at once
    assert store.saved == [(0, False)]


def test_a_trainers_override_is_recorded_with_the_turn_and_its_trainee(mini):
    conversation = Conversation(mini, ScriptedJudge, FlakyStore(), seed=1, class_name="Tue")
    judgement = ScriptedJudge().judge(Reply("ok"), conversation.runner.context())
    turn = conversation.apply(Reply("ok"), judgement, override="calmer", trainee="Priya")
    # The turn is Priya's; the session stays the class's, not its first trainee's.
    assert turn.override == "calmer" and turn.trainee == "Priya"
    assert (conversation.record.trainee, conversation.record.class_name) == ("", "Tue")
    assert turn.target == "listening"  # taken on the calmer judgement, not the neutral one proposed


def test_without_a_store_nothing_is_saved(mini):
    conversation = Conversation(mini, ScriptedJudge, None, seed=1)
    typed_turn(conversation, "+ sorry")
    assert conversation.save() is None and len(conversation.turns) == 1


def test_a_saved_session_resumes_and_rewinds(mini, tmp_path):
    store = SessionStore(tmp_path)
    first = Conversation(mini, ScriptedJudge, store, seed=3)
    typed_turn(first, "+ sorry")
    saved = store.load(first.session_id)
    resumed = Conversation(mini, ScriptedJudge, store, state=saved.state)
    assert resumed.current_line == first.current_line and resumed.session_id == first.session_id
    rewound = rewound_state(mini, saved.state, 0)
    assert rewound.session_id != saved.state.session_id and rewound.turns == [] and len(saved.state.turns) == 1


def test_the_trainer_sees_where_each_decision_leads_and_what_it_applies(mini):
    from simulator.conversation.steering import steering

    conversation = Conversation(mini, ScriptedJudge, FlakyStore(), seed=1, class_name="Tue")
    reply = Reply("! calm down")
    judgement = ScriptedJudge().judge(reply, conversation.runner.context())
    steer = steering(conversation.runner, reply, judgement)
    assert steer.model_answer == "I'm sorry you've waited, Dana. Let me find it now." and steer.coach is None
    proposed, calmer, escalate = steer.leads[None], steer.leads["calmer"], steer.leads["escalate"]
    assert (escalate.target, escalate.outcome) == ("furious", "escalated")
    # As proposed, the trigger branch: the ending "furious", escalated.
    assert (proposed.branch_index, proposed.target, proposed.outcome) == (0, "furious", "escalated")
    # Calmer leaves the triggers behind: the calming branch, not the trigger branch.
    assert (calmer.branch_index, calmer.target, calmer.outcome) == (1, "listening", None)
    assert conversation.runner.state.turns == []  # nothing was taken

    # What is shown is what is applied (the temperament scales the judge's change).
    turn = conversation.apply(reply, judgement, override="calmer", trainee="Priya")
    assert (turn.target, turn.applied_delta, turn.agitation_after) == (
        calmer.target, calmer.applied_delta, calmer.agitation_after)
    assert calmer.signed_delta == f"−{abs(round(turn.applied_delta))}"


def test_the_trainer_may_take_any_branch_of_the_node_directly(mini):
    from simulator.conversation.steering import steering

    conversation = Conversation(mini, ScriptedJudge, FlakyStore(), seed=1, class_name="Tue")
    reply = Reply("+ I'm sorry")
    judgement = ScriptedJudge().judge(reply, conversation.runner.context())
    steer = steering(conversation.runner, reply, judgement)
    # Every branch of "start", in order, whatever its condition: the trigger ending, the calming node,
    # the manager ending, the fallback.
    assert [(b.branch_index, b.target, b.outcome) for b in steer.branches] == [
        (0, "furious", "escalated"), (1, "listening", None), (2, "gave_up", "unresolved"), (3, "start", None)]
    turn = conversation.apply(reply, judgement, override="branch", trainee="Priya", branch=2)
    assert (turn.override, turn.branch_index, turn.target) == ("branch", 2, "gave_up")
    assert turn.judgement == judgement and turn.applied_delta == steer.branches[2].applied_delta
    assert conversation.runner.outcome == "unresolved"


def test_a_restarted_session_with_turns_is_kept_closed_and_marked_and_never_offered_to_resume(mini, tmp_path):
    store = SessionStore(tmp_path)
    conversation = Conversation(mini, ScriptedJudge, store, seed=1, trainee="Alex")
    typed_turn(conversation, "neutral")
    assert [r.session_id for r in store.unfinished()] == [conversation.session_id]
    assert conversation.restarted() == Saved.OK
    kept = store.load(conversation.session_id)
    assert kept.restarted and kept.closed and [t.reply for t in kept.state.turns] == ["neutral"]
    assert store.unfinished() == [] and conversation.discarded


def test_a_session_restarted_before_any_turn_is_not_kept(mini, tmp_path):
    store = SessionStore(tmp_path)
    conversation = Conversation(mini, ScriptedJudge, store, seed=1, trainee="Alex")
    assert conversation.restarted() is None
    assert store.all() == []


def test_a_spoken_reply_keeps_its_recognised_words_with_the_turn(mini, tmp_path):
    from simulator.engine.judgement import HeardWord

    store = SessionStore(tmp_path)
    conversation = Conversation(mini, ScriptedJudge, store, seed=1)
    words = (HeardWord("+", 0.9), HeardWord("sorry", 0.42))
    reply = Reply("+ sorry", audio_path=tmp_path / "r.wav", recognition_confidence=0.8, words=words)
    conversation.apply(reply, ScriptedJudge().judge(reply, conversation.runner.context()))
    assert store.load(conversation.session_id).state.turns[0].heard == list(words)


def test_a_trainers_notes_are_saved_at_once_and_a_stale_whole_save_keeps_them(mini, tmp_path):
    store = SessionStore(tmp_path)
    conversation = Conversation(mini, ScriptedJudge, store, seed=1, class_name="Tue")
    typed_turn(conversation, "+ I'm sorry")
    stale = store.load(conversation.session_id)  # as another screen (the debrief) read it before the notes
    assert conversation.note("  Good apology, a bit fast.  ", turn=0) is Saved.OK
    assert conversation.note("Class of three; focus on empathy.") is Saved.OK
    back = store.load(conversation.session_id)
    assert back.trainer_note == "Class of three; focus on empathy."
    assert [t.trainer_note for t in back.state.turns] == ["Good apology, a bit fast."]
    # Another screen saving the whole session as it last saw it does not put back the old (empty) notes.
    store.save(stale)
    typed_turn(conversation, "+ here it is")
    back = store.load(conversation.session_id)
    assert back.trainer_note == "Class of three; focus on empathy."
    assert [t.trainer_note for t in back.state.turns] == ["Good apology, a bit fast.", ""]
    # Clearing a note clears it.
    conversation.note("", turn=0)
    assert store.load(conversation.session_id).state.turns[0].trainer_note == ""


def test_a_note_typed_before_the_first_turn_saves_the_session_with_it(mini, tmp_path):
    store = SessionStore(tmp_path)
    conversation = Conversation(mini, ScriptedJudge, store, seed=1, class_name="Tue")
    assert conversation.note("Warm-up round") is Saved.OK
    assert store.load(conversation.session_id).trainer_note == "Warm-up round"


def test_a_note_that_could_not_be_saved_is_kept_and_saved_by_the_next_save(mini):
    store = FlakyStore()
    heard_of: list[Saved] = []
    conversation = Conversation(mini, ScriptedJudge, store, seed=1, on_saved=lambda saved, exc: heard_of.append(saved))
    typed_turn(conversation, "neutral")
    store.failures = 1
    assert conversation.note("Mumbled", turn=0) is Saved.FAILED
    assert heard_of == [Saved.FAILED] and store.rows[0] == ""
    assert conversation.turns[0].trainer_note == "Mumbled"  # kept with the session meanwhile
    typed_turn(conversation, "neutral again")
    assert heard_of == [Saved.FAILED, Saved.CAUGHT_UP] and store.rows[0] == "Mumbled"


def test_a_note_on_a_turn_whose_save_failed_is_saved_with_the_whole_session(mini):
    store = FlakyStore(failures=1)
    conversation = Conversation(mini, ScriptedJudge, store, seed=1)
    typed_turn(conversation, "neutral")  # this save fails: no row for the turn yet
    assert store.saved == []
    assert conversation.note("Check the wording", turn=0) is Saved.CAUGHT_UP
    assert store.saved == [(1, False)] and store.rows[0] == "Check the wording"


def test_notes_on_a_finished_session_are_saved_without_a_conversation(mini, tmp_path):
    """The debrief's way: the record read back, a note on it saved at once; nothing else is written."""
    store = SessionStore(tmp_path)
    conversation = Conversation(mini, ScriptedJudge, store, seed=1, trainee="Alex")
    typed_turn(conversation, "+ I'm sorry")
    record = store.load(conversation.session_id)
    notes = Notes(store, record, resave=False)
    notes.note("Listen for the name", turn=0)
    notes.note("Solid first go")
    back = store.load(conversation.session_id)
    assert (back.trainer_note, back.state.turns[0].trainer_note) == ("Solid first go", "Listen for the name")
    assert back.updated_at == record.updated_at  # a note is not a new play of the session
    # Deleted meanwhile (another station erased the trainee's data): a note does not bring it back.
    store.delete_trainee_data("Alex")
    with pytest.raises(SessionNotFound):
        notes.note("Too late")
    with pytest.raises(SessionNotFound):
        store.load(conversation.session_id)
