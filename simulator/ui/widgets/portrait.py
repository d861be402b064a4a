"""The customer's face: one SVG per mood, cross-faded when the mood changes, with a drawn stand-in when art is missing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from simulator import paths
from simulator.ui.theme import COLORS, MOOD_COLORS


def portrait_file(portrait: str, mood: str, root: Path | None = None) -> Path | None:
    """The SVG for a customer's mood: their own art, else the default folder's, else None."""
    root = root or paths.PORTRAITS_DIR
    for folder in (portrait, "default"):
        candidate = root / folder / f"{mood}.svg"
        if candidate.is_file():
            return candidate
    return None


class Portrait(QWidget):
    """Shows a customer at a mood. `set_mood` fades from the old face to the new one."""

    def __init__(self, parent: QWidget | None = None, root: Path | None = None):
        super().__init__(parent)
        self._root = root
        self._portrait = "default"
        self._initials = "?"
        self._mood = "calm"
        self._renderer: QSvgRenderer | None = None
        self._previous: QSvgRenderer | None = None
        self._previous_mood = "calm"
        self._fade = 1.0
        self._animation = QVariantAnimation(self, startValue=0.0, endValue=1.0, duration=450)
        self._animation.valueChanged.connect(self._on_animation_value_changed)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 160)
        self.setAccessibleName("Customer portrait")

    @property
    def mood(self) -> str:
        return self._mood

    @property
    def has_art(self) -> bool:
        return self._renderer is not None

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def set_customer(self, portrait: str, name: str, mood: str) -> None:
        self._portrait = portrait
        self._initials = "".join(part[0] for part in name.split()[:2]).upper() or "?"
        self._mood = mood
        self._renderer = self._load(mood)
        self._previous = None
        self._fade = 1.0
        self.setAccessibleDescription(f"{name}, looking {mood}")
        self.update()

    def set_mood(self, mood: str, animate: bool = True) -> None:
        if mood == self._mood:
            return
        self._previous, self._previous_mood = self._renderer, self._mood
        self._mood = mood
        self._renderer = self._load(mood)
        self.setAccessibleDescription(f"looking {mood}")
        if animate:
            self._fade = 0.0
            self._animation.stop()
            self._animation.start()
        else:
            self._fade = 1.0
        self.update()

    def _load(self, mood: str) -> QSvgRenderer | None:
        path = portrait_file(self._portrait, mood, self._root)
        if path is None:
            return None
        renderer = QSvgRenderer(str(path), self)
        return renderer if renderer.isValid() else None

    def _on_animation_value_changed(self, value: float) -> None:
        self._fade = float(value)
        self.update()

    def _square(self) -> QRectF:
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self._square()
        radius = max(6.0, rect.width() * 0.06)
        clip = QPainterPath()
        clip.addRoundedRect(rect, radius, radius)
        painter.setClipPath(clip)
        painter.fillRect(rect, QColor(COLORS["surface"]))
        if self._fade < 1.0:
            painter.setOpacity(1.0 - self._fade)
            self._paint_face(painter, rect, self._previous, self._previous_mood)
        painter.setOpacity(self._fade)
        self._paint_face(painter, rect, self._renderer, self._mood)
        painter.setOpacity(1.0)
        painter.setClipping(False)
        painter.setPen(QPen(QColor(MOOD_COLORS.get(self._mood, COLORS["border"])), 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(1.5, 1.5, -1.5, -1.5), radius, radius)

    def _paint_face(self, painter: QPainter, rect: QRectF, renderer: QSvgRenderer | None, mood: str) -> None:
        if renderer is not None:
            size = renderer.defaultSize()
            if size.width() > 0 and size.height() > 0:
                # Fit the art inside the square, keeping its proportions.
                scale = min(rect.width() / size.width(), rect.height() / size.height())
                w, h = size.width() * scale, size.height() * scale
                target = QRectF(rect.center().x() - w / 2, rect.center().y() - h / 2, w, h)
            else:
                target = rect
            renderer.render(painter, target)
            return
        self._paint_stand_in(painter, rect, mood)

    def _paint_stand_in(self, painter: QPainter, rect: QRectF, mood: str) -> None:
        """A plain drawn face in the mood's colour, so a scenario without art still reads at a glance."""
        tint = QColor(MOOD_COLORS.get(mood, COLORS["accent"]))
        back = QColor(tint)
        back.setAlpha(38)
        painter.fillRect(rect, back)
        d = rect.width() * 0.62
        face = QRectF(rect.center().x() - d / 2, rect.center().y() - d / 2, d, d)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawEllipse(face)
        painter.setPen(QColor("white"))
        font = QFont(self.font())
        font.setPixelSize(max(10, int(d * 0.32)))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(face, Qt.AlignmentFlag.AlignCenter, self._initials)
