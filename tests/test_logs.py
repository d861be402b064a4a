"""The log file rotates in the data folder and diagnostics gather what support needs."""

from __future__ import annotations

import logging

from simulator import diagnostics, logs


def test_errors_reach_the_log_and_the_diagnostics(private_data_dir):
    path = logs.setup_logging()
    assert path is not None and path.parent.parent == private_data_dir
    logging.getLogger("simulator.test").error("microphone 'USB Mic' disappeared mid-reply")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert any("USB Mic" in line for line in logs.recent_problems())
    text = diagnostics.report({"Microphones": ["USB Mic"], "Speakers": []})
    assert "PySide6:" in text and "espeak-ng:" in text
    assert "USB Mic" in text and "none found" in text
