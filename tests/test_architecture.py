"""The layering rules: engine, analysis and speech never import Qt (import-linter contract)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_engine_imports_without_qt_loaded():
    code = ("import sys, simulator.engine.session, simulator.engine.loader, simulator.cli.validate; "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
