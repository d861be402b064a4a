"""An excerpt of the shipped phrases.yaml (every section, a few categories), small enough to load many times a second."""

from __future__ import annotations

import re

from simulator.analysis.wording import DEFAULT_PATH

_SECTION = re.compile(r"^(techniques|triggers):\s*$")
_CATEGORY = re.compile(r"^  ([a-z_]+):\s*$")


def excerpt(keep: tuple[str, ...] = ("use_name", "thank", "calm_down")) -> str:
    """The real file's header, macros and comments, with only the categories in `keep`."""
    out: list[str] = []
    section = None
    keeping = True
    for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines():
        if _SECTION.match(line):
            section, keeping = line, True
            out.append(line)
            continue
        match = _CATEGORY.match(line)
        if section is not None and match:
            keeping = match.group(1) in keep
        if keeping:
            out.append(line)
    return "\n".join(out) + "\n"
