"""What is wrong with a scenario file, found by the loader (YAML, fields) or by the graph checks.

Its own module so that both `loader` and `checks` can build one without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file. `line` is 1-based; 0 when the whole file is at fault."""

    file: str
    line: int
    message: str
    severity: str = "error"  # or "warning": worth fixing, but the scenario still plays

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"
