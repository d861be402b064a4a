"""YAML files a person edits (scenarios, the wording rubric), read safely with the line of every key.

Both readers need the same guards before anything is built from the text: libyaml's composer
recurses in C and crashes the process on absurd nesting, and "billion laughs" aliases expand 1 KB
into 10**9 entries. They also need the same line marks, so that a validation error can name the
line the author will find. No Qt here: the engine and the analysis both read YAML through this.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

# libyaml's C parser when it is there: the pure-Python one is several times slower.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BRACKETS = re.compile(r"[\[\]{}]")
_LEAD = re.compile(r"^([ -]*)")

MAX_DEPTH = 40
# YAML entries once aliases are expanded: a shipped scenario has about 1,000 and the rubric about
# 3,000; the largest file allowed is far below this written without aliases.
MAX_ENTRIES = 250_000
# Python refuses to read integers past 4,300 digits (ValueError, not a YAML error); no number in a
# scenario or a rubric comes near this.
MAX_DIGITS = 100


class Marks:
    """Line numbers (1-based) of every key and value in a YAML document, by path; and keys written twice."""

    def __init__(self, root: yaml.Node | None, max_depth: int = MAX_DEPTH) -> None:
        self.key_lines: dict[Path_, int] = {}
        self.value_lines: dict[Path_, int] = {}
        self.duplicates: list[tuple[Path_, int]] = []
        self._max_depth = max_depth
        if root is not None:
            self._walk(root, (), 0)

    def _walk(self, node: yaml.Node, path: Path_, depth: int) -> None:
        if depth > self._max_depth:
            raise RecursionError
        self.value_lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = key_node.value
                if key in seen:
                    self.duplicates.append((path + (key,), key_node.start_mark.line + 1))
                seen.add(key)
                self.key_lines[path + (key,)] = key_node.start_mark.line + 1
                self._walk(value_node, path + (key,), depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, path + (i,), depth + 1)

    def line(self, path: Path_, prefer_value: bool = False) -> int:
        """The line of the deepest part of `path` that exists in the file: its key's line, or with
        `prefer_value` the value's own line when the whole path exists (an item of a list)."""
        for cut in range(len(path), -1, -1):
            sub = path[:cut]
            if prefer_value and cut == len(path) and sub in self.value_lines:
                return self.value_lines[sub]
            if sub in self.key_lines:
                return self.key_lines[sub]
            if sub in self.value_lines:
                return self.value_lines[sub]
        return 1


def nesting_bound(text: str) -> int:
    """An upper bound on how deeply the YAML nests, found without parsing it (so that text which
    might nest deeply goes to the pure-Python composer, which raises RecursionError instead of
    crashing)."""
    flow = deepest_flow = 0
    for match in _BRACKETS.finditer(text):
        flow += 1 if match.group() in "[{" else -1
        deepest_flow = max(deepest_flow, flow)
    indents: list[int] = []
    deepest_block = 0
    for line in text.splitlines():
        lead = _LEAD.match(line).group(1)  # type: ignore[union-attr]
        if not line.strip(" -"):
            continue
        width = len(lead)
        while indents and indents[-1] >= width:
            indents.pop()
        indents.append(width)
        deepest_block = max(deepest_block, len(indents) + lead.count("-"))
    return deepest_flow + deepest_block


def loader_for(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """The fast C loader when the text cannot nest past `max_depth`, else the pure-Python one."""
    return FAST_LOADER if nesting_bound(text) <= max_depth else yaml.SafeLoader


def _anchor_at(text: str, loader: Any, node: yaml.Node) -> tuple[str, int]:
    """The name of the anchor on `node` and the line of its first alias (events carry both)."""
    name, first_use = "", node.start_mark.line + 1
    for event in yaml.parse(text, Loader=loader):
        anchor = getattr(event, "anchor", None)
        if anchor is None:
            continue
        if isinstance(event, yaml.AliasEvent):
            if anchor == name:
                return name, event.start_mark.line + 1
        elif (event.start_mark.line, event.start_mark.column) == (node.start_mark.line, node.start_mark.column):
            name = anchor
    return name, first_use


def measure(root: yaml.Node | None, text: str, loader: Any, what: str, numbers: str,
            max_depth: int = MAX_DEPTH) -> tuple[int, str] | None:
    """The line and a message for YAML that would expand too far or nest too deep once aliases are
    followed, or that holds absurd numbers or complex keys; None when it is fine. Runs before
    anything walks or builds the document, and costs at most MAX_ENTRIES steps.

    `what` names the document ("scenario", "rubric"); `numbers` says which numbers it holds."""
    if root is None:
        return None
    seen: set[int] = set()
    count = 0
    # (node, depth, the aliased node being expanded, if any): a node met twice came through an alias.
    stack: list[tuple[yaml.Node, int, yaml.Node | None]] = [(root, 0, None)]
    while stack:
        node, depth, via = stack.pop()
        count += 1
        if via is None and id(node) in seen:
            via = node
        seen.add(id(node))
        if count > MAX_ENTRIES and via is None:
            return (node.start_mark.line + 1,
                    f"the file holds more than {MAX_ENTRIES:,} entries; a {what} has a few thousand: "
                    f"this is probably not a {what} file")
        if count > MAX_ENTRIES or (depth > max_depth and via is not None):
            name, line = _anchor_at(text, loader, via or node)
            alias = f"*{name}" if name else "an alias"
            return (line, f"the alias {alias} here makes the file expand without end or to more than "
                          f"{MAX_ENTRIES:,} entries (aliases within aliases, or one that contains "
                          f"itself); a {what} never needs that: write the repeated part out once")
        if depth > max_depth:
            return (node.start_mark.line + 1,
                    f"the YAML is nested more than {max_depth} levels deep here; a {what} never needs that")
        if isinstance(node, yaml.ScalarNode):
            if node.tag.endswith(":int") and len(node.value) > MAX_DIGITS:
                return (node.start_mark.line + 1,
                        f"a number {len(node.value):,} digits long; numbers in a {what} are small ({numbers})")
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    return (key.start_mark.line + 1,
                            f"a key here is a list or a mapping (YAML's `? ...` complex key); keys in a "
                            f"{what} are plain names")
                stack.append((key, depth + 1, via))
                stack.append((value, depth + 1, via))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1, via) for item in node.value)
    return None
