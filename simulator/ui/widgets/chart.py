"""The debrief's chart: the customer's agitation after each turn, drawn with QPainter over mood bands.

Signals:
    turn_clicked(int): the trainee clicked the point after that turn (0-based).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from simulator.engine.vocabulary import AGITATION_BANDS
from simulator.ui.theme import COLORS, agitation_color

# Mood bands behind the line, the same as the PDF report's.
BANDS = AGITATION_BANDS


class AgitationChart(QWidget):
    """Agitation from the start of the conversation through every turn.

    Signals:
        turn_clicked(int): a point was clicked; the index of the turn that led to it.
    """

    turn_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._values: list[float] = []
        self._highlight: int | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(160)
        self.setAccessibleName("Agitation over the conversation")

    @property
    def values(self) -> list[float]:
        return list(self._values)

    def sizeHint(self) -> QSize:
        return QSize(600, 220)

    def set_values(self, start: float, after_each_turn: list[float]) -> None:
        self._values = [start, *after_each_turn]
        described = ", ".join(f"{v:.0f}" for v in self._values)
        self.setAccessibleDescription(f"Agitation at the start and after each turn: {described}")
        self.update()

    def set_highlight(self, turn: int | None) -> None:
        self._highlight = turn
        self.update()

    def _plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        left = fm.horizontalAdvance("100") + 14
        return QRectF(left, 10, self.width() - left - 16, self.height() - fm.height() - 22)

    def _point(self, plot: QRectF, i: int, value: float) -> QPointF:
        n = max(1, len(self._values) - 1)
        return QPointF(plot.left() + plot.width() * i / n, plot.bottom() - plot.height() * value / 100.0)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        plot = self._plot_rect()
        for i, value in enumerate(self._values[1:], start=1):
            if (self._point(plot, i, value) - event.position()).manhattanLength() < 18:
                self.turn_clicked.emit(i - 1)
                return
        super().mousePressEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = self._plot_rect()
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.85)
        painter.setFont(small)
        fm = painter.fontMetrics()
        for low, high, name in BANDS:
            band = QRectF(plot.left(), plot.bottom() - plot.height() * high / 100,
                          plot.width(), plot.height() * (high - low) / 100)
            tint = agitation_color((low + high) / 2)
            tint.setAlpha(26)
            painter.fillRect(band, tint)
            painter.setPen(QColor(COLORS["muted"]))
            painter.drawText(band.adjusted(6, 2, -6, -2), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, name)
        painter.setPen(QPen(QColor(COLORS["border"]), 1))
        for tick in (0, 50, 100):
            y = plot.bottom() - plot.height() * tick / 100
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor(COLORS["muted"]))
            painter.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 8, fm.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(tick))
            painter.setPen(QPen(QColor(COLORS["border"]), 1))
        if not self._values:
            painter.setPen(QColor(COLORS["muted"]))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No turns yet")
            return
        points = [self._point(plot, i, v) for i, v in enumerate(self._values)]
        # x labels: start, then turn numbers.
        painter.setPen(QColor(COLORS["muted"]))
        step = max(1, len(points) // 12)
        for i, p in enumerate(points):
            if i % step and i != len(points) - 1:
                continue
            label = "start" if i == 0 else str(i)
            w = fm.horizontalAdvance(label)
            x = min(max(p.x() - w / 2, 0), self.width() - w)
            painter.drawText(QPointF(x, plot.bottom() + fm.ascent() + 6), label)
        if len(points) > 1:
            path = QPainterPath(points[0])
            for p in points[1:]:
                path.lineTo(p)
            painter.setPen(QPen(QColor(COLORS["accent"]), 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                Qt.PenJoinStyle.RoundJoin))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        for i, (p, value) in enumerate(zip(points, self._values, strict=True)):
            highlighted = self._highlight is not None and i == self._highlight + 1
            radius = 8 if highlighted else 6
            painter.setPen(QPen(QColor("white"), 2))
            painter.setBrush(agitation_color(value))
            painter.drawEllipse(p, radius, radius)
