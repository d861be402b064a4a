"""The app's own start-up (AppContext.for_app) as tests use it: no audio devices, a synchronous task
runner, the test scenarios and judge, the welcome page already done."""

from __future__ import annotations

from pathlib import Path


def app_context(monkeypatch, scenario_dir: Path, judge):
    from simulator.devices.workers import InlineWorker
    from simulator.engine.loader import load_library
    from simulator.ui import context as context_module
    from simulator.ui.context import AppContext, Devices

    monkeypatch.setattr(context_module, "create_devices", lambda settings: Devices())
    context = AppContext.for_app()
    context.tasks = InlineWorker()
    context.library_loader = lambda: load_library([scenario_dir])
    context.judge_factory = lambda: judge
    context.settings.first_run_done = True
    return context
