"""Training reports as PDF, drawn with Qt: a summary page, then each session's agitation chart and turns.

    write_pdf(build_report(store, trainee="Sam Patel"), Path("sam.pdf"))

The text is a QTextDocument (HTML) laid out on A4 and painted page by page into a QPdfWriter,
with a running header and "Page n of m" footer; the charts are drawn with QPainter into images
at the PDF's resolution. Needs a QGuiApplication (for fonts): `ensure_app()` makes one offscreen.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from simulator.engine.model import Scenario
from simulator.engine.scoring import score_session
from simulator.engine.session import Runner, TurnRecord
from simulator.engine.vocabulary import AGITATION_BANDS
from simulator.fileio import atomic_write_bytes
from simulator.records.reports import (
    Report,
    behaviour_counts,
    behaviour_label,
    summarise,
    took_part,
    trainee_score,
    turns_of,
)
from simulator.records.sessions import SessionRecord

log = logging.getLogger(__name__)

DPI = 300
# QTextDocument reads <img width/height> in 96-dpi pixels and scales them to the device.
_IMG = 96 / DPI
APP_NAME = "De-escalation Simulator"

INK = "#1d2733"
MUTED = "#5f6b7a"
RULE = "#d5dbe3"
NAVY = "#1f3a5f"
PANEL = "#eef2f7"
OUTCOME_COLOURS = {"resolved": "#2e7d32", "unresolved": "#b26a00", "escalated": "#c62828"}
INTENT_COLOURS = {"deescalate": "#2e7d32", "neutral": "#607d8b", "escalate": "#c62828"}
INTENT_WORDS = {"deescalate": "de-escalating", "neutral": "neutral", "escalate": "escalating"}
OVERRIDE_WORDS = {"calmer": "trainer judged it calmer", "escalate": "trainer judged it escalating",
                  "branch": "trainer chose the branch"}
FONT_FAMILIES = ["Segoe UI", "Helvetica Neue", "Arial", "DejaVu Sans", "Liberation Sans"]


def ensure_app() -> QGuiApplication:
    """The running Qt application, or a new offscreen one (the command line has no window)."""
    app = QGuiApplication.instance()
    if app is None:
        from PySide6.QtWidgets import QApplication

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # A QApplication, not the lighter QGuiApplication: whatever runs next in this process
        # (the app's own windows, a widget test) needs one, and Qt allows only one per process.
        app = QApplication([APP_NAME])
    return app  # type: ignore[return-value]


def _font(point_size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def _pixel_font(pixels: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def _date(iso: str, with_time: bool = True) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.strftime("%d %b %Y %H:%M" if with_time else "%d %b %Y")


# -- charts ----------------------------------------------------------------------------------------
def agitation_chart(record: SessionRecord, width: int, height: int) -> QImage:
    """The customer's agitation from the start through each reply, over the mood bands.

    Dots are coloured by what the reply was judged to be; a ring marks a trainer's override.
    """
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = height / 100  # every size below scales with the image
    p.setFont(_pixel_font(round(unit * 5.2)))
    # Room on the right for the last turn's label, centred under its point.
    left, right, top, bottom = unit * 16, unit * 12, unit * 5, unit * 12
    plot = QRectF(left, top, width - left - right, height - top - bottom)

    def y(value: float) -> float:
        return plot.bottom() - plot.height() * max(0.0, min(100.0, value)) / 100

    _fill_bands(p, plot, y)
    p.setPen(QPen(QColor(RULE), unit * 0.3))
    for value in (0, 25, 50, 75, 100):
        p.drawLine(QPointF(plot.left(), y(value)), QPointF(plot.right(), y(value)))
        p.setPen(QColor(MUTED))
        p.drawText(QRectF(0, y(value) - unit * 4, left - unit * 2, unit * 8),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value))
        p.setPen(QPen(QColor(RULE), unit * 0.3))
    p.setPen(QColor(MUTED))
    p.save()
    p.translate(unit * 3.5, plot.center().y())
    p.rotate(-90)
    p.drawText(QRectF(-plot.height() / 2, -unit * 3, plot.height(), unit * 7),
               Qt.AlignmentFlag.AlignCenter, "agitation")
    p.restore()
    _name_bands(p, plot, y, unit)

    turns = record.state.turns
    values = ([turns[0].agitation_before] if turns else [record.state.agitation]) + [t.agitation_after for t in turns]
    step = plot.width() / max(1, len(values) - 1)
    points = [QPointF(plot.left() + i * step if len(values) > 1 else plot.center().x(), y(v))
              for i, v in enumerate(values)]
    for i, point in enumerate(points):
        text = "start" if i == 0 else f"turn {i}"
        p.drawText(QRectF(point.x() - unit * 12, plot.bottom() + unit * 2, unit * 24, unit * 7),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)
    path = QPainterPath(points[0])
    for point in points[1:]:
        path.lineTo(point)
    p.setPen(QPen(QColor(NAVY), unit * 0.9, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    for i, point in enumerate(points):
        turn = turns[i - 1] if i > 0 else None
        colour = INTENT_COLOURS.get(turn.judgement.intent, NAVY) if turn else NAVY
        p.setPen(QPen(QColor("white"), unit * 0.5))
        p.setBrush(QBrush(QColor(colour)))
        p.drawEllipse(point, unit * 2.2, unit * 2.2)
        if turn is not None and turn.override:
            p.setPen(QPen(QColor(INK), unit * 0.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(point, unit * 3.8, unit * 3.8)
    p.end()
    return image


# The app's chart's bands (vocabulary.AGITATION_BANDS), tinted from settled to out of control.
BAND_COLOURS = {"calm": "#e8f5e9", "uneasy": "#fff8e1", "angry": "#ffebee", "furious": "#ffcdd2"}


def _fill_bands(p: QPainter, plot: QRectF, y: Callable[[float], float]) -> None:
    for low, high, name in AGITATION_BANDS:
        p.fillRect(QRectF(plot.left(), y(high), plot.width(), y(low) - y(high)), QColor(BAND_COLOURS[name]))


def _name_bands(p: QPainter, plot: QRectF, y: Callable[[float], float], unit: float) -> None:
    """Each band's name at its top right, as the app's chart writes them."""
    for low, high, name in AGITATION_BANDS:
        p.drawText(QRectF(plot.right() - unit * 30, y(high) + unit * 0.5, unit * 29, y(low) - y(high) - unit),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, name)


def score_chart(report: Report, width: int, height: int) -> QImage:
    """Each scored session's score as the report shows it (Report.score_of), oldest first: is the trainee improving?"""
    scored = [(r, score) for r in report.sessions if (score := report.score_of(r)) is not None]
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = height / 100
    p.setFont(_pixel_font(round(unit * 5.2)))
    left, right, top, bottom = unit * 16, unit * 4, unit * 5, unit * 14
    plot = QRectF(left, top, width - left - right, height - top - bottom)

    def y(value: float) -> float:
        return plot.bottom() - plot.height() * max(0.0, min(100.0, value)) / 100

    for value in (0, 25, 50, 75, 100):
        p.setPen(QPen(QColor(RULE), unit * 0.3))
        p.drawLine(QPointF(plot.left(), y(value)), QPointF(plot.right(), y(value)))
        p.setPen(QColor(MUTED))
        p.drawText(QRectF(0, y(value) - unit * 4, left - unit * 2, unit * 8),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value))
    slot = plot.width() / max(1, len(scored))
    bar = min(slot * 0.6, unit * 18)
    for i, (r, score) in enumerate(scored):
        centre = plot.left() + slot * (i + 0.5)
        colour = QColor(OUTCOME_COLOURS.get(r.state.outcome or "", NAVY))
        p.fillRect(QRectF(centre - bar / 2, y(score), bar, plot.bottom() - y(score)), colour)
        p.setPen(QColor(INK))
        p.drawText(QRectF(centre - slot / 2, y(score) - unit * 7, slot, unit * 6),
                   Qt.AlignmentFlag.AlignCenter, f"{score:.0f}")
        p.setPen(QColor(MUTED))
        p.drawText(QRectF(centre - slot / 2, plot.bottom() + unit * 2, slot, unit * 7),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                   _date(r.state.started_at, with_time=False))
    p.end()
    return image


