"""The Qt bindings keep the reference counts of None, True and False intact through the kinds of
signal traffic the devices make (a microphone chunk every 64 ms, levels, the listener's worker
results). PySide6 6.12.0 on Python 3.11 took one reference per emit, and after 13-15 hands-free
turns the app aborted ("none_dealloc" / "bool_dealloc"); pyproject.toml keeps to versions measured
clean, and this test catches a release that drains them again."""

from __future__ import annotations

import gc
import sys
import threading

import pytest
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal

pytestmark = pytest.mark.gui

ROUNDS = 3000  # an emit drains one reference each; spread out, real drift is far above noise


class _Traffic(QObject):
    bare = Signal()
    flag = Signal(bool)
    anything = Signal(object)
    text = Signal(str)


def _counts() -> dict[str, int]:
    gc.collect()
    return {"None": sys.getrefcount(None), "True": sys.getrefcount(True), "False": sys.getrefcount(False)}


def _returns_none(*_args: object) -> None:
    return None


def _returns_true(*_args: object) -> bool:
    return True


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None, True and False are immortal from Python 3.12")
def test_signal_traffic_leaves_none_true_and_false_their_references(qapp):
    direct, queued = _Traffic(), _Traffic()
    for source, kind in ((direct, Qt.ConnectionType.DirectConnection), (queued, Qt.ConnectionType.QueuedConnection)):
        source.bare.connect(_returns_none, kind)
        source.flag.connect(_returns_true, kind)
        source.anything.connect(_returns_none, kind)
        source.text.connect(_returns_true, kind)

    def from_a_worker() -> None:  # the listener's worker thread emits into the GUI thread
        for _ in range(ROUNDS):
            queued.anything.emit(None)
            queued.flag.emit(False)

    before = _counts()
    for _ in range(ROUNDS):
        for source in (direct, queued):
            source.bare.emit()
            source.flag.emit(True)
            source.flag.emit(False)
            source.anything.emit(None)
            source.anything.emit((None, True))
            source.text.emit("chunk")
        QTimer.singleShot(0, _returns_none)
    worker = threading.Thread(target=from_a_worker)
    worker.start()
    worker.join()
    QCoreApplication.processEvents()
    QCoreApplication.processEvents()
    after = _counts()
    drained = {name: before[name] - after[name] for name in before if before[name] - after[name] > ROUNDS // 2}
    assert not drained, f"references lost over {ROUNDS} rounds of emits: {drained}"
