"""Fixtures for the robustness tests: the GUI tests' window and context, reused as they are."""

from __future__ import annotations

from tests.ui.conftest import answer, judge, make_context, scenario_dir, window  # noqa: F401
