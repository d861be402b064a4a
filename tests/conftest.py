"""Test set-up shared by the whole suite: no display, a private data folder, virtual audio devices."""

from __future__ import annotations

import os

# Qt must never look for a real display or sound card in tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from simulator.engine.loader import parse  # noqa: E402
from simulator.engine.model import Scenario  # noqa: E402
from tests.support.pulse import PulseDevices, PulseUnavailable, start_pulse, stop_pulse  # noqa: E402
from tests.support.scenarios import LATE_ORDER  # noqa: E402

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
def late_order() -> Scenario:
    """Dana's late order (tests.support.scenarios), parsed: what the voice tests render."""
    scenario, problems = parse(LATE_ORDER, "tiny.yaml")
    assert scenario is not None, problems
    return scenario


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


@pytest.fixture(autouse=True)
def voices_closed():
    """Every VoiceOut a test made is closed after it: a scenario pre-rendered with a natural voice
    runs for minutes on the service's own pool, into later tests (two helpers saw the interpreter
    crash while such renders ran on)."""
    import sys

    yield
    module = sys.modules.get("simulator.devices.voice_out")
    if module is not None and not module.close_all(20000):
        pytest.fail("a VoiceOut's renders were still running 20 s after the test")


@pytest.fixture(autouse=True)
def no_leftover_workers():
    """Fails a test that leaves work running off the GUI thread (napari's dangling-thread check):
    an `OrderedWorker` never closed (a Listener built and not closed), or a task on the global
    pool still running two seconds after the test. Such work outlives its test and runs into the
    next one."""
    import sys
    import threading

    before = set(threading.enumerate())
    yield
    if "simulator.devices.workers" not in sys.modules:
        return  # nothing can have started one
    from PySide6.QtCore import QThreadPool

    from simulator.devices.workers import THREAD_PREFIX

    left = [t.name for t in threading.enumerate()
            if t not in before and t.name.startswith(THREAD_PREFIX) and t.is_alive()]
    if left:
        pytest.fail(f"worker threads left running (close them): {', '.join(left)}")
    if not QThreadPool.globalInstance().waitForDone(2000):
        pytest.fail("tasks still running on the global thread pool two seconds after the test")
