"""Watching scenario folders and phrases.yaml for changes on disk, debounced, including editors that save by rename.

QFileSystemWatcher reports a folder's entries being added or removed but not a file's contents
changing, and it forgets a file that an editor replaced by renaming a new one over it. So this
watches the folders and every file in them, and after each burst of events it compares what is on
disk now with what was there before, reports the paths that differ and watches the paths anew.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from simulator import paths

log = logging.getLogger(__name__)

Snapshot = dict[str, tuple[int, int]]


def default_paths() -> list[Path]:
    """What the app watches: the shipped and the user's scenario folders, and the rubric's phrases."""
    from simulator.scenario_folders import scenario_folders

    return [*scenario_folders(), paths.PHRASES_FILE]


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class FileWatcher(QObject):
    """Reports files that were added, changed or removed under some folders, and some single files.

    Signals:
        changed(list): the paths (str) that differ from before, once a burst of events has settled.
    """

    changed = Signal(list)

    def __init__(self, paths: Iterable[Path] = (), delay_ms: int = 300, parent: QObject | None = None):
        super().__init__(parent)
        self._targets: list[Path] = []
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_watcher_changed)
        self._watcher.directoryChanged.connect(self._on_watcher_changed)
        # Editors write a file in several steps (truncate, write, rename): report the burst once.
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._snapshot: Snapshot = {}
        self.set_paths(paths)

    @property
    def paths(self) -> list[Path]:
        return list(self._targets)

    def set_paths(self, paths: Iterable[Path]) -> None:
        self._targets = [Path(p) for p in paths]
        self._snapshot = self.snapshot()
        self._rewatch()

    def snapshot(self) -> Snapshot:
        """Every watched file now, with its modification time and size."""
        found: Snapshot = {}
        for target in self._targets:
            if target.is_dir():
                files = [p for p in target.glob("*.y*ml") if p.suffix in {".yaml", ".yml"}]
            else:
                files = [target]
            for file in files:
                stat = _stat(file)
                if stat is not None:
                    found[str(file)] = stat
        return found

    def _rewatch(self) -> None:
        wanted: set[str] = set()
        for target in self._targets:
            if target.is_dir():
                wanted.add(str(target))
            else:
                # The folder too, so a file saved by rename (or not there yet) is still noticed.
                parent = target.parent
                while not parent.is_dir() and parent != parent.parent:
                    parent = parent.parent
                wanted.add(str(parent))
        wanted |= set(self._snapshot)
        # Watch everything anew: a file an editor replaced by rename is a new file Qt no longer watches.
        current = self._watcher.files() + self._watcher.directories()
        if current:
            self._watcher.removePaths(current)
        failed = self._watcher.addPaths(sorted(p for p in wanted if Path(p).exists()))
        if failed:
            log.debug("cannot watch %s", failed)

    def _on_watcher_changed(self, _path: str) -> None:
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        now = self.snapshot()
        before = self._snapshot
        differ = sorted(p for p in set(now) | set(before) if now.get(p) != before.get(p))
        self._snapshot = now
        self._rewatch()
        if differ:
            self.changed.emit(differ)
