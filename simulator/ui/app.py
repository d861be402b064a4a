"""Starting the desktop app: the display check, the theme, the services and the main window."""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

NO_DISPLAY = (
    "The simulator's window cannot open: no graphical display was found.\n"
    "Start it from a desktop session, or on a server run it under a virtual display, e.g.\n"
    "    xvfb-run simulator\n"
    "Everything else works without a display: try `simulator play late-pickup`."
)


def display_problem() -> str | None:
    """Why no window can open on this machine, or None if one can."""
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            return NO_DISPLAY
    return None


def run_app(argv: list[str] | None = None) -> int:
    """The `simulator` command with no arguments. Returns the exit status."""
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:
        print(f"The desktop app needs PySide6, which could not be loaded ({exc}). "
              "Run scripts/setup to install it.", file=sys.stderr)
        return 2

    from simulator.ui.context import AppContext
    from simulator.ui.first_frame import FirstFrame
    from simulator.ui.main_window import APP_NAME, MainWindow, place
    from simulator.ui.theme import apply_theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv[:1])
    if app.platformName() == "":  # pragma: no cover - Qt aborts before this on most platforms
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    context = AppContext.for_app()
    # What the first screen does not need waits until it is painted (AppContext.startup).
    context.startup.hold()
    apply_theme(app, context.settings.text_scale)
    window = MainWindow(context)
    context.startup.later(lambda: context.prepare_devices(lambda: context.devices.warm_up(context.settings)))
    screen = app.primaryScreen()
    place(window, context.settings, screen.availableGeometry() if screen is not None else None)
    FirstFrame(window, context.startup.release)  # parented to the window
    app.aboutToQuit.connect(_close_voices)  # a scenario pre-rendering in the background stops now
    app.aboutToQuit.connect(lambda: getattr(context.opened_store, "close", lambda: None)())
    log.info("app started (platform %s)", app.platformName())
    return int(app.exec())


def _close_voices() -> None:
    voice_out = sys.modules.get("simulator.devices.voice_out")
    if voice_out is not None:
        voice_out.close_all(2000)
