"""FitLabel: a long line shrinks to fit its box instead of being cut off; a short one stays large."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics

from simulator.ui.widgets.fit_label import FitLabel

pytestmark = pytest.mark.gui

LONG = ("“Look, I wouldn't normally make a fuss. But it's my daughter's school recital tonight, she's got a solo, "
        "and I need to leave in about fifteen minutes, so I need that parcel now, not tomorrow, not later, now.”")


def test_a_long_line_is_drawn_smaller_so_all_of_it_fits_and_a_short_one_large(qtbot):
    box = FitLabel(LONG, max_px=60, min_px=10, weight=600)
    qtbot.addWidget(box)
    box.resize(500, 220)
    box.show()
    qtbot.waitExposed(box)
    assert 10 < box.pixel_size < 60
    assert box.font().pixelSize() == box.pixel_size  # the style sheet took
    used = QFontMetrics(box.font()).boundingRect(QRect(0, 0, 500, 10_000), int(Qt.TextFlag.TextWordWrap), LONG)
    assert used.height() <= 220
    assert not box.fits(box.pixel_size + 1)  # the largest size that fits
    box.setText("Well?")
    assert box.pixel_size == 60
    box.setText(LONG)
    box.resize(1000, 440)  # a bigger window, bigger type
    assert box.pixel_size > 30
