"""The first-run page's presenter against a plain fake view: the name kept, the first run done, a failed save no obstacle."""

from __future__ import annotations

import json

from simulator.settings import Settings
from simulator.ui.welcome.presenter import WelcomePresenter


class FakeView:
    def __init__(self, name: str) -> None:
        self.name = name

    def typed_name(self): return self.name


def test_the_name_is_kept_and_the_first_run_is_done(make_context):
    ctx = make_context(Settings(first_run_done=False, trainee_name=""))
    WelcomePresenter(FakeView("  Sam Patel "), ctx).finish()
    assert ctx.settings.trainee_name == "Sam Patel" and ctx.settings.first_run_done
    saved = json.loads(ctx.settings_file.read_text(encoding="utf-8"))
    assert saved["trainee_name"] == "Sam Patel" and saved["first_run_done"] is True


def test_a_settings_file_that_cannot_be_written_does_not_stop_the_trainee(make_context, monkeypatch):
    ctx = make_context(Settings(first_run_done=False))

    def full_disk():
        raise OSError("No space left on device")

    monkeypatch.setattr(ctx, "save_settings", full_disk)
    WelcomePresenter(FakeView("Sam"), ctx).finish()
    assert ctx.settings.trainee_name == "Sam" and ctx.settings.first_run_done
