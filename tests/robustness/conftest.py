"""Fixtures for the robustness tests: the GUI tests' window and context, reused as they are, and a
microphone that can be pulled out."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

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


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


class SmallDisk:
    """A real 4 MB tmpfs as the data folder: SQLite and the recordings meet the very errors a training
    laptop gives when its disk turns read-only (a remount: chmod does not stop root) or fills up."""

    def __init__(self, path: Path):
        self.path = path
        self.filler = path / "filler"

    def read_only(self, on: bool) -> None:
        assert _mount("-o", f"remount,{'ro' if on else 'rw'}", str(self.path))

    def fill(self) -> None:
        """Write until the disk is full, to the last byte."""
        with self.filler.open("wb") as handle:
            try:
                while True:
                    handle.write(bytes(65536))
                    handle.flush()
            except OSError:
                pass

    def free(self) -> None:
        self.filler.unlink()


@pytest.fixture
def small_disk(tmp_path) -> Iterator[SmallDisk]:
    """A 4 MB tmpfs (SmallDisk), unmounted afterwards; skipped where it cannot be mounted."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if not shutil.which("mount") or not _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)")
    try:
        yield SmallDisk(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