# -- the document ----------------------------------------------------------------------------------
CSS = f"""
body {{ color: {INK}; }}
h1 {{ font-size: 20pt; color: {NAVY}; margin-bottom: 2pt; }}
h2 {{ font-size: 14pt; color: {NAVY}; margin-top: 0; margin-bottom: 2pt; }}
h3 {{ font-size: 10.5pt; color: {NAVY}; margin-top: 12pt; margin-bottom: 4pt; }}
p {{ margin-top: 0; margin-bottom: 4pt; }}
.muted {{ color: {MUTED}; }}
.small {{ font-size: 8pt; }}
.kpi {{ font-size: 17pt; font-weight: bold; color: {NAVY}; }}
.label {{ color: {MUTED}; font-size: 8pt; }}
th {{ text-align: left; color: {MUTED}; font-size: 8pt; font-weight: bold; background-color: {PANEL}; }}
td.key {{ color: {MUTED}; font-size: 8.5pt; }}
.good {{ color: #2e7d32; }}
.bad {{ color: #c62828; }}
"""


def _outcome_html(outcome: str | None, restarted: bool = False) -> str:
    if outcome is None:
        return f'<span class="muted">{"restarted" if restarted else "not finished"}</span>'
    return f'<b style="color:{OUTCOME_COLOURS.get(outcome, INK)}">{escape(outcome)}</b>'


