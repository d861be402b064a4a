"""What classroom mode adds to a debrief: who answered each turn and whether the trainer overrode it."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt

from simulator.engine.judgement import Judgement
from simulator.engine.session import TurnRecord
from simulator.ui.common import label
from simulator.ui.theme import COLORS

INTENT_WORDS = {"deescalate": "calming", "neutral": "neutral", "escalate": "inflaming"}


def intent_text(judgement: Judgement) -> str:
    return INTENT_WORDS.get(judgement.intent, judgement.intent)


OVERRIDE_WORDS = {"calmer": "calmer", "escalate": "escalate", "branch": "branch chosen"}


def classroom_note(turn: TurnRecord) -> str:
    """Who answered a classroom turn and what the trainer decided ("" for a turn played alone)."""
    parts = []
    if turn.trainee:
        parts.append(f"Answered by <b>{html.escape(turn.trainee)}</b>")
    if turn.override:
        parts.append(f"<b>Trainer override: {OVERRIDE_WORDS.get(turn.override, turn.override)}</b> "
                     f"(the software proposed {intent_text(turn.judgement)})")
    elif turn.trainee:
        parts.append("the trainer accepted the proposed judgement")
    return " · ".join(parts)


def mark_classroom_turns(debrief: Any) -> None:
    """On a debrief (simulator.ui.debrief.view.DebriefPage) just filled: say on each classroom turn who answered
    and whether the trainer overrode the judgement, and name every trainee who took part."""
    record = getattr(debrief, "record", None)
    if record is None:
        return
    names = list(dict.fromkeys(t.trainee for t in record.state.turns if t.trainee))
    if names and names != [record.trainee]:
        text = debrief.subheading.text()
        owner = f"{record.trainee}, " if record.trainee else ""
        debrief.subheading.setText(f"Classroom: {', '.join(names)} · {text.removeprefix(owner)}")
    for card in getattr(debrief, "cards", []):
        note = classroom_note(card.turn)
        if not note:
            continue
        tag = label(note, "classroomNote", wrap=True)
        tag.setTextFormat(Qt.TextFormat.RichText)
        soft = COLORS["warning_soft"] if card.turn.override else COLORS["accent_soft"]
        tag.setStyleSheet(f"QLabel {{ background: {soft}; color: {COLORS['text']}; border-radius: 6px;"
                          " padding: 6px 10px; }")
        card.layout().insertWidget(1, tag)
