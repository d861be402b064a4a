"""Finding the shared evaluation data (../shared/data next to the repository) for the benches.

The data is not in the repository (its licences forbid redistribution), so every bench looks for
it here and says plainly where it looked when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

# The repository's parent holds `shared/data` on the machines that have the data.
DEFAULT_ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ENV_VAR = "SIMULATOR_BENCH_DATA"


def data_root(override: str | Path | None = None) -> Path:
    """The data folder: `override` if given, else $SIMULATOR_BENCH_DATA, else ../shared/data."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else DEFAULT_ROOT


def find_data(subfolder: str, override: str | Path | None = None) -> Path | None:
    """The folder `subfolder` of the data (e.g. "speech-tone") if it holds a manifest, else None.

    `override` may name the subfolder itself or the data root above it.
    """
    root = data_root(override)
    for candidate in (root / subfolder, root):
        if (candidate / "manifest.csv").is_file() and (
            candidate.name == subfolder or override is not None
        ):
            return candidate
    return None


def looked_at(subfolder: str, override: str | Path | None = None) -> Path:
    """Where `find_data` looked, for the message when the data is absent."""
    return data_root(override) / subfolder


def say_absent(subfolder: str, looked: Path) -> None:
    """Print plainly that the data is absent and where the bench looked."""
    print(
        f"The {subfolder} data is absent: no manifest.csv in {looked}.\n"
        f"Put the data there, set {ENV_VAR} to the data folder, or pass --data PATH."
    )