def _score_html(score: float | None) -> str:
    return "—" if score is None else f"{score:.0f}"


def _table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    head = "".join(f'<th{f" width={w}%" if widths else ""}>{h}</th>'
                   for h, w in zip(headers, widths or [0] * len(headers), strict=True))
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<table width="100%" cellspacing="0" cellpadding="5" border="1" '
            f'style="border-collapse: collapse; border-color: {RULE}; border-style: solid">'
            f"<tr>{head}</tr>{body}</table>")


def _summary_html(report: Report) -> str:
    s = summarise(report)
    kpis = [
        (str(s.sessions), "sessions" if s.sessions != 1 else "session"),
        (str(s.turns), "replies judged"),
        (str(s.outcomes["resolved"]), "resolved"),
        (str(s.outcomes["escalated"]), "escalated"),
        ("—" if s.mean_score is None else f"{s.mean_score:.0f}", "average score"),
        (str(s.overrides), "trainer overrides"),
    ]
    cells = "".join(f'<td align="center" bgcolor="{PANEL}"><span class="kpi">{v}</span><br>'
                    f'<span class="label">{escape(label)}</span></td>' for v, label in kpis)
    html = [f'<table width="100%" cellspacing="6" cellpadding="8"><tr>{cells}</tr></table>']

    strengths = ", ".join(f"{escape(behaviour_label(n))} ({c})" for n, c in s.techniques[:4]) or "none yet"
    watch = ", ".join(f"{escape(behaviour_label(n))} ({c})" for n, c in s.triggers[:4]) or "none"
    html.append(f'<p><b class="good">Techniques used most:</b> {strengths}</p>')
    html.append(f'<p><b class="bad">Triggers to work on:</b> {watch}</p>')
    return "".join(html)


def _behaviour_table(report: Report) -> str:
    """How often each technique and trigger showed: per session for a trainee, per trainee for a class.

    Either way a trainee's counts are of their own replies: in a classroom session shared with others, only the
    turns they answered (turns_of, Report.behaviour_turns).
    """
    columns: list[tuple[str, list[TurnRecord]]]
    if report.scope == "class":
        # Each trainee's own replies: in a classroom session, only the turns they answered.
        columns = [(f"{escape(t.name)} ({sum(took_part(r, t.name) for r in report.sessions)})",
                    [turn for r in report.sessions for turn in turns_of(r, t.name)]) for t in report.roster]
        caption = "Times each behaviour was found in each trainee's replies (number of sessions in brackets)."
    else:
        recent = report.sessions[-8:]
        columns = [(_date(r.state.started_at, with_time=False), report.behaviour_turns(r)) for r in recent]
        caption = "Times each behaviour was found per session, oldest session first"
        if len(report.sessions) > len(recent):
            caption += f" (the last {len(recent)} of {len(report.sessions)})"
        if any(len(turns) != len(r.state.turns) for r, (_, turns) in zip(recent, columns, strict=True)):
            caption += f"; in a classroom session shared with others, only {escape(report.subject)}'s replies"
        caption += "."
    kinds: dict[str, str] = {}
    counts: dict[str, list[int]] = {}
    for i, (_, turns) in enumerate(columns):
        for kind, found in zip(("technique", "trigger"), behaviour_counts(turns), strict=True):
            for name, times in found.items():
                kinds[name] = kind
                counts.setdefault(name, [0] * len(columns))[i] += times
    if not counts:
        return ""
    order = sorted(counts, key=lambda n: (kinds[n] != "technique", -sum(counts[n]), n))
    html = ["<h3>Behaviours</h3>"]
    # At most seven count columns to a table, so names and numbers stay legible on A4.
    for first in range(0, len(columns), 7):
        part = slice(first, first + 7)
        rows = []
        for name in order:
            good = kinds[name] == "technique"
            mark = '<span class="good">✓</span>' if good else '<span class="bad">✗</span>'
            rows.append([f"{mark} {escape(behaviour_label(name))}",
                         *[str(c) if c else '<span class="muted">·</span>' for c in counts[name][part]]])
        html.append(_table(["Behaviour", *[h for h, _ in columns[part]]], rows))
    html.append(f"<p class='small muted'>{caption}</p>")
    return "".join(html)


