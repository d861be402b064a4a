"""The user's settings: one declaration per option with its type and default, saved as JSON.

A bad or outdated value in the file falls back to that option's default instead of stopping the
app; the rest of the file is kept.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from simulator import paths
from simulator.fileio import atomic_write_text

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1


class Settings(BaseModel):
    settings_version: int = SETTINGS_VERSION
    trainee_name: str = Field("", description="Shown on reports and used to keep your history.")
    input_device: str | None = Field(None, description="Microphone id; None uses the system default.")
    output_device: str | None = Field(None, description="Speaker id; None uses the system default.")
    voice_enabled: bool = Field(True, description="The customer speaks aloud.")
    customer_speaking_speed: int = Field(
        100, ge=80, le=130, description="The customer's speaking speed in percent of the scenario's voice, for a "
                                        "trainee who finds them too fast (or too slow); agitation still changes it.")
    customer_voice_engines: dict[Literal["female", "male", "neutral"], Literal["auto", "pyttsx3", "hibari", "flite"]] = Field(
        default_factory=dict, description="The voice engine per kind of customer: auto (a natural voice where one is "
                                          "installed), pyttsx3 (the system voice), hibari or flite.")
    recognizer: Literal["pocketsphinx", "vosk", "whisper"] = Field(
        "whisper", description="Whisper tiny.en (bundled) judges replies; PocketSphinx is the fallback.")
    recognizer_model_dir: str | None = Field(None, description="Model folder for Vosk, or another Whisper model than the bundled one.")
    listen_mode: Literal["push_to_talk", "hands_free"] = "push_to_talk"
    subtitles: bool = True
    text_scale: float = Field(1.0, ge=0.75, le=2.5)
    data_dir: str | None = Field(None, description="Where sessions and recordings are kept.")
    database_url: str | None = Field(
        None, description="A shared PostgreSQL server for every station, e.g. postgresql+psycopg://user:password@host/db; "
                          "empty keeps records in the data folder.")
    baseline: dict[str, Any] | None = Field(None, description="The tone calibration (simulator.analysis.tone.Baseline).")
    baseline_wav: str | None = None
    recording_retention_days: int = Field(0, ge=0, description="0 keeps recordings for ever.")
    first_run_done: bool = False
    window_geometry: str | None = Field(
        None, description="Where the window was, how big and whether maximised when the app last closed "
                          "(Qt's saved geometry, base64); the next start opens it the same way.")


def data_root(settings: Settings) -> Path:
    """The data folder the trainee chose in Settings, else the standard one."""
    return Path(settings.data_dir).expanduser() if settings.data_dir else paths.data_dir()


def settings_path() -> Path:
    return paths.data_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("%s could not be read (%s); using default settings", path, exc)
        return Settings()
    if not isinstance(raw, dict):
        log.warning("%s is not a settings file; using default settings", path)
        return Settings()
    good: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in Settings.model_fields:
            continue
        try:
            Settings.model_validate({name: value})
        except ValidationError:
            log.warning("%s: ignoring bad value for %s: %r", path, name, value)
            continue
        good[name] = value
    return Settings.model_validate(good)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    atomic_write_text(path or settings_path(), settings.model_dump_json(indent=2))
