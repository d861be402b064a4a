"""Fixtures for the robustness tests: the GUI tests' window and context, reused as they are, and a
microphone that can be pulled out."""

from __future__ import annotations

import pytest

from tests.ui.conftest import answer, judge, make_context, scenario_dir, window  # noqa: F401


@pytest.fixture
def headset(pulse, qtbot):
    """A USB headset microphone plugged in for one test and made the default input (the usual case:
    that default changing is also what makes Qt notice it go). The shared devices are untouched."""
    from simulator.devices.microphone import Microphone

    extra = pulse.add_microphone("usbheadset", "USB Headset")
    try:
        extra.make_default()
        qtbot.waitUntil(lambda: extra.id in [device for device, _ in Microphone.devices()], timeout=5000)
        yield extra
    finally:
        extra.remove()