def _roster_table(report: Report) -> str:
    rows = []
    for trainee in report.roster:
        mine = [r for r in report.sessions if took_part(r, trainee.name)]
        # Their own score in each session: in a shared classroom session, on the turns they answered.
        scores = [score for r in mine if (score := trainee_score(r, trainee.name)) is not None]
        # As their own report sums them up: techniques and triggers in the turns they answered.
        s = summarise(Report("trainee", trainee.name, mine))
        rows.append([
            escape(trainee.name), str(len(mine)), str(s.outcomes["resolved"]),
            f"{sum(scores) / len(scores):.0f}" if scores else "—",
            escape(behaviour_label(s.techniques[0][0])) if s.techniques else "—",
            escape(behaviour_label(s.triggers[0][0])) if s.triggers else "—",
            _date(mine[-1].state.started_at, with_time=False) if mine else '<span class="muted">no sessions yet</span>',
        ])
    return "<h3>Trainees</h3>" + _table(
        ["Trainee", "Sessions", "Resolved", "Average score", "Most used technique", "Most frequent trigger",
         "Last session"], rows, [16, 11, 11, 10, 20, 19, 13])


def _sessions_table(report: Report) -> str:
    rows = [[_date(r.state.started_at), escape(r.owner or "—"), escape(r.scenario_title or r.state.scenario_id),
             str(len(r.state.turns)), _outcome_html(r.state.outcome, r.restarted), _score_html(report.score_of(r))]
            for r in report.sessions]
    return "<h3>Sessions</h3>" + _table(["Date", "Trainee", "Scenario", "Turns", "Outcome", "Score"], rows,
                                        [19, 18, 32, 7, 15, 9])


def _findings_html(items, good: bool) -> str:
    if not items:
        return '<span class="muted">none</span>'
    mark, css = ("✓", "good") if good else ("✗", "bad")
    return "<br>".join(f'<span class="{css}">{mark}</span> <b>{escape(behaviour_label(f.name))}</b>'
                       + (f' <span class="muted">— “{escape(f.evidence)}”</span>' if f.evidence else "")
                       for f in items)


