"""The first-run page's logic, apart from its widgets: the trainee's name kept and the first run marked done.

The presenter is handed its view (anything with the methods of `WelcomeView`), as every screen's
presenter is, so tests drive it against a plain fake view (tests/ui/welcome/test_presenter.py).
"""

from __future__ import annotations

from typing import Protocol

from simulator.ui.context import AppContext


class WelcomeView(Protocol):
    def typed_name(self) -> str: ...


class WelcomePresenter:
    def __init__(self, view: WelcomeView, context: AppContext):
        self.view = view
        self.ctx = context

    def finish(self) -> None:
        """Keep the name typed and never show the first-run page again (unless saving fails)."""
        self.ctx.settings.trainee_name = self.view.typed_name().strip()
        self.ctx.settings.first_run_done = True
        try:
            self.ctx.save_settings()
        except OSError:
            pass  # asked again next time; the trainee can still carry on now
