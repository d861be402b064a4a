"""Virtual audio devices for tests: a private PulseAudio daemon with null sinks.

`spk` is the speaker the app plays into (record it back from `spk.monitor`); `mic` is a source
fed by whatever is played into the `micsink` null sink, so a WAV file becomes microphone input.
Both are the defaults, so code that opens "the default device" uses them. The real Qt capture and
playback code runs against them; nothing is faked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SPEAKER = "spk"
MIC_SINK = "micsink"
MIC = "mic"


class PulseUnavailable(RuntimeError):
    pass


@dataclass
class PulseDevices:
    runtime_dir: Path
    env: dict[str, str]
    _recorders: list[subprocess.Popen] = field(default_factory=list)

    def play_into_mic(self, wav: Path, wait: bool = True) -> subprocess.Popen | None:
        """Speak a WAV file into the virtual microphone."""
        proc = subprocess.Popen(
            ["paplay", f"--device={MIC_SINK}", str(wav)], env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        if not wait:
            return proc
        _, err = proc.communicate(timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"paplay failed: {err.decode(errors='replace')}")
        return None

    def record_speaker(self, out: Path, rate: int = 16000) -> subprocess.Popen:
        """Start recording what the app plays; stop it with `stop_recording`."""
        proc = subprocess.Popen(
            ["parec", f"--device={SPEAKER}.monitor", "--file-format=wav", f"--rate={rate}",
             "--channels=1", "--format=s16le", str(out)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._recorders.append(proc)
        return proc

    def stop_recording(self, proc: subprocess.Popen) -> None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc in self._recorders:
            self._recorders.remove(proc)

    def pactl(self, *args: str) -> str:
        return subprocess.run(["pactl", *args], env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def add_microphone(self, name: str, description: str) -> ExtraMicrophone:
        """Plug in one more microphone (a null sink and a source fed by it), for tests that pull
        a device out: the shared `mic` and `spk` are never touched. `remove()` it afterwards."""
        sink = f"{name}-sink"
        modules = [
            self.pactl("load-module", "module-null-sink", f"sink_name={sink}", "rate=48000").strip(),
            self.pactl("load-module", "module-remap-source", f"master={sink}.monitor",
                       f"source_name={name}",
                       f"source_properties=\"device.description='{description}'\"").strip(),
        ]
        return ExtraMicrophone(self, name, sink, description, modules)


@dataclass
class ExtraMicrophone:
    """A microphone added by `PulseDevices.add_microphone`."""

    pulse: PulseDevices
    name: str
    sink: str
    description: str
    modules: list[str]

    @property
    def id(self) -> bytes:
        """Its id as Qt lists it (`QAudioDevice.id()`)."""
        return self.name.encode()

    def play(self, wav: Path) -> subprocess.Popen:
        return subprocess.Popen(["paplay", f"--device={self.sink}", str(wav)], env=self.pulse.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def unplug(self) -> None:
        """Remove the source, as pulling out a USB microphone does (PulseAudio moves any stream
        capturing from it to another source)."""
        self._unload(self.modules[1:])

    def stall(self) -> None:
        """Keep the device listed but stop its sound, as a Bluetooth headset out of range does."""
        self.pulse.pactl("suspend-source", self.name, "1")

    def make_default(self) -> None:
        """Make it the system's default input, as a headset usually becomes when plugged in."""
        self.pulse.pactl("set-default-source", self.name)

    def remove(self) -> None:
        """Take it away (if still there) and give the default input back to the shared `mic`."""
        self._unload(self.modules)
        self.pulse.pactl("set-default-source", MIC)

    def _unload(self, modules: list[str]) -> None:
        for module in reversed(modules):
            if module in self.modules:
                subprocess.run(["pactl", "unload-module", module], env=self.pulse.env,
                               capture_output=True)
                self.modules.remove(module)


def start_pulse() -> PulseDevices:
    """Start a private daemon and point this process's environment at it.

    Must run before Qt Multimedia first talks to the sound server, because Qt keeps the
    connection it made first.
    """
    if not shutil.which("pulseaudio") or not shutil.which("paplay"):
        raise PulseUnavailable(
            "PulseAudio is not installed: run scripts/test, or install the Debian packages "
            "pulseaudio and pulseaudio-utils"
        )
    runtime = Path(tempfile.mkdtemp(prefix="simulator-pulse-"))
    runtime.chmod(0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), PULSE_RUNTIME_PATH=str(runtime / "pulse"))
    env.pop("PULSE_SERVER", None)
    cmd = [
        "pulseaudio", "-D", "--exit-idle-time=-1", "-n", "--disable-shm=yes",
        "--load=module-native-protocol-unix",
        f"--load=module-null-sink sink_name={SPEAKER} rate=48000",
        f"--load=module-null-sink sink_name={MIC_SINK} rate=48000",
        f"--load=module-remap-source master={MIC_SINK}.monitor source_name={MIC}",
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise PulseUnavailable(f"pulseaudio would not start: {result.stderr.strip()}")
    deadline = time.monotonic() + 10
    while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode != 0:
        if time.monotonic() > deadline:
            raise PulseUnavailable("pulseaudio started but did not answer within 10 s")
        time.sleep(0.1)
    devices = PulseDevices(runtime, env)
    devices.pactl("set-default-sink", SPEAKER)
    devices.pactl("set-default-source", MIC)
    os.environ["XDG_RUNTIME_DIR"] = env["XDG_RUNTIME_DIR"]
    os.environ["PULSE_RUNTIME_PATH"] = env["PULSE_RUNTIME_PATH"]
    os.environ.pop("PULSE_SERVER", None)
    return devices


def stop_pulse(devices: PulseDevices) -> None:
    for proc in list(devices._recorders):
        devices.stop_recording(proc)
    subprocess.run(["pulseaudio", "--kill"], env=devices.env, capture_output=True)
    shutil.rmtree(devices.runtime_dir, ignore_errors=True)
