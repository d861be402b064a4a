"""A folder of scenario files, each broken in one of the ways a trainer's file can be, and what its message must say."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tests.engine.conftest import MINI

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass(frozen=True)
class Broken:
    name: str
    # What the message must say; `line` is the line it must name (0: the whole file).
    says: str
    line: int


def _mini(**replace: str) -> str:
    text = MINI
    for old, new in replace.items():
        text = text.replace(old.replace("_", " ") if old.startswith("_") else old, new)
    return text


BROKEN: list[Broken] = [
    Broken("empty.yaml", "the file is empty", 0),
    Broken("not_yaml.yaml", "not valid YAML", 4),
    Broken("binary.yaml", "binary file", 0),
    Broken("latin1.yaml", "not UTF-8", 4),
    Broken("enormous.yaml", "probably not a scenario", 0),
    Broken("nested.yaml", "nested more than", 0),
    Broken("wrong_type.yaml", "difficulty", 5),
    Broken("unknown_field.yaml", "unknown field 'titel'", 3),
    Broken("broken_reference.yaml", "nowhere", 20),
    Broken("unreachable_ending.yaml", "gave_up", 41),
    Broken("duplicate_key.yaml", "appears twice", 5),
    Broken("new_version.yaml", "update the simulator", 1),
    Broken("old_version.yaml", "older than any", 1),
    Broken("a_list.yaml", "must be a mapping", 1),
    Broken("zz_duplicate_id.yaml", "already used", 0),
    Broken("folder.yaml", "folder", 0),
]
if not RUNNING_AS_ROOT:
    BROKEN.append(Broken("unreadable.yaml", "permission denied", 0))


def make_broken_folder(folder: Path) -> dict[str, Broken]:
    """Write every broken file (and one good one, whose id the duplicate reuses) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.yaml").write_text(MINI, encoding="utf-8")
    texts = {
        "empty.yaml": "",
        "not_yaml.yaml": "format_version: 1\nid: x\ntitle: [unclosed\nsetting: retail\n",
        "wrong_type.yaml": MINI.replace("id: mini", "id: wt").replace("difficulty: 1", "difficulty: very"),
        "unknown_field.yaml": MINI.replace("id: mini", "id: uf").replace("title:", "titel:"),
        "broken_reference.yaml": MINI.replace("id: mini", "id: br").replace("goto: furious", "goto: nowhere", 1),
        "unreachable_ending.yaml": MINI.replace("id: mini", "id: ue").replace(
            "      - when: {keywords: [manager]}\n        goto: gave_up\n", ""),
        "duplicate_key.yaml": MINI.replace("id: mini", "id: dk").replace("setting: retail",
                                                                          "setting: retail\nid: dk2"),
        "new_version.yaml": MINI.replace("format_version: 1", "format_version: 7"),
        "old_version.yaml": MINI.replace("format_version: 1", "format_version: 0"),
        "a_list.yaml": "- format_version: 1\n- id: x\n",
        "zz_duplicate_id.yaml": MINI,
        "nested.yaml": "format_version: 1\nid: n\nnodes: " + "[" * 200 + "]" * 200 + "\n",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "binary.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "latin1.yaml").write_bytes("format_version: 1\nid: l1\ntitle: ok\nbrief: Caf\xe9\n".encode("latin-1"))
    with (folder / "enormous.yaml").open("wb") as handle:
        handle.truncate(5_000_000)  # sparse: costs no time to write
    (folder / "folder.yaml").mkdir()
    if not RUNNING_AS_ROOT:
        unreadable = folder / "unreadable.yaml"
        unreadable.write_text(MINI.replace("id: mini", "id: ur"), encoding="utf-8")
        unreadable.chmod(0)
    return {b.name: b for b in BROKEN}