def _turn_html(t: TurnRecord, scenario: Scenario | None = None) -> str:
    j = t.judgement
    delta = t.agitation_after - t.agitation_before
    judged = (f'<b style="color:{INTENT_COLOURS.get(j.intent, INK)}">{INTENT_WORDS.get(j.intent, j.intent)}</b>'
              f' <span class="muted">({j.confidence:.0%} sure)</span>')
    if t.override:
        judged += f' · <b>{OVERRIDE_WORDS.get(t.override, t.override)}</b>'
    tone = "—"
    if j.tone is not None:
        tone = f"<b>{escape(j.tone.label)}</b>"
        if j.tone.cues:
            tone += ' <span class="muted">— ' + escape("; ".join(j.tone.cues)) + "</span>"
    rows = [
        ("Customer said", f"<i>“{escape(t.customer_line)}”</i>"),
        ("Reply", (f"<b>{escape(t.trainee)}:</b> " if t.trainee else "")
         + (f"“{escape(t.reply)}”" if t.reply else '<span class="muted">(no reply)</span>')),
        ("Judged", judged),
        ("Techniques", _findings_html(j.techniques, good=True)),
        ("Triggers", _findings_html(j.triggers, good=False)),
        ("Tone", tone),
    ]
    if t.correction is not None:
        # Misheard: what the trainee says they said, judged again, after the turn as heard and played; the
        # score counts it (engine/scoring.py).
        c = t.correction.judgement
        rows += [("Corrected to", f"“{escape(t.correction.reply)}” <span class=\"muted\">(by the trainee after "
                                      "the session; the customer reacted to the reply as heard)</span>"),
                     ("Judged as corrected", f'<b style="color:{INTENT_COLOURS.get(c.intent, INK)}">'
                                             f"{INTENT_WORDS.get(c.intent, c.intent)}</b>"
                                             + "".join("<br>" + _findings_html(items, good)
                                                       for items, good in ((c.techniques, True), (c.triggers, False))
                                                       if items))]
    if j.explanation:
        rows.append(("Why", "<br>".join(f"• {escape(s)}" for s in j.explanation)))
    rows.extend(_turn_note_rows(t))
    rows.extend(_guidance_rows(t, scenario))
    body = "".join(f'<tr><td class="key" width="17%">{k}</td><td>{v}</td></tr>' for k, v in rows)
    head = (f'<tr><td colspan="2" bgcolor="{PANEL}"><b>Turn {t.index + 1}</b>'
            f'<span class="muted"> · customer {escape(t.mood)} · agitation {t.agitation_before:.0f} → '
            f'{t.agitation_after:.0f} ({delta:+.0f})</span></td></tr>')
    return (f'<table width="100%" cellspacing="0" cellpadding="4" border="1" '
            f'style="border-collapse: collapse; border-color: {RULE}; border-style: solid">'
            f"{head}{body}</table><p></p>")


def _note_html(note: str) -> str:
    """A trainer's note as typed: its line breaks kept, nothing in it read as markup."""
    return "<br>".join(escape(line) for line in note.splitlines())


def _turn_note_rows(t: TurnRecord) -> list[tuple[str, str]]:
    """The trainer's note on a turn, as a row of the turn's table (none without a note)."""
    return [("Trainer's note", f"<i>{_note_html(t.trainer_note)}</i>")] if t.trainer_note else []


def _session_note_html(r: SessionRecord) -> str:
    """The trainer's note on the whole session, under its heading ("" without a note)."""
    if not r.trainer_note:
        return ""
    return (f'<table width="100%" cellspacing="0" cellpadding="6" border="0"><tr><td bgcolor="{PANEL}">'
            f"<b>Trainer's note:</b> <i>{_note_html(r.trainer_note)}</i></td></tr></table><p></p>")


# -- what the debrief shows beside the turns: the model answers, the ending, the score's parts ----------
def _scenarios() -> dict[str, Scenario]:
    """The scenarios in the scenario folders by id; none when they cannot be read (the report goes on without)."""
    from simulator.scenario_folders import library

    try:
        return dict(library().scenarios)
    except OSError as exc:
        log.warning("the scenarios could not be read for the report: %s", exc)
        return {}


def _guidance_rows(t: TurnRecord, scenario: Scenario | None) -> list[tuple[str, str]]:
    """The node's model answer and coach note, as the debrief shows them under each turn."""
    node = scenario.nodes.get(t.node_id) if scenario is not None else None
    rows = []
    if node is not None and node.model_answer:
        rows.append(("A reply that works here", f"<i>“{escape(node.model_answer)}”</i>"))
    if node is not None and node.coach:
        rows.append(("Coach", escape(node.coach)))
    return rows


def _ending_html(r: SessionRecord, scenario: Scenario | None) -> str:
    """How the session ended: the outcome, the customer's last line and the ending's summary."""
    s = r.state
    if s.outcome is None:
        return ""
    ending = scenario.endings.get(s.ending_id or "") if scenario is not None else None
    parts = [f"<h3>How it ended</h3><p>{_outcome_html(s.outcome)}"]
    if ending is not None and scenario is not None:
        last = Runner(scenario, state=s.model_copy(deep=True)).current_line.text
        parts.append(f" — {escape(scenario.customer.first_name)}: <i>“{escape(last)}”</i>")
    parts.append("</p>")
    if ending is not None and ending.summary:
        parts.append(f"<p>{escape(ending.summary)}</p>")
    return "".join(parts)


