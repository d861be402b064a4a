"""Meters: the customer's agitation (animated, coloured by level) and the microphone's input level."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QRectF, QSize, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QFont, QLinearGradient, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from simulator.engine.vocabulary import mood_for_agitation
from simulator.ui.theme import AGITATION_STOPS, COLORS, agitation_color


class AgitationMeter(QWidget):
    """A horizontal gauge from calm to furious whose needle glides to each new value."""

    def __init__(self, parent: QWidget | None = None, duration_ms: int = 700):
        super().__init__(parent)
        self._target = 0.0
        self._shown = 0.0
        self._animation = QVariantAnimation(self, duration=duration_ms)
        self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._animation.valueChanged.connect(self._on_animation_value_changed)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Customer agitation")

    @property
    def value(self) -> float:
        """The value the meter is heading to (the animation may still be on its way)."""
        return self._target

    @property
    def shown(self) -> float:
        return self._shown

    def sizeHint(self) -> QSize:
        return QSize(300, self._bar_height() + self.fontMetrics().height() * 2 + 10)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self.sizeHint().height())

    def set_value(self, value: float, animate: bool = True) -> None:
        value = max(0.0, min(100.0, float(value)))
        self._target = value
        self.setAccessibleDescription(f"{value:.0f} out of 100, {mood_for_agitation(value)}")
        self._animation.stop()
        if animate and self.isVisible():
            self._animation.setStartValue(self._shown)
            self._animation.setEndValue(value)
            self._animation.start()
        else:
            self._shown = value
            self.update()

    def _on_animation_value_changed(self, value: float) -> None:
        self._shown = float(value)
        self.update()

    def _bar_height(self) -> int:
        return max(12, self.fontMetrics().height() // 2 + 4)

    def knob_rect(self) -> QRectF:
        """The needle's ring at the shown value, kept whole inside the widget at 0 and 100 (the ring
        is wider than the bar's rounded end, so clamping its centre to the bar cut it off)."""
        h = self._bar_height()
        radius = h * 0.75
        centre_y = self.fontMetrics().height() + 4 + h / 2
        x = self.width() * self._shown / 100.0
        x = max(radius + 1, min(self.width() - radius - 1, x))
        return QRectF(x - radius, centre_y - radius, 2 * radius, 2 * radius)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        line = fm.height()
        # Heading: "Agitation" on the left, the number and mood on the right.
        painter.setPen(QColor(COLORS["muted"]))
        painter.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft, "Agitation")
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(agitation_color(self._shown).darker(115))
        painter.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignRight,
                         f"{self._shown:.0f} · {mood_for_agitation(self._shown)}")
        painter.setFont(self.font())
        top = line + 4
        h = self._bar_height()
        bar = QRectF(0, top, self.width(), h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(COLORS["border"]))
        painter.drawRoundedRect(bar, h / 2, h / 2)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        for stop, hex_color in AGITATION_STOPS:
            gradient.setColorAt(stop, QColor(hex_color))
        filled = QRectF(bar.left(), bar.top(), max(h, bar.width() * self._shown / 100.0), h)
        painter.setBrush(gradient)
        painter.drawRoundedRect(filled, h / 2, h / 2)
        # The needle: a white ring at the current value.
        painter.setBrush(QColor("white"))
        painter.setPen(agitation_color(self._shown).darker(120))
        painter.drawEllipse(self.knob_rect())
        painter.setPen(QColor(COLORS["muted"]))
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.85)
        painter.setFont(small)
        scale = QRectF(0, top + h + 4, self.width(), line)
        painter.drawText(scale, Qt.AlignmentFlag.AlignLeft, "calm")
        painter.drawText(scale, Qt.AlignmentFlag.AlignRight, "out of control")


class LevelMeter(QWidget):
    """The microphone's input level, 0..1, with the loud (clipping) end marked in red."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._level = 0.0
        self._peak = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level")

    @property
    def level(self) -> float:
        return self._level

    def sizeHint(self) -> QSize:
        return QSize(200, 12)

    def set_level(self, level: float) -> None:
        self._level = max(0.0, min(1.0, float(level)))
        # The peak falls back slowly so a brief loud word stays visible.
        self._peak = max(self._level, self._peak * 0.92)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(0, 0, self.width(), self.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(COLORS["border"]))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        gradient = QLinearGradient(rect.topLeft(), rect.topRight())
        gradient.setColorAt(0.0, QColor("#2F8F62"))
        gradient.setColorAt(0.75, QColor("#7DA83A"))
        gradient.setColorAt(0.88, QColor("#D8A118"))
        gradient.setColorAt(1.0, QColor("#B3261E"))
        if self._level > 0:
            painter.setBrush(gradient)
            painter.drawRoundedRect(QRectF(0, 0, max(rect.height(), rect.width() * self._level), rect.height()),
                                    rect.height() / 2, rect.height() / 2)
        if self._peak > 0.02:
            painter.setBrush(QColor(COLORS["text"]))
            x = rect.width() * self._peak
            painter.drawRect(QRectF(min(x, rect.width() - 2), 0, 2, rect.height()))
