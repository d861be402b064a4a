"""The score trend chart: each rubric behaviour's share of its points, session by session (history, classes)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from simulator.engine.scoring import WEIGHTS, score_session
from simulator.records.reports import turns_of
from simulator.records.sessions import SessionRecord
from simulator.ui.theme import COLORS

# The rubric's behaviours (simulator.engine.scoring), as the chart's legend names them.
BEHAVIOURS = {
    "outcome": "How it ended",
    "techniques": "Techniques used",
    "triggers": "Triggers avoided",
    "tone": "Tone of voice",
    "calming": "Replies that calmed",
}
SERIES_COLORS = {
    "outcome": "#1D6A85",
    "techniques": "#25744F",
    "triggers": "#A83A32",
    "tone": "#9A5B06",
    "calming": "#6B4FA0",
}



def own_turns(record: SessionRecord, trainee: str | None) -> list:
    """The turns of `record` that count for `trainee`: in a classroom session, only those they answered.

    The same turns as their score in the table and in reports (simulator.records.reports.trainee_score).
    """
    if not trainee:
        return list(record.state.turns)
    return turns_of(record, trainee)


def behaviour_trend(records: list[SessionRecord], trainee: str | None = None) -> dict[str, list[float | None]]:
    """Per rubric behaviour, its share of the points (0..100) in each session; None where not measured.

    With `trainee`, a classroom session is scored on the turns that trainee answered (the outcome is shared).
    """
    series: dict[str, list[float | None]] = {key: [] for key in WEIGHTS}
    for record in records:
        mine = own_turns(record, trainee)
        lines = {line.key: line for line in score_session(mine, record.state.outcome).lines}
        for key in WEIGHTS:
            line = lines.get(key)
            if line is None or not (line.measured and line.max_points and mine) or (
                    key == "outcome" and record.state.outcome is None):  # unfinished: no ending to score
                series[key].append(None)
            else:
                series[key].append(round(100 * line.points / line.max_points, 1))
    return series


class TrendChart(QWidget):
    """Each rubric behaviour's share of its points, session by session (oldest left), drawn with QPainter."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.series: dict[str, list[float | None]] = {}
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Score trend per behaviour")

    def sizeHint(self) -> QSize:
        return QSize(520, 240)

    def set_series(self, series: dict[str, list[float | None]]) -> None:
        self.series = series
        count = max((len(v) for v in series.values()), default=0)
        self.setAccessibleDescription(
            f"{count} sessions; " + "; ".join(
                f"{BEHAVIOURS[k]} latest {next((x for x in reversed(v) if x is not None), 0):.0f}%"
                for k, v in series.items() if v))
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        # The theme may size fonts in pixels, when pointSizeF() is -1.
        if self.font().pointSizeF() > 0:
            small.setPointSizeF(self.font().pointSizeF() * 0.85)
        else:
            small.setPixelSize(max(9, round(self.font().pixelSize() * 0.85)))
        painter.setFont(small)
        sfm = painter.fontMetrics()
        # Legend across the top, wrapping when narrow.
        x, y = 0.0, 0.0
        for key, name in BEHAVIOURS.items():
            w = sfm.horizontalAdvance(name) + 30
            if x + w > self.width():
                x, y = 0.0, y + sfm.height() + 4
            painter.setPen(QPen(QColor(SERIES_COLORS[key]), 3))
            painter.drawLine(QPointF(x, y + sfm.height() / 2), QPointF(x + 16, y + sfm.height() / 2))
            painter.setPen(QColor(COLORS["text"]))
            painter.drawText(QPointF(x + 20, y + sfm.ascent()), name)
            x += w
        top = y + sfm.height() + 12
        left = sfm.horizontalAdvance("100%") + 10
        plot = QRectF(left, top, self.width() - left - 12, self.height() - top - sfm.height() - 10)
        painter.setPen(QPen(QColor(COLORS["border"]), 1))
        for tick in (0, 50, 100):
            ty = plot.bottom() - plot.height() * tick / 100
            painter.drawLine(QPointF(plot.left(), ty), QPointF(plot.right(), ty))
            painter.setPen(QColor(COLORS["muted"]))
            painter.drawText(QRectF(0, ty - sfm.height() / 2, left - 6, sfm.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{tick}%")
            painter.setPen(QPen(QColor(COLORS["border"]), 1))
        count = max((len(v) for v in self.series.values()), default=0)
        if count == 0:
            painter.setPen(QColor(COLORS["muted"]))
            painter.setFont(self.font())
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No sessions yet")
            return
        step = plot.width() / max(1, count - 1)

        def point(i: int, value: float) -> QPointF:
            px = plot.left() + (step * i if count > 1 else plot.width() / 2)
            return QPointF(px, plot.bottom() - plot.height() * value / 100)

        painter.setPen(QColor(COLORS["muted"]))
        every = max(1, count // 10)
        for i in range(count):
            if i % every == 0 or i == count - 1:
                text = str(i + 1)
                p = point(i, 0)
                painter.drawText(QPointF(p.x() - sfm.horizontalAdvance(text) / 2, plot.bottom() + sfm.ascent() + 4),
                                 text)
        for key, values in self.series.items():
            tint = QColor(SERIES_COLORS.get(key, COLORS["accent"]))
            path: QPainterPath | None = None
            for i, value in enumerate(values):
                if value is None:  # not measured: the line breaks here
                    if path is not None:
                        painter.setPen(QPen(tint, 2.5))
                        painter.setBrush(Qt.BrushStyle.NoBrush)
                        painter.drawPath(path)
                    path = None
                    continue
                p = point(i, value)
                if path is None:
                    path = QPainterPath(p)
                else:
                    path.lineTo(p)
            if path is not None:
                painter.setPen(QPen(tint, 2.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(path)
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.setBrush(tint)
            for i, value in enumerate(values):
                if value is not None:
                    painter.drawEllipse(point(i, value), 4, 4)
