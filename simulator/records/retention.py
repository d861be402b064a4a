"""How long recordings are kept: the purge Settings.recording_retention_days asks for, started off the
GUI thread at start and when Settings shortens it. What a purge deletes is simulator.records.recordings'.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from simulator.settings import Settings

log = logging.getLogger(__name__)


class _Purger(Protocol):
    def purge_recordings(self, older_than_days: int) -> int: ...


class _Tasks(Protocol):
    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None: ...


class RetentionContext(Protocol):
    """What a purge needs of the app (simulator.ui.context.AppContext has it)."""

    # Read-only members: the app's context holds richer types (its store and task runner), which a
    # writable Protocol member would have to match exactly.
    @property
    def settings(self) -> Settings: ...
    @property
    def store(self) -> _Purger: ...
    @property
    def tasks(self) -> _Tasks: ...


def apply_retention(context: RetentionContext, when: str = "at start",
                    on_done: Callable[[int], None] | None = None,
                    on_error: Callable[[BaseException], None] | None = None) -> bool:
    """Delete recordings older than Settings.recording_retention_days (0 keeps them), on the task runner.

    `on_done` gets how many were deleted (see Recordings.purge: a session still in progress keeps
    its recordings). Returns whether a purge was started.
    """
    days = context.settings.recording_retention_days
    if days <= 0:
        return False
    store = context.store

    def done(deleted: int) -> None:
        log.info("retention: %d recording(s) deleted %s", deleted, when)
        if on_done is not None:
            on_done(deleted)

    def failed(exc: BaseException) -> None:
        log.warning("retention purge failed: %s", exc)
        if on_error is not None:
            on_error(exc)

    context.tasks.submit(lambda: store.purge_recordings(days), on_done=done, on_error=failed)
    return True


def retention_lowered(before: int, after: int) -> bool:
    """Whether recordings kept `before` days (0: for ever) are now kept for less time."""
    return after > 0 and (before <= 0 or after < before)
