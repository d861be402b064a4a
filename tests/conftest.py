"""Test set-up shared by the whole suite: no display, a private data folder, virtual audio devices."""

from __future__ import annotations

import os

# Qt must never look for a real display or sound card in tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from tests.support.pulse import PulseDevices, PulseUnavailable, start_pulse, stop_pulse  # noqa: E402

_pulse: PulseDevices | None = None
_pulse_error: str | None = None


def pytest_configure(config):
    # The sound server starts before any test so that Qt Multimedia, whenever it first looks for
    # devices, finds the virtual ones.
    global _pulse, _pulse_error
    try:
        _pulse = start_pulse()
    except PulseUnavailable as exc:
        _pulse_error = str(exc)


def pytest_unconfigure(config):
    if _pulse is not None:
        stop_pulse(_pulse)


@pytest.fixture
def pulse() -> PulseDevices:
    """The virtual speaker and microphone (see tests/support/pulse.py)."""
    if _pulse is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the virtual audio devices: {_pulse_error}")
        pytest.skip(_pulse_error or "no PulseAudio")
    return _pulse


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Every test gets its own data folder, so no test sees another's sessions or settings."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("SIMULATOR_DATA_DIR", str(path))
    return path
