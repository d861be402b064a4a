"""The log: a rotating file in the data folder, so a trainer can send what went wrong to support."""

from __future__ import annotations

import logging
import logging.handlers
from collections import deque
from pathlib import Path

from simulator import paths

LOG_NAME = "simulator.log"
_configured: Path | None = None


def log_file() -> Path:
    return paths.data_dir() / "logs" / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to <data>/logs/simulator.log (1 MB, 5 old files kept). Returns the file, or None if it can't be written."""
    global _configured
    path = log_file()
    if _configured == path:
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None  # a read-only data folder is reported where data is saved, not here
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_simulator", False)]:
        root.removeHandler(old)
        old.close()
    handler._simulator = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    _configured = path
    return path


def recent_problems(limit: int = 30) -> list[str]:
    """The last warnings and errors in the log, newest last."""
    path = log_file()
    lines: deque[str] = deque(maxlen=limit)
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if " WARNING " in line or " ERROR " in line or " CRITICAL " in line:
                    lines.append(line.rstrip())
    except OSError:
        pass
    return list(lines)
