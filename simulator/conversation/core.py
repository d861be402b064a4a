"""One conversation session apart from any screen: the runner, its record, saving, stale results, say-again and overrides.

    conversation = Conversation(scenario, judge, store, on_saved=...)
    conversation.current_line                  # present it
    conversation.judge(reply, tasks, on_done)  # off the GUI thread; a result for an old turn is dropped
    conversation.apply(reply, judgement, present=...)   # the branch; saved after the customer's answer
    conversation.note("Good pause before answering", turn=2)   # the trainer's note, saved at once

The rules every screen shares live here, once:
- every turn taken is saved (the whole session, so a failed save is caught up by the next one), and
  an ending closes the session; a save the shared server could not take is kept on this computer
  (records/outbox.py) and sent when the server is back;
- a judgement is applied only to the turn it was made for: each judging carries a `Ticket`, and a
  result whose ticket is stale (a turn was taken, the conversation was restarted or replaced) is
  dropped, never applied to the wrong turn;
- a reply the recogniser was unsure of, or whose grave trigger rests only on unsure words, is never
  judged or applied: the customer asks again (`SAY_AGAIN`);
- a trainer's override (classroom) is recorded with the turn (`Runner.apply(override=...)`);
- a trainer's note on the session or on a turn is saved at once, on its own (`Notes`: the debrief
  writes notes on a finished session the same way, with no Conversation).
Screens keep what is theirs: widgets, devices, phases.
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from simulator.engine.judgement import Judge, Judgement, Reply
from simulator.engine.model import Scenario
from simulator.engine.session import CustomerLine, Override, Runner, SessionState, TurnRecord
from simulator.records.outbox import KeptLocally
from simulator.records.sessions import SessionNotFound, SessionRecord

log = logging.getLogger(__name__)

# What the customer says, in character, when the recogniser wasn't sure what it heard: asking
# again is what a person would do, and it never judges words the trainee may not have said.
SAY_AGAIN = "Sorry, could you say that again?"

# Below this recogniser confidence a transcript is not trusted, whatever the listener said.
MIN_RECOGNITION_CONFIDENCE = 0.35


class Tasks(Protocol):
    """Runs work off the GUI thread and reports back on it (simulator.devices.workers, or synchronously in tests)."""

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None: ...


class Store(Protocol):
    """Where sessions are saved (simulator.records.store.SessionStore)."""

    def save(self, record: SessionRecord) -> None: ...

    def save_note(self, session_id: str, note: str, turn_index: int | None = None) -> bool: ...


class Saved(enum.Enum):
    """How a save went, for the screen to tell the trainee."""

    OK = "ok"
    FAILED = "failed"  # nothing is lost yet: the session is kept and saved again after the next turn
    CAUGHT_UP = "caught_up"  # saved again after a failure
    # The shared server could not take it: kept on this computer and sent when the server is back
    # (and sent again with the next turn's save meanwhile).
    KEPT_LOCALLY = "kept_locally"


@dataclass(frozen=True)
class Ticket:
    """Which turn of which conversation a judgement was made for."""

    conversation: int
    turns: int


def heard(text: str | None, confidence: float | None, low_confidence: bool) -> tuple[str, bool]:
    """A transcript tidied, and whether the recogniser was sure enough of it to judge."""
    tidy = " ".join(str(text or "").split())
    low = bool(low_confidence) or (confidence is not None and confidence < MIN_RECOGNITION_CONFIDENCE)
    return tidy, bool(tidy) and not low


_serials = iter(range(1, 1 << 62))


class Notes:
    """A trainer's notes on one saved session: the session's own (turn None) and one per turn.

    Each note is kept on the record and saved at once, as the note alone (Store.save_note), so a
    whole-session save from another screen never puts back an older note. A note that could not be
    saved stays pending and is written by the next attempt; a note on a turn whose row was never
    saved (its save failed) is saved with the whole session. `resave` False (a session read back from the
    records, as the debrief shows it): a session that is no longer there (deleted meanwhile) is not
    written again for a note; the note is refused (SessionNotFound).
    """

    def __init__(self, store: Store | None, record: SessionRecord, resave: bool = True):
        self.store = store
        self.record = record
        self.resave = resave
        self.pending: set[int | None] = set()  # notes kept on the record but not saved yet

    def text(self, turn: int | None = None) -> str:
        return self.record.trainer_note if turn is None else self.record.state.turns[turn].trainer_note

    def set(self, note: str, turn: int | None = None) -> None:
        """Keep `note` on the record (saved by the next `write`)."""
        note = note.strip()
        if turn is None:
            self.record.trainer_note = note
        else:
            self.record.state.turns[turn].trainer_note = note
        self.pending.add(turn)

    def write(self) -> None:
        """Save every pending note. Raises OSError (they stay pending)."""
        if self.store is None:
            self.pending.clear()
            return
        turns = self.record.state.turns
        for turn in sorted(self.pending, key=lambda t: -1 if t is None else t):
            if turn is not None and turn >= len(turns):  # the turn was rewound away
                self.pending.discard(turn)
                continue
            if not self.store.save_note(self.record.session_id, self.text(turn), turn):
                if not self.resave:
                    raise SessionNotFound("this session is no longer in the records, so the note was not saved")
                self.store.save(self.record)  # no row yet: the whole session, this note with it
                self.store.save_note(self.record.session_id, self.text(turn), turn)
            self.pending.discard(turn)

    def note(self, note: str, turn: int | None = None) -> None:
        """Keep `note` and save it at once. Raises OSError (the note stays pending, kept on the record)."""
        self.set(note, turn)
        self.write()


class Conversation:
    """One session of one scenario, whichever screen plays it.

    `judge` makes the judge for each reply, on the task runner (AppContext.make_judge: made once,
    and after a phrases.yaml edit the next reply is judged with the new phrases). `store` None:
    nothing is saved (the authoring play-through). `on_saved(Saved, error)` hears how every save went.
    """

    def __init__(self, scenario: Scenario, judge: Callable[[], Judge], store: Store | None = None, *,
                 state: SessionState | None = None, seed: int | None = None, baseline_audio: Path | None = None,
                 trainee: str = "", class_name: str = "", on_saved: Callable[[Saved, OSError | None], None] | None = None):
        self.runner = Runner(scenario, seed=seed, state=state, baseline_audio=baseline_audio)
        # A classroom session is its class's; each turn names the trainee who answered it.
        self.record = SessionRecord(trainee=trainee, class_name=class_name, scenario_title=scenario.title,
                                    state=self.runner.state)
        self._judge = judge
        self.store = store
        self.on_saved = on_saved
        self.serial = next(_serials)
        self.discarded = False
        self.unsaved = False  # a save failed; the next one must catch up
        self._saved_as: tuple[int, bool] | None = None  # (turns, closed) at the last save
        self.notes = Notes(store, self.record)

    # -- reading ---------------------------------------------------------------------------------
    @property
    def scenario(self) -> Scenario:
        return self.runner.scenario

    @property
    def state(self) -> SessionState:
        return self.runner.state

    @property
    def session_id(self) -> str:
        return self.runner.state.session_id

    @property
    def turns(self) -> list[TurnRecord]:
        return self.runner.state.turns

    @property
    def current_line(self) -> CustomerLine:
        return self.runner.current_line

    @property
    def ended(self) -> bool:
        return self.runner.ended

    # -- judging ---------------------------------------------------------------------------------
    def ticket(self) -> Ticket:
        return Ticket(self.serial, len(self.runner.state.turns))

    def is_current(self, ticket: Ticket) -> bool:
        """Whether a result made for `ticket` may still be applied."""
        return (not self.discarded and ticket.conversation == self.serial
                and ticket.turns == len(self.runner.state.turns) and not self.runner.ended)

    def discard(self) -> None:
        """This conversation is replaced (restart, another scenario): results still coming are dropped."""
        self.discarded = True

    def judge(self, reply: Reply, tasks: Tasks, on_done: Callable[[Ticket, Judgement], None],
              on_error: Callable[[BaseException], None], on_dropped: Callable[[], None] | None = None) -> Ticket:
        """Judge `reply` on `tasks`; `on_done` hears the judgement only if its turn is still current."""
        runner, make_judge, ticket = self.runner, self._judge, self.ticket()

        def done(judgement: Judgement) -> None:
            if self.is_current(ticket):
                on_done(ticket, judgement)
            else:
                log.info("a judgement for an old turn was dropped")
                if on_dropped is not None:
                    on_dropped()

        def failed(exc: BaseException) -> None:
            if self.is_current(ticket):
                on_error(exc)
            elif on_dropped is not None:
                on_dropped()

        tasks.submit(lambda: runner.judge(reply, make_judge()), on_done=done, on_error=failed)
        return ticket

    @staticmethod
    def must_ask_again(judgement: Judgement) -> bool:
        """A grave trigger resting only on words the recogniser was unsure of: heard again, as an
        unsure reply is (simulator.analysis.unsure), never applied."""
        return bool(judgement.unsure_words)

    # -- acting ----------------------------------------------------------------------------------
    def apply(self, reply: Reply, judgement: Judgement, override: Override | None = None, trainee: str | None = None,
              present: Callable[[TurnRecord], None] | None = None, branch: int | None = None) -> TurnRecord:
        """Take the branch (the judgement, a trainer's override of it, or the `branch` the trainer picked), let the screen present
        the customer's answer, then save: the answer should not wait for the disk (a save writes
        the whole session, 10-40 ms, bench/turn_latency.py). An ending closes the session."""
        turn = self.runner.apply(reply, judgement, override=override, trainee=trainee, branch=branch)
        if present is not None:
            present(turn)
        if self.runner.ended:
            self.record.closed = True
        if self._saved_as != (len(self.turns), self.record.closed):  # not saved by `present` (an ending)
            self.save()
        return turn

    def repeat(self, save: bool = False) -> CustomerLine:
        """The customer says their line again (counted; no turn is taken)."""
        line = self.runner.repeat()
        if save:
            self.save()
        return line

    def restarted(self) -> Saved | None:
        """The trainee starts the scenario again. A session with answered turns is kept (they are the
        trainee's), closed and marked restarted: never offered for resuming nor counted as not
        finished. One with none was never saved (a session is first saved after a turn) and goes."""
        self.discard()
        if not self.turns:
            return None
        self.record.restarted = True
        return self.close()

    def note(self, note: str, turn: int | None = None) -> Saved | None:
        """The trainer's note on the session (`turn` None) or on turn `turn`, saved at once (see `Notes`)."""
        self.record.state = self.runner.state
        self.notes.set(note, turn)
        if self.store is None:
            self.notes.pending.clear()
            return None
        if self.unsaved:  # the session itself is behind: save it all, the note with it
            return self.save()
        try:
            self.notes.write()
        except OSError as exc:
            return self._failed(exc)
        return Saved.OK

    def close(self) -> Saved | None:
        """The session is over (an ending, or ended early): closed and saved."""
        self.record.closed = True
        return self.save()

    def save(self) -> Saved | None:
        """Write the whole session (None without a store). A failure is caught up by the next save."""
        if self.store is None:
            return None
        self.record.state = self.runner.state
        self._saved_as = (len(self.turns), self.record.closed)
        try:
            self.store.save(self.record)
            self.notes.write()  # notes on rows saved before: `save` leaves a saved note alone
        except KeptLocally as exc:
            log.warning("the session was kept on this computer: %s", exc)
            self.unsaved = True
            self._report(Saved.KEPT_LOCALLY, exc)
            return Saved.KEPT_LOCALLY
        except OSError as exc:
            return self._failed(exc)
        if self.unsaved:
            self.unsaved = False
            log.info("the session was saved again after a failure")
            self._report(Saved.CAUGHT_UP, None)
            return Saved.CAUGHT_UP
        return Saved.OK

    def _failed(self, exc: OSError) -> Saved:
        log.error("saving the session failed: %s", exc)
        self.unsaved = True
        self._report(Saved.FAILED, exc)
        return Saved.FAILED

    def _report(self, saved: Saved, exc: OSError | None) -> None:
        if self.on_saved is not None:
            self.on_saved(saved, exc)


def rewound_state(scenario: Scenario, state: SessionState, turn_index: int) -> SessionState:
    """A new session that starts just before `turn_index` of an old one; the old one is untouched."""
    copy = state.model_copy(deep=True, update={
        "session_id": uuid.uuid4().hex,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    Runner(scenario, state=copy).rewind(turn_index)
    return copy
