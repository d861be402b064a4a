"""Where things live: the shipped scenarios and art, and the user's own data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

# The repository (or installed tree) that holds scenarios/ and assets/ beside simulator/.
ROOT = Path(__file__).resolve().parent.parent
SCENARIOS_DIR = ROOT / "scenarios"
ASSETS_DIR = ROOT / "assets"
PORTRAITS_DIR = ASSETS_DIR / "portraits"
SCHEMA_FILE = SCENARIOS_DIR / "scenario.schema.json"
# The shipped rubric: the wording judge's phrase lists (simulator/analysis/rubric.py reads it).
PHRASES_FILE = Path(__file__).resolve().parent / "analysis" / "phrases.yaml"


def data_dir() -> Path:
    """The user's data folder: sessions, recordings, settings, logs, caches.

    `SIMULATOR_DATA_DIR` overrides it (tests and classroom set-ups use this).
    """
    override = os.environ.get("SIMULATOR_DATA_DIR")
    path = Path(override) if override else user_data_path("deescalation-simulator", appauthor=False)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # a folder that cannot be made is reported where something is saved in it (StorageError)
    return path


def cache_dir() -> Path:
    path = data_dir() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_scenarios_dir() -> Path:
    """Scenarios a trainer wrote, kept apart from the shipped ones."""
    return data_dir() / "scenarios"
