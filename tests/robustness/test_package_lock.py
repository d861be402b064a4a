"""scripts/setup installs system packages through scripts/apt-get-waiting, which waits (saying so)
while another apt-get or dpkg holds the package lock, and gives up with advice after APT_LOCK_WAIT.

The lock is Debian's real dpkg frontend lock, held briefly by this test as apt-get would hold it."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = Path("/var/lib/dpkg/lock-frontend")

pytestmark = pytest.mark.skipif(not (shutil.which("apt-get") and os.geteuid() == 0 and LOCK.exists()),
                                reason="needs Debian's apt-get, run as root")


def _hold_lock(seconds: float) -> threading.Thread:
    fd = os.open(LOCK, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        pytest.skip("another program holds the package lock right now")

    def release() -> None:
        time.sleep(seconds)
        fcntl.lockf(fd, fcntl.LOCK_UN)
        os.close(fd)

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def _apt(*args: str, wait: int) -> subprocess.CompletedProcess[str]:
    # `apt-get check` takes the same lock as an install and changes nothing.
    return subprocess.run([str(ROOT / "scripts" / "apt-get-waiting"), *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "APT_LOCK_WAIT": str(wait)})


def test_a_held_lock_is_waited_for_with_a_message():
    holder = _hold_lock(3)
    done = _apt("check", wait=60)
    holder.join()
    assert done.returncode == 0, done.stderr
    assert "waiting for it to finish" in done.stderr


def test_a_lock_held_too_long_gives_up_with_advice():
    holder = _hold_lock(5)
    began = time.monotonic()
    done = _apt("check", wait=2)
    holder.join()
    assert done.returncode != 0 and time.monotonic() - began < 30
    assert "still holds the package lock after 2 s" in done.stderr


def test_setup_installs_through_it():
    setup = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    assert "apt-get-waiting install" in setup and "apt-get-waiting update" in setup
    assert " apt-get install" not in setup.replace("sudo apt-get install -y ${missing[*]}", "")
