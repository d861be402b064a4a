"""FitLabel: word-wrapped text at the largest size that fits its box, so a long line shrinks instead of being cut off."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

_WRAP = int(Qt.TextFlag.TextWordWrap.value) | int(Qt.AlignmentFlag.AlignLeft.value) | int(Qt.AlignmentFlag.AlignTop.value)


class FitLabel(QLabel):
    """Plain text, wrapped, at the largest pixel size up to `max_px` at which all of it fits the label.

    The label takes the size its layout gives it (its text never asks for more), so the customer's
    longest line on the projector is drawn smaller rather than clipped. Below `min_px` it stops
    shrinking: text that small would not be read from the back of a room anyway.
    """

    def __init__(self, text: str = "", max_px: int = 40, min_px: int = 12, weight: int = 400,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._max_px, self._min_px, self._weight = max_px, min_px, weight
        self.pixel_size = 0  # the size the text is drawn at
        self.setText(text)

    def set_sizes(self, max_px: int, min_px: int | None = None) -> None:
        self._max_px = max(1, max_px)
        if min_px is not None:
            self._min_px = min_px
        self._fit()

    def setText(self, text: str) -> None:  # noqa: N802
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def font_at(self, px: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(px)
        font.setWeight(QFont.Weight(self._weight))
        return font

    def fits(self, px: int) -> bool:
        """Whether the whole text, wrapped to the label's width, fits its height at `px` pixels."""
        box = self.contentsRect()
        margin = 2 * self.margin()
        width, height = box.width() - margin, box.height() - margin
        if width <= 0 or height <= 0:
            return False
        used = QFontMetrics(self.font_at(px)).boundingRect(QRect(0, 0, width, 1 << 20), _WRAP, self.text())
        return used.width() <= width and used.height() <= height

    def _fit(self) -> None:
        low, high = min(self._min_px, self._max_px), self._max_px
        if not self.fits(low):
            best = low
        else:
            best = low
            while low <= high:  # the largest size that fits
                middle = (low + high) // 2
                if self.fits(middle):
                    best, low = middle, middle + 1
                else:
                    high = middle - 1
        if best != self.pixel_size:
            self.pixel_size = best
            # A style sheet of its own: the theme's font size for every QWidget would win over setFont.
            self.setStyleSheet(f"QLabel {{ font-size: {best}px; font-weight: {self._weight}; }}")