def _score_breakdown_html(r: SessionRecord) -> str:
    """The score's parts with their points and reasons, as the debrief shows them."""
    if not r.state.turns:
        return ""
    score = score_session(r.state.turns, r.state.outcome)
    rows = [[f"<b>{escape(line.behaviour)}</b>",
             f"{line.points:g} / {line.max_points:g}" if line.measured else '<span class="muted">not measured</span>',
             escape(line.detail)] for line in score.lines]
    html = (f"<h3>Score: {score.total:.0f} out of 100 · {escape(score.grade)}</h3>"
            + _table(["Part", "Points", "Why"], rows, [22, 12, 66]))
    if score.note:
        html += f'<p class="small muted">{escape(score.note)}</p>'
    return html


def _session_html(report: Report, r: SessionRecord, chart: str, chart_width: int, chart_height: int,
                  first: bool, scenario: Scenario | None = None) -> str:
    s = r.state
    score = f"score {_score_html(r.score)}"
    if report.scope == "trainee":
        answered = len(turns_of(r, report.subject))
        if answered != len(s.turns):  # a classroom session shared with others: their own score first
            score = (f"score {_score_html(report.score_of(r))} for {escape(report.subject)}'s {answered} of "
                     f"{len(s.turns)} turns · whole session {_score_html(r.score)}")
    brk = "" if first else ' style="page-break-before: always"'
    title = escape(r.scenario_title or s.scenario_id)
    who = f" — {escape(r.owner)}" if r.owner else ""
    start = s.turns[0].agitation_before if s.turns else s.agitation
    meta = (f"{_date(s.started_at)} · {len(s.turns)} turn{'s' if len(s.turns) != 1 else ''} · "
            f"outcome {_outcome_html(s.outcome, r.restarted)} · {score} · "
            f"agitation {start:.0f} → {s.agitation:.0f}")
    ident = f"Session {escape(s.session_id)}" + (f" · station {escape(r.station)}" if r.station else "")
    overrides = sum(t.override is not None for t in s.turns)
    parts = [
        f"<h2{brk}>{title}{who}</h2>",
        f"<p>{meta}</p>",
        f'<p class="small muted">{ident}'
        + (f" · {overrides} trainer override{'s' if overrides != 1 else ''}" if overrides else "") + "</p>",
        _session_note_html(r),
        f'<p><img src="{chart}" width="{chart_width * _IMG:.0f}" height="{chart_height * _IMG:.0f}"></p>',
        '<p class="small muted">Agitation after each reply, 0 (settled) to 100 (out of control). '
        "Dots: green de-escalating, grey neutral, red escalating; a ring marks a trainer override.</p>",
        _ending_html(r, scenario),
        _score_breakdown_html(r),
        "<h3>Turn by turn</h3>",
    ]
    if s.turns:
        parts.extend(_turn_html(t, scenario) for t in s.turns)
    else:
        parts.append('<p class="muted">No replies were given in this session.</p>')
    return "".join(parts)


def _document(report: Report, width: float, scenarios: Mapping[str, Scenario]) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(_font(9.5))
    doc.setDefaultStyleSheet(CSS)
    doc.setDocumentMargin(0)
    chart_w = int(width)
    chart_h = int(width * 0.30)
    html = [f"<h1>{escape(report.title)}</h1>"]
    sub = {"session": "One session", "trainee": "All sessions of one trainee",
           "class": "All sessions of the class"}[report.scope]
    if report.scope == "trainee" and report.roster and report.roster[0].class_name:
        sub += f" · class {escape(report.roster[0].class_name)}"
    html.append(f'<p class="muted">{sub} · generated {_date(report.generated_at)} by {APP_NAME} · times in UTC</p>')
    if report.scope != "session":
        html.append(_summary_html(report))
        if report.scope == "trainee" and any(report.score_of(r) is not None for r in report.sessions):
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("chart:scores"),
                            score_chart(report, chart_w, int(chart_h * 0.8)))
            html.append("<h3>Scores</h3>"
                        f'<p><img src="chart:scores" width="{chart_w * _IMG:.0f}" '
                        f'height="{chart_h * 0.8 * _IMG:.0f}"></p>')
        if report.scope == "class":
            html.append(_roster_table(report))
        html.append(_behaviour_table(report))
        html.append(_sessions_table(report) if report.sessions
                    else '<p class="muted">No sessions recorded yet.</p>')
    for i, r in enumerate(report.sessions):
        name = f"chart:session{i}"
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), agitation_chart(r, chart_w, chart_h))
        html.append(_session_html(report, r, name, chart_w, chart_h, first=report.scope == "session",
                                  scenario=scenarios.get(r.state.scenario_id)))
    doc.setHtml("".join(html))
    return doc


