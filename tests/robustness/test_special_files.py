"""Inputs that are not regular files (a named pipe nobody writes to, /dev/zero, a socket) are refused
at once by validate, play and assess, with the path and what to give instead, instead of hanging."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def simulator(*args: str) -> subprocess.CompletedProcess[str]:
    # A hang is a failure: 60 s is far beyond what a refusal takes.
    return subprocess.run([sys.executable, "-m", "simulator", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def _noise(path: Path) -> Path:
    import wave

    import numpy as np

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((np.random.default_rng(3).uniform(-0.3, 0.3, 16000) * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "scenario.yaml"
    os.mkfifo(path)
    return path


def _refused(done: subprocess.CompletedProcess[str], path: Path | str) -> None:
    assert done.returncode in (1, 2), done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"{path}" in done.stderr and "not a regular file" in done.stderr, done.stderr


@pytest.mark.parametrize("command", [["validate"], ["play"]])
def test_a_named_pipe_as_a_scenario_is_refused(fifo, command):
    _refused(simulator(*command, str(fifo)), fifo)


@pytest.mark.parametrize("command", [["validate"], ["play"]])
def test_dev_zero_as_a_scenario_is_refused(command):
    _refused(simulator(*command, "/dev/zero"), "/dev/zero")


def test_a_named_pipe_in_a_scenario_folder_is_named_and_the_rest_checked(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    os.mkfifo(folder / "pipe.yaml")
    done = simulator("validate", str(folder))
    _refused(done, folder / "pipe.yaml")


def test_replies_from_dev_zero_are_refused(tmp_path):
    done = simulator("play", "late-pickup", "--replies", "/dev/zero")
    _refused(done, "/dev/zero")


@pytest.mark.parametrize("option", ["--audio", "--batch", "--rubric-with-text", "--baseline"])
def test_assess_refuses_a_named_pipe_and_dev_zero(tmp_path, option):
    pipe = tmp_path / "input"
    os.mkfifo(pipe)
    for special in (pipe, Path("/dev/zero")):
        if option == "--rubric-with-text":
            args = ["assess", "--text", "Sorry.", "--rubric", str(special)]
        elif option == "--baseline":
            args = ["assess", "--audio", str(_noise(tmp_path / "reply.wav")), "--baseline", str(special)]
        else:
            args = ["assess", option, str(special)]
        _refused(simulator(*args), special)
