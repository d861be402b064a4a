"""The app logs to the data folder from its first moment, and Settings copies a diagnostics report for support."""

from __future__ import annotations

import logging

import pytest

from simulator import logs


def test_starting_the_app_sets_up_the_log_first(monkeypatch, private_data_dir):
    import simulator.ui.app as app
    from simulator.cli import main

    seen = []
    monkeypatch.setattr(app, "run_app", lambda: seen.append(logs.log_file().exists()) or 0)
    assert main([]) == 0
    assert seen == [True]
    assert logs.log_file().parent.parent == private_data_dir


@pytest.mark.gui
def test_copy_diagnostics_puts_versions_devices_and_last_errors_on_the_clipboard(qtbot, window, pulse):
    from PySide6.QtGui import QGuiApplication

    logs.setup_logging()
    logging.getLogger("simulator.devices.microphone").error("The microphone \"USB Mic\" stopped working")
    for handler in logging.getLogger().handlers:
        handler.flush()
    window.show_settings()
    box = window.settings_page.diagnostics
    assert box.isVisibleTo(window.settings_page)
    QGuiApplication.clipboard().clear()
    box.copy_button.click()
    assert box.confirmation.isVisible() and "Copied" in box.confirmation.text()
    text = QGuiApplication.clipboard().text()
    assert "De-escalation simulator" in text and "PySide6:" in text and "espeak-ng:" in text
    assert "Microphones:" in text and "Speakers:" in text
    assert "(default)" in text  # the virtual devices, as Qt sees them
    assert 'The microphone "USB Mic" stopped working' in text


@pytest.mark.gui
def test_diagnostics_that_cannot_be_gathered_say_so(qtbot, monkeypatch):
    from simulator.ui.settings import diagnostics

    box = diagnostics.DiagnosticsBox()
    qtbot.addWidget(box)
    box.show()

    def broken(devices=None):
        raise OSError("the log folder vanished")

    monkeypatch.setattr(diagnostics.diagnostics, "report", broken)
    box.copy_button.click()
    assert "could not be gathered" in box.confirmation.text()