def _keep_tables_whole(doc: QTextDocument, page_height: float) -> None:
    """Start a table on a new page rather than split it, when it fits on one page.

    Qt breaks tables between rows; a turn's feedback read across two pages is hard to follow.
    Tables are handled top down, each after the layout has taken the earlier moves into account.
    """
    layout = doc.documentLayout()
    for frame in doc.rootFrame().childFrames():
        if not isinstance(frame, QTextTable):
            continue
        rect = layout.frameBoundingRect(frame)
        if rect.height() >= page_height * 0.95:
            continue
        if int(rect.top() // page_height) != int((rect.bottom() - 1) // page_height):
            heading = doc.findBlock(frame.firstPosition() - 1)
            if heading.isValid() and heading.blockFormat().headingLevel() > 0:
                # Take the table's heading along instead of leaving it alone at the foot of a page.
                cursor = QTextCursor(heading)
                block_format = heading.blockFormat()
                block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                cursor.setBlockFormat(block_format)
            else:
                fmt = frame.format()
                fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                frame.setFormat(fmt)


def render_pdf(report: Report, scenarios: Mapping[str, Scenario] | None = None) -> bytes:
    """The report as PDF bytes (A4). `scenarios` by id give each turn its model answer and each session
    its ending (default: the scenario folders')."""
    ensure_app()
    if scenarios is None:
        scenarios = _scenarios()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(16, 14, 16, 14), QPageLayout.Unit.Millimeter))
    writer.setTitle(report.title)
    writer.setCreator(APP_NAME)
    area = writer.pageLayout().paintRectPixels(DPI)
    width, height = float(area.width()), float(area.height())
    mm = DPI / 25.4
    header_h, footer_h = 9 * mm, 9 * mm
    body_h = height - header_h - footer_h

    doc = _document(report, width, scenarios)
    doc.documentLayout().setPaintDevice(writer)
    doc.setPageSize(QSizeF(width, body_h))
    _keep_tables_whole(doc, body_h)
    pages = doc.pageCount()

    painter = QPainter(writer)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for page in range(pages):
        if page:
            writer.newPage()
        painter.setFont(_font(7.5))
        painter.setPen(QColor(MUTED))
        painter.drawText(QRectF(0, 0, width * 0.7, header_h - 2 * mm),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{APP_NAME} · training report")
        painter.drawText(QRectF(width * 0.3, 0, width * 0.7, header_h - 2 * mm),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, report.title)
        painter.setPen(QPen(QColor(NAVY), 0.5 * mm / 2))
        painter.drawLine(QPointF(0, header_h - 2 * mm), QPointF(width, header_h - 2 * mm))

        painter.save()
        painter.translate(0, header_h - page * body_h)
        doc.drawContents(painter, QRectF(0, page * body_h, width, body_h))
        painter.restore()

        top = height - footer_h + 2 * mm
        painter.setPen(QPen(QColor(RULE), 0.3 * mm / 2))
        painter.drawLine(QPointF(0, top), QPointF(width, top))
        painter.setPen(QColor(MUTED))
        painter.drawText(QRectF(0, top, width * 0.75, footer_h - 2 * mm),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         f"Generated {_date(report.generated_at)} UTC · contains personal training records: "
                         "keep confidential")
        painter.drawText(QRectF(width * 0.75, top, width * 0.25, footer_h - 2 * mm),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"Page {page + 1} of {pages}")
    painter.end()
    buffer.close()
    return bytes(data.data())


def write_pdf(report: Report, path: Path, scenarios: Mapping[str, Scenario] | None = None) -> None:
    """Write the report to `path` (whole or not at all). Raises StorageError if it cannot be written."""
    atomic_write_bytes(path, render_pdf(report, scenarios))

