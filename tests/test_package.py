"""What importing the package sets up for the whole process."""

from __future__ import annotations

import os
import subprocess
import sys


def _threads_after_import(env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-c", "import simulator, os; print(os.environ['OPENBLAS_NUM_THREADS'])"],
                         env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_numpys_blas_runs_on_one_thread_unless_the_user_said_otherwise():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    assert _threads_after_import(env) == "1"
    assert _threads_after_import({**env, "OPENBLAS_NUM_THREADS": "2"}) == "2"
