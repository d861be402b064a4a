"""Emitting Qt signals safely from Python: PySide6 6.12.0 on Python 3.11 drops a reference on every emit.

Its own module (not the microphone's) so that what only needs to emit (the workers) does not load Qt
Multimedia, numpy and the recogniser with it: the first window opens without them.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    ping = Signal()


def _emit_drops_a_reference() -> bool:
    """PySide6 6.12.0 on Python 3.11: every `SignalInstance.emit()` from Python returns True
    without the reference it owes, so each emit takes one reference from the True singleton.
    After a few thousand emits (a minute of microphone chunks and levels) True is deallocated
    and the interpreter aborts ("bool_dealloc"). Measured here rather than assumed, so a fixed
    PySide6 or Python 3.12+ (immortal True) needs no compensation."""
    if sys.version_info >= (3, 12):
        return False
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(32):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    # Give back what the probe itself took.
    for _ in range(max(0, lost)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost >= 32


_EMIT_DROPS_TRUE: bool | None = None


def safe_emit(signal: SignalInstance, *args: Any) -> None:
    """`signal.emit(*args)`, repairing the reference PySide6 6.12.0 drops (see above).

    Every emit in simulator.devices goes through here.
    """
    global _EMIT_DROPS_TRUE
    if _EMIT_DROPS_TRUE is None:
        _EMIT_DROPS_TRUE = _emit_drops_a_reference()
    result: object = signal.emit(*args)  # type: ignore[func-returns-value]  # 6.12.0 returned a bool
    if _EMIT_DROPS_TRUE and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
