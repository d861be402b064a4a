"""The retention policy: when a purge runs and what it is told (the deleting is tests/records/test_recordings.py's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.records.retention import apply_retention, retention_lowered
from simulator.settings import Settings


class _Tasks:
    """Runs each task at once, as the app's task runner would later (the retention Protocol's `submit`)."""

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_error is not None:
                on_error(exc)
            return
        if on_done is not None:
            on_done(result)


class _Store:
    def __init__(self, fail: bool = False):
        self.asked: list[int] = []
        self.fail = fail

    def purge_recordings(self, older_than_days: int) -> int:
        self.asked.append(older_than_days)
        if self.fail:
            raise OSError("disk gone")
        return 2


class _Context:
    def __init__(self, days: int, store: _Store):
        self.settings = Settings(recording_retention_days=days)
        self.store = store
        self.tasks = _Tasks()


def test_keeping_for_ever_purges_nothing():
    store = _Store()
    assert apply_retention(_Context(0, store)) is False
    assert store.asked == []


def test_a_purge_reports_what_went_or_why_not():
    done: list[int] = []
    errors: list[BaseException] = []
    store = _Store()
    assert apply_retention(_Context(30, store), on_done=done.append, on_error=errors.append)
    assert store.asked == [30] and done == [2] and errors == []
    assert apply_retention(_Context(7, _Store(fail=True)), on_done=done.append, on_error=errors.append)
    assert done == [2] and isinstance(errors[0], OSError)


def test_only_a_shorter_keep_counts_as_lowered():
    assert retention_lowered(0, 30)        # for ever -> 30 days
    assert retention_lowered(30, 7)
    assert not retention_lowered(7, 30)
    assert not retention_lowered(30, 0)    # -> for ever
    assert not retention_lowered(30, 30)
