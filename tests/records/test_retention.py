"""The retention policy: when a purge runs and what it is told (the deleting is tests/records/test_recordings.py's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.records.retention import apply_retention, retention_lowered
from simulator.settings import Settings


class _Tasks:
    """Holds what was submitted; the test runs it, as the app's task runner would on its worker."""

    def __init__(self) -> None:
        self.submitted: list[tuple[Callable[[], Any], Any, Any]] = []

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None:
        self.submitted.append((fn, on_done, on_error))


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


def test_a_purge_runs_on_the_task_runner_and_reports_what_went_or_why_not():
    done: list[int] = []
    errors: list[BaseException] = []
    context = _Context(30, _Store())
    assert apply_retention(context, on_done=done.append, on_error=errors.append)
    assert context.store.asked == []  # not on the caller's thread
    fn, on_done, _ = context.tasks.submitted.pop()
    on_done(fn())
    assert context.store.asked == [30] and done == [2] and errors == []

    failing = _Context(7, _Store(fail=True))
    assert apply_retention(failing, on_done=done.append, on_error=errors.append)
    fn, _, on_error = failing.tasks.submitted.pop()
    try:
        fn()
    except OSError as exc:
        on_error(exc)
    assert done == [2] and isinstance(errors[0], OSError)


def test_only_a_shorter_keep_counts_as_lowered():
    assert retention_lowered(0, 30)        # for ever -> 30 days
    assert retention_lowered(30, 7)
    assert not retention_lowered(7, 30)
    assert not retention_lowered(30, 0)    # -> for ever
    assert not retention_lowered(30, 30)
