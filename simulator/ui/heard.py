"""How the screens show what the recogniser heard: the words it was unsure of are marked.

A reply shown as "what you said" may hold words the trainee never said. The conversation's transcript
and the debrief mark each word the recogniser gave a low confidence (analysis/unsure.py's threshold)
with an amber underline, and say once what the mark means.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from simulator.analysis.unsure import unsure_spans
from simulator.engine.judgement import HeardWord
from simulator.ui.theme import COLORS

UNSURE_NOTE = "Underlined words: the recogniser was unsure of them, so it may have misheard."


def marked(text: str, words: Sequence[HeardWord]) -> tuple[str, int]:
    """`text` as rich text with its unsure words marked (the rest escaped), and how many were marked."""
    spans = unsure_spans(text, words)
    out: list[str] = []
    cursor = 0
    for start, end in spans:
        out.append(html.escape(text[cursor:start], quote=False))
        out.append(f'<span style="text-decoration: underline; color: {COLORS["warning"]}; '
                   f'background-color: {COLORS["warning_soft"]};">{html.escape(text[start:end], quote=False)}</span>')
        cursor = end
    out.append(html.escape(text[cursor:], quote=False))
    return "".join(out), len(spans)


def unsure_list(text: str, words: Sequence[HeardWord]) -> list[str]:
    """The unsure words themselves, in order (for screen readers and tests)."""
    return [text[start:end] for start, end in unsure_spans(text, words)]
