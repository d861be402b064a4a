"""Correcting a misheard transcript after the session: the turn judged again on what the trainee says they said.

    corrections = Corrections(store, judge=ctx.make_judge, tasks=ctx.tasks)
    corrections.correct(record, turn_index, "I can see why you're upset", customer_name="Dana",
                        on_done=show, on_error=tell)

The correction is kept beside the original (`TurnRecord.correction`): the reply as heard, its judgement
and the branch it took stay as they were, since the customer reacted to what was heard. It is judged
with the same judge on the task runner (never on the GUI thread), on its words only: the tone stays the
one measured from the recording at the time (`Reply.tone`), and a typed correction is never "unsure".
It is saved as soon as it is judged, with the session's score counted again (the score counts the
corrected words, engine/scoring.py). Only spoken replies can be corrected: a typed one was not misheard.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from simulator.conversation.core import Tasks
from simulator.engine.judgement import Judge, JudgeContext, Judgement, Reply
from simulator.engine.scoring import score_session
from simulator.engine.session import Correction, TurnRecord
from simulator.records.sessions import SessionRecord

log = logging.getLogger(__name__)

# A correction is a reply, not an essay: as long as the longest reply a turn takes.
MAX_CORRECTION = 600


class Store(Protocol):
    """Where sessions are read and saved (simulator.records.store.SessionStore)."""

    def load(self, session_id: str) -> SessionRecord: ...
    def save(self, record: SessionRecord) -> None: ...


class CannotCorrect(ValueError):
    """The correction was refused; the message is for the trainee."""


def was_spoken(turn: TurnRecord) -> bool:
    """Whether a turn's reply came from the recogniser (typed replies have no transcript to correct).

    A spoken turn keeps its recognised words (`heard`) or, in sessions saved before they were kept,
    the judgement's transcript; both outlive the recording, which retention may delete."""
    return bool(turn.heard) or turn.judgement.transcript is not None


def tidy(text: str) -> str:
    return " ".join(text.split())


def check(turn: TurnRecord, text: str) -> str:
    """The correction as it will be judged, or CannotCorrect saying why not."""
    words = tidy(text)
    if not was_spoken(turn):
        raise CannotCorrect("This reply was typed, so there is nothing misheard to correct.")
    if not words:
        raise CannotCorrect("Type what you said: the correction is empty.")
    if len(words) > MAX_CORRECTION:
        raise CannotCorrect(f"That is longer than a reply can be ({MAX_CORRECTION} characters).")
    current = turn.correction.reply if turn.correction else turn.reply
    if words == tidy(current):
        raise CannotCorrect("That is what the turn already says.")
    return words


def judge_correction(turn: TurnRecord, text: str, judge: Judge, customer_name: str) -> Judgement:
    """The corrected reply judged as the original was, at the same moment of the conversation, with
    the tone the recording was judged with (None stays None: a recording that could not be analysed)."""
    context = JudgeContext(customer_name=customer_name, agitation=turn.agitation_before,
                           customer_line=turn.customer_line)
    judgement = judge.judge(Reply(text, tone=turn.judgement.tone), context)
    return judgement.model_copy(update={"transcript": text})


@dataclass
class Corrections:
    """Corrects turns of saved sessions; the newest correction of a turn wins if two overlap."""

    store: Store | None
    judge: Callable[[], Judge]
    tasks: Tasks
    _latest: dict[tuple[str, int], int] = field(default_factory=dict)
    _serial: int = 0

    def correct(self, record: SessionRecord, index: int, text: str, customer_name: str,
                on_done: Callable[[SessionRecord, TurnRecord], None],
                on_error: Callable[[BaseException], None]) -> None:
        """Judge `text` as turn `index`'s reply off the GUI thread, then keep and save it.

        `on_done(record, turn)` hears the session as saved (re-read from the store, so a change saved
        meanwhile is kept) and the corrected turn; `on_error` a CannotCorrect, the judge's failure or
        the store's (an OSError: nothing was saved; the original stays). Raises CannotCorrect at once
        when the correction is refused before judging."""
        turn = record.state.turns[index]
        words = check(turn, text)
        key = (record.session_id, index)
        self._serial += 1
        serial = self._latest[key] = self._serial
        make_judge = self.judge

        def judged(judgement: Judgement) -> None:
            if self._latest.get(key) != serial:
                log.info("an older correction of turn %d was dropped", index + 1)
                return
            del self._latest[key]
            try:
                saved = self._keep(record, index, Correction(reply=words, judgement=judgement))
            except (OSError, CannotCorrect) as exc:
                log.error("keeping a corrected transcript failed: %s", exc)
                on_error(exc)
                return
            on_done(saved, saved.state.turns[index])

        def failed(exc: BaseException) -> None:
            if self._latest.get(key) == serial:
                del self._latest[key]
                on_error(exc)

        self.tasks.submit(lambda: judge_correction(turn, words, make_judge(), customer_name),
                          on_done=judged, on_error=failed)

    def _keep(self, record: SessionRecord, index: int, correction: Correction) -> SessionRecord:
        """The correction put on the stored session (the shown one without a store), rescored and saved."""
        saved = record
        if self.store is not None:
            try:
                saved = self.store.load(record.session_id)
            except FileNotFoundError:
                saved = record  # not saved yet (a store in memory that lost it): save the shown one
        turns = saved.state.turns
        if index >= len(turns) or turns[index].reply != record.state.turns[index].reply:
            raise CannotCorrect("This turn was changed since the debrief was opened; open it again.")
        turns[index] = turns[index].model_copy(update={"correction": correction})
        # As the debrief scores a session it shows (the trainee is looking at one).
        saved.score = score_session(turns, saved.state.outcome).total
        if self.store is not None:
            self.store.save(saved)
        return saved
