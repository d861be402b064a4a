"""Settings → the customer's voice engine per kind of customer, previewed with the real engines."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from simulator.settings import load_settings
from tests.ui.test_calibration_and_settings import settings_with_voice

pytestmark = pytest.mark.gui


def test_the_engine_per_kind_of_customer_is_previewed_saved_and_reverted(qtbot, make_context, tmp_path):
    from simulator.devices.voice_out import VoiceOut
    from simulator.devices.workers import InlineWorker
    from simulator.engine.model import Voice
    from simulator.speech.cache import VoiceCache
    from simulator.speech.tts import LineRenderer
    from simulator.ui.settings.presenter import SAMPLE_LINE

    class Speaker(VoiceOut):
        def is_available(self) -> bool:  # no sound server here: the lines are rendered, not heard
            return True

    renderer = LineRenderer(cache=VoiceCache(tmp_path / "voice"))  # espeak-ng, hibari and flite, real
    win = settings_with_voice(qtbot, make_context, Speaker(renderer=renderer, worker=InlineWorker()))
    page = win.settings_page
    women, men = page.voice_engines["female"], page.voice_engines["male"]
    assert women.currentData() == men.currentData() == "auto"
    assert [women.itemData(i) for i in range(women.count())] == ["auto", "hibari", "flite", "pyttsx3"]
    assert "onnxruntime" in women.itemData(1, Qt.ItemDataRole.ToolTipRole)  # what it adds to the install

    woman, man = Voice(gender="female", accent="en-gb"), Voice(gender="male", accent="en-gb")
    women.setCurrentIndex(women.findData("hibari"))
    men.setCurrentIndex(men.findData("pyttsx3"))
    qtbot.mouseClick(page.voice_previews["female"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.voice_previews["male"], Qt.MouseButton.LeftButton)
    assert renderer.delivery_for(woman, 50).engine == "hibari"
    assert renderer.delivery_for(man, 50).engine == "pyttsx3"
    assert renderer.cached(SAMPLE_LINE, woman, 50) is not None  # the preview was rendered with that voice
    assert renderer.cached(SAMPLE_LINE, man, 50) is not None

    # Revert: the saved choice (automatic) is back, for the form and the voice alike.
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert women.currentData() == "auto" and renderer.choices == {}
    men.setCurrentIndex(men.findData("pyttsx3"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert load_settings(win.ctx.settings_file).customer_voice_engines == {"male": "pyttsx3"}
    assert renderer.choices == {"male": "pyttsx3"}


def test_customers_neither_women_nor_men_have_their_own_choice(qtbot, make_context, tmp_path):
    """A scenario may describe its customer's voice as neutral (or not say): Settings has a row for
    them too, previewed, saved, and used by the choice of voice for such a customer."""
    from simulator.devices.voice_out import VoiceOut
    from simulator.devices.workers import InlineWorker
    from simulator.engine.model import Voice
    from simulator.speech.cache import VoiceCache
    from simulator.speech.tts import LineRenderer
    from simulator.ui.settings.presenter import SAMPLE_LINE

    class Speaker(VoiceOut):
        def is_available(self) -> bool:  # no sound server here: the lines are rendered, not heard
            return True

    renderer = LineRenderer(cache=VoiceCache(tmp_path / "voice"))
    win = settings_with_voice(qtbot, make_context, Speaker(renderer=renderer, worker=InlineWorker()))
    page = win.settings_page
    others = page.voice_engines["neutral"]
    assert others.currentData() == "auto" and others.accessibleName() == "Voice for others"
    someone = Voice(accent="en-gb")  # no gender given: neutral
    assert renderer.delivery_for(someone, 50).engine != "pyttsx3"  # automatic: a natural voice of either gender

    others.setCurrentIndex(others.findData("pyttsx3"))
    qtbot.mouseClick(page.voice_previews["neutral"], Qt.MouseButton.LeftButton)
    assert renderer.delivery_for(someone, 50).engine == "pyttsx3"
    assert renderer.cached(SAMPLE_LINE, someone, 50) is not None  # the preview was rendered with that voice
    assert "others" in page.status.text()

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert load_settings(win.ctx.settings_file).customer_voice_engines == {"neutral": "pyttsx3"}
    # Only the neutral customers: women and men keep their natural voices.
    assert renderer.delivery_for(Voice(gender="female", accent="en-gb"), 50).engine != "pyttsx3"
    page.load()
    assert others.currentData() == "pyttsx3"
